"""The HTTP client the ``stripe`` library calls through: httpx, async only."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Mapping
from typing import Any

import httpx
import stripe


class AsyncHTTPClient(stripe.HTTPClient):
    """httpx for the stripe library, async only.

    stripe's own HTTPXClient posts with ``data=<str>``, which httpx 0.28 deprecates: a
    DeprecationWarning on every POST, and under ``-W error`` its catch-all turns the
    warning into a (retryable!) APIConnectionError. This sends ``content=``.
    """

    name = "httpx"

    def __init__(self, timeout: float):
        super().__init__()
        # Stripe's pinned CA bundle, as the library's own clients use.
        verify = ssl.create_default_context(cafile=stripe.ca_bundle_path)
        self._client = httpx.AsyncClient(timeout=timeout, verify=verify)

    async def request_async(
        self, method: str, url: str, headers: Mapping[str, str], post_data: Any = None
    ) -> tuple[bytes, int, Mapping[str, str]]:
        try:
            response = await self._client.request(method, url, headers=headers, content=post_data)
        except httpx.HTTPError as exc:
            raise stripe.APIConnectionError(f"Could not reach Stripe: {exc!r}", should_retry=True) from exc
        return response.content, response.status_code, response.headers

    def sleep_async(self, secs: float) -> Any:
        return asyncio.sleep(secs)

    async def close_async(self) -> None:
        await self._client.aclose()

    def request(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("oms calls Stripe asynchronously only")

    def close(self) -> None:
        pass
