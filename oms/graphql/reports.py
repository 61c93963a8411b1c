"""Reports for staff with VIEW_REPORTS: ``salesReport`` and ``fulfillmentReport``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from oms.accounts.permissions import Permission
from oms.clock import utcnow
from oms.graphql.common import Money
from oms.graphql.context import Info
from oms.reports import fulfillment, sales
from oms.reports.periods import GroupBy

strawberry.enum(GroupBy, name="ReportGroupBy")
ReportGroupBy = GroupBy


@strawberry.type(description="Sales of one period, product type or product (or the totals).")
class SalesReportRow:
    key: str = strawberry.field(
        description='"2026-03-08" (DAY), "2026-W10" (WEEK), "2026-03" (MONTH) in the store\'s time zone; a product '
        'type; a product slug; "(shipping)" for shipping charges in product rows; "TOTAL".'
    )
    orders: int
    units_sold: int
    gross: Money = strawberry.field(description="Line amounts plus shipping of the orders paid in the period.")
    refunds: Money = strawberry.field(description="Succeeded refunds of those orders, whenever made.")
    net: Money = strawberry.field(description="gross - refunds.")
    tax: Money = strawberry.field(
        description="The tax inside gross (lines and shipping): taxAdded + taxIncluded; gross - tax is net of tax."
    )
    tax_added: Money = strawberry.field(description="Tax charged on top of prices that excluded it.")
    tax_included: Money = strawberry.field(description="Tax contained in prices that included it.")

    @classmethod
    def from_domain(cls, row: sales.SalesRow, currency: str) -> SalesReportRow:
        return cls(
            key=row.key,
            orders=row.orders,
            units_sold=row.units_sold,
            gross=Money.of(row.gross, currency),
            refunds=Money.of(row.refunds, currency),
            net=Money.of(row.net, currency),
            tax=Money.of(row.tax, currency),
            tax_added=Money.of(row.tax_added, currency),
            tax_included=Money.of(row.tax_included, currency),
        )


@strawberry.type(description="Orders paid in [from, to): see docs/reports.md for what each number counts.")
class SalesReport:
    currency: str
    rows: list[SalesReportRow]
    totals: SalesReportRow

    @classmethod
    def from_domain(cls, report: sales.SalesReport) -> SalesReport:
        return cls(
            currency=report.currency,
            rows=[SalesReportRow.from_domain(r, report.currency) for r in report.rows],
            totals=SalesReportRow.from_domain(report.totals, report.currency),
        )


@strawberry.type(description="Paid, not yet delivered: lines of one product type paid this long ago.")
class BacklogRow:
    product_type: str
    age: str = strawberry.field(description='Since payment: "<1d", "1-3d", "3-7d" or ">7d".')
    orders: int
    units: int = strawberry.field(description="Units neither delivered nor canceled.")


@strawberry.type(description="From payment to delivery, for fulfillments of one product type.")
class DeliveryTimeRow:
    product_type: str
    deliveries: int
    median_hours: float


@strawberry.type
class FulfillmentReport:
    backlog: list[BacklogRow] = strawberry.field(description="Now, by product type and age.")
    delivery_times: list[DeliveryTimeRow] = strawberry.field(description="Fulfillments delivered in [from, to).")


@strawberry.type
class ReportsQuery:
    @strawberry.field(description="Staff only.")
    async def sales_report(
        self,
        info: Info,
        from_: Annotated[dt.datetime, strawberry.argument(name="from")],
        to: dt.datetime,
        group_by: ReportGroupBy,
    ) -> SalesReport:
        context = info.context
        context.require_permission(Permission.VIEW_REPORTS)
        report = await sales.sales_report(
            from_, to, GroupBy(group_by), timezone=context.settings.timezone, currency=context.settings.currency
        )
        return SalesReport.from_domain(report)

    @strawberry.field(description="Staff with VIEW_REPORTS: the backlog and the median time to delivery per type.")
    async def fulfillment_report(
        self, info: Info, from_: Annotated[dt.datetime, strawberry.argument(name="from")], to: dt.datetime
    ) -> FulfillmentReport:
        info.context.require_permission(Permission.VIEW_REPORTS)
        report = await fulfillment.fulfillment_report(from_, to, now=utcnow())
        return FulfillmentReport(
            backlog=[BacklogRow(product_type=r.product_type, age=r.age, orders=r.orders, units=r.units)
                     for r in report.backlog],
            delivery_times=[
                DeliveryTimeRow(product_type=r.product_type, deliveries=r.deliveries, median_hours=r.median_hours)
                for r in report.delivery_times
            ],
        )  # fmt: skip
