"""Fulfillment: the delivery job that hands paid lines to their plugin, and the records
plugins keep of what they delivered.

A plugin's ``oms_deliver`` (or a staff action in a plugin, like a shipment) calls
:func:`create_fulfillment` to take units of lines, :func:`mark_delivered` when they reached
the customer, and :func:`start_lines` for lines it is working on; the order's status
follows from its lines (:func:`update_order_progress`). All of them run in the caller's
transaction.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

from tortoise.connection import get_connection
from tortoise.transactions import in_transaction

from oms import sql
from oms.clock import utcnow
from oms.errors import DomainError, ErrorCode, FieldError
from oms.fulfillment.models import Delivery, DeliveryStatus, Fulfillment, FulfillmentLine, FulfillmentStatus
from oms.orders.events import record_event, record_event_if
from oms.orders.lifecycle import settle_progress
from oms.orders.models import Order, OrderLine
from oms.orders.status import LineStatus, OrderStatus
from oms.plugins import PluginHost

# Orders whose lines may be fulfilled: paid, not canceled, not yet complete.
FULFILLABLE = (OrderStatus.PROCESSING, OrderStatus.PARTIALLY_FULFILLED)

# Takes n units of a line for a fulfillment, only while that many are neither canceled nor
# in another fulfillment: one statement, so two concurrent shipments cannot both take them.
_ALLOCATE = """
UPDATE order_line SET quantity_allocated = quantity_allocated + :n
WHERE id = :line AND quantity - quantity_canceled - quantity_allocated >= :n
RETURNING id
"""


def remaining(line: OrderLine) -> int:
    """Units of ``line`` not canceled and in no fulfillment yet."""
    return line.quantity - line.quantity_canceled - line.quantity_allocated


async def deliver(order_id: int, product_type: str, *, plugins: PluginHost) -> bool:
    """Run the owning plugin's ``oms_deliver`` for the order's lines of ``product_type``,
    once: the Delivery row is locked and marked DONE in the plugin's transaction, so a
    second run (a retry after a crash, a duplicate job) does nothing. Returns whether it
    delivered now. A plugin error rolls everything back and propagates (the job retries).
    """
    if get_connection("default").capabilities.dialect == "postgres" and _can_deliver(plugins, product_type):
        return await _deliver_in_fewer_statements(order_id, product_type, plugins=plugins)
    async with in_transaction():
        # The order first: the plugin locks it too (lock_fulfillable_order), and a timeline
        # event written before that would hold a share lock on it, so two deliveries of one
        # order (its other product types, run in parallel) would deadlock.
        order = await Order.select_for_update().get_or_none(id=order_id)
        if order is None:
            return False
        locked = await _lock_delivery_with_lines(order_id, product_type)
        if locked is None or locked[1] == DeliveryStatus.DONE:
            return False
        delivery_id, _, lines = locked
        if plugins.get_type(product_type) is None:
            raise RuntimeError(f"No installed plugin owns the product type {product_type!r}.")
        if not plugins.owner_implements("oms_deliver", product_type):
            # Not delivered is not "done": the job fails, retries, and ends DEAD on the
            # timeline; once the plugin can deliver, staff retry it (retryJob).
            raise RuntimeError(f"The {plugins.owner_name(product_type)} plugin cannot deliver yet (no oms_deliver).")
        started = _started(plugins, product_type)
        await record_event(order, "delivery.started", started, actor="system", data={"product_type": product_type})
        await plugins.call_owner("oms_deliver", product_type, order=order, lines=lines)
        now = utcnow()
        await Delivery.filter(id=delivery_id).update(status=DeliveryStatus.DONE, completed_at=now, last_error=None)
    return True


def _can_deliver(plugins: PluginHost, product_type: str) -> bool:
    return plugins.get_type(product_type) is not None and plugins.owner_implements("oms_deliver", product_type)


def _started(plugins: PluginHost, product_type: str) -> str:
    return f"{product_type} lines handed to the {plugins.owner_name(product_type)} plugin."


@functools.cache
def _lock_and_mark() -> tuple[str, str]:
    """The CTEs of :func:`_deliver_in_fewer_statements` and its columns (made once Tortoise
    knows the models' columns): the order's, then the lines' prefixed ``line.``."""
    columns = ", ".join(f'o."{c}"' for c in Order._meta.fields_db_projection.values())
    line_columns = ", ".join(f'"{c}"' for c in OrderLine._meta.fields_db_projection.values())
    prefixed = ", ".join(f'l."{c}" AS "line.{c}"' for c in OrderLine._meta.fields_db_projection.values())
    order_columns = ", ".join(f'"{c}"' for c in Order._meta.fields_db_projection.values())
    before = f"""
locked_order AS MATERIALIZED (SELECT {order_columns} FROM "order" WHERE id = :order_id FOR UPDATE),
delivered AS (
    UPDATE delivery SET status = :done, completed_at = CAST(:now AS timestamptz), last_error = NULL
    WHERE order_id = :order_id AND product_type = :product_type AND status <> :done
      AND EXISTS (SELECT 1 FROM locked_order)
    RETURNING id
),
delivered_lines AS (
    SELECT {line_columns} FROM order_line
    WHERE order_id = :order_id AND product_type = :product_type AND EXISTS (SELECT 1 FROM delivered)
    FOR NO KEY UPDATE
)"""
    return before, f"{columns}, (SELECT id FROM delivered) AS delivered_id, {prefixed}"


# The lines after the order (one row each, the order's columns repeated; one row with the
# lines' columns NULL when there are none or nothing is delivered).
_LOCKED_SOURCE = 'locked_order o LEFT JOIN delivered_lines l ON true ORDER BY l."position"'


async def _deliver_in_fewer_statements(order_id: int, product_type: str, *, plugins: PluginHost) -> bool:
    """:func:`deliver` on PostgreSQL when the owning plugin can deliver: BEGIN, one
    statement, the plugin, COMMIT: three round trips and the plugin's where six were.

    The statement locks the order (a materialized CTE every other part waits for), marks
    the Delivery DONE unless it is already (the UPDATE locks it, after the order), writes
    the ``delivery.started`` event only then, and locks and reads the lines of the type
    (``FOR NO KEY UPDATE``, the lock the plugin's UPDATE of them takes anyway; after the
    order and the Delivery, as every writer of lines locks the order first). A locked row
    is returned in its latest committed version (READ COMMITTED re-reads a row changed
    since the statement's snapshot), so the lines are those a transaction that held the
    order's lock committed while this one waited for it (tests/test_deliver_locks.py).
    Lines are only inserted with their order, so none can be missing from the snapshot."""
    before, columns = _lock_and_mark()
    async with in_transaction():
        rows, event = await record_event_if(
            order_id,
            "delivery.started",
            _started(plugins, product_type),
            actor="system",
            data={"product_type": product_type},
            before=before,
            gate="delivered",
            columns=columns,
            source=_LOCKED_SOURCE,
            product_type=product_type,
            done=DeliveryStatus.DONE.value,
        )
        if not rows or event is None:
            return False  # no such order, no Delivery, or delivered already
        order = Order._init_from_db(**{c: rows[0][c] for c in Order._meta.fields_db_projection.values()})
        lines = [
            OrderLine._init_from_db(**{key[5:]: value for key, value in row.items() if key.startswith("line.")})
            for row in rows
            if row["line.id"] is not None
        ]
        await plugins.call_owner("oms_deliver", product_type, order=order, lines=lines)
    return True


@functools.cache
def _delivery_and_lines() -> str:
    """Made once Tortoise knows the models' columns."""
    line = ", ".join(f'l."{c}" AS "{c}"' for c in OrderLine._meta.fields_db_projection.values())
    return (
        f'SELECT d.id AS "delivery.id", d.status AS "delivery.status", {line} FROM delivery d '
        "LEFT JOIN order_line l ON l.order_id = d.order_id AND l.product_type = d.product_type "
        "WHERE d.order_id = :order_id AND d.product_type = :product_type ORDER BY l.position FOR UPDATE OF d"
    )


async def _lock_delivery_with_lines(
    order_id: int, product_type: str
) -> tuple[int, DeliveryStatus, list[OrderLine]] | None:
    """The Delivery row of (order, type), locked, with the order's lines of that type by
    position; None without one. PostgreSQL: one statement (the lines left-joined, only the
    Delivery locked, as the ORM's two queries did); SQLite: those two queries."""
    if get_connection("default").capabilities.dialect != "postgres":
        delivery = await Delivery.select_for_update().get_or_none(order_id=order_id, product_type=product_type)
        if delivery is None:
            return None
        lines = await OrderLine.filter(order_id=order_id, product_type=product_type).order_by("position")
        return delivery.id, delivery.status, lines
    rows = await sql.fetch(_delivery_and_lines(), order_id=order_id, product_type=product_type)
    if not rows:
        return None
    found = [
        OrderLine._init_from_db(**{key: value for key, value in row.items() if not key.startswith("delivery.")})
        for row in rows
        if row["id"] is not None
    ]
    return rows[0]["delivery.id"], DeliveryStatus(rows[0]["delivery.status"]), found


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
            order,
            "delivery.failed",
            f"Delivering the {product_type} lines failed after all retries: {summary}",
            actor="system",
            data={"product_type": product_type},
        )


