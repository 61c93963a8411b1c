"""Orders: place, cancel, find. Each operation is one transaction that also writes its
timeline event and outbox job."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import secrets

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from oms.accounts.permissions import Viewer
from oms.config import Settings
from oms.errors import DomainError, ErrorCode, FieldError
from oms.inventory import services as inventory
from oms.orders.addresses import check_address
from oms.orders.events import record_event
from oms.orders.inputs import OrderFilter, PlaceOrderInput
from oms.orders.models import Order, OrderLine
from oms.orders.pricing import Quote, quote_cart
from oms.orders.status import LineStatus, OrderStatus, PaymentStatus, check_transition
from oms.pagination import Page, paginate
from oms.plugins import PluginHost

ORDER_NUMBER_OFFSET = 1000
MAX_IDEMPOTENCY_KEY = 200


@dataclasses.dataclass(frozen=True)
class PlacedOrder:
    order: Order
    token: str
    # True when the idempotency key matched an order placed before.
    replayed: bool


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def cart_fingerprint(data: PlaceOrderInput, email: str | None, viewer: Viewer) -> str:
    """A hash of everything that makes an order: the same key must come with the same cart."""
    cart = data.cart
    canonical = {
        "customer": viewer.customer.id if viewer.customer else None,
        "email": email,
        "lines": [[l.sku.strip(), l.quantity, l.options] for l in cart.lines],
        "shipping_address": cart.shipping_address,
        "billing_address": data.billing_address,
        "shipping_method": cart.shipping_method,
        "note": data.note,
    }
    encoded = json.dumps(canonical, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()


async def place_order(
    data: PlaceOrderInput, *, viewer: Viewer, plugins: PluginHost, settings: Settings
) -> PlacedOrder:
    """Place an order: price and validate the cart, reserve stock, write the order, its
    lines, its ``order.placed`` event and outbox job in one transaction.

    The same idempotency key returns the same order; with another cart it is
    IDEMPOTENCY_CONFLICT.
    """
    key = (data.idempotency_key or "").strip()
    if not key:
        raise DomainError.of(ErrorCode.REQUIRED, "An idempotency key is required.", ["idempotencyKey"])
    if len(key) > MAX_IDEMPOTENCY_KEY:
        raise DomainError.of(
            ErrorCode.INVALID, f"At most {MAX_IDEMPOTENCY_KEY} characters.", ["idempotencyKey"]
        )
    if viewer.is_staff:
        raise DomainError.of(
            ErrorCode.PERMISSION_DENIED, "Staff accounts cannot place orders; sign out first."
        )
    cart = data.cart
    if viewer.customer is not None and cart.email is None:
        cart = dataclasses.replace(cart, email=viewer.customer.email)
    fingerprint = cart_fingerprint(dataclasses.replace(data, cart=cart), cart.email, viewer)

    existing = await Order.get_or_none(idempotency_key=key)
    if existing is not None:
        return _replay(existing, fingerprint)

    quote = await quote_cart(cart, plugins=plugins, settings=settings, for_placement=True)
    errors = list(quote.errors)
    if cart.email is None:
        errors.append(_required_email())
    billing = None
    if data.billing_address is not None:
        billing, billing_errors = check_address(data.billing_address, ["billingAddress"])
        errors.extend(billing_errors)
    if errors:
        raise DomainError(errors)
    note = (data.note or "").strip() or None
    if note and len(note) > 2000:
        raise DomainError.of(ErrorCode.INVALID, "At most 2000 characters.", ["note"])

    try:
        async with in_transaction():
            order = await _write_order(
                quote, key=key, fingerprint=fingerprint, viewer=viewer, billing=billing, note=note
            )
    except IntegrityError:
        # Another request with this key committed first: answer as it did.
        existing = await Order.get_or_none(idempotency_key=key)
        if existing is None:
            raise
        return _replay(existing, fingerprint)
    return PlacedOrder(order=order, token=order.token, replayed=False)


def _required_email() -> FieldError:
    return FieldError(ErrorCode.REQUIRED, "An email address is required for guest orders.", ["email"])


def _replay(order: Order, fingerprint: str) -> PlacedOrder:
    if not secrets.compare_digest(order.cart_fingerprint, fingerprint):
        raise DomainError.of(
            ErrorCode.IDEMPOTENCY_CONFLICT,
            "This idempotency key was used for a different order.",
            ["idempotencyKey"],
        )
    return PlacedOrder(order=order, token=order.token, replayed=True)


async def _write_order(
    quote: Quote,
    *,
    key: str,
    fingerprint: str,
    viewer: Viewer,
    billing: dict | None,
    note: str | None,
) -> Order:
    warehouses: dict[int, int | None] = {}
    for line in quote.lines:
        if line.product_type.tracks_stock:
            warehouse_id = await inventory.reserve(line.variant.id, line.quantity)
            if warehouse_id is None:
                raise DomainError.of(
                    ErrorCode.OUT_OF_STOCK,
                    f"Not enough {line.sku} in stock for {line.quantity}.",
                    ["lines", line.index, "quantity"],
                )
            warehouses[line.index] = warehouse_id

    method = quote.shipping_method
    order = await Order.create(
        token=secrets.token_urlsafe(32),
        email=quote.email,
        customer=viewer.customer,
        currency=quote.currency,
        subtotal=quote.subtotal.amount,
        shipping_total=quote.shipping_total.amount,
        total=quote.total.amount,
        shipping_address=quote.shipping_address,
        billing_address=billing,
        shipping_method=(
            {"code": method.code, "name": method.name, "price": str(method.price.amount)}
            if method
            else None
        ),
        note=note,
        idempotency_key=key,
        cart_fingerprint=fingerprint,
    )
    order.number = str(ORDER_NUMBER_OFFSET + order.id)
    await Order.filter(id=order.id).update(number=order.number)
    await OrderLine.bulk_create(
        [
            OrderLine(
                order=order,
                position=line.index,
                variant=line.variant,
                sku=line.sku,
                name=_line_name(line.variant),
                product_type=line.product_type.name,
                options=line.options,
                quantity=line.quantity,
                unit_price=line.unit_price.amount,
                currency=quote.currency,
                warehouse_id=warehouses.get(line.index),
            )
            for line in quote.lines
        ]
    )
    await record_event(
        order,
        "order.placed",
        f"Order {order.number} placed: {len(quote.lines)} line(s), total {quote.total.amount} {quote.currency}.",
        actor=viewer.actor if not viewer.is_anonymous else quote.email,
        data={"total": str(quote.total.amount), "lines": len(quote.lines)},
    )
    return order


def _line_name(variant) -> str:
    product_name = variant.product.name
    return product_name if variant.name == product_name else f"{product_name} ({variant.name})"


async def cancel_order(
    order: Order, *, actor: str, reason: str | None, plugins: PluginHost
) -> Order:
    """Cancel an unpaid order: release its reservations, let each line's plugin undo what
    it holds (e.g. a booked slot), write the timeline.

    A paid order is canceled through a refund (payments issue); until then it is an
    INVALID_TRANSITION.
    """
    reason = (reason or "").strip() or None
    async with in_transaction():
        current = await Order.select_for_update().get(id=order.id)
        check_transition(current.status, OrderStatus.CANCELED)
        if current.payment_status not in (PaymentStatus.PENDING, PaymentStatus.FAILED):
            raise DomainError.of(
                ErrorCode.INVALID_TRANSITION,
                "A paid order cannot be canceled without refunding it.",
            )
        updated = await Order.filter(id=order.id, status=current.status).update(
            status=OrderStatus.CANCELED,
            payment_status=PaymentStatus.VOIDED,
            canceled_at=utcnow(),
            updated_at=utcnow(),
        )
        if not updated:  # changed under us (SQLite has no row lock)
            raise DomainError.of(ErrorCode.INVALID_TRANSITION, "The order changed; try again.")
        lines = await OrderLine.filter(order_id=order.id)
        await _release_lines(lines)
        await OrderLine.filter(order_id=order.id).update(status=LineStatus.CANCELED)
        for line in lines:
            line.quantity_canceled = line.quantity - line.quantity_fulfilled
        if lines:
            await OrderLine.bulk_update(lines, fields=["quantity_canceled"])
        await _reverse(current, lines, "canceled", plugins)
        await record_event(
            current,
            "order.canceled",
            f"Order {current.number} canceled" + (f": {reason}" if reason else "."),
            actor=actor,
            data={"reason": reason} if reason else None,
        )
    return await Order.get(id=order.id)


async def _release_lines(lines: list[OrderLine]) -> None:
    for line in lines:
        outstanding = line.quantity - line.quantity_fulfilled - line.quantity_canceled
        if line.warehouse_id is not None and line.variant_id is not None and outstanding > 0:
            await inventory.release(line.variant_id, line.warehouse_id, outstanding)


async def _reverse(order: Order, lines: list[OrderLine], reason: str, plugins: PluginHost) -> None:
    by_type: dict[str, list[OrderLine]] = {}
    for line in lines:
        by_type.setdefault(line.product_type, []).append(line)
    for type_name, type_lines in by_type.items():
        if plugins.get_type(type_name) is not None:
            await plugins.call_owner(
                "oms_reverse", type_name, order=order, lines=type_lines, reason=reason
            )


def filter_orders(filters: OrderFilter | None):
    """The queryset of orders matching the staff filter."""
    qs = Order.all()
    if filters is None:
        return qs
    if filters.status:
        qs = qs.filter(status__in=filters.status)
    if filters.payment_status:
        qs = qs.filter(payment_status__in=filters.payment_status)
    if filters.email:
        qs = qs.filter(email=filters.email.strip().lower())
    if filters.created_after:
        qs = qs.filter(created_at__gte=filters.created_after)
    if filters.created_before:
        qs = qs.filter(created_at__lt=filters.created_before)
    if filters.product_type:
        qs = qs.filter(id__in=OrderLine.filter(product_type=filters.product_type).values("order_id"))
    if filters.search and filters.search.strip():
        term = filters.search.strip()
        qs = qs.filter(
            Q(number=term.lstrip("#"))
            | Q(email__icontains=term)
            | Q(id__in=OrderLine.filter(sku=term).values("order_id"))
        )
    return qs


async def list_orders(
    *, filters: OrderFilter | None, first: int | None, after_id: int | None, customer_id: int | None = None
) -> Page[Order]:
    """Orders newest first; ``customer_id`` limits them to one customer's."""
    qs = filter_orders(filters)
    if customer_id is not None:
        qs = qs.filter(customer_id=customer_id)
    return await paginate(qs, first=first, after_id=after_id)
