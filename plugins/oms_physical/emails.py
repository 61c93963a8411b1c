"""What the physical plugin adds to transactional email: the parcel's carrier by name."""

from __future__ import annotations

from typing import Any

from oms.api import EmailContent
from oms_physical.models import Shipment


async def email_content(event: Any, message: str | None) -> EmailContent | None:
    fulfillment_id = (event.data or {}).get("fulfillment_id")
    if message not in ("shipped", "delivered") or not fulfillment_id:
        return None
    shipment = await Shipment.get_or_none(fulfillment_id=fulfillment_id)
    if shipment is None:
        return None
    return EmailContent(context={"shipment": {
        "carrier_name": shipment.carrier_name, "tracking_number": shipment.tracking_number,
        "tracking_url": shipment.tracking_url,
    }})
