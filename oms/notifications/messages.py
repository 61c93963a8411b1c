"""Which transactional emails a timeline event sends, to whom, and what their templates see.

A message is named after its templates (``email/<name>.txt`` and ``email/<name>.html``).
The customer hears about what happened to their order; staff (``OMS_STAFF_EMAIL``) about
what needs a person. Plugins add context and attachments to these messages and mail
about their own events through ``oms_email_content``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from decimal import Decimal
from email.utils import parseaddr
from typing import Any

from oms.config import Settings
from oms.fulfillment.models import FulfillmentLine, FulfillmentStatus
from oms.money import Money
from oms.orders.events import customer_view
from oms.orders.models import Order, OrderEvent, OrderLine
from oms.orders.recovery import order_link
from oms.plugin_types import EmailAttachment, EmailContent
from oms.plugins import PluginHost

# Timeline event type -> the customer's message about it.
CUSTOMER_MESSAGES: Mapping[str, str] = {
    "order.placed": "order_received",
    "order.paid": "payment_received",
    "payment.failed": "payment_failed",
    "shipment.created": "shipped",
    "shipment.delivered": "delivered",
    "download.granted": "download_ready",
    "subscription.activated": "subscription_activated",
    "subscription.renewed": "subscription_renewed",
    "subscription.renewal_failed": "subscription_payment_failed",
    "subscription.past_due": "subscription_past_due",
    "subscription.canceled": "subscription_canceled",
    "booking.confirmed": "booking_confirmed",
    "booking.rescheduled": "booking_rescheduled",
    "booking.reminder": "booking_reminder",
    "booking.canceled": "booking_canceled",
    "return.approved": "return_approved",
    "return.rejected": "return_rejected",
    "return.received": "return_received",
    "refund.succeeded": "refund_issued",
    "order.canceled": "order_canceled",
    "order.lines_canceled": "order_lines_canceled",
    "order.completed": "order_completed",
}

# Timeline event type -> the staff alert about it (to OMS_STAFF_EMAIL).
STAFF_MESSAGES: Mapping[str, str] = {
    "payment.needs_review": "staff_payment_review",
    "payment.mismatch": "staff_payment_review",
    "refund.failed": "staff_refund_failed",
    "delivery.failed": "staff_delivery_failed",
}

# Sent when a mail job died (see oms.notifications.sending.record_dead_email).
STAFF_EMAIL_FAILED = "staff_email_failed"

ALL_MESSAGES: tuple[str, ...] = (
    *dict.fromkeys(CUSTOMER_MESSAGES.values()),
    *dict.fromkeys(STAFF_MESSAGES.values()),
    STAFF_EMAIL_FAILED,
)


# The recipient of staff alerts in a job's payload: OMS_STAFF_EMAIL, read when it runs.
STAFF = "staff"


@dataclasses.dataclass(frozen=True)
class Planned:
    recipient: str
    message: str


def planned_messages(order: Order, event: OrderEvent) -> list[Planned]:
    """The core's messages about ``event`` (plugins' own ones come from their hook); staff
    alerts go to :data:`STAFF`."""
    planned: list[Planned] = []
    customer_message = CUSTOMER_MESSAGES.get(event.type)
    if customer_message and _customer_hears_of(order, event):
        planned.append(Planned(order.email, customer_message))
    staff_message = STAFF_MESSAGES.get(event.type)
    if staff_message:
        planned.append(Planned(STAFF, staff_message))
    return planned


def _customer_hears_of(order: Order, event: OrderEvent) -> bool:
    if customer_view(event, order) is None:  # a staff-only note
        return False
    data = event.data or {}
    # Subscription events are written on the first order and on the renewal: one mail,
    # about the renewal order.
    if data.get("renewal_order") and data["renewal_order"] != order.number:
        return False
    # A slot held for an order that was never paid: the order's own mail says it.
    if event.type == "booking.canceled" and order.paid_at is None:
        return False
    return True


def asks_plugins(order: Order, event: OrderEvent, plugins: PluginHost) -> bool:
    """Whether a plugin may mail the customer about this event itself: one the core does
    not mail about, the customer sees, and some plugin implements ``oms_email_content``."""
    if event.type in CUSTOMER_MESSAGES or event.type.startswith("email.") or customer_view(event, order) is None:
        return False
    impls = plugins.pm.hook.oms_email_content.get_hookimpls()
    return any(impl.plugin_name not in plugins.core_names for impl in impls)


async def plugin_messages(order: Order, event: OrderEvent, settings: Settings, plugins: PluginHost) -> list[str]:
    """Plugins' own messages about an event the core does not mail the customer about."""
    if not asks_plugins(order, event, plugins):
        return []
    results = await plugins.call_all("oms_email_content", order=order, event=event, message=None, settings=settings)
    return [name for result in results if result is not None for name in result.messages]


@dataclasses.dataclass
class PreparedContext:
    context: dict[str, Any]
    attachments: list[EmailAttachment]
    product_type: str | None


def _money(amount: Any, currency: str) -> Money:
    return Money(Decimal(str(amount)), currency)


