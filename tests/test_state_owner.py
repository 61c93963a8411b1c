"""One owner per state change: only oms/orders/lifecycle.py writes an order's ``status``
and ``payment_status``, and it refuses what the transition table forbids, writing nothing.
"""

from __future__ import annotations

import ast
import re
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from tortoise.transactions import in_transaction

from oms.errors import DomainError, ErrorCode
from oms.orders import lifecycle
from oms.orders.models import Order, OrderEvent
from oms.orders.status import OrderStatus, PaymentStatus

ROOT = Path(__file__).resolve().parent.parent
OWNER = Path("oms/orders/lifecycle.py")
FIELDS = {"status", "payment_status"}
# Model methods that write the fields they are given as keywords.
WRITERS = {"update", "create", "get_or_create", "update_or_create", "bulk_create"}


def _root_name(node: ast.AST) -> str | None:
    """``Order`` for ``Order.filter(...).select_for_update().update``."""
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            node = node.value
        else:
            return node.id if isinstance(node, ast.Name) else None


def _targets(node: ast.AST):
    if isinstance(node, (ast.Tuple, ast.List)):
        for element in node.elts:
            yield from _targets(element)
    else:
        yield node


def _is_order_status(value: ast.AST) -> bool:
    return any(
        isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id in ("OrderStatus", "PaymentStatus")
        for n in ast.walk(value)
    )


RAW_ORDER_UPDATE = re.compile(r'UPDATE\s+"?order"?\s+SET\b[^;]*\b(payment_)?status\b', re.IGNORECASE)


