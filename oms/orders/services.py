"""Orders: place, cancel, find. Each operation is one transaction that also writes its
timeline event and outbox job. Cancelling lives in :mod:`oms.orders.ending`; its functions
are importable from here too, as they always were."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Collection
from typing import cast

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from oms.accounts.permissions import Viewer
from oms.config import Settings
from oms.dbclients import HeldConnection
from oms.discounts import apply as discounts
from oms.errors import DomainError, ErrorCode, FieldError
from oms.inventory import services as inventory
from oms.money import Money
from oms.orders import numbers, search
from oms.orders.addresses import check_address
from oms.orders.ending import cancel_order, end_unpaid_order, release_reservations, reverse_lines
from oms.orders.inputs import PlaceOrderInput
from oms.orders.models import Order, OrderLine
from oms.orders.placed import insert_placed_order
from oms.orders.pricing import PricedLine, Quote, cart_skus, quote_cart
from oms.orders.recovery import request_order_link
from oms.orders.status import OrderStatus
from oms.orders.taxation import line_tax_fields, stored_tax_lines
from oms.payments.gateway import Gateway, PaymentSession
from oms.payments.services import open_payment_session, pay_zero_total
from oms.plugins import PluginHost

ORDER_NUMBER_OFFSET = numbers.ORDER_NUMBER_OFFSET
MAX_IDEMPOTENCY_KEY = 200

__all__ = [  # the four of oms.orders.ending: callers import them from here, as before the split
    "MAX_IDEMPOTENCY_KEY",
    "ORDER_NUMBER_OFFSET",
    "PlacedOrder",
    "cancel_order",
    "cart_fingerprint",
    "end_unpaid_order",
    "open_order_payment",
    "place_order",
    "release_reservations",
    "reverse_lines",
    "scoped_idempotency_key",
]


@dataclasses.dataclass(frozen=True)
class PlacedOrder:
    order: Order
    token: str
    # True when the idempotency key matched an order placed before.
    replayed: bool
    # How the storefront pays: None when nothing is due (or the gateway failed).
    payment: PaymentSession | None = None
    # PAYMENT_FAILED when the gateway could not open a session; the order is kept and a
    # retry with the same idempotency key tries again.
    payment_error: DomainError | None = None
    # The product types of its lines, when placement knows them without a read (not replays).
    product_types: frozenset[str] | None = None


def cart_fingerprint(data: PlaceOrderInput, email: str | None, viewer: Viewer) -> str:
    """A hash of everything that makes an order: the same key must come with the same cart."""
    cart = data.cart
    canonical = {
        "customer": viewer.customer.id if viewer.customer else None,
        "email": email,
        "lines": [[line.sku.strip(), line.quantity, line.options] for line in cart.lines],
        "shipping_address": cart.shipping_address,
        "billing_address": data.billing_address,
        "shipping_method": cart.shipping_method,
        "note": data.note,
        "discount_codes": cart.discount_codes,
    }
    encoded = json.dumps(canonical, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()


def scoped_idempotency_key(key: str, viewer: Viewer, email: str | None) -> str:
    """What is stored for a client's idempotency key: its scope is the customer (or a
    guest's email), so one client's key never collides with, or reveals, another's order."""
    if viewer.customer is not None:
        scope = f"customer:{viewer.customer.id}"
    else:
        scope = f"guest:{(email or '').strip().lower()}"
    return hashlib.sha256(f"{scope}\n{key}".encode()).hexdigest()


async def place_order(
    data: PlaceOrderInput,
    *,
    viewer: Viewer,
    plugins: PluginHost,
    settings: Settings,
    gateway: Gateway | None = None,
) -> PlacedOrder:
    """Place an order: price and validate the cart, reserve stock, write the order, its
    lines, its ``order.placed`` event and outbox job in one transaction; then open the
    payment session with ``gateway`` (an order totalling zero is paid at once).

    The same idempotency key returns the same order to its customer; a guest gets
    ORDER_ALREADY_PLACED and the order's link by email (nothing of the order in the
    answer). With another cart the key is IDEMPOTENCY_CONFLICT.
    """
    # One pooled connection for the reads and the transaction (not the gateway's call).
    async with HeldConnection():
        placed = await _place(data, viewer=viewer, plugins=plugins, settings=settings)
    if gateway is None:
        return placed
    try:
        session = await open_order_payment(
            placed.order, plugins=plugins, gateway=gateway, product_types=placed.product_types
        )
    except DomainError as exc:
        return dataclasses.replace(placed, payment_error=exc)
    return dataclasses.replace(placed, payment=session)