async def lock_fulfillable_order(order_id: int) -> Order:
    """Load and lock an order whose lines may be fulfilled; INVALID_TRANSITION otherwise
    (unpaid, canceled, expired or already complete). Caller's transaction."""
    order = await Order.select_for_update().get_or_none(id=order_id)
    return _fulfillable(order)


async def lock_for_delivery(order_id: int) -> Order | None:
    """:func:`lock_fulfillable_order` for a plugin's ``oms_deliver``: None when the order
    is COMPLETED already (everything is delivered, so a second run of the hook has nothing
    to do and returns quietly); INVALID_TRANSITION for an order that is not paid."""
    order = await Order.select_for_update().get_or_none(id=order_id)
    if order is not None and order.status == OrderStatus.COMPLETED:
        return None
    return _fulfillable(order)


def _fulfillable(order: Order | None) -> Order:
    if order is None:
        raise DomainError.of(ErrorCode.NOT_FOUND, "Order not found.", ["orderId"])
    if order.status not in FULFILLABLE:
        raise DomainError.of(
            ErrorCode.INVALID_TRANSITION,
            f"Only a paid order can be fulfilled; this one is {order.status.value}.",
            ["orderId"],
        )
    return order


async def check_fulfillment(
    order: Order, product_type: str, quantities: Mapping[int, int], *, field: tuple[str, ...] = ("lines",)
) -> dict[int, OrderLine]:
    """Refuse ``quantities`` (order line id -> units) that :func:`create_fulfillment`
    could not take: a line that is not the order's, of another type, or with fewer units
    left than asked (neither canceled nor in another fulfillment). Read-only; returns the
    lines by id. Error paths are ``[*field, index, "lineId" | "quantity"]``."""
    if not quantities:
        raise DomainError.of(ErrorCode.REQUIRED, "Give at least one line.", list(field))
    lines = {line.id: line for line in await OrderLine.filter(order_id=order.id, id__in=list(quantities))}
    errors: list[FieldError] = []
    for index, (line_id, quantity) in enumerate(quantities.items()):
        line = lines.get(line_id)
        if line is None:
            errors.append(FieldError(ErrorCode.NOT_FOUND, "This order has no such line.", [*field, index, "lineId"]))
        elif line.product_type != product_type:
            errors.append(
                FieldError(
                    ErrorCode.INVALID,
                    f"This is a {line.product_type} line; only {product_type} lines can be in this fulfillment.",
                    [*field, index, "lineId"],
                )
            )
        elif quantity < 1:
            errors.append(FieldError(ErrorCode.INVALID, "Give 1 or more units.", [*field, index, "quantity"]))
        elif quantity > remaining(line):
            errors.append(
                FieldError(
                    ErrorCode.INVALID,
                    f"Only {remaining(line)} units of {line.sku} are left to fulfill.",
                    [*field, index, "quantity"],
                )
            )
    if errors:
        raise DomainError(errors)
    return lines


