"""fulfillmentReport: the backlog by type and age, and the median time from payment to
delivery per type, checked against the ORM rows."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict

import pytest

from oms.clock import utcnow
from oms.fulfillment.models import Fulfillment, FulfillmentStatus
from oms.orders.models import Order, OrderLine
from oms.orders.status import OrderStatus
from oms.testing import make_product, place_paid_order

REPORT = """
query F($from: DateTime!, $to: DateTime!) {
  fulfillmentReport(from: $from, to: $to) {
    backlog { productType age orders units }
    deliveryTimes { productType deliveries medianHours }
  }
}
"""
AGES = [dt.timedelta(hours=2), dt.timedelta(days=2), dt.timedelta(days=5), dt.timedelta(days=10),
        dt.timedelta(days=10, hours=1)]  # fmt: skip
DELIVERY_HOURS = [1, 3, 5, 8.5]


def age_label(age: dt.timedelta) -> str:
    days = age / dt.timedelta(days=1)
    return "<1d" if days < 1 else "1-3d" if days < 3 else "3-7d" if days < 7 else ">7d"


@pytest.fixture
async def work(oms_app, oms_graphql):
    await make_product(oms_app, product_type="physical", sku="MUG", price="12.50", stock=100,
                       attributes={"weight_grams": 350})
    await make_product(oms_app, product_type="digital", sku="EBOOK", price="9.99",
                       attributes={"file_name": "b.pdf", "file": "books/b.pdf"})
    now = utcnow()
    for i, age in enumerate(AGES):  # shipments not sent yet
        placed = await place_paid_order(oms_app, oms_graphql, [("MUG", i + 1)], shipping_method="standard")
        await Order.filter(number=placed["order"]["number"]).update(paid_at=now - age)
    paid = now - dt.timedelta(days=1)
    for hours in DELIVERY_HOURS:  # downloads, granted at once
        placed = await place_paid_order(oms_app, oms_graphql, [("EBOOK", 1)])
        order = await Order.get(number=placed["order"]["number"])
        await Order.filter(id=order.id).update(paid_at=paid)
        updated = await Fulfillment.filter(order_id=order.id, status=FulfillmentStatus.DELIVERED).update(
            delivered_at=paid + dt.timedelta(hours=hours)
        )
        assert updated == 1
    return now


async def test_backlog_and_delivery_times_agree_with_the_orders(oms_graphql, oms_accounts, work):
    now = utcnow()
    variables = {"from": (now - dt.timedelta(days=3)).isoformat(), "to": (now + dt.timedelta(days=1)).isoformat()}
    report = (await oms_graphql.query(REPORT, variables, token=oms_accounts.staff))["fulfillmentReport"]

    expected: dict[tuple[str, str], list] = defaultdict(lambda: [set(), 0])
    for line in await OrderLine.all().prefetch_related("order"):
        left = line.quantity - line.quantity_canceled - line.quantity_fulfilled
        if line.order.status in (OrderStatus.PROCESSING, OrderStatus.PARTIALLY_FULFILLED) and left > 0:
            row = expected[(line.product_type, age_label(now - line.order.paid_at))]
            row[0].add(line.order_id)
            row[1] += left
    got = {(r["productType"], r["age"]): [r["orders"], r["units"]] for r in report["backlog"]}
    assert got == {key: [len(orders), units] for key, (orders, units) in expected.items()}
    assert got[("physical", ">7d")] == [2, 9]

    durations = []
    for fulfillment in await Fulfillment.filter(status=FulfillmentStatus.DELIVERED).prefetch_related("order"):
        durations.append((fulfillment.delivered_at - fulfillment.order.paid_at).total_seconds() / 3600)
    assert report["deliveryTimes"] == [
        {"productType": "digital", "deliveries": len(durations), "medianHours": statistics.median(durations)}
    ]
    assert statistics.median(durations) == 4.0


async def test_deliveries_outside_the_range_are_left_out(oms_graphql, oms_accounts, work):
    now = utcnow()
    variables = {"from": (now + dt.timedelta(days=1)).isoformat(), "to": (now + dt.timedelta(days=2)).isoformat()}
    report = (await oms_graphql.query(REPORT, variables, token=oms_accounts.staff))["fulfillmentReport"]
    assert report["deliveryTimes"] == []
    assert report["backlog"]  # the backlog is as of now, whatever the range


async def test_customers_may_not_read_it(oms_graphql, oms_accounts):
    body = await oms_graphql.execute(
        REPORT, {"from": "2026-01-01T00:00:00Z", "to": "2026-02-01T00:00:00Z"}, token=oms_accounts.customer
    )
    assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
