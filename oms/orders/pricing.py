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
from oms.discounts.apply import AppliedDiscounts, DiscountableLine, apply_discount_codes
from oms.errors import DomainError, ErrorCode, FieldError
from oms.inventory.services import available_quantities, tracks_stock
from oms.money import Money
from oms.orders.addresses import check_address
from oms.orders.inputs import CartInput
from oms.orders.taxation import quote_taxes, zones_and_rates
from oms.orders.variants import variants_by_sku
from oms.plugin_types import Cart, CartLine, ProductType, ShippingMethodOffer
from oms.plugins import PluginHost
from oms.shipping import zones
from oms.taxes.compute import CountryRates, QuoteTaxes, tax_address


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
    # The discount codes' effect, allocated to lines and shipping (none without codes).
    discounts: AppliedDiscounts
    # Tax per line and on shipping (none without rates); added to the total when prices exclude it.
    taxes: QuoteTaxes

    @property
    def discount_total(self) -> Money:
        return self.discounts.total

    @property
    def total(self) -> Money:
        return self.subtotal + self.shipping_total - self.discount_total + self.taxes.added

    @property
    def tax_total(self) -> Money:
        return self.taxes.total

    @property
    def shipping_method_required(self) -> bool:
        """Something ships and no method is chosen yet: the shipping total is not known."""
        return self.requires_shipping and self.shipping_method is None

    def priced_lines(self) -> list[PricedLine]:
        """The lines of a quote without errors (the only kind placement writes)."""
        priced = []
        for line in self.lines:
            variant, product_type, unit_price = line.variant, line.product_type, line.unit_price
            assert variant is not None and product_type is not None and unit_price is not None, line.sku
            priced.append(PricedLine(line, variant, product_type, unit_price))
        return priced


async def quote_cart(
    cart: CartInput,
    *,
    plugins: PluginHost,
    settings: Settings,
    for_placement: bool = False,
    email_field: list[str] | None = None,
    customer_id: int | None = None,
    billing_address: dict[str, Any] | None = None,
    variants: dict[str, Variant] | None = None,
) -> Quote:
    """Price ``cart``, collecting every problem in ``Quote.errors``. ``variants``: those of
    :func:`cart_skus`, when read ahead (placement reads them with its key), else read here.

    With ``for_placement`` the address and method become required and stock is not
    pre-checked (the reservation itself decides). The stages below run in this order and
    their errors keep it: lines, email, each line (sku, then options), stock, address,
    shipping method; then discounts and taxes (the tax address: the shipping address,
    else ``billing_address``, else the store's).
    """
    currency = settings.currency
    resolved = _resolve_lines(cart, settings)
    errors = list(resolved.errors)
    email, email_errors = _check_email(cart, email_field)
    errors += email_errors
    checked = await _validate_lines(resolved.lines, plugins, settings, renewal=cart.renewal, variants=variants)
    errors += checked.errors
    if not for_placement:
        errors += await _check_stock(checked.priced)
    subtotal = _price(checked.priced, currency)
    shipping = await _choose_shipping(
        ShippingRequest(
            cart=cart,
            lines=resolved.lines,
            priced=checked.priced,
            subtotal=subtotal,
            for_placement=for_placement,
            billing_address=billing_address,
            settings=settings,
        ),
        plugins,
    )
    errors += shipping.errors
    shipping_total = shipping.chosen.price if shipping.chosen else Money.zero(currency)
    applied = await apply_discount_codes(
        cart.discount_codes,
        [
            DiscountableLine(
                p.index,
                p.sku,
                p.product_type.name,
                p.variant.product_id,
                p.quantity,
                p.total,
                requires_shipping=p.product_type.requires_shipping,
            )
            for p in checked.priced
        ],
        currency=currency,
        subtotal=subtotal,
        shipping=shipping_total if shipping.chosen else None,
        email=email,
        customer_id=customer_id,
    )
    errors += applied.errors
    taxes = await quote_taxes(
        checked.priced,
        shipping_address=shipping.address,
        shipping=shipping.chosen.price if shipping.chosen else None,
        discounts=applied,
        billing_address=billing_address,
        plugins=plugins,
        settings=settings,
        rates=shipping.tax_rates,
    )
    return Quote(
        currency=currency,
        lines=resolved.lines,
        subtotal=subtotal,
        shipping_total=shipping_total,
        requires_shipping=shipping.requires_shipping,
        shipping_methods=shipping.methods,
        shipping_method=shipping.chosen,
        shipping_address=shipping.address,
        email=email,
        errors=errors,
        discounts=applied,
        taxes=taxes,
    )


