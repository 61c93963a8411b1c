"""``GET /bookings/{token}/invite.ics``: a booking's calendar invite.

The signed URL is the credential (GraphQL hands it to whoever may see the booking); a
forged or unknown token gets 404. The invite is built on each request, so an imported
link always gives the booking's current time, status and SEQUENCE.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from oms.config import Settings
from oms_consultation import calendar


def calendar_routes(settings: Settings) -> list[BaseRoute]:
    async def invite(request: Request) -> Response:
        booking = await calendar.booking_for_token(request.path_params["token"], settings.secret_key)
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