async def open_order_payment(
    order: Order, *, plugins: PluginHost, gateway: Gateway, product_types: Collection[str] | None = None
) -> PaymentSession | None:
    """The payment session of an order awaiting payment, opened now or found again: at
    placement, or later (a renewal order, a retry with another card). INVALID_TRANSITION
    for an order that is not awaiting payment; PAYMENT_FAILED when the gateway fails.
    ``product_types``: its lines' types when the caller knows them (else they are read)."""
    if order.status != OrderStatus.PENDING_PAYMENT:
        raise DomainError.of(
            ErrorCode.INVALID_TRANSITION, f"This order is {order.status.value}, not awaiting payment.", ["id"]
        )
    # A renewed type (a subscription) keeps the payment method for off-session charges.
    # tortoise types values_list as rows of tuples even with flat=True: these are the names.
    if product_types is None:
        product_types = cast(
            list[str], await OrderLine.filter(order_id=order.id).values_list("product_type", flat=True)
        )
    save = any(getattr(plugins.get_type(name), "saves_payment_method", False) for name in product_types)
    return await open_payment_session(order, gateway=gateway, save_payment_method=save)


async def _place(data: PlaceOrderInput, *, viewer: Viewer, plugins: PluginHost, settings: Settings) -> PlacedOrder:
    key = (data.idempotency_key or "").strip()
    if not key:
        raise DomainError.of(ErrorCode.REQUIRED, "An idempotency key is required.", ["idempotencyKey"])
    if len(key) > MAX_IDEMPOTENCY_KEY:
        raise DomainError.of(ErrorCode.INVALID, f"At most {MAX_IDEMPOTENCY_KEY} characters.", ["idempotencyKey"])
    if viewer.is_staff:
        raise DomainError.of(ErrorCode.PERMISSION_DENIED, "Staff accounts cannot place orders; sign out first.")
    cart = data.cart
    if viewer.customer is not None and cart.email is None:
        cart = dataclasses.replace(cart, email=viewer.customer.email)
    fingerprint = cart_fingerprint(dataclasses.replace(data, cart=cart), cart.email, viewer)
    key = scoped_idempotency_key(key, viewer, cart.email)

    existing, order_id, variants = await numbers.order_by_key_and_variants(key, cart_skus(cart, settings))
    if existing is not None:
        return await _replay(existing, fingerprint, viewer)

    quote = await quote_cart(
        cart,
        plugins=plugins,
        settings=settings,
        for_placement=True,
        customer_id=viewer.customer.id if viewer.customer else None,
        billing_address=data.billing_address,
        variants=variants,
    )
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
                quote,
                order_id=order_id,
                key=key,
                fingerprint=fingerprint,
                viewer=viewer,
                billing=billing,
                note=note,
                payment_due_at=data.payment_due_at,
                plugins=plugins,
            )
    except IntegrityError:
        # Another request with this key committed first: answer as it did.
        existing = await Order.get_or_none(idempotency_key=key)
        if existing is None:
            raise
        return await _replay(existing, fingerprint, viewer)
    types = frozenset(line.product_type.name for line in quote.priced_lines())
    return PlacedOrder(order=order, token=order.token, replayed=False, product_types=types)


def _required_email() -> FieldError:
    return FieldError(ErrorCode.REQUIRED, "An email address is required for guest orders.", ["email"])


async def _replay(order: Order, fingerprint: str, viewer: Viewer) -> PlacedOrder:
    """The answer to a key used before: the same order for its customer; for a guest,
    ORDER_ALREADY_PLACED and the order's link by email (see :mod:`oms.orders.recovery`)."""
    if not secrets.compare_digest(order.cart_fingerprint, fingerprint):
        raise DomainError.of(
            ErrorCode.IDEMPOTENCY_CONFLICT,
            "This idempotency key was used for a different order.",
            ["idempotencyKey"],
        )
    if viewer.customer is None:
        await request_order_link(order)
        raise DomainError.of(
            ErrorCode.ORDER_ALREADY_PLACED,
            "An order was already placed with this idempotency key. It is not shown again here; "
            "a link to it is sent to the order's email address.",
            ["idempotencyKey"],
        )
    return PlacedOrder(order=order, token=order.token, replayed=True)


def _customer_name(billing: dict | None, shipping: dict | None, viewer: Viewer) -> str | None:
    """Who the order is for, for staff searching by name: billing, shipping, then account name."""
    for name in ((billing or {}).get("name"), (shipping or {}).get("name"), getattr(viewer.customer, "name", None)):
        if isinstance(name, str) and name.strip():
            return " ".join(name.split())[:200]
    return None


