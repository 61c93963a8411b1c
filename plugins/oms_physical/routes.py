"""``GET /shipments/label/{token}``: the shipping label PDF, for staff holding a labelUrl.

The URL is the credential: GraphQL hands it only to staff with MANAGE_FULFILLMENT, signed
with the secret key and valid for an hour, so a label opens in a browser tab from GraphiQL.
"""

from __future__ import annotations

from itsdangerous import BadSignature, SignatureExpired
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from oms.api import Settings
from oms_physical.graphql import LABEL_URL_SECONDS, label_signer
from oms_physical.models import Shipment


def label_routes(settings: Settings) -> list[BaseRoute]:
    signer = label_signer(settings.secret_key)

    async def label(request: Request) -> Response:
        try:
            shipment_id = signer.loads(request.path_params["token"], max_age=LABEL_URL_SECONDS)
        except SignatureExpired:
            return PlainTextResponse("This label link has expired; ask for the shipment's labelUrl again.", 410)
        except BadSignature:
            return PlainTextResponse("Not found.", 404)
        shipment = await Shipment.get_or_none(id=shipment_id)
        if shipment is None or shipment.label_pdf is None:
            return PlainTextResponse("Not found.", 404)
        name = f"label-{shipment.fulfillment_id}-{shipment.tracking_number}.pdf"
        safe_name = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
        return Response(
            bytes(shipment.label_pdf),
            media_type="application/pdf",
            headers={
                "Content-Disposition": f'inline; filename="{safe_name}"',
                "Cache-Control": "private, no-store",
            },
        )

    return [Route("/shipments/label/{token}", label, methods=["GET"])]
