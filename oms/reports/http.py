"""``GET /exports/orders.csv`` and ``GET /exports/lines.csv``: the CSV exports over HTTP for
staff with VIEW_REPORTS (``Authorization: Bearer <token>``), streamed chunk by chunk.

Query parameters are the API's order filter (``?from=2026-03-01&to=2026-04-01&status=PAID``,
see :func:`oms.reports.exports.order_filter`). A refusal is one plain-text line: 401 without
a valid token, 403 without the permission, 400 for a bad filter.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from oms.accounts.permissions import Permission
from oms.accounts.services import viewer_from_token
from oms.errors import DomainError
from oms.reports.exports import Export, order_filter


def _bearer(header: str | None) -> str | None:
    scheme, _, token = (header or "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


async def export_csv(request: Request) -> Response:
    kind = request.url.path.rsplit("/", 1)[-1].removesuffix(".csv")
    try:
        viewer = await viewer_from_token(
            _bearer(request.headers.get("authorization")), secret=request.app.state.settings.secret_key
        )
    except DomainError as exc:
        return PlainTextResponse(exc.errors[0].message + "\n", status_code=401)
    if viewer.is_anonymous:
        return PlainTextResponse("Send a staff token: Authorization: Bearer <token>.\n", status_code=401)
    if not viewer.has(Permission.VIEW_REPORTS):
        return PlainTextResponse("This needs the VIEW_REPORTS permission.\n", status_code=403)
    params = {name: request.query_params.getlist(name) for name in request.query_params}
    try:
        export = Export(kind, order_filter(params))
    except DomainError as exc:
        return PlainTextResponse(exc.errors[0].message + "\n", status_code=400)
    return StreamingResponse(
        export.chunks(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{kind}.csv"', "Cache-Control": "no-store"},
    )


def export_routes() -> list[Route]:
    return [Route(f"/exports/{kind}.csv", export_csv, methods=["GET"]) for kind in ("orders", "lines")]