def order_state_writes(source: str) -> list[int]:
    """Line numbers where ``source`` writes an order's status or payment status: through
    ``Order.<query>.update(status=...)`` / ``Order.create(status=...)``, an assignment to
    ``<x>.payment_status``, to ``<order>.status`` (a name with "order" in it, or an
    ``OrderStatus``/``PaymentStatus`` value), ``setattr(order, "status", ...)``, or a
    ``save``/``bulk_update`` listing those fields."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method = node.func.attr
            keywords = {k.arg for k in node.keywords}
            # ``**changes`` may hold them too: only the owner may spread keywords into a write.
            if method in WRITERS and _root_name(node.func) == "Order" and keywords & (FIELDS | {None}):
                lines.append(node.lineno)
            if method in ("save", "bulk_update"):
                listed = {
                    c.value for k in node.keywords if k.arg in ("update_fields", "fields")
                    for c in ast.walk(k.value) if isinstance(c, ast.Constant)
                }
                receiver = ast.unparse(node.func.value).lower() + ast.unparse(node).lower()
                if listed & FIELDS and "order" in receiver and "line" not in receiver:
                    lines.append(node.lineno)
        # ``Order(status=...)`` then saved, bulk-created or COPYed: a write all the same.
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Order":
            if {k.arg for k in node.keywords} & (FIELDS | {None}):
                lines.append(node.lineno)
        # Hand-written SQL that sets them on the order table.
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and RAW_ORDER_UPDATE.search(node.value):
            lines.append(node.lineno)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr":
            if len(node.args) >= 2 and "order" in ast.unparse(node.args[0]).lower():
                name = node.args[1]
                if not isinstance(name, ast.Constant) or name.value in FIELDS:
                    lines.append(node.lineno)
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in (t for group in targets for t in _targets(group)):
                if not isinstance(target, ast.Attribute) or target.attr not in FIELDS:
                    continue
                owner = ast.unparse(target.value).lower()
                if target.attr == "payment_status" or "order" in owner or (
                    node.value is not None and _is_order_status(node.value)
                ):
                    lines.append(node.lineno)
    return sorted(set(lines))


def _sources():
    for top in ("oms", "plugins"):
        for path in sorted((ROOT / top).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "tests" in relative.parts or "migrate" in relative.parts:
                continue
            yield relative, path.read_text()


def test_only_the_lifecycle_module_writes_order_states():
    offenders = {
        str(relative): found
        for relative, source in _sources()
        if relative != OWNER and (found := order_state_writes(source))
    }
    assert offenders == {}, f"order status written outside {OWNER}: {offenders}"
    # And the owner does write them (the check sees what it looks for).
    assert order_state_writes((ROOT / OWNER).read_text())


# What the check catches: the writes that were spread over payments and orders before.
OLD_WRITES = '''
async def pay(order):
    await Order.filter(id=order.id).update(
        status=OrderStatus.PROCESSING, payment_status=PaymentStatus.PAID, paid_at=now
    )
    order.status, order.payment_status, order.paid_at = OrderStatus.PROCESSING, PaymentStatus.PAID, now
    await Order.filter(id=order.id, payment_status=PaymentStatus.PENDING).update(payment_status=PaymentStatus.FAILED)
    updated = await Order.select_for_update().filter(id=order.id, status=order.status).update(status=status)
    current.status = OrderStatus.CANCELED
    setattr(order, key, value)
    await renewal_order.save(update_fields=["status"])
    await Order.filter(id=order.id).update(**changes)
'''

NOT_ORDER_WRITES = '''
async def ship(line, booking, shipment):
    line.status = LineStatus.DELIVERED
    booking.status = BookingStatus.CANCELED
    await Shipment.filter(id=shipment.id).update(status=ShipmentStatus.DELIVERED)
    await OrderLine.bulk_update(lines, fields=["quantity_fulfilled", "status"])
    await Order.filter(id=order.id).update(needs_review=True)
    orders = await Order.filter(status=OrderStatus.PROCESSING)
'''


# Writes that bypass the ORM's query methods.
OTHER_WRITES = '''
async def seed(rows):
    await Order.bulk_create([Order(email="a@example.com", payment_status=PaymentStatus.PAID)])
    draft = Order(status=status)
    await conn.execute_query('UPDATE "order" SET payment_status = $1 WHERE id = $2', [value, pk])
    await conn.execute_query("update order set needs_review = 1, status = 'CANCELED' where id = ?", [pk])
    await conn.execute_query('UPDATE "order_line" SET status = $1 WHERE id = $2', [value, pk])
    await conn.execute_query('UPDATE "order" SET needs_review = TRUE WHERE id = $1', [pk])
'''


def test_the_check_finds_order_state_writes():
    assert order_state_writes(OLD_WRITES) == [3, 6, 7, 8, 9, 10, 11, 12]
    assert order_state_writes(NOT_ORDER_WRITES) == []
    assert order_state_writes(OTHER_WRITES) == [3, 4, 5, 6]


# -- the owner -------------------------------------------------------------------------------------


async def _order(status: OrderStatus = OrderStatus.PENDING_PAYMENT, payment: PaymentStatus = PaymentStatus.PENDING):
    return await Order.create(
        token=uuid.uuid4().hex, email="ada@example.com", status=status, payment_status=payment,
        currency="EUR", subtotal=Decimal("10.00"), shipping_total=Decimal("0.00"), total=Decimal("10.00"),
        idempotency_key=uuid.uuid4().hex, cart_fingerprint="x",
    )


ILLEGAL = [
    (OrderStatus.COMPLETED, PaymentStatus.PAID, OrderStatus.PROCESSING, None),
    (OrderStatus.CANCELED, PaymentStatus.VOIDED, OrderStatus.PROCESSING, PaymentStatus.PAID),
    (OrderStatus.PARTIALLY_FULFILLED, PaymentStatus.PAID, OrderStatus.CANCELED, PaymentStatus.VOIDED),
    (OrderStatus.EXPIRED, PaymentStatus.VOIDED, OrderStatus.PENDING_PAYMENT, None),
    # The order move is allowed, the payment move is not (a paid payment cannot be voided).
    (OrderStatus.PROCESSING, PaymentStatus.PAID, OrderStatus.CANCELED, PaymentStatus.VOIDED),
]


@pytest.mark.usefixtures("oms_app")
@pytest.mark.parametrize(("status", "payment", "target", "target_payment"), ILLEGAL)
async def test_an_illegal_move_is_invalid_transition_and_writes_nothing(status, payment, target, target_payment):
    order = await _order(status, payment)
    with pytest.raises(DomainError) as caught:
        async with in_transaction():
            await lifecycle.change_status(
                order, target, payment_status=target_payment, event_type="order.x", message="x", actor="test"
            )
    assert [e.code for e in caught.value.errors] == [ErrorCode.INVALID_TRANSITION]
    stored = await Order.get(id=order.id)
    assert (stored.status, stored.payment_status) == (status, payment)
    assert (order.status, order.payment_status) == (status, payment)
    assert await OrderEvent.filter(order_id=order.id).count() == 0


@pytest.mark.usefixtures("oms_app")
async def test_a_legal_move_writes_the_row_and_its_event_together():
    order = await _order()
    async with in_transaction():
        event = await lifecycle.change_status(
            order, OrderStatus.PROCESSING, payment_status=PaymentStatus.PAID, stamps={"paid_at": lifecycle.utcnow()},
            event_type="order.paid", message="Paid.", actor="test",
        )
    stored = await Order.get(id=order.id)
    assert (stored.status, stored.payment_status) == (OrderStatus.PROCESSING, PaymentStatus.PAID)
    assert stored.paid_at is not None
    assert [(e.id, e.type) for e in await OrderEvent.filter(order_id=order.id)] == [(event.id, "order.paid")]


@pytest.mark.usefixtures("oms_app")
async def test_a_stale_order_object_cannot_overwrite_a_move_made_meanwhile():
    order = await _order()
    stale = await Order.get(id=order.id)
    async with in_transaction():
        await lifecycle.void_unpaid_order(order, OrderStatus.CANCELED, event_type="order.canceled", message="c", actor="t")
    with pytest.raises(DomainError) as caught:
        async with in_transaction():
            # The table allows PENDING_PAYMENT -> EXPIRED, but the row is CANCELED now.
            await lifecycle.void_unpaid_order(stale, OrderStatus.EXPIRED, event_type="order.expired", message="e", actor="t")
    assert caught.value.errors[0].code == ErrorCode.INVALID_TRANSITION
    assert (await Order.get(id=order.id)).status == OrderStatus.CANCELED
    assert [e.type for e in await OrderEvent.filter(order_id=order.id)] == ["order.canceled"]


@pytest.mark.usefixtures("oms_app")
async def test_a_failed_attempt_never_moves_a_paid_order_back():
    order = await _order(OrderStatus.PROCESSING, PaymentStatus.PAID)
    async with in_transaction():
        await lifecycle.payment_failed(order, gateway="stripe", reference="pi_1", message="declined")
    assert (await Order.get(id=order.id)).payment_status == PaymentStatus.PAID
    pending = await _order()
    async with in_transaction():
        await lifecycle.payment_failed(pending, gateway="stripe", reference="pi_2", message="declined")
    assert (await Order.get(id=pending.id)).payment_status == PaymentStatus.FAILED


async def test_placement_refuses_an_order_state_among_its_values():
    """Placement writes the order from a dict of values (oms.orders.placed), which the
    static check above cannot read: it refuses a state among them at run time."""
    from oms.orders.placed import insert_placed_order

    for field in ("status", "payment_status"):
        with pytest.raises(ValueError, match=field):
            await insert_placed_order({field: "PAID"}, None, [], message="placed", actor=None, data={})