async def _write_order(
    quote: Quote,
    *,
    order_id: int | None,
    key: str,
    fingerprint: str,
    viewer: Viewer,
    billing: dict | None,
    note: str | None,
    payment_due_at: dt.datetime | None,
    plugins: PluginHost,
) -> Order:
    method = quote.shipping_method
    # Each of these properties sums again when read: read once.
    total = quote.total
    taxes = quote.taxes.total
    customer_name = _customer_name(billing, quote.shipping_address, viewer)
    order_values = dict(
        token=secrets.token_urlsafe(32),
        email=quote.email,
        customer=viewer.customer,
        currency=quote.currency,
        subtotal=quote.subtotal.amount,
        shipping_total=quote.shipping_total.amount,
        total=total.amount,
        tax_total=taxes.amount,
        shipping_tax=quote.taxes.shipping_tax.amount,
        prices_include_tax=quote.taxes.prices_include_tax,
        tax_lines=stored_tax_lines(quote.taxes),
        shipping_address=quote.shipping_address,
        billing_address=billing,
        shipping_method=(
            {"code": method.code, "name": method.name, "price": str(method.price.amount)} if method else None
        ),
        note=note,
        idempotency_key=key,
        cart_fingerprint=fingerprint,
        payment_due_at=payment_due_at,
        discount_total=quote.discount_total.amount,
        shipping_discount=(quote.discounts.shipping_discount or Money.zero(quote.currency)).amount,
        customer_name=customer_name,
        customer_name_key=search.name_key(customer_name),
    )
    # Reserve first, then write everything in one statement (PostgreSQL): the stock rows
    # stay locked only for that statement and the commit.
    lines = quote.priced_lines()  # placement refused a quote with errors
    warehouses = await _reserve_stock(lines)
    order = await insert_placed_order(
        order_values,
        order_id,
        [
            dict(
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
                discount=quote.discounts.line_discount(line.index).amount,
                **line_tax_fields(quote.taxes, line.index),
            )
            for line in lines
        ],
        message=f"Order {{number}} placed: {len(quote.lines)} line(s), total {total.amount} {quote.currency}.",
        actor=viewer.actor if not viewer.is_anonymous else quote.email,
        data={"total": str(total.amount), "lines": len(quote.lines), **_discount_data(quote)},
    )
    await _hold(order, lines, plugins)
    await discounts.redeem(order.id, quote.discounts, email=order.email, customer_id=order.customer_id)
    if total.amount == 0:
        await pay_zero_total(order)
    return order


def _discount_data(quote: Quote) -> dict:
    """The timeline's record of the discount codes used (none: nothing)."""
    if not quote.discounts.codes:
        return {}
    return {
        "discount_codes": [code.code for code in quote.discounts.codes],
        "discount_total": str(quote.discount_total.amount),
    }


async def _hold(order: Order, priced: list[PricedLine], plugins: PluginHost) -> None:
    """Let each line's plugin hold what the line needs (a slot) in this transaction.
    The lines are read back (with their ids) only when a plugin of the order holds."""
    if not any(plugins.owner_implements("oms_hold", line.product_type.name) for line in priced):
        return
    by_type: dict[str, list[OrderLine]] = {}
    for line in await OrderLine.filter(order_id=order.id).order_by("position"):
        by_type.setdefault(line.product_type, []).append(line)
    for type_name, lines in by_type.items():
        if plugins.owner_implements("oms_hold", type_name):
            await plugins.call_owner("oms_hold", type_name, order=order, lines=lines)


async def _reserve_stock(lines: list[PricedLine]) -> dict[int, int]:
    """Reserve every stock-tracked line; the warehouse of each, by line index.

    Variants are locked in id order, whatever the cart's order, so two carts holding the
    same variants can never deadlock on PostgreSQL.
    """
    tracked = [line for line in lines if inventory.tracks_stock(line.product_type, line.variant)]
    tracked.sort(key=lambda tracked_line: (tracked_line.variant.id, tracked_line.index))
    taken = await inventory.reserve_each([(line.variant.id, line.quantity) for line in tracked])
    for line, warehouse_id in zip(tracked, taken, strict=True):
        if warehouse_id is None:
            raise DomainError.of(
                ErrorCode.OUT_OF_STOCK,
                f"Not enough {line.sku} in stock for {line.quantity}.",
                ["lines", line.index, "quantity"],
            )
    return {line.index: cast(int, warehouse_id) for line, warehouse_id in zip(tracked, taken, strict=True)}


def _line_name(variant) -> str:
    product_name = variant.product.name
    return product_name if variant.name == product_name else f"{product_name} ({variant.name})"
