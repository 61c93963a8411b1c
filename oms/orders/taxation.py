"""The tax of a priced cart, as pricing asks for it (the rules: :mod:`oms.taxes.compute`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise.connection import get_connection

from oms import sql
from oms.config import Settings
from oms.discounts.apply import AppliedDiscounts
from oms.money import Money
from oms.plugin_types import TaxableLine, TaxRequest
from oms.plugins import PluginHost
from oms.shipping import zones
from oms.taxes.compute import CountryRates, QuoteTaxes, calculate_taxes, tax_address
from oms.taxes.models import TaxRate

if TYPE_CHECKING:
    from oms.orders.pricing import PricedLine


async def quote_taxes(
    priced: list[PricedLine],
    *,
    shipping_address: dict[str, Any] | None,
    shipping: Money | None,
    discounts: AppliedDiscounts,
    billing_address: dict[str, Any] | None,
    plugins: PluginHost,
    settings: Settings,
    rates: CountryRates | None = None,
) -> QuoteTaxes:
    """Tax on what the customer pays: each line and the chosen shipping (``shipping``,
    None when none is chosen) less their discounts. A line's class is its variant's, else
    its product's, else its product type's. ``rates``: the tax country's, if read already."""
    currency = settings.currency
    country, region = tax_address(shipping_address, billing_address, settings)
    if shipping is not None:
        shipping = shipping - (discounts.shipping_discount or Money.zero(currency))
    request = TaxRequest(
        currency=currency,
        prices_include_tax=settings.prices_include_tax,
        country=country,
        region=region,
        lines=[
            TaxableLine(
                index=p.index,
                sku=p.sku,
                product_type=p.product_type.name,
                tax_class=p.variant.tax_class or p.variant.product.tax_class or p.product_type.tax_class,
                quantity=p.quantity,
                amount=p.total - discounts.line_discount(p.index),
                requires_shipping=p.product_type.requires_shipping,
            )
            for p in priced
        ],
        shipping=shipping,
    )
    return await calculate_taxes(request, plugins=plugins, settings=settings, rates=rates)


# Whether staff defined shipping zones, and the tax country's rates, in one read: pricing
# needs both for every shipped cart (a LEFT JOIN: one row, without a rate, when it has none).
_ZONES_AND_RATES = """
SELECT EXISTS (SELECT 1 FROM shipping_zone) AS zoned,
       r.id, r.name, r.country, r.region, r.tax_class, r.rate, r.created_at
FROM (SELECT 1) AS one LEFT JOIN tax_rate r ON r.country = :country
ORDER BY r.id
"""


async def zones_and_rates(country: str | None) -> tuple[bool, CountryRates | None]:
    """Whether shipping zones are configured; on PostgreSQL, with a tax country, that
    country's tax rates from the same statement (elsewhere the taxes read their own)."""
    if country is None or get_connection("default").capabilities.dialect != "postgres":
        return await zones.zones_configured(), None
    rows = await sql.fetch(_ZONES_AND_RATES, country=country)
    rates = [
        TaxRate._init_from_db(**{k: v for k, v in row.items() if k != "zoned"}) for row in rows if row["id"] is not None
    ]
    return bool(rows[0]["zoned"]), CountryRates(country, rates)


def stored_tax_lines(taxes: QuoteTaxes) -> list[dict[str, Any]] | None:
    """``Order.tax_lines``: the tax summary by rate, amounts as strings (None: no tax)."""
    return [
        {
            "name": t.name,
            "rate": str(t.rate),
            "tax_class": t.tax_class,
            "taxable": str(t.taxable.amount),
            "tax": str(t.tax.amount),
        }
        for t in taxes.summary()
    ] or None


def line_tax_fields(taxes: QuoteTaxes, index: int) -> dict[str, Any]:
    """The tax columns of the order line of cart line ``index``."""
    charge = taxes.line_charge(index)
    return {
        "tax": charge.tax.amount if charge else 0,
        "tax_rate": charge.rate if charge else None,
        "tax_included": taxes.prices_include_tax,
    }
