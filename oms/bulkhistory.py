"""The rows of one seeded order (:mod:`oms.bulkseed`): pure Python, driven by one
``random.Random``, so a seed gives the same history.

An order's story: placed at ``created_at`` (spread evenly over the span, oldest first);
then unpaid (recent ones), expired or canceled unpaid (payment VOIDED), or paid a few
seconds to minutes later. A paid order's lines are delivered per product type (digital
and subscription at once, physical parcels in days, consultations at the slot); its status
follows from what is delivered by ``now`` (PROCESSING, PARTIALLY_FULFILLED, COMPLETED).
Some paid orders are canceled and refunded in full, some completed ones refunded in part
or in full.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from decimal import Decimal
from typing import Any, NamedTuple

from oms.bulkinsert import to_json
from oms.orders.search import name_key
from oms.orders.services import ORDER_NUMBER_OFFSET

CENT = Decimal("0.01")
PAYMENT_WINDOW = dt.timedelta(minutes=30)
CITIES = [("London", "GB", "N1 9GU"), ("Berlin", "DE", "10115"), ("Paris", "FR", "75001"), ("Austin", "US", "78701")]
METHODS: list[tuple[dict[str, str], float]] = [
    ({"code": "standard", "name": "Standard shipping", "price": "4.90"}, 0.8),
    ({"code": "express", "name": "Express shipping", "price": "12.00"}, 0.2),
]
LINE_COUNTS = ([1, 2, 3, 4], [50, 30, 15, 5])
TYPE_WEIGHTS = {"physical": 55, "digital": 25, "subscription": 10, "consultation": 10}


@dataclasses.dataclass
class History:
    """What every order of one run shares, and the next id of each table."""

    ORDER_COLUMNS = (
        "id", "number", "token", "email", "customer_id", "status", "payment_status", "currency", "subtotal",
        "shipping_total", "total", "refunded_total", "shipping_address", "billing_address", "shipping_method",
        "note", "payment_due_at", "needs_review", "idempotency_key", "cart_fingerprint", "created_at",
        "updated_at", "paid_at", "completed_at", "canceled_at", "customer_name", "customer_name_key",
    )  # fmt: skip
    LINE_COLUMNS = (
        "id", "order_id", "position", "variant_id", "sku", "name", "product_type", "options", "quantity",
        "quantity_allocated", "quantity_fulfilled", "quantity_canceled", "quantity_returned", "unit_price",
        "currency", "status",
    )  # fmt: skip
    EVENT_COLUMNS = ("id", "order_id", "type", "message", "actor", "data", "created_at")
    PAYMENT_COLUMNS = (
        "id", "order_id", "gateway", "external_id", "amount", "currency", "state", "failure_message",
        "off_session", "created_at", "updated_at",
    )  # fmt: skip
    REFUND_COLUMNS = (
        "id", "order_id", "payment_id", "amount", "currency", "status", "reason", "external_id", "actor",
        "created_at", "updated_at",
    )  # fmt: skip
    DELIVERY_COLUMNS = ("id", "order_id", "product_type", "status", "created_at", "completed_at")
    FULFILLMENT_COLUMNS = ("id", "order_id", "product_type", "status", "created_at", "updated_at", "delivered_at")
    FULFILLMENT_LINE_COLUMNS = ("id", "fulfillment_id", "order_line_id", "quantity")
    SHIPMENT_COLUMNS = (
        "id", "fulfillment_id", "status", "carrier", "carrier_name", "tracking_number", "weight_grams",
        "created_at", "shipped_at", "delivered_at",
    )  # fmt: skip

    rng: random.Random
    now: dt.datetime
    currency: str
    # (id, sku, name, product type, price)
    variants: list[tuple[int, str, str, str, Decimal]]
    # (id, email, name)
    customers: list[tuple[int, str, str]]
    ids: dict[str, int]
    span: dt.timedelta
    count: int
    # Whether Fulfillment has a tracking_number column (then FULFILLMENT_COLUMNS + it).
    fulfillment_tracking: bool = False
    by_type: dict[str, list[tuple[int, str, str, str, Decimal]]] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        for variant in self.variants:
            self.by_type.setdefault(variant[3], []).append(variant)
        self.types = list(self.by_type)
        self.type_weights = [TYPE_WEIGHTS.get(t, 10) for t in self.types]
        self.start = self.now - self.span

    def take(self, table: str) -> int:
        value = self.ids[table]
        self.ids[table] = value + 1
        return value


class _Line(NamedTuple):
    id: int
    position: int
    variant_id: int
    sku: str
    name: str
    product_type: str
    options: dict[str, str] | None
    quantity: int
    price: Decimal


@dataclasses.dataclass
class OrderPlan:
    rows: dict[str, list[tuple[Any, ...]]]


def tracking_number(fulfillment_id: int) -> str:
    return f"1ZBULK{fulfillment_id:010d}"


def _delivery_delay(rng: random.Random, product_type: str) -> dt.timedelta:
    if product_type == "physical":
        return dt.timedelta(days=rng.uniform(1.5, 7))
    if product_type == "consultation":
        return dt.timedelta(days=rng.uniform(1, 21))
    return dt.timedelta(seconds=rng.uniform(2, 30))


def plan_order(h: History, index: int, *, token: str) -> OrderPlan:
    """The rows of the ``index``-th order of the run."""
    rng = h.rng
    order_id = h.take("order")
    number = str(ORDER_NUMBER_OFFSET + order_id)
    created = h.start + (index + rng.random()) * h.span / h.count
    created = min(created, h.now - dt.timedelta(seconds=1))
    customer = h.customers[rng.randrange(len(h.customers))] if rng.random() < 0.8 else None
    email = customer[1] if customer else f"guest{rng.randrange(max(10, h.count // 2))}@example.org"
    rows: dict[str, list[tuple[Any, ...]]] = {
        k: [] for k in ("order", "line", "event", "payment", "refund", "delivery", "fulfillment",
                        "fulfillment_line", "shipment")
    }  # fmt: skip

    # Lines: one to four, of the installed types.
    lines: list[_Line] = []
    for position in range(rng.choices(*LINE_COUNTS)[0]):
        product_type = rng.choices(h.types, h.type_weights)[0]
        variant_id, sku, name, _, price = rng.choice(h.by_type[product_type])
        quantity = rng.choices([1, 2, 3], [75, 18, 7])[0] if product_type == "physical" else 1
        options = None
        if product_type == "consultation":
            slot = (created + dt.timedelta(days=rng.randint(2, 20))).replace(minute=0, second=0, microsecond=0)
            options = {"slot": slot.replace(hour=rng.randint(9, 16)).isoformat(), "consultant": "Grete Hansen"}
        lines.append(_Line(h.take("line"), position, variant_id, sku, name, product_type, options, quantity, price))
    subtotal = sum((line.price * line.quantity for line in lines), Decimal(0)).quantize(CENT)
    physical = any(line.product_type == "physical" for line in lines)
    method = address = None
    shipping = Decimal("0.00")
    if physical:
        method = rng.choices([m for m, _ in METHODS], [w for _, w in METHODS])[0]
        shipping = Decimal(method["price"])
        city, country, postal = rng.choice(CITIES)
        address = {
            "name": customer[2] if customer else f"Guest {order_id}",
            "line1": f"{rng.randint(1, 300)} Market St",
            "city": city,
            "postalCode": postal,
            "country": country,
        }
    total = subtotal + shipping
    # As placement writes it: the address's name, else the account's (order search).
    customer_name = address["name"] if address else (customer[2] if customer else None)

    # The order's fate.
    status, payment_status = "PENDING_PAYMENT", "PENDING"
    paid_at = completed_at = canceled_at = None
    refunded = Decimal("0.00")
    needs_review = False
    events: list[tuple[str, str, dt.datetime, dict[str, Any] | None]] = [
        ("order.placed", f"Order {number} placed: {len(lines)} line(s), total {total} {h.currency}.", created, None)
    ]
    fate = rng.random()
    age = h.now - created
    payment_id = h.take("payment")
    payment_state = "PENDING"
    line_state: dict[str, dt.datetime | None] = {}  # product type -> delivered at (None: in progress)
    if age < PAYMENT_WINDOW and fate < 0.6:
        pass  # still waiting for the customer to pay
    elif fate < 0.075:
        status, payment_status = "EXPIRED", "VOIDED"
        payment_state = "FAILED" if fate < 0.015 else "CANCELED"
        canceled_at = created + PAYMENT_WINDOW
        events.append(("order.expired", f"Order {number} expired unpaid; its reservations were released.",
                       canceled_at, {"status": status}))  # fmt: skip
    elif fate < 0.10:
        status, payment_status, payment_state = "CANCELED", "VOIDED", "CANCELED"
        canceled_at = created + dt.timedelta(minutes=rng.uniform(1, 25))
        events.append(("order.canceled", f"Order {number} canceled.", canceled_at, {"status": status}))
    else:
        paid_at = created + dt.timedelta(seconds=rng.uniform(5, 600))
        payment_status, payment_state, status = "PAID", "SUCCEEDED", "PROCESSING"
        events.append(("order.paid", f"Order {number} paid: {total} {h.currency}.", paid_at, {"status": status}))
        if fate < 0.115:
            status, payment_status = "CANCELED", "REFUNDED"
            canceled_at = paid_at + dt.timedelta(hours=rng.uniform(0.1, 20))
            refunded = total
            events.append(("order.canceled", f"Order {number} canceled and refunded.", canceled_at,
                           {"status": status}))  # fmt: skip
        else:
            stuck = rng.random() < 0.01
            needs_review = stuck and rng.random() < 0.5
            for product_type in dict.fromkeys(line.product_type for line in lines):
                at = paid_at + _delivery_delay(rng, product_type)
                line_state[product_type] = None if stuck or at > h.now else at
            delivered = [at for at in line_state.values() if at is not None]
            if delivered and len(delivered) == len(line_state):
                status, completed_at = "COMPLETED", max(delivered)
                events.append(("order.completed", f"Order {number} completed: every line is delivered.",
                               completed_at, {"status": status}))  # fmt: skip
                refund_fate = rng.random()
                if refund_fate < 0.01:
                    refunded, payment_status = total, "REFUNDED"
                elif refund_fate < 0.05:
                    refunded = min(total - CENT, (lines[0].price * lines[0].quantity).quantize(CENT))
                    payment_status = "PARTIALLY_REFUNDED" if refunded > 0 else payment_status
            elif delivered:
                status = "PARTIALLY_FULFILLED"
                events.append(("order.partially_fulfilled", f"Order {number} partially fulfilled.",
                               max(delivered), {"status": status}))  # fmt: skip

    # Lines, deliveries, fulfillments and parcels.
    for line_id, position, variant_id, sku, name, product_type, options, quantity, price in lines:
        allocated = fulfilled = canceled = 0
        if status in ("EXPIRED", "CANCELED"):
            line_status, canceled = "CANCELED", quantity
        elif paid_at is None:
            line_status = "PENDING"
        elif line_state.get(product_type) is not None:
            line_status, allocated, fulfilled = "DELIVERED", quantity, quantity
        else:
            line_status, allocated = "IN_PROGRESS", quantity
        rows["line"].append((line_id, order_id, position, variant_id, sku, name, product_type, to_json(options),
                             quantity, allocated, fulfilled, canceled, 0, price, h.currency, line_status))  # fmt: skip
    for product_type, delivered_at in line_state.items():
        assert paid_at is not None
        rows["delivery"].append((h.take("delivery"), order_id, product_type, "DONE", paid_at,
                                 paid_at + dt.timedelta(seconds=2)))  # fmt: skip
        fulfillment_id = h.take("fulfillment")
        started = paid_at + dt.timedelta(seconds=2)
        fulfillment: tuple[Any, ...] = (fulfillment_id, order_id, product_type,
                                        "DELIVERED" if delivered_at else "IN_PROGRESS", started,
                                        delivered_at or started, delivered_at)  # fmt: skip
        if h.fulfillment_tracking:  # the core column, when the search work has added it
            fulfillment += (tracking_number(fulfillment_id) if product_type == "physical" else None,)
        rows["fulfillment"].append(fulfillment)
        units = 0
        for line in lines:
            if line.product_type == product_type:
                rows["fulfillment_line"].append((h.take("fulfillment_line"), fulfillment_id, line.id, line.quantity))
                units += line.quantity
        if product_type == "physical":
            shipped = started + dt.timedelta(hours=rng.uniform(2, 30))
            shipped_at = shipped if shipped <= h.now and (delivered_at is None or shipped <= delivered_at) else None
            shipment_status = "DELIVERED" if delivered_at else ("SHIPPED" if shipped_at else "PENDING")
            rows["shipment"].append((h.take("shipment"), fulfillment_id, shipment_status, "manual", "Manual",
                                     tracking_number(fulfillment_id), 280 * units, started, shipped_at,
                                     delivered_at))  # fmt: skip

    # Payment and refund.
    if not (status == "PENDING_PAYMENT" and age < PAYMENT_WINDOW and paid_at is None and rng.random() < 0.2):
        paid_or_created = paid_at or created
        rows["payment"].append((payment_id, order_id, "stripe", f"cs_bulk_{order_id}", total, h.currency,
                                payment_state, "Your card was declined." if payment_state == "FAILED" else None,
                                False, created, paid_or_created))  # fmt: skip
        if refunded > 0:
            refund_at = canceled_at or (completed_at or created) + dt.timedelta(days=rng.uniform(1, 20))
            refund_at = min(refund_at, h.now)
            rows["refund"].append((h.take("refund"), order_id, payment_id, refunded, h.currency, "SUCCEEDED",
                                   "requested by customer", f"re_bulk_{order_id}", "staff@example.com", refund_at,
                                   refund_at))  # fmt: skip
            events.append(("refund.requested", f"Refund of {refunded} {h.currency} requested.", refund_at,
                           {"amount": str(refunded)}))  # fmt: skip
    last = max(at for _, _, at, _ in events)
    for event_type, message, at, data in events:
        actor = "system" if event_type == "order.expired" else None
        rows["event"].append((h.take("event"), order_id, event_type, message, actor, to_json(data), at))
    rows["order"].append((
        order_id, number, token, email, customer[0] if customer else None, status, payment_status, h.currency,
        subtotal, shipping, total, refunded, to_json(address), to_json(address), to_json(method), None,
        created + PAYMENT_WINDOW, needs_review, f"bulk-{order_id}", "bulk", created, last, paid_at,
        completed_at, canceled_at, customer_name, name_key(customer_name),
    ))  # fmt: skip
    return OrderPlan(rows=rows)
