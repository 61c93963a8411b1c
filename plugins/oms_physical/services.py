"""Shipping parcels: ``create_shipment`` and ``mark_shipment_delivered``.

A shipment is a core Fulfillment of physical lines plus this plugin's Shipment row. The
carrier is asked for the label before the database transaction (it may be a slow API);
the transaction then re-checks everything under the order's lock, so two staff shipping
the same units at once cannot both succeed.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import functools
import hashlib
import json
from collections.abc import Mapping, Sequence

from tortoise.transactions import in_transaction

from oms.api import (
    Carrier,
    DomainError,
    ErrorCode,
    FulfillmentStatus,
    Parcel,
    PluginHost,
    fulfillment,
    inventory,
    record_event,
    utcnow,
)
from oms.api.models import Fulfillment, Order, OrderLine, Variant
from oms_physical import config as shipping_config
from oms_physical.models import Shipment, ShipmentStatus

TYPE_NAME = "physical"
MAX_TRACKING_NUMBER = 100


@dataclasses.dataclass(frozen=True)
class ShipmentRequest:
    """What staff asked for: units per order line id, and the carrier."""

    order_id: int
    quantities: Mapping[int, int]
    carrier: str | None = None
    tracking_number: str | None = None


def carriers(plugins: PluginHost) -> dict[str, Carrier]:
    """Carriers by code; of two with one code, the first in call order wins."""
    found: dict[str, Carrier] = {}
    for carrier in plugins.collect("oms_shipping_carriers"):
        found.setdefault(carrier.code, carrier)
    return found


async def _check_order(request: ShipmentRequest) -> Order:
    """The order, if it can be shipped; read-only."""
    order = await Order.get_or_none(id=request.order_id)
    if order is None:
        raise DomainError.of(ErrorCode.NOT_FOUND, "Order not found.", ["input", "orderId"])
    if order.status not in fulfillment.FULFILLABLE:
        raise DomainError.of(
            ErrorCode.INVALID_TRANSITION,
            f"Only a paid order can be shipped; this one is {order.status.value}.",
            ["input", "orderId"],
        )
    if not order.shipping_address:
        raise DomainError.of(ErrorCode.INVALID, "The order has no shipping address.", ["input", "orderId"])
    return order


async def _weight_grams(lines: Sequence[OrderLine], quantities: Mapping[int, int]) -> int:
    variant_ids = [line.variant_id for line in lines if line.variant_id is not None]
    weights: dict[int | None, int] = {  # a line whose variant is gone (variant_id None) weighs 0
        variant.id: int((variant.attributes or {}).get("weight_grams") or 0)
        for variant in await Variant.filter(id__in=variant_ids)
    }
    return sum(weights.get(line.variant_id, 0) * quantities[line.id] for line in lines)


async def _ship_from(lines: Sequence[OrderLine], plugins: PluginHost) -> Mapping[str, str | None]:
    """The address of the warehouse the lines were reserved from; the plugin's
    OMS_PHYSICAL_SHIP_FROM when it has none. Lines of two warehouses are refused."""
    warehouse = await inventory.shipping_origin([line.warehouse_id for line in lines], ("input", "lines"))
    if warehouse is not None and warehouse.address:
        return warehouse.address
    return shipping_config.shipping_config(plugins).ship_from


async def _parcel_reference(order: Order, request: ShipmentRequest, carrier: str, tracking: str | None) -> str:
    """The carrier's idempotency key for this shipment: the same request retried (after a
    timeout) gets the same key, so the carrier sells one label; the next shipment of the
    order, or another request, gets another."""
    shipped = await Fulfillment.filter(order_id=order.id, product_type=TYPE_NAME).count()
    content = json.dumps([sorted(request.quantities.items()), carrier, tracking])
    return f"oms-{order.id}-{shipped + 1}-{hashlib.sha256(content.encode()).hexdigest()[:12]}"


async def create_shipment(request: ShipmentRequest, *, actor: str, plugins: PluginHost) -> Shipment:
    """Ship units of an order's physical lines: take them into a new Fulfillment (never
    more than ordered minus shipped or canceled), deduct them from the warehouse, record
    the carrier's tracking number and the label, and write the timeline. Raises a
    DomainError with nothing written when the order is not paid, a line is not physical,
    more units are asked than remain, or the carrier refuses."""
    code = (request.carrier or "manual").strip().lower()
    carrier = carriers(plugins).get(code)
    if carrier is None:
        known = ", ".join(sorted(carriers(plugins))) or "none"
        raise DomainError.of(ErrorCode.INVALID, f"Unknown carrier {code!r}; known: {known}.", ["input", "carrier"])
    tracking_number = (request.tracking_number or "").strip() or None
    if tracking_number and len(tracking_number) > MAX_TRACKING_NUMBER:
        raise DomainError.of(
            ErrorCode.INVALID, f"At most {MAX_TRACKING_NUMBER} characters.", ["input", "trackingNumber"]
        )
    if tracking_number and not (tracking_number.isascii() and tracking_number.isprintable()):
        # The label's Code128 barcode carries printable ASCII only.
        raise DomainError.of(
            ErrorCode.INVALID, "Use letters, digits and punctuation (ASCII) only.", ["input", "trackingNumber"]
        )
    order = await _check_order(request)
    # Checked again under the order's lock by create_fulfillment; checked now too, so the
    # carrier is never asked for the label of a shipment that cannot be.
    by_id = await fulfillment.check_fulfillment(order, TYPE_NAME, request.quantities, field=("input", "lines"))
    lines = list(by_id.values())
    weight = await _weight_grams(lines, request.quantities)
    reference = await _parcel_reference(order, request, code, tracking_number)
    assert order.number is not None  # set in the transaction that placed the order
    assert order.shipping_address is not None  # placement requires one for a shipped type
    parcel = Parcel(
        reference=reference,
        order_number=order.number,
        ship_from=await _ship_from(lines, plugins),
        ship_to=order.shipping_address,
        weight_grams=weight,
        items=[(by_id[i].sku, by_id[i].name, q) for i, q in request.quantities.items() if i in by_id],
        tracking_number=tracking_number,
    )
    label = await carrier.create_label(parcel)
    # Imported here: reportlab takes ~0.3 s to import, which every `oms` command would pay.
    from oms_physical.label import draw_label

    # Drawing takes a few milliseconds of CPU: off the event loop, so other requests go on.
    label_pdf = label.label_pdf or await asyncio.to_thread(functools.partial(
        draw_label, ship_from=parcel.ship_from, ship_to=parcel.ship_to, order_number=order.number,
        weight_grams=weight, carrier_name=carrier.name, tracking_number=label.tracking_number,
        reference=reference,
    ))
    now = utcnow()
    async with in_transaction():
        locked = await fulfillment.lock_fulfillable_order(order.id)
        record = await fulfillment.create_fulfillment(
            locked, TYPE_NAME, request.quantities, status=FulfillmentStatus.IN_PROGRESS, field=("input", "lines"),
            tracking_number=label.tracking_number,  # staff find the order by it
        )
        for index, (line_id, quantity) in enumerate(request.quantities.items()):
            line = by_id[line_id]
            if line.variant_id is None or line.warehouse_id is None:
                continue  # the variant was deleted: nothing to deduct
            if not await inventory.deduct_shipped(line.variant_id, line.warehouse_id, quantity):
                raise DomainError.of(
                    ErrorCode.OUT_OF_STOCK,
                    f"The warehouse holds fewer reserved units of {line.sku} than this shipment.",
                    ["input", "lines", str(index), "quantity"],
                )
        shipment = await Shipment.create(
            fulfillment_id=record.id,
            status=ShipmentStatus.SHIPPED,
            carrier=carrier.code,
            carrier_name=carrier.name,
            tracking_number=label.tracking_number,
            tracking_url=label.tracking_url,
            weight_grams=weight,
            label_pdf=label_pdf,
            shipped_at=now,
        )
        units = sum(request.quantities.values())
        await record_event(
            locked, "shipment.created",
            f"Shipped {units} unit{'s' if units != 1 else ''} with {carrier.name}, tracking number "
            f"{label.tracking_number}.",
            actor=actor,
            data={
                "fulfillment_id": record.id, "carrier": carrier.code, "tracking_number": label.tracking_number,
                "tracking_url": label.tracking_url,
                "lines": [{"sku": by_id[i].sku, "quantity": q} for i, q in request.quantities.items()],
            },
        )
        await record_event(
            locked, "shipment.label_created", f"Shipping label printed for tracking number {label.tracking_number}.",
            actor=actor, data={"fulfillment_id": record.id},
        )
    return shipment


async def mark_shipment_delivered(fulfillment_id: int, *, actor: str) -> Shipment:
    """The parcel reached the customer: its units count as delivered and the order moves
    to PARTIALLY_FULFILLED or COMPLETED."""
    async with in_transaction():
        record = await Fulfillment.get_or_none(id=fulfillment_id, product_type=TYPE_NAME)
        shipment = await Shipment.get_or_none(fulfillment_id=fulfillment_id) if record else None
        if record is None or shipment is None:
            raise DomainError.of(ErrorCode.NOT_FOUND, "Shipment not found.", ["id"])
        order = await Order.select_for_update().get(id=record.order_id)
        record = await Fulfillment.get(id=fulfillment_id)  # fresh, under the order's lock
        if shipment.status != ShipmentStatus.SHIPPED:
            raise DomainError.of(
                ErrorCode.INVALID_TRANSITION, f"This shipment is {shipment.status.value}, not SHIPPED.", ["id"]
            )
        now = utcnow()
        await Shipment.filter(id=shipment.id).update(status=ShipmentStatus.DELIVERED, delivered_at=now)
        shipment.status, shipment.delivered_at = ShipmentStatus.DELIVERED, now
        await record_event(
            order, "shipment.delivered", f"Parcel {shipment.tracking_number} delivered.",
            actor=actor, data={"fulfillment_id": record.id, "tracking_number": shipment.tracking_number},
        )
        # Last, so the timeline reads: the parcel arrived, then the order completed.
        await fulfillment.mark_delivered(order, record, actor=actor)
    return shipment


async def return_policy(
    line: OrderLine, quantity: int, *, return_days: int, now: dt.datetime | None = None
) -> str | None:
    """``oms_return_policy``: ``quantity`` units of ``line`` may be returned when parcels
    delivered within the last ``return_days`` days hold at least that many of its units.
    (Stock goes back through the core's ``receiveReturn``; nothing to reverse here.)"""
    if return_days <= 0:
        return "This item cannot be returned."
    now = now or utcnow()
    since = now - dt.timedelta(days=return_days)
    recent = 0
    shipments = await Shipment.filter(
        status=ShipmentStatus.DELIVERED, fulfillment__lines__order_line_id=line.id
    ).distinct()
    for shipment in shipments:
        if shipment.delivered_at is None or shipment.delivered_at < since:
            continue
        record = await Fulfillment.get(id=shipment.fulfillment_id).prefetch_related("lines")
        recent += sum(item.quantity for item in record.lines if item.order_line_id == line.id)
    if recent >= quantity:
        return None
    if not shipments:
        return "This item has not been delivered yet, so it cannot be returned."
    return f"Returns are accepted within {return_days} days of delivery."
