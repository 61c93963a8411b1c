"""``POST /webhooks/stripe``: verified on the raw body, each event applied once."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse

from oms.payments.gateway import WebhookSignatureError
from oms.payments.services import handle_gateway_event

logger = logging.getLogger("oms.payments")
MAX_WEBHOOK_BYTES = 512 * 1024


async def stripe_webhook(request: Request) -> JSONResponse:
    gateway = request.app.state.gateway
    if gateway.name != "stripe":
        return JSONResponse({"error": "Stripe is not configured."}, status_code=404)
    payload = await request.body()
    if len(payload) > MAX_WEBHOOK_BYTES:
        return JSONResponse({"error": "Payload too large."}, status_code=413)
    try:
        event = gateway.parse_webhook(payload, request.headers.get("stripe-signature"))
    except WebhookSignatureError as exc:
        # Nothing is written for an event we cannot trust.
        if not request.app.state.settings.stripe_webhook_secret:
            # Said at start too (oms.app); the sender learns why, without any secret.
            return JSONResponse(
                {"error": "Stripe webhooks are not configured on this server: OMS_STRIPE_WEBHOOK_SECRET is not set."},
                status_code=400,
            )
        logger.info("stripe webhook refused: %s", exc)
        return JSONResponse({"error": "Invalid signature."}, status_code=400)
    outcome = await handle_gateway_event(event, gateway=gateway.name)
    logger.info("stripe event %s (%s): %s", event.id, event.type, outcome)
    # Any other failure propagates as a 500, so Stripe delivers the event again later.
    return JSONResponse({"received": True, "outcome": outcome})
