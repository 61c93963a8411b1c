"""Pricing a cart: the cart inputs, the quote and ``priceCart``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import strawberry
from strawberry.scalars import JSON

from oms.errors import DomainError, ErrorCode
from oms.graphql.address_book import with_saved_shipping
from oms.graphql.common import AddressInput, Money, UserError, user_errors
from oms.graphql.context import Info
from oms.graphql.tax_lines import TaxLine
from oms.orders import inputs
from oms.orders.pricing import Quote, quote_cart


@strawberry.type
class ShippingMethod:
    code: str
    name: str
    price: Money


@strawberry.input
class CartLineInput:
    sku: str
    quantity: int
    options: JSON | None = strawberry.field(
        default=None,
        description='Type-specific options, e.g. {"slot": "2026-12-01T10:00:00+00:00"} for a consultation.',
    )


@strawberry.input
class CartInput:
    lines: list[CartLineInput]
    email: str | None = None
    shipping_address: AddressInput | None = None
    shipping_method: str | None = None
    discount_codes: list[str] | None = None
    shipping_address_id: strawberry.ID | None = strawberry.field(
        default=None, description="A saved address of the signed-in customer (instead of shippingAddress)."
    )


@strawberry.type
class CartQuoteLine:
    sku: str
    quantity: int
    product_type: str
    unit_price: Money
    total: Money
    available: bool
    discount: Money = strawberry.field(description="This line's share of the cart's discounts.")
    tax: Money = strawberry.field(description="Tax included in or added to this line, per the store's tax settings.")
    tax_rate: Decimal | None = strawberry.field(description="Percent; null when the line is not taxed.")
    gross: Money = strawberry.field(description="What the customer pays for the line: less discounts, tax included.")
    net: Money = strawberry.field(description="gross less tax.")


@strawberry.type
class CartQuote:
    lines: list[CartQuoteLine]
    subtotal: Money
    shipping_total: Money
    total: Money
    requires_shipping: bool
    shipping_methods: list[ShippingMethod]
    user_errors: list[UserError]
    discount_total: Money = strawberry.field(
        description="What the discount codes take off: the lines' shares plus any shipping discount."
    )
    tax_total: Money
    shipping_tax: Money = strawberry.field(description="Tax on shipping (part of taxTotal).")
    prices_include_tax: bool = strawberry.field(
        description="Prices (unit prices, subtotal, shipping) include tax; else taxTotal is added to the total."
    )
    tax_lines: list[TaxLine] = strawberry.field(description="Tax by rate: the lines' and the shipping's.")
    shipping_method_required: bool = strawberry.field(
        description="Something ships and no shipping method is chosen yet: shippingTotal is not known yet."
    )


def _lines(lines: list[CartLineInput]) -> list[inputs.LineInput]:
    result = []
    for i, line in enumerate(lines):
        if line.options is not None and not isinstance(line.options, dict):
            raise DomainError.of(ErrorCode.INVALID, "Options must be a JSON object.", ["lines", i, "options"])
        result.append(inputs.LineInput(sku=line.sku, quantity=line.quantity, options=line.options))
    return result


def cart_input(data: Any) -> inputs.CartInput:
    """The service's cart from a ``CartInput`` or ``PlaceOrderInput``."""
    return inputs.CartInput(
        lines=_lines(data.lines),
        email=data.email,
        shipping_address=data.shipping_address.to_dict() if data.shipping_address else None,
        shipping_method=data.shipping_method,
        discount_codes=data.discount_codes,
    )


def _quote_line(line, quote: Quote) -> CartQuoteLine | None:
    if line.unit_price is None:
        return None
    taxes = quote.taxes
    charge = taxes.line_charge(line.index)
    gross = taxes.gross(line.index, line.total - quote.discounts.line_discount(line.index))
    return CartQuoteLine(
        sku=line.sku,
        quantity=line.quantity,
        product_type=line.product_type.name,
        unit_price=Money.of(line.unit_price),
        total=Money.of(line.total),
        available=line.available,
        discount=Money.of(quote.discounts.line_discount(line.index)),
        tax=Money.of(charge.tax) if charge else Money.of(0, taxes.currency),
        tax_rate=charge.rate if charge else None,
        gross=Money.of(gross),
        net=Money.of(gross - taxes.line_tax(line.index)),
    )


def _method(offer) -> ShippingMethod:
    return ShippingMethod(code=offer.code, name=offer.name, price=Money.of(offer.price))


def _empty_quote(currency: str, errors: list[UserError], prices_include_tax: bool) -> CartQuote:
    zero = Money.of(0, currency)
    return CartQuote(
        lines=[],
        subtotal=zero,
        shipping_total=zero,
        total=zero,
        requires_shipping=False,
        shipping_methods=[],
        user_errors=errors,
        discount_total=zero,
        tax_total=zero,
        shipping_tax=zero,
        prices_include_tax=prices_include_tax,
        tax_lines=[],
        shipping_method_required=False,
    )


@strawberry.type
class CartQuery:
    @strawberry.field
    async def price_cart(self, info: Info, input: CartInput) -> CartQuote:
        try:
            viewer = info.context.viewer
            quote = await quote_cart(
                await with_saved_shipping(cart_input(input), input, viewer),
                plugins=info.context.plugins,
                settings=info.context.settings,
                customer_id=viewer.customer.id if viewer.customer else None,
            )
        except DomainError as exc:
            settings = info.context.settings
            return _empty_quote(settings.currency, user_errors(exc), settings.prices_include_tax)
        return CartQuote(
            lines=[q for q in (_quote_line(line, quote) for line in quote.lines) if q is not None],
            subtotal=Money.of(quote.subtotal),
            shipping_total=Money.of(quote.shipping_total),
            total=Money.of(quote.total),
            requires_shipping=quote.requires_shipping,
            shipping_methods=[_method(m) for m in quote.shipping_methods],
            user_errors=[UserError.from_field_error(e) for e in quote.errors],
            discount_total=Money.of(quote.discount_total),
            tax_total=Money.of(quote.tax_total),
            shipping_tax=Money.of(quote.taxes.shipping_tax),
            prices_include_tax=quote.taxes.prices_include_tax,
            tax_lines=[TaxLine.from_summary(t) for t in quote.taxes.summary()],
            shipping_method_required=quote.shipping_method_required,
        )
