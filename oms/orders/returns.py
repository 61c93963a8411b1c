"""Returns (RMA): request, approve or reject, receive, refund (issue 11).

A return asks for delivered units back, with a reason per line; whether a unit may come
back is its owning plugin's return policy (``oms_return_policy``). Staff approve or reject
it; approval reverses the delivery of units that do not ship (``oms_reverse``, reason
``returned``: a download revoked, access ended, a booking freed) at once, while units that
ship wait for :func:`receive_return`, which puts them back in stock. :func:`refund_return`
asks for the money back (:func:`oms.payments.refunds.start_refund`).

Each service is one transaction that locks the order first, then the return (the order
lock serializes every change of an order's returns and refunds).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from decimal import Decimal

from tortoise.transactions import in_transaction

from oms.errors import DomainError, ErrorCode, FieldError
from oms.inventory import services as inventory
from oms.money import Money
from oms.orders import lifecycle
from oms.orders.amounts import shipping_due_back, shipping_paid, units_given_back, units_paid
from oms.orders.events import record_event
from oms.orders.models import Order, OrderLine, Return, ReturnLine
from oms.orders.status import LineStatus, PaymentStatus, ReturnStatus
from oms.payments.refunds import start_refund
from oms.plugins import PluginHost

MAX_REASON = 2000
# Returns whose units are not yet counted in quantity_returned but are spoken for.
OPEN = (ReturnStatus.REQUESTED, ReturnStatus.APPROVED)
REFUNDABLE = (ReturnStatus.APPROVED, ReturnStatus.RECEIVED)


@dataclasses.dataclass(frozen=True)
class ReturnLineRequest:
    line_id: int
    quantity: int
    reason: str | None = None


def ships(line: OrderLine, plugins: PluginHost) -> bool:
    """Units of a type that ships come back by parcel and wait for receiveReturn."""
    return bool(getattr(plugins.get_type(line.product_type), "requires_shipping", False))


def _reason(text: str | None, field: Sequence[str | int]) -> str | None:
    text = (text or "").strip() or None
    if text and len(text) > MAX_REASON:
        raise DomainError.of(ErrorCode.INVALID, f"At most {MAX_REASON} characters.", field)
    return text


async def _pending_units(order: Order, plugins: PluginHost) -> dict[int, int]:
    """Units by order line id in open returns and not yet counted as returned: requested
    ones, and approved ones that ship (still on their way back)."""
    pending: dict[int, int] = {}
    rows = await ReturnLine.filter(rma__order_id=order.id, rma__status__in=OPEN).select_related("rma", "order_line")
    for row in rows:
        if row.rma.status == ReturnStatus.REQUESTED or ships(row.order_line, plugins):
            pending[row.order_line_id] = pending.get(row.order_line_id, 0) + row.quantity
    return pending


def returnable(line: OrderLine, pending: int, *, shipped: bool) -> int:
    """Units of ``line`` that may be asked back, neither returned nor in an open return:
    delivered units of a type that ships; of another type, every unit in a fulfillment,
    delivered or under way (a booked session may be given back before it takes place,
    when its plugin's policy allows)."""
    taken = line.quantity_fulfilled if shipped else line.quantity_allocated
    return max(0, taken - line.quantity_returned - pending)


async def request_return(
    order: Order,
    lines: Sequence[ReturnLineRequest],
    *,
    reason: str | None,
    actor: str,
    plugins: PluginHost,
) -> Return:
    """Ask for delivered units of ``order`` back (the caller checked the requester may
    act on the order). INVALID with the field path for a line or quantity that cannot be
    returned; RETURN_NOT_ALLOWED with the plugin's reason when its policy refuses."""
    reason = _reason(reason, ["reason"])
    if not lines:
        raise DomainError.of(ErrorCode.REQUIRED, "Give at least one line.", ["lines"])
    line_reasons = [_reason(item.reason, ["lines", i, "reason"]) for i, item in enumerate(lines)]
    async with in_transaction():
        current = await Order.select_for_update().get(id=order.id)
        if current.payment_status not in (PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED):
            raise DomainError.of(
                ErrorCode.INVALID_TRANSITION, "Only a paid order's units can be returned.", ["orderId"]
            )
        by_id = {line.id: line for line in await OrderLine.filter(order_id=current.id)}
        pending = await _pending_units(current, plugins)
        errors: list[FieldError] = []
        asked: dict[int, int] = {}
        for index, item in enumerate(lines):
            line = by_id.get(item.line_id)
            if line is None:
                errors.append(
                    FieldError(ErrorCode.NOT_FOUND, "This order has no such line.", ["lines", index, "lineId"])
                )
                continue
            if item.line_id in asked:
                errors.append(FieldError(ErrorCode.INVALID, "This line is listed twice.", ["lines", index, "lineId"]))
                continue
            left = returnable(line, pending.get(line.id, 0), shipped=ships(line, plugins))
            if item.quantity < 1:
                errors.append(FieldError(ErrorCode.INVALID, "Give 1 or more units.", ["lines", index, "quantity"]))
            elif item.quantity > left:
                errors.append(
                    FieldError(
                        ErrorCode.INVALID,
                        f"Only {left} units of {line.sku} can be returned (delivered and not returned yet).",
                        ["lines", index, "quantity"],
                    )
                )
            asked[item.line_id] = item.quantity
        if errors:
            raise DomainError(errors)
        for index, item in enumerate(lines):
            line = by_id[item.line_id]
            if plugins.get_type(line.product_type) is None:
                continue
            refusal = await plugins.call_owner(
                "oms_return_policy", line.product_type, order=current, line=line, quantity=item.quantity
            )
            if refusal:
                raise DomainError.of(ErrorCode.RETURN_NOT_ALLOWED, str(refusal), ["lines", index, "lineId"])
        rank = await Return.filter(order_id=current.id).count() + 1
        rma = await Return.create(
            number=f"{current.number}-R{rank}", order_id=current.id, reason=reason, requested_by=actor
        )
        await ReturnLine.bulk_create(
            [
                ReturnLine(rma_id=rma.id, order_line_id=item.line_id, quantity=item.quantity, reason=line_reasons[i])
                for i, item in enumerate(lines)
            ]
        )
        units = sum(item.quantity for item in lines)
        await record_event(
            current,
            "return.requested",
            f"Return {rma.number} requested: {units} unit(s)" + (f": {reason}" if reason else "."),
            actor=actor,
            data={"return_id": rma.id, "number": rma.number, "lines": {str(i): q for i, q in asked.items()}},
        )
    return rma


async def _lock(return_id: int) -> tuple[Order, Return]:
    """Lock the return's order, then the return (always in that order)."""
    found = await Return.get_or_none(id=return_id)
    if found is None:
        raise DomainError.of(ErrorCode.NOT_FOUND, "Return not found.", ["id"])
    order = await Order.select_for_update().get(id=found.order_id)
    rma = await Return.select_for_update().get(id=return_id)
    return order, rma


def _require(rma: Return, *allowed: ReturnStatus) -> None:
    if rma.status not in allowed:
        raise DomainError.of(ErrorCode.INVALID_TRANSITION, f"Return {rma.number} is {rma.status.value}.", ["id"])


async def _move(rma: Return, target: ReturnStatus, **changes) -> None:
    updated = await Return.filter(id=rma.id, status=rma.status).update(status=target, **changes)
    if not updated:
        raise DomainError.of(ErrorCode.INVALID_TRANSITION, "The return changed; try again.", ["id"])
    rma.status = target
    for key, value in changes.items():
        setattr(rma, key, value)


async def _lines(rma: Return) -> list[ReturnLine]:
    return list(await ReturnLine.filter(rma_id=rma.id).order_by("id").select_related("order_line"))


async def _mark_returned(rows: list[ReturnLine]) -> None:
    lines = []
    for row in rows:
        line = row.order_line
        line.quantity_returned += row.quantity
        if line.quantity_returned >= line.quantity - line.quantity_canceled:
            line.status = LineStatus.RETURNED
        lines.append(line)
    if lines:
        await OrderLine.bulk_update(lines, fields=["quantity_returned", "status"])


async def approve_return(return_id: int, *, actor: str, plugins: PluginHost) -> Return:
    """Approve a requested return: units that do not ship are reversed (``oms_reverse``,
    reason ``returned``) and count as returned now; units that ship wait for receipt."""
    from oms.orders.services import reverse_lines  # services is the older module; no cycle at import

    async with in_transaction():
        order, rma = await _lock(return_id)
        _require(rma, ReturnStatus.REQUESTED)
        rows = await _lines(rma)
        at_once = [row for row in rows if not ships(row.order_line, plugins)]
        if at_once:
            await reverse_lines(
                order,
                [row.order_line for row in at_once],
                "returned",
                plugins,
                quantities={row.order_line_id: row.quantity for row in at_once},
            )
            await _mark_returned(at_once)
            await lifecycle.settle_progress(order, list(await OrderLine.filter(order_id=order.id)), actor=actor)
        await _move(rma, ReturnStatus.APPROVED)
        await record_event(
            order,
            "return.approved",
            f"Return {rma.number} approved.",
            actor=actor,
            data={"return_id": rma.id, "number": rma.number},
        )
    return rma


async def reject_return(return_id: int, *, reason: str, actor: str) -> Return:
    """Refuse a requested return, with the reason the customer reads."""
    text = _reason(reason, ["reason"])
    if not text:
        raise DomainError.of(ErrorCode.REQUIRED, "Say why the return is rejected.", ["reason"])
    async with in_transaction():
        order, rma = await _lock(return_id)
        _require(rma, ReturnStatus.REQUESTED)
        await _move(rma, ReturnStatus.REJECTED, rejection_reason=text)
        await record_event(
            order,
            "return.rejected",
            f"Return {rma.number} rejected: {text}",
            actor=actor,
            data={"return_id": rma.id, "number": rma.number, "reason": text},
        )
    return rma


async def receive_return(return_id: int, *, restock: bool, actor: str, plugins: PluginHost) -> Return:
    """The parcel of an approved return arrived: its units count as returned and, with
    ``restock``, go back on hand in the warehouse each line was reserved in."""
    async with in_transaction():
        order, rma = await _lock(return_id)
        _require(rma, ReturnStatus.APPROVED)
        rows = [row for row in await _lines(rma) if ships(row.order_line, plugins)]
        restocked = 0
        for row in sorted(rows, key=lambda r: (r.order_line.variant_id or 0, r.id)):
            line = row.order_line
            if restock and line.variant_id is not None and line.warehouse_id is not None:
                if await inventory.restock(line.variant_id, line.warehouse_id, row.quantity):
                    row.restock = True
                    restocked += row.quantity
        if rows:
            await ReturnLine.bulk_update(rows, fields=["restock"])
        await _mark_returned(rows)
        await _move(rma, ReturnStatus.RECEIVED)
        await record_event(
            order,
            "return.received",
            f"Return {rma.number} received; {restocked} unit(s) back in stock.",
            actor=actor,
            data={"return_id": rma.id, "number": rma.number, "restocked": restocked},
        )
    return rma


async def default_refund(order: Order, rows: list[ReturnLine], plugins: PluginHost) -> Money:
    """The returned units at their price, plus the shipping total when after this return
    the customer keeps no unit that ships and none is left to ship
    (:func:`~oms.orders.amounts.shipping_due_back`)."""
    lines = list(await OrderLine.filter(order_id=order.id))
    given_back = await units_given_back(lines, but_return=rows[0].rma_id if rows else None)
    amount = Decimal("0")
    for row in rows:  # one line twice in a return: its second row's units come after the first's
        amount += units_paid(row.order_line, row.quantity, before=given_back[row.order_line_id])
        given_back[row.order_line_id] += row.quantity
    if shipping_due_back([line for line in lines if ships(line, plugins)], given_back):
        amount += shipping_paid(order)
    return Money(amount, order.currency)


async def refund_return(return_id: int, *, amount: Decimal | None, actor: str, plugins: PluginHost) -> Return:
    """Ask for the money of an approved (nothing to ship back) or received return:
    ``amount`` defaults to :func:`default_refund` (staff may give less, e.g. for a damaged
    unit); more than is still refundable is REFUND_EXCEEDS_PAID (from start_refund), also
    when two refunds of one order race: the order lock puts them one after the other."""
    async with in_transaction():
        order, rma = await _lock(return_id)
        _require(rma, *REFUNDABLE)
        rows = await _lines(rma)
        if rma.status == ReturnStatus.APPROVED and any(ships(row.order_line, plugins) for row in rows):
            raise DomainError.of(ErrorCode.INVALID_TRANSITION, f"Return {rma.number} is not received yet.", ["id"])
        if amount is None:
            money = await default_refund(order, rows, plugins)
        else:
            if not amount.is_finite() or amount <= 0:
                raise DomainError.of(ErrorCode.INVALID, "Give an amount above zero.", ["amount"])
            money = Money(amount, order.currency)
        refund = await start_refund(order, money, reason=f"Return {rma.number}", actor=actor)
        await _move(rma, ReturnStatus.REFUNDED, refund_id=refund.id)
    return rma