# -- the stages --------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class PricedLine:
    """A line that passed its checks: its variant, type and price are known."""

    line: QuotedLine
    variant: Variant
    product_type: ProductType
    unit_price: Money

    @property
    def total(self) -> Money:
        return self.unit_price * self.line.quantity

    # The quoted line's own fields, as placement writes them.
    @property
    def index(self) -> int:
        return self.line.index

    @property
    def sku(self) -> str:
        return self.line.sku

    @property
    def quantity(self) -> int:
        return self.line.quantity

    @property
    def options(self) -> dict[str, Any] | None:
        return self.line.options


@dataclasses.dataclass(frozen=True)
class ResolvedLines:
    lines: list[QuotedLine]
    errors: list[FieldError]


@dataclasses.dataclass(frozen=True)
class CheckedLines:
    priced: list[PricedLine]
    errors: list[FieldError]


@dataclasses.dataclass(frozen=True)
class ShippingRequest:
    cart: CartInput
    lines: list[QuotedLine]
    priced: list[PricedLine]
    subtotal: Money
    for_placement: bool
    # For the tax address (its rates are read with the zones: taxation.zones_and_rates).
    billing_address: dict[str, Any] | None
    settings: Settings


@dataclasses.dataclass(frozen=True)
class ShippingChoice:
    requires_shipping: bool
    address: dict[str, Any] | None
    methods: list[ShippingMethodOffer]
    chosen: ShippingMethodOffer | None
    errors: list[FieldError]
    # The tax country's rates, when read with the zones (PostgreSQL).
    tax_rates: CountryRates | None = None


def _resolve_lines(cart: CartInput, settings: Settings) -> ResolvedLines:
    """The cart's lines, numbered; an empty cart is an error, an oversized one refused."""
    lines = [QuotedLine(i, line.sku.strip(), line.quantity, line.options) for i, line in enumerate(cart.lines)]
    if len(lines) > settings.max_cart_lines:
        raise DomainError.of(ErrorCode.INVALID, f"A cart holds at most {settings.max_cart_lines} lines.", ["lines"])
    errors = [] if lines else [FieldError(ErrorCode.REQUIRED, "The cart is empty.", ["lines"])]
    return ResolvedLines(lines, errors)


def _check_email(cart: CartInput, email_field: list[str] | None) -> tuple[str | None, list[FieldError]]:
    if cart.email is None:
        return None, []
    try:
        return check_email(cart.email, email_field or ["email"]), []
    except DomainError as exc:
        return None, list(exc.errors)


def cart_skus(cart: CartInput, settings: Settings) -> list[str] | None:
    """The skus :func:`quote_cart` reads the variants of; None for a cart it refuses first
    (too many lines)."""
    if len(cart.lines) > settings.max_cart_lines:
        return None
    return _skus(_resolve_lines(cart, settings).lines)


def _skus(lines: list[QuotedLine]) -> list[str]:
    return sorted({line.sku for line in lines if line.sku})


async def _validate_lines(
    lines: list[QuotedLine],
    plugins: PluginHost,
    settings: Settings,
    *,
    renewal: bool = False,
    variants: dict[str, Variant] | None = None,
) -> CheckedLines:
    """Each line's quantity and sku, then its options (the schema, then its plugin's
    ``oms_validate_line``); the lines that passed come back priced. ``variants``: those
    of the lines' skus, when read ahead."""
    if variants is None:
        variants = await variants_by_sku(_skus(lines))
    errors: list[FieldError] = []
    priced: list[PricedLine] = []
    for line in lines:
        errors.extend(_check_line(line, variants, plugins, settings, renewal=renewal))
        if line.variant is not None and line.product_type is not None:
            errors.extend(await _check_options(line, line.variant, line.product_type, plugins))
        if line.variant is not None and line.product_type is not None and line.unit_price is not None:
            priced.append(PricedLine(line, line.variant, line.product_type, line.unit_price))
    return CheckedLines(priced, errors)


async def _check_stock(priced: list[PricedLine]) -> list[FieldError]:
    """OUT_OF_STOCK for stock-tracked lines asking more than is available (lines of one
    variant count together); marks ``available`` on the lines."""
    tracked = [p for p in priced if tracks_stock(p.product_type, p.variant)]
    if not tracked:
        return []
    available = await available_quantities({p.variant.id for p in tracked})
    wanted: dict[int, int] = {}
    errors = []
    for p in tracked:
        wanted[p.variant.id] = wanted.get(p.variant.id, 0) + p.line.quantity
        p.line.available = wanted[p.variant.id] <= available.get(p.variant.id, 0)
        if not p.line.available:
            errors.append(
                FieldError(
                    ErrorCode.OUT_OF_STOCK,
                    f"Only {available.get(p.variant.id, 0)} of {p.line.sku} available.",
                    ["lines", p.line.index, "quantity"],
                )
            )
    return errors


def _price(priced: list[PricedLine], currency: str) -> Money:
    return sum((p.total for p in priced), Money.zero(currency))


