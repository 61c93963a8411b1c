"""The tax of a priced cart: the built-in table (:class:`oms.taxes.models.TaxRate`) or a
tax service (the ``oms_calculate_taxes`` hook).

Rules of the built-in table (README "Taxes"):

- The rate of a line is looked up for the tax address's country, most specific first:
  its region and the line's class, its region's default (no class), the country and the
  class, the country's default. No rate found: the line is not taxed.
- A line's class: the variant's ``tax_class``, else its product's, else its product type's.
- Each line's tax is rounded half-up to the cent, on what the customer pays for the line
  (less its discounts): prices excluding tax, ``tax = amount * rate / 100``; prices
  including tax, ``tax = amount * rate / (100 + rate)``. Totals are sums of rounded taxes.
- Shipping (less its discount) is taxed per ``OMS_TAX_SHIPPING``: ``highest``, at the
  highest rate among the shipped lines; ``pro_rata``, split between the shipped lines'
  rates in proportion to their amounts (each part rounded to the cent, the last one
  taking what is left) and each part taxed at its rate; ``none``, untaxed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from oms.config import Settings
from oms.money import Money, quantize
from oms.plugin_types import TaxableLine, TaxCharge, TaxRequest, TaxResult
from oms.plugins import PluginHost, await_me_maybe
from oms.taxes.models import TaxRate

HUNDRED = Decimal(100)


@dataclasses.dataclass(frozen=True)
class TaxSummaryLine:
    """Tax at one rate over the whole cart or order (lines and shipping together)."""

    name: str
    rate: Decimal
    tax_class: str | None
    taxable: Money
    tax: Money


@dataclasses.dataclass(frozen=True)
class QuoteTaxes:
    """A cart's taxes as pricing and placement read them."""

    currency: str
    prices_include_tax: bool
    lines: dict[int, TaxCharge] = dataclasses.field(default_factory=dict)
    shipping: tuple[TaxCharge, ...] = ()

    def line_charge(self, index: int) -> TaxCharge | None:
        return self.lines.get(index)

    def line_tax(self, index: int) -> Money:
        charge = self.lines.get(index)
        return charge.tax if charge else Money.zero(self.currency)

    def gross(self, index: int, amount: Money) -> Money:
        """What the customer pays, tax included, for line ``index`` whose price less its
        discounts is ``amount`` (the net is this less ``line_tax``)."""
        return amount if self.prices_include_tax else amount + self.line_tax(index)

    @property
    def shipping_tax(self) -> Money:
        return _sum((c.tax for c in self.shipping), self.currency)

    @property
    def total(self) -> Money:
        return _sum((c.tax for c in self.lines.values()), self.currency) + self.shipping_tax

    @property
    def added(self) -> Money:
        """What tax adds to the total: all of it when prices exclude tax, else nothing."""
        return Money.zero(self.currency) if self.prices_include_tax else self.total

    def summary(self) -> list[TaxSummaryLine]:
        return summarize([*self.lines.values(), *self.shipping], self.currency)


def summarize(charges: list[TaxCharge], currency: str) -> list[TaxSummaryLine]:
    """Charges grouped by (name, rate, class), in the order each group first appears."""
    groups: dict[tuple[str, Decimal, str | None], list[TaxCharge]] = {}
    for charge in charges:
        groups.setdefault((charge.name, charge.rate, charge.tax_class), []).append(charge)
    return [
        TaxSummaryLine(
            name=name,
            rate=rate,
            tax_class=tax_class,
            taxable=_sum((c.taxable for c in group), currency),
            tax=_sum((c.tax for c in group), currency),
        )
        for (name, rate, tax_class), group in groups.items()
    ]


def tax_address(
    shipping_address: Mapping[str, Any] | None, billing_address: Mapping[str, Any] | None, settings: Settings
) -> tuple[str | None, str | None]:
    """Where tax is due, as (country, region): the shipping address, else the billing
    address, else the store's OMS_TAX_COUNTRY and OMS_TAX_REGION (None: unknown)."""
    for address in (shipping_address, billing_address):
        country = _text(address.get("country")) if address else None
        if country is not None and len(country) == 2 and country.isascii() and country.isalpha():
            return country, _text(address.get("region")) if address else None
    return _text(settings.tax_country), _text(settings.tax_region)


@dataclasses.dataclass(frozen=True)
class CountryRates:
    """The staff's rates of one country, read ahead by pricing (with another read of its)."""

    country: str
    rates: list[TaxRate]


def _text(value: object) -> str | None:
    return value.strip().upper() or None if isinstance(value, str) else None


