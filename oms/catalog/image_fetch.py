"""Fetching a product image from a URL staff give, behind the webhooks' SSRF guard.

The host is resolved once and every address must be public (unless
``OMS_IMAGE_FETCH_ALLOW_PRIVATE``); the request then connects to the address that was
checked, so a DNS answer that changes meanwhile cannot lead it elsewhere. Redirects are
followed by hand (a few, each checked the same way), the whole fetch has a deadline, and
at most ``max_bytes`` are read.
"""

from __future__ import annotations

import asyncio
import functools
import ssl
from urllib.parse import urljoin

import httpx

from oms.catalog.images import read_capped
from oms.errors import DomainError, ErrorCode
from oms.webhooks.guard import MAX_URL_LENGTH, AddressRefused, resolve_public

TOTAL_TIMEOUT_SECONDS = 20.0
CONNECT_TIMEOUT_SECONDS = 5.0
READ_TIMEOUT_SECONDS = 10.0
MAX_REDIRECTS = 3
USER_AGENT = "oms-image-fetch/1"


def _invalid(message: str) -> DomainError:
    return DomainError.of(ErrorCode.INVALID, message, ["url"])


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    return httpx.create_ssl_context()


def _parse(url: str) -> httpx.URL:
    url = url.strip()
    if not url or len(url) > MAX_URL_LENGTH:
        raise _invalid(f"Give an http or https URL of at most {MAX_URL_LENGTH} characters.")
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        raise _invalid("This is not a valid URL.") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise _invalid("Give an http or https URL with a host.")
    if parsed.userinfo:
        raise _invalid("Credentials in the URL are not supported.")
    return parsed


async def _pinned(parsed: httpx.URL, allow_private: bool) -> httpx.URL:
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        address = await resolve_public(parsed.host, port, allow_private=allow_private)
    except AddressRefused as exc:
        reason = str(exc).split(" (OMS_", 1)[0]
        raise _invalid(
            f"Images are fetched from public addresses only: {reason} (OMS_IMAGE_FETCH_ALLOW_PRIVATE allows it)."
        ) from None
    return parsed.copy_with(host=str(address))


async def fetch_image(url: str, *, max_bytes: int, allow_private: bool) -> bytes:
    """The bytes at ``url`` (an image is checked by the caller); INVALID (field ``url``)
    for a refused address, an error answer, a timeout or more than ``max_bytes``."""
    parsed = _parse(url)
    timeout = httpx.Timeout(READ_TIMEOUT_SECONDS, connect=CONNECT_TIMEOUT_SECONDS)
    try:
        async with asyncio.timeout(TOTAL_TIMEOUT_SECONDS):
            async with httpx.AsyncClient(
                timeout=timeout, follow_redirects=False, trust_env=False, verify=_ssl_context()
            ) as client:
                for _ in range(MAX_REDIRECTS + 1):
                    target = await _pinned(parsed, allow_private)
                    request = client.build_request(
                        "GET",
                        target,
                        headers={"host": parsed.netloc.decode("ascii"), "user-agent": USER_AGENT, "accept": "image/*"},
                        extensions={"sni_hostname": parsed.host} if parsed.scheme == "https" else {},
                    )
                    response = await client.send(request, stream=True)
                    try:
                        if response.is_redirect and "location" in response.headers:
                            parsed = _parse(urljoin(str(parsed), response.headers["location"]))
                            continue
                        if not response.is_success:
                            raise _invalid(f"The URL answered HTTP {response.status_code}.")
                        declared = response.headers.get("content-length", "")
                        if declared.isdigit() and int(declared) > max_bytes:
                            raise _invalid(f"The image is larger than {max_bytes} bytes.")
                        return await read_capped(response.aiter_bytes(), max_bytes, "url")
                    finally:
                        await response.aclose()
                raise _invalid(f"More than {MAX_REDIRECTS} redirects.")
    except TimeoutError:
        raise _invalid(f"The URL did not answer within {TOTAL_TIMEOUT_SECONDS:g} s.") from None
    except (httpx.HTTPError, OSError) as exc:
        raise _invalid(f"The image could not be fetched ({type(exc).__name__}).") from None