async def _choose_shipping(request: ShippingRequest, plugins: PluginHost) -> ShippingChoice:
    """The address (checked), the plugins' offers and the chosen method, when anything is
    shipped; a method chosen for a cart that ships nothing is an error."""
    cart, for_placement = request.cart, request.for_placement
    requires_shipping = any(p.product_type.requires_shipping for p in request.priced)
    errors: list[FieldError] = []
    address = None
    if cart.shipping_address is not None:
        address, address_errors = check_address(cart.shipping_address, ["shippingAddress"])
        errors.extend(address_errors)
    elif requires_shipping and for_placement:
        errors.append(FieldError(ErrorCode.REQUIRED, "Physical items need a shipping address.", ["shippingAddress"]))
    methods: list[ShippingMethodOffer] = []
    chosen = None
    tax_rates = None
    if requires_shipping:
        country, _ = tax_address(address, request.billing_address, request.settings)
        zoned, tax_rates = await zones_and_rates(country)
        methods, zone_errors = await _shipping_offers(request.priced, request.subtotal, address, plugins, zoned=zoned)
        errors.extend(zone_errors)
        if cart.shipping_method and not zone_errors:
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
        elif for_placement and not cart.shipping_method and not zone_errors:
            errors.append(FieldError(ErrorCode.REQUIRED, "Choose a shipping method.", ["shippingMethod"]))
    elif cart.shipping_method and not _has_unpriced_shipped_line(request.lines):
        errors.append(FieldError(ErrorCode.INVALID, "Nothing in this cart is shipped.", ["shippingMethod"]))
    return ShippingChoice(requires_shipping, address, methods, chosen, errors, tax_rates)


def _has_unpriced_shipped_line(lines: list[QuotedLine]) -> bool:
    """A shipped line refused for its quantity still makes the cart one that ships."""
    return any(
        line.unit_price is None and line.product_type is not None and line.product_type.requires_shipping
        for line in lines
    )


def _check_line(
    line: QuotedLine, variants: dict[str, Variant], plugins: PluginHost, settings: Settings, *, renewal: bool = False
) -> list[FieldError]:
    field: list[str | int] = ["lines", line.index]
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
    if (not variant.product.on_sale or variant.archived_at is not None) and not renewal:
        # Archived or a draft (catalog editing): placed orders keep it, new carts may not;
        # a renewal of a contract sold before the archiving goes on.
        errors.append(FieldError(ErrorCode.INVALID, f"{line.sku} is no longer for sale.", [*field, "sku"]))
        return errors
    if variant.currency != settings.currency:
        errors.append(FieldError(ErrorCode.INVALID, f"{line.sku} is priced in another currency.", [*field, "sku"]))
        return errors
    line.variant = variant
    line.product_type = product_type
    if not errors:
        line.unit_price = Money(variant.price, variant.currency)
    return errors


async def _check_options(
    line: QuotedLine, variant: Variant, product_type: ProductType, plugins: PluginHost
) -> list[FieldError]:
    field: list[str | int] = ["lines", line.index]
    errors = validate_json(product_type.options_schema, line.options, [*field, "options"])
    if errors or line.quantity < 1:
        return errors
    found = await plugins.call_owner(
        "oms_validate_line",
        product_type.name,
        product_type=product_type.name,
        variant=variant,
        quantity=line.quantity,
        options=line.options,
    )
    return [error.prefixed(*field) for error in found or ()]


async def _shipping_offers(
    priced: list[PricedLine],
    subtotal: Money,
    address: dict[str, Any] | None,
    plugins: PluginHost,
    *,
    zoned: bool,
) -> tuple[list[ShippingMethodOffer], list[FieldError]]:
    """The offers for the cart: its address's zone's methods once staff defined zones
    (a country no zone holds is an error), else every plugin's ``oms_shipping_methods``."""
    cart = Cart(
        currency=subtotal.currency,
        lines=[
            CartLine(
                sku=p.line.sku,
                name=p.variant.name,
                quantity=p.line.quantity,
                product_type=p.product_type.name,
                unit_price=p.unit_price,
                attributes=p.variant.attributes,
                options=p.line.options,
            )
            for p in priced
        ],
        subtotal=subtotal,
        requires_shipping=True,
        shipping_address=address,
    )
    if zoned:
        shipped = [line for line, p in zip(cart.lines, priced, strict=True) if p.product_type.requires_shipping]
        found = await zones.zone_offers(address.get("country") if address else None, shipped, subtotal)
        return found.methods, found.errors
    offers: dict[str, ShippingMethodOffer] = {}
    for result in await plugins.call_all("oms_shipping_methods", cart=cart):
        for offer in result or ():
            offers.setdefault(offer.code, offer)
    return list(offers.values()), []
