"""Delivery dispatch: after payment, one job per product type hands the order's lines of
that type to the plugin that owns it."""

from __future__ import annotations

import datetime as dt

from tortoise.transactions import in_transaction

from oms.fulfillment.models import Delivery, DeliveryStatus
from oms.jobs.services import enqueue_many
from oms.orders.events import record_event
from oms.orders.models import Order, OrderLine
from oms.plugins import PluginHost

DELIVER_JOB = "order.deliver"


async def enqueue_deliveries(order: Order) -> list[str]:
    """Write a Delivery row and a delivery job per product type of the order; call in the
    transaction that pays it. Returns the product types."""
    types = sorted(set(await OrderLine.filter(order_id=order.id).values_list("product_type", flat=True)))
    await Delivery.bulk_create([Delivery(order_id=order.id, product_type=t) for t in types])
    await enqueue_many(DELIVER_JOB, [{"order_id": order.id, "product_type": t} for t in types])
    return types


async def deliver(order_id: int, product_type: str, *, plugins: PluginHost) -> bool:
    """Run the owning plugin's ``oms_deliver`` for the order's lines of ``product_type``,
    once: the Delivery row is locked and marked DONE in the plugin's transaction, so a
    second run (a retry after a crash, a duplicate job) does nothing. Returns whether it
    delivered now. A plugin error rolls everything back and propagates (the job retries).
    """
    async with in_transaction():
        delivery = await Delivery.select_for_update().get_or_none(order_id=order_id, product_type=product_type)
        if delivery is None or delivery.status == DeliveryStatus.DONE:
            return False
        order = await Order.get(id=order_id)
        lines = await OrderLine.filter(order_id=order_id, product_type=product_type).order_by("position")
        if plugins.get_type(product_type) is None:
            raise RuntimeError(f"No installed plugin owns the product type {product_type!r}.")
        if not plugins.owner_implements("oms_deliver", product_type):
            # Not delivered is not "done": the job fails, retries, and ends DEAD on the
            # timeline; once the plugin can deliver, staff retry it (retryJob).
            raise RuntimeError(
                f"The {plugins.owner_name(product_type)} plugin cannot deliver yet (no oms_deliver)."
            )
        await plugins.call_owner("oms_deliver", product_type, order=order, lines=lines)
        now = dt.datetime.now(dt.UTC)
        await Delivery.filter(id=delivery.id).update(status=DeliveryStatus.DONE, completed_at=now, last_error=None)
        await record_event(
            order, "delivery.started",
            f"{product_type} lines handed to the {plugins.owner_name(product_type)} plugin.",
            actor="system", data={"product_type": product_type},
        )
    return True


async def record_delivery_failure(order_id: int, product_type: str, error: str) -> None:
    """The delivery job gave up: the failure goes on the order's timeline for staff."""
    async with in_transaction():
        order = await Order.get_or_none(id=order_id)
        if order is None:
            return
        await Delivery.filter(order_id=order_id, product_type=product_type).update(
            status=DeliveryStatus.FAILED, last_error=error[:4000]
        )
        await Order.filter(id=order_id).update(needs_review=True)
        # The last line of a traceback names the error; the rest stays in the job for staff.
        summary = (error.strip().splitlines() or ["unknown error"])[-1][:500]
        await record_event(
            order, "delivery.failed",
            f"Delivering the {product_type} lines failed after all retries: {summary}",
            actor="system", data={"product_type": product_type},
        )