async def create_fulfillment(
    order: Order,
    product_type: str,
    quantities: Mapping[int, int],
    *,
    status: FulfillmentStatus = FulfillmentStatus.PENDING,
    field: tuple[str, ...] = ("lines",),
    tracking_number: str | None = None,
) -> Fulfillment:
    """Take ``quantities`` (order line id -> units) of the order's ``product_type`` lines
    into a new Fulfillment and mark those lines IN_PROGRESS. Caller's transaction, with
    the order locked (:func:`lock_fulfillable_order`). Raises what
    :func:`check_fulfillment` raises, with nothing written."""
    lines = await check_fulfillment(order, product_type, quantities, field=field)
    for index, (line_id, quantity) in enumerate(quantities.items()):
        if not await sql.fetch(_ALLOCATE, n=quantity, line=line_id):
            # Only without the order lock (a caller's bug) can another fulfillment get here first.
            raise DomainError.of(
                ErrorCode.INVALID, "These units were just taken by another fulfillment.", [*field, index, "quantity"]
            )
    fulfillment = await Fulfillment.create(
        order_id=order.id, product_type=product_type, status=status, tracking_number=tracking_number
    )
    await FulfillmentLine.bulk_create(
        [FulfillmentLine(fulfillment_id=fulfillment.id, order_line_id=i, quantity=q) for i, q in quantities.items()]
    )
    await start_lines([lines[i] for i in quantities])
    return fulfillment


