"""Pricing a cart server-side: prices from the database, options checked by the plugins.

``priceCart`` shows every problem at once; ``placeOrder`` refuses a cart with any.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from oms.accounts.services import check_email
from oms.catalog.models import Variant
from oms.catalog.validation import validate_json
from oms.config import Settings
from oms.errors import DomainError, ErrorCode, FieldError
from oms.inventory.services import available_quantities
from oms.money import Money
from oms.orders.addresses import check_address
from oms.orders.inputs import CartInput
from oms.plugin_types import Cart, CartLine, ProductType, ShippingMethodOffer
from oms.plugins import PluginHost


@dataclasses.dataclass
class QuotedLine:
    index: int
    sku: str
    quantity: int
    options: dict[str, Any] | None
    variant: Variant | None = None
    product_type: ProductType | None = None
    unit_price: Money | None = None
    available: bool = True

    @property
    def total(self) -> Money | None:
        return self.unit_price * self.quantity if self.unit_price else None


@dataclasses.dataclass
class Quote:
    currency: str
    lines: list[QuotedLine]
    subtotal: Money
    shipping_total: Money
    requires_shipping: bool
    shipping_methods: list[ShippingMethodOffer]
    shipping_method: ShippingMethodOffer | None
    shipping_address: dict[str, Any] | None
    email: str | None
    errors: list[FieldError]

    @property
    def total(self) -> Money:
        return self.subtotal + self.shipping_total


async def quote_cart(
    cart: CartInput,
    *,
    plugins: PluginHost,
    settings: Settings,
    for_placement: bool = False,
    email_field: list[str] | None = None,
) -> Quote:
    """Price ``cart``, collecting every problem in ``Quote.errors``.

    With ``for_placement`` the address and method become required and stock is not
    pre-checked (the reservation itself decides).
    """
    currency = settings.currency
    errors: list[FieldError] = []
    lines = [QuotedLine(i, line.sku.strip(), line.quantity, line.options) for i, line in enumerate(cart.lines)]
    if not lines:
        errors.append(FieldError(ErrorCode.REQUIRED, "The cart is empty.", ["lines"]))
    elif len(lines) > settings.max_cart_lines:
        raise DomainError.of(
            ErrorCode.INVALID, f"A cart holds at most {settings.max_cart_lines} lines.", ["lines"]
        )

    email = None
    if cart.email is not None:
        try:
            email = check_email(cart.email, email_field or ["email"])
        except DomainError as exc:
            errors.extend(exc.errors)

    skus = {line.sku for line in lines if line.sku}
    variants = {
        v.sku: v for v in await Variant.filter(sku__in=list(skus)).select_related("product")
    } if skus else {}

    for line in lines:
        errors.extend(_check_line(line, variants, plugins, settings))
        if line.variant is not None and line.product_type is not None:
            errors.extend(await _check_options(line, plugins))

    priced = [line for line in lines if line.unit_price is not None]
    if not for_placement:
        tracked = [l for l in priced if l.product_type.tracks_stock]
        if tracked:
            available = await available_quantities({l.variant.id for l in tracked})
            wanted: dict[int, int] = {}
            for line in tracked:
                wanted[line.variant.id] = wanted.get(line.variant.id, 0) + line.quantity
                line.available = wanted[line.variant.id] <= available.get(line.variant.id, 0)
                if not line.available:
                    errors.append(
                        FieldError(
                            ErrorCode.OUT_OF_STOCK,
                            f"Only {available.get(line.variant.id, 0)} of {line.sku} available.",
                            ["lines", line.index, "quantity"],
                        )
                    )

    subtotal = sum((l.total for l in priced), Money.zero(currency))
    requires_shipping = any(l.product_type.requires_shipping for l in priced)

    shipping_address = None
    if cart.shipping_address is not None:
        shipping_address, address_errors = check_address(cart.shipping_address, ["shippingAddress"])
        errors.extend(address_errors)
    elif requires_shipping and for_placement:
        errors.append(
            FieldError(ErrorCode.REQUIRED, "Physical items need a shipping address.", ["shippingAddress"])
        )

    methods: list[ShippingMethodOffer] = []
    chosen = None
    if requires_shipping:
        methods = await _shipping_offers(priced, subtotal, currency, shipping_address, plugins)
        if cart.shipping_method:
            chosen = next((m for m in methods if m.code == cart.shipping_method), None)
            if chosen is None:
                codes = ", ".join(m.code for m in methods) or "none"
                errors.append(
                    FieldError(
                        ErrorCode.INVALID,
                        f"Unknown shipping method {cart.shipping_method!r} (offered: {codes}).",
                        ["shippingMethod"],
                    )
                )
        elif for_placement:
            errors.append(
                FieldError(ErrorCode.REQUIRED, "Choose a shipping method.", ["shippingMethod"])
            )
    elif cart.shipping_method and not _has_unpriced_shipped_line(lines):
        errors.append(
            FieldError(ErrorCode.INVALID, "Nothing in this cart is shipped.", ["shippingMethod"])
        )

    return Quote(
        currency=currency,
        lines=lines,
        subtotal=subtotal,
        shipping_total=chosen.price if chosen else Money.zero(currency),
        requires_shipping=requires_shipping,
        shipping_methods=methods,
        shipping_method=chosen,
        shipping_address=shipping_address,
        email=email,
        errors=errors,
    )


def _has_unpriced_shipped_line(lines: list[QuotedLine]) -> bool:
    """A shipped line refused for its quantity still makes the cart one that ships."""
    return any(
        l.unit_price is None and l.product_type is not None and l.product_type.requires_shipping
        for l in lines
    )


def _check_line(
    line: QuotedLine, variants: dict[str, Variant], plugins: PluginHost, settings: Settings
) -> list[FieldError]:
    field = ["lines", line.index]
    errors = []
    if line.quantity < 1:
        errors.append(FieldError(ErrorCode.INVALID, "The quantity must be at least 1.", [*field, "quantity"]))
    elif line.quantity > settings.max_line_quantity:
        errors.append(
            FieldError(
                ErrorCode.INVALID,
                f"At most {settings.max_line_quantity} units per line.",
                [*field, "quantity"],
            )
        )
    if not line.sku:
        errors.append(FieldError(ErrorCode.REQUIRED, "A sku is required.", [*field, "sku"]))
        return errors
    variant = variants.get(line.sku)
    if variant is None:
        errors.append(FieldError(ErrorCode.NOT_FOUND, f"No product with sku {line.sku!r}.", [*field, "sku"]))
        return errors
    product_type = plugins.get_type(variant.product.product_type)
    if product_type is None:
        errors.append(FieldError(ErrorCode.INVALID, f"{line.sku} is not sold at the moment.", [*field, "sku"]))
        return errors
    if variant.currency != settings.currency:
        errors.append(FieldError(ErrorCode.INVALID, f"{line.sku} is priced in another currency.", [*field, "sku"]))
        return errors
    line.variant = variant
    line.product_type = product_type
    if not errors:
        line.unit_price = Money(variant.price, variant.currency)
    return errors


async def _check_options(line: QuotedLine, plugins: PluginHost) -> list[FieldError]:
    field = ["lines", line.index]
    product_type = line.product_type
    errors = validate_json(product_type.options_schema, line.options, [*field, "options"])
    if errors or line.quantity < 1:
        return errors
    found = await plugins.call_owner(
        "oms_validate_line",
        product_type.name,
        product_type=product_type.name,
        variant=line.variant,
        quantity=line.quantity,
        options=line.options,
    )
    return [error.prefixed(*field) for error in found or ()]


async def _shipping_offers(
    priced: list[QuotedLine],
    subtotal: Money,
    currency: str,
    address: dict[str, Any] | None,
    plugins: PluginHost,
) -> list[ShippingMethodOffer]:
    cart = Cart(
        currency=currency,
        lines=[
            CartLine(
                sku=l.sku,
                name=l.variant.name,
                quantity=l.quantity,
                product_type=l.product_type.name,
                unit_price=l.unit_price,
                attributes=l.variant.attributes,
                options=l.options,
            )
            for l in priced
        ],
        subtotal=subtotal,
        requires_shipping=True,
        shipping_address=address,
    )
    offers: dict[str, ShippingMethodOffer] = {}
    for result in await plugins.call_all("oms_shipping_methods", cart=cart):
        for offer in result or ():
            offers.setdefault(offer.code, offer)
    return list(offers.values())