def _line(line: OrderLine) -> dict[str, Any]:
    unit = _money(line.unit_price, line.currency)
    return {
        "id": line.id,
        "sku": line.sku,
        "name": line.name,
        "product_type": line.product_type,
        "quantity": line.quantity,
        "unit_price": unit,
        "total": unit * line.quantity,
        "options": line.options or {},
        "status": line.status.value,
        "quantity_fulfilled": line.quantity_fulfilled,
        "quantity_canceled": line.quantity_canceled,
        "quantity_open": max(0, line.quantity - line.quantity_fulfilled - line.quantity_canceled),
    }


def _product_type(event: OrderEvent, lines: Sequence[OrderLine]) -> str | None:
    """The product type the event is about, for its plugin's template: the type of the
    lines it names, else of the whole order when it has one type."""
    data = event.data or {}
    skus = {data["sku"]} if isinstance(data.get("sku"), str) else set()
    skus |= {item.get("sku") for item in _listed(data) if isinstance(item, dict)}
    types = {line.product_type for line in lines if line.sku in skus} or {line.product_type for line in lines}
    return types.pop() if len(types) == 1 else None


async def _still_to_come(
    event: OrderEvent, lines: Sequence[OrderLine], views: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Units of the shipped lines' type in no parcel up to this one (nor canceled)."""
    product_type = _product_type(event, lines)
    upto = (event.data or {}).get("fulfillment_id")
    if product_type is None or not isinstance(upto, int):
        return []
    rows = (
        await FulfillmentLine.filter(
            order_line_id__in=[line.id for line in lines],
            fulfillment_id__lte=upto,
        )
        .exclude(fulfillment__status=FulfillmentStatus.CANCELED)
        .values_list("order_line_id", "quantity")
    )
    sent: dict[int, int] = {}
    for line_id, quantity in rows:
        sent[line_id] = sent.get(line_id, 0) + quantity
    todo = []
    for view in views:
        left = view["quantity"] - view["quantity_canceled"] - sent.get(view["id"], 0)
        if view["product_type"] == product_type and left > 0:
            todo.append({**view, "quantity": left})
    return todo


def _listed(data: Mapping[str, Any]) -> list[Any]:
    lines = data.get("lines")
    return lines if isinstance(lines, list) else []


def store_context(settings: Settings) -> dict[str, Any]:
    support = settings.support_email or parseaddr(settings.mail_from)[1]
    return {
        "name": settings.store_name,
        "address": settings.store_address,
        "logo_url": settings.store_logo_url,
        "support_email": support,
    }


async def prepare_context(
    order: Order,
    event: OrderEvent,
    message: str,
    *,
    recipient: str,
    settings: Settings,
    plugins: PluginHost,
    lines: Sequence[OrderLine] | None = None,
) -> PreparedContext:
    """What the message's templates see, and the plugins' attachments. ``lines``: the
    order's lines by position and id, when the caller read them already."""
    if lines is None:
        lines = await OrderLine.filter(order_id=order.id).order_by("position", "id")
    data = dict(event.data or {})
    data.pop("staff_only", None)
    # Events of issue 11 carry amounts as strings with a currency.
    amount = _money(data["amount"], data.get("currency") or order.currency) if data.get("amount") else None
    line_views = [_line(line) for line in lines]
    by_sku = {line["sku"]: line for line in line_views}
    context: dict[str, Any] = {
        "message": message,
        "recipient": recipient,
        "store": store_context(settings),
        "order": {
            "id": order.id,
            "number": order.number,
            "email": order.email,
            "currency": order.currency,
            "status": order.status.value,
            "payment_status": order.payment_status.value,
            "subtotal": _money(order.subtotal, order.currency),
            "shipping_total": _money(order.shipping_total, order.currency),
            "total": _money(order.total, order.currency),
            "discount_total": _money(order.discount_total or 0, order.currency),
            "refunded_total": _money(order.refunded_total or 0, order.currency),
            "shipping_address": order.shipping_address,
            "billing_address": order.billing_address,
            "shipping_method": (order.shipping_method or {}).get("name"),
            "created_at": order.created_at,
            "guest": order.customer_id is None,
        },
        "lines": line_views,
        "event": {
            "id": event.id,
            "type": event.type,
            "message": event.message,
            "data": data,
            "created_at": event.created_at,
        },
        "amount": amount,
        # A guest has no account to sign in to: their link (or token) reaches the order.
        "order_url": order_link(settings, order.token) if order.customer_id is None else None,
        "order_token": order.token if order.customer_id is None else None,
        # shipment.created names its lines by sku; the rest of the parcel lines are to come.
        "shipped_lines": [
            {**by_sku[item["sku"]], "quantity": item["quantity"]}
            for item in _listed(data)
            if isinstance(item, dict) and item.get("sku") in by_sku
        ],
        "still_to_come": await _still_to_come(event, lines, line_views) if event.type == "shipment.created" else [],
        "canceled_lines": [
            {**view, "quantity": int(data["lines"][key])}
            for view in line_views
            for key in [str(view["id"])]
            if isinstance(data.get("lines"), dict) and key in data["lines"]
        ],
    }
    attachments: list[EmailAttachment] = []
    results = await plugins.call_all("oms_email_content", order=order, event=event, message=message, settings=settings)
    for result in results:
        if isinstance(result, EmailContent):
            context.update(result.context)
            attachments.extend(result.attachments)
    return PreparedContext(context, attachments, _product_type(event, lines))