async def calculate_taxes(
    request: TaxRequest, *, plugins: PluginHost, settings: Settings, rates: CountryRates | None = None
) -> QuoteTaxes:
    """The taxes of ``request``: a plugin's ``oms_calculate_taxes`` answer, else the table
    (``rates``: the request country's rates when the caller read them already)."""
    result = await await_me_maybe(plugins.pm.hook.oms_calculate_taxes(request=request, plugins=plugins))
    if result is None:
        result = await table_taxes(request, shipping_rule=settings.tax_shipping, rates=rates)
    return QuoteTaxes(
        currency=request.currency,
        prices_include_tax=request.prices_include_tax,
        lines=dict(result.lines),
        shipping=tuple(result.shipping),
    )


async def table_taxes(request: TaxRequest, *, shipping_rule: str, rates: CountryRates | None = None) -> TaxResult:
    """The built-in computation from the staff's rates (see the module's rules); they are
    read unless ``rates`` holds them for the request's country."""
    if request.country is None or not request.lines:
        return TaxResult(lines={})
    if rates is not None and rates.country == request.country:
        country_rates = rates.rates
    else:
        country_rates = await TaxRate.filter(country=request.country)
    found = {(r.region, r.tax_class): r for r in country_rates}
    if not found:
        return TaxResult(lines={})
    charges: dict[int, TaxCharge] = {}
    for line in request.lines:
        rate = _find_rate(found, request.region, line.tax_class)
        if rate is not None:
            charges[line.index] = charge(line.amount, rate, include=request.prices_include_tax)
    shipping = _shipping_charges(request, charges, shipping_rule)
    return TaxResult(lines=charges, shipping=shipping)


def charge(amount: Money, rate: TaxRate, *, include: bool) -> TaxCharge:
    """Tax on ``amount`` at ``rate``, rounded half-up to the cent (the currency's minor unit)."""
    percent = Decimal(rate.rate)
    divisor = HUNDRED + percent if include else HUNDRED
    tax = quantize(amount.amount * percent / divisor, amount.currency)
    return TaxCharge(
        taxable=amount, tax=Money(tax, amount.currency), rate=percent, name=rate.name, tax_class=rate.tax_class
    )


def _find_rate(
    rates: dict[tuple[str | None, str | None], TaxRate], region: str | None, tax_class: str
) -> TaxRate | None:
    keys: list[tuple[str | None, str | None]] = [(None, tax_class), (None, None)]
    if region is not None:
        keys = [(region, tax_class), (region, None), *keys]
    return next((rates[key] for key in keys if key in rates), None)


def _shipping_charges(request: TaxRequest, charges: dict[int, TaxCharge], rule: str) -> list[TaxCharge]:
    shipping = request.shipping
    if shipping is None or shipping.amount <= 0 or rule == "none":
        return []
    shipped = [
        (line, charges[line.index]) for line in request.lines if line.requires_shipping and line.index in charges
    ]
    if not shipped:
        return []
    include = request.prices_include_tax
    if rule == "highest":
        top = max((c for _, c in shipped), key=lambda c: c.rate)
        return [_at(shipping, top, include)]
    # pro_rata: shipping split between the rates in proportion to the lines' amounts.
    by_rate: dict[tuple[str, Decimal, str | None], tuple[TaxCharge, Decimal]] = {}
    for line, line_charge in shipped:
        key = (line_charge.name, line_charge.rate, line_charge.tax_class)
        first, amount = by_rate.get(key, (line_charge, Decimal(0)))
        by_rate[key] = (first, amount + line.amount.amount)
    base = sum((amount for _, amount in by_rate.values()), Decimal(0))
    if base <= 0:
        return [_at(shipping, max((c for _, c in shipped), key=lambda c: c.rate), include)]
    parts: list[TaxCharge] = []
    left = shipping.amount
    groups = list(by_rate.values())
    for i, (line_charge, amount) in enumerate(groups):
        part = left if i == len(groups) - 1 else quantize(shipping.amount * amount / base, shipping.currency)
        left -= part
        parts.append(_at(Money(part, shipping.currency), line_charge, include))
    return parts


def _at(amount: Money, like: TaxCharge, include: bool) -> TaxCharge:
    """Tax on ``amount`` at the rate of another charge."""
    divisor = HUNDRED + like.rate if include else HUNDRED
    tax = quantize(amount.amount * like.rate / divisor, amount.currency)
    return TaxCharge(
        taxable=amount, tax=Money(tax, amount.currency), rate=like.rate, name=like.name, tax_class=like.tax_class
    )


def _sum(values, currency: str) -> Money:
    total = Money.zero(currency)
    for value in values:
        total = total + value
    return total


__all__ = ["CountryRates", "QuoteTaxes", "TaxableLine", "calculate_taxes", "summarize", "table_taxes", "tax_address"]
