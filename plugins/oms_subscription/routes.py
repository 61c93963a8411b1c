"""``GET /entitlements/{accessKey}``: may the holder of this key use the subscribed
software now? One indexed query; the answer may be cached for a short while."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from oms.api import RateLimited, token_route_lookup
from oms_subscription import services

# Long enough to spare the database a check per request of a busy client, short enough
# that a canceled subscription stops working within a minute.
CACHE_SECONDS = 30


async def entitlement(request: Request) -> JSONResponse:
    key = request.path_params["access_key"]
    try:
        # Unknown keys from one address are counted: guessing keys gets 429s.
        found = await token_route_lookup(request, lambda: _entitlement(key))
    except RateLimited as exc:
        return JSONResponse(
            {"active": False, "error": exc.errors[0].message}, status_code=429,
            headers={"Retry-After": str(exc.retry_after), "Cache-Control": "no-store"},
        )
    headers = {"Cache-Control": f"private, max-age={CACHE_SECONDS}"}
    if found is None:
        return JSONResponse({"active": False, "error": "unknown access key"}, status_code=404, headers=headers)
    return JSONResponse(
        {
            "active": found.active,
            "status": found.status,
            "sku": found.sku,
            "until": found.until.isoformat() if found.until else None,
        },
        headers=headers,
    )


def entitlement_routes() -> list[BaseRoute]:
    return [Route("/entitlements/{access_key}", entitlement, methods=["GET"])]


async def _entitlement(key: str):
    # A NUL (``%00``) cannot be in a key, and PostgreSQL refuses it in a query.
    return None if "\x00" in key else await services.entitlement(key)