async def start_lines(lines: list[OrderLine]) -> None:
    """Mark pending lines IN_PROGRESS: the plugin is working on them (awaiting shipment,
    a booking awaiting its session)."""
    pending = [line.id for line in lines if line.status == LineStatus.PENDING]
    if pending:
        await OrderLine.filter(id__in=pending, status=LineStatus.PENDING).update(status=LineStatus.IN_PROGRESS)
        for line in lines:
            if line.id in pending:
                line.status = LineStatus.IN_PROGRESS


async def fulfillment_lines(fulfillment: Fulfillment) -> list[tuple[OrderLine, int]]:
    rows = await FulfillmentLine.filter(fulfillment_id=fulfillment.id).order_by("id").select_related("order_line")
    return [(row.order_line, row.quantity) for row in rows]


async def mark_delivered(order: Order, fulfillment: Fulfillment, *, actor: str) -> Fulfillment:
    """The fulfillment's units reached the customer: they count as fulfilled on their
    lines, fully fulfilled lines are DELIVERED, and the order moves on
    (:func:`update_order_progress`). Caller's transaction, order locked. INVALID_TRANSITION
    when the fulfillment is already delivered or canceled."""
    if fulfillment.status in (FulfillmentStatus.DELIVERED, FulfillmentStatus.CANCELED):
        raise DomainError.of(
            ErrorCode.INVALID_TRANSITION, f"This fulfillment is already {fulfillment.status.value}.", ["id"]
        )
    now = utcnow()
    updated = await Fulfillment.filter(id=fulfillment.id, status=fulfillment.status).update(
        status=FulfillmentStatus.DELIVERED, delivered_at=now, updated_at=now
    )
    if not updated:
        raise DomainError.of(ErrorCode.INVALID_TRANSITION, "The fulfillment changed; try again.", ["id"])
    fulfillment.status, fulfillment.delivered_at, fulfillment.updated_at = FulfillmentStatus.DELIVERED, now, now
    changed = []
    for line, quantity in await fulfillment_lines(fulfillment):
        line.quantity_fulfilled += quantity
        if line.quantity_fulfilled >= line.quantity - line.quantity_canceled:
            line.status = LineStatus.DELIVERED
        elif line.status == LineStatus.PENDING:
            line.status = LineStatus.IN_PROGRESS
        changed.append(line)
    await OrderLine.bulk_update(changed, fields=["quantity_fulfilled", "status"])
    await update_order_progress(order, actor=actor)
    return fulfillment


async def update_order_progress(order: Order, *, actor: str) -> OrderStatus:
    """Move a paid order to PARTIALLY_FULFILLED once some units are delivered, and to
    COMPLETED once every unit not canceled is (:func:`oms.orders.lifecycle.settle_progress`,
    which cancellations and returns use too); write the timeline. Caller's transaction,
    order locked."""
    return await settle_progress(order, list(await OrderLine.filter(order_id=order.id)), actor=actor)
