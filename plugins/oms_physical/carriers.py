"""The built-in carriers: staff type the tracking number, oms draws the label.

``manual`` plus the carriers of ``OMS_PHYSICAL_CARRIERS`` (UPS, USPS, FedEx, DHL built in)
differ only in their name and tracking URL. A carrier with an API (buying labels and
rates) is a plugin returning its own :class:`oms.plugin_types.Carrier` from
``oms_shipping_carriers``; see docs/writing_plugins.md.
"""

from __future__ import annotations

from oms.api import Carrier, DomainError, ErrorCode, Parcel, ShippingLabel
from oms_physical.config import ShippingConfig, tracking_url


class TypedTrackingCarrier(Carrier):
    """A carrier whose labels staff buy elsewhere: they type its tracking number."""

    def __init__(self, config: ShippingConfig, code: str):
        self.config = config
        self.code = code
        self.name = config.carriers[code].name

    async def create_label(self, parcel: Parcel) -> ShippingLabel:
        if not parcel.tracking_number:
            raise DomainError.of(
                ErrorCode.REQUIRED,
                f"Type the tracking number: {self.name} labels are bought outside oms.",
                ["input", "trackingNumber"],
            )
        return ShippingLabel(
            tracking_number=parcel.tracking_number,
            tracking_url=tracking_url(self.config, self.code, parcel.tracking_number),
        )


def built_in_carriers(config: ShippingConfig) -> list[Carrier]:
    return [TypedTrackingCarrier(config, code) for code in config.carriers]
