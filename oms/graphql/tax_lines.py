"""The tax summary quotes and orders show: tax by rate."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import strawberry

from oms.graphql.common import Money
from oms.taxes.compute import TaxSummaryLine


@strawberry.type(description="Tax at one rate over a whole quote or order (its lines and shipping).")
class TaxLine:
    name: str
    rate: Decimal = strawberry.field(description='Percent, e.g. "20".')
    tax_class: str | None
    taxable: Money = strawberry.field(description="The amount taxed (tax included when prices include it).")
    tax: Money

    @classmethod
    def from_summary(cls, line: TaxSummaryLine) -> TaxLine:
        return cls(
            name=line.name,
            rate=line.rate,
            tax_class=line.tax_class,
            taxable=Money.of(line.taxable),
            tax=Money.of(line.tax),
        )

    @classmethod
    def from_stored(cls, line: dict[str, Any], currency: str) -> TaxLine:
        """One entry of ``Order.tax_lines`` (see oms.orders.taxation)."""
        return cls(
            name=line["name"],
            rate=Decimal(line["rate"]),
            tax_class=line.get("tax_class"),
            taxable=Money.of(Decimal(line["taxable"]), currency),
            tax=Money.of(Decimal(line["tax"]), currency),
        )
