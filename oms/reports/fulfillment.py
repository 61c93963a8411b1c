"""The fulfillment report: what is paid but not delivered yet, by product type and age, and
the median time from payment to delivery per product type.

- Backlog: lines of paid orders (payment PAID or PARTIALLY_REFUNDED) that are PROCESSING or
  PARTIALLY_FULFILLED with units neither delivered nor canceled; their age is the time
  since the order was paid (``paid_at``), in buckets of AGE_BUCKETS.
- Delivery time: fulfillments DELIVERED in [start, end), from their order's payment to
  their ``delivered_at``; the median of each type, by ``percentile_cont(0.5)`` on
  PostgreSQL and by window functions (row numbers around the middle) on SQLite: the
  database sorts, Python receives one row per type.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from oms.orders.status import OrderStatus, PaymentStatus
from oms.reports import sql
from oms.reports.sales import check_range

# (label, paid at least this long ago); the last bucket holds everything older.
AGE_BUCKETS = (("<1d", dt.timedelta(0)), ("1-3d", dt.timedelta(days=1)), ("3-7d", dt.timedelta(days=3)),
               (">7d", dt.timedelta(days=7)))  # fmt: skip


@dataclasses.dataclass(frozen=True)
class BacklogRow:
    product_type: str
    age: str
    orders: int
    units: int


@dataclasses.dataclass(frozen=True)
class DeliveryTimeRow:
    product_type: str
    deliveries: int
    median_hours: float


@dataclasses.dataclass(frozen=True)
class FulfillmentReport:
    backlog: list[BacklogRow]
    delivery_times: list[DeliveryTimeRow]


async def _backlog(now: dt.datetime) -> list[BacklogRow]:
    params = sql.Params(sql.dialect())
    cases = " ".join(
        f"WHEN o.paid_at > {params.moment(now - age)} THEN {params.add(label)}"
        for (label, _), (_, age) in zip(AGE_BUCKETS, AGE_BUCKETS[1:], strict=False)
    )
    age = f"CASE {cases} ELSE {params.add(AGE_BUCKETS[-1][0])} END"
    statuses = ", ".join(params.add(s.value) for s in (OrderStatus.PROCESSING, OrderStatus.PARTIALLY_FULFILLED))
    paid = ", ".join(params.add(s.value) for s in (PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED))
    left = "l.quantity - l.quantity_canceled - l.quantity_fulfilled"
    rows = await sql.fetch(
        f"SELECT l.product_type AS t, {age} AS age, COUNT(DISTINCT o.id) AS orders, SUM({left}) AS units "
        f'FROM "order" o JOIN order_line l ON l.order_id = o.id '
        f"WHERE o.status IN ({statuses}) AND o.payment_status IN ({paid}) AND o.paid_at IS NOT NULL "
        f"AND {left} > 0 GROUP BY 1, 2",  # by position: the CASE's parameters appear once
        params,
    )
    order = {label: i for i, (label, _) in enumerate(AGE_BUCKETS)}
    result = [BacklogRow(r["t"], r["age"], int(r["orders"]), int(r["units"])) for r in rows]
    return sorted(result, key=lambda r: (r.product_type, order[r.age]))


async def _delivery_times(start: dt.datetime, end: dt.datetime) -> list[DeliveryTimeRow]:
    params = sql.Params(sql.dialect())
    where = (
        f"WHERE f.status = {params.add('DELIVERED')} AND f.delivered_at >= {params.moment(start)} "
        f"AND f.delivered_at < {params.moment(end)} AND o.paid_at IS NOT NULL"
    )
    source = f'FROM fulfillment f JOIN "order" o ON o.id = f.order_id {where}'
    if params.dialect == "postgres":
        statement = (
            "SELECT f.product_type AS t, COUNT(*) AS n, percentile_cont(0.5) WITHIN GROUP "
            f"(ORDER BY EXTRACT(EPOCH FROM f.delivered_at - o.paid_at)) AS median {source} "
            "GROUP BY f.product_type ORDER BY f.product_type"
        )
    else:
        statement = (
            "WITH d AS (SELECT f.product_type AS t, (julianday(f.delivered_at) - julianday(o.paid_at)) * 86400.0 AS s "
            f"{source}), r AS (SELECT t, s, ROW_NUMBER() OVER (PARTITION BY t ORDER BY s) AS i, "
            "COUNT(*) OVER (PARTITION BY t) AS n FROM d) "
            "SELECT t, MAX(n) AS n, AVG(s) AS median FROM r WHERE i IN ((n + 1) / 2, (n + 2) / 2) GROUP BY t ORDER BY t"
        )
    rows = await sql.fetch(statement, params)
    return [DeliveryTimeRow(r["t"], int(r["n"]), round(float(r["median"]) / 3600, 2)) for r in rows]


async def fulfillment_report(start: dt.datetime, end: dt.datetime, *, now: dt.datetime) -> FulfillmentReport:
    """The backlog as of ``now`` and the delivery times of fulfillments delivered in [start, end)."""
    start, end = check_range(start, end)
    return FulfillmentReport(backlog=await _backlog(now), delivery_times=await _delivery_times(start, end))
