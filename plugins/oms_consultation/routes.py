"""``GET /bookings/{token}/invite.ics``: a booking's calendar invite.

The signed URL is the credential (GraphQL hands it to whoever may see the booking); a
forged or unknown token gets 404. The invite is built on each request, so an imported
link always gives the booking's current time, status and SEQUENCE.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from oms.api import RateLimited, Settings, token_route_lookup, too_many_requests
from oms_consultation import calendar


def calendar_routes(settings: Settings) -> list[BaseRoute]:
    async def invite(request: Request) -> Response:
        token = request.path_params["token"]
        try:
            booking = await token_route_lookup(
                request, lambda: calendar.booking_for_token(token, settings.secret_key)
            )
        except RateLimited as exc:
            return too_many_requests(exc)
        if booking is None:
            return PlainTextResponse("Not found.", 404)
        return Response(
            calendar.invite(booking, settings),
            media_type="text/calendar",
            headers={
                "Content-Disposition": f'inline; filename="booking-{booking.id}.ics"',
                "Cache-Control": "private, no-store",
            },
        )

    return [Route("/bookings/{token}/invite.ics", invite, methods=["GET", "HEAD"])]
