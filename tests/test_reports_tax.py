"""salesReport splits tax: each row's and the totals' taxAdded / taxIncluded are the tax the
orders' lines and shipping carry, computed here independently from the ORM rows, in a store
whose prices exclude tax and in one whose prices include it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest

from oms.orders.models import Order, OrderLine
from oms.testing import make_product, place_paid_order, refund_paid_order

UTC = dt.UTC
FROM, TO = "2026-03-01T00:00:00+00:00", "2026-04-01T00:00:00+00:00"
# Berlin days: the 10th, the 10th again, the 11th (23:30 UTC on the 10th), the 20th; then
# one before the range and one at its end (both out).
PAID_AT = [
    dt.datetime(2026, 3, 10, 9, 0, tzinfo=UTC),
    dt.datetime(2026, 3, 10, 15, 0, tzinfo=UTC),
    dt.datetime(2026, 3, 10, 23, 30, tzinfo=UTC),
    dt.datetime(2026, 3, 20, 12, 0, tzinfo=UTC),
    dt.datetime(2026, 2, 28, 12, 0, tzinfo=UTC),
    dt.datetime(2026, 4, 1, 0, 0, tzinfo=UTC),
]
# The digital-only order has no address: no tax.
CARTS = [[("MUG", 2)], [("EBOOK", 1), ("MUG", 1)], [("MUG", 3), ("EBOOK", 1)], [("EBOOK", 3)]]

REPORT = """
query R($from: DateTime!, $to: DateTime!, $groupBy: ReportGroupBy!) {
  salesReport(from: $from, to: $to, groupBy: $groupBy) {
    rows { key gross { amount } tax { amount } taxAdded { amount } taxIncluded { amount } }
    totals { key gross { amount } tax { amount } taxAdded { amount } taxIncluded { amount } }
  }
}
"""
CREATE_RATE = "mutation($i: CreateTaxRateInput!) { createTaxRate(input: $i) { userErrors { code message } } }"


@pytest.fixture(params=[False, True], ids=["tax-added", "tax-included"])
def oms_settings(oms_settings, request):
    return dataclasses.replace(oms_settings, timezone="Europe/Berlin", prices_include_tax=request.param)


@dataclasses.dataclass
class Tax:
    added: Decimal = Decimal("0.00")
    included: Decimal = Decimal("0.00")

    def add(self, amount: Decimal, included: bool) -> None:
        if included:
            self.included += amount
        else:
            self.added += amount


@pytest.fixture
async def taxed_orders(oms_app, oms_graphql, oms_accounts):
    """Paid orders of a physical (20 % VAT, shipped to GB) and a digital product, one partly
    refunded, at PAID_AT."""
    await make_product(oms_app, product_type="physical", sku="MUG", price="12.50", stock=500,
                       attributes={"weight_grams": 350}, name="Mug")
    await make_product(oms_app, product_type="digital", sku="EBOOK", price="9.99",
                       attributes={"file_name": "b.pdf", "file": "books/b.pdf"}, name="Ebook")
    rate = await oms_graphql.query(CREATE_RATE, {"i": {"name": "VAT", "country": "GB", "rate": "20"}},
                                   token=oms_accounts.staff)  # fmt: skip
    assert rate["createTaxRate"]["userErrors"] == []
    for i, paid_at in enumerate(PAID_AT):
        cart = CARTS[i % len(CARTS)]
        shipping = "standard" if any(sku == "MUG" for sku, _ in cart) else None
        placed = await place_paid_order(oms_app, oms_graphql, cart, shipping_method=shipping)
        order = await Order.get(number=placed["order"]["number"])
        await Order.filter(id=order.id).update(paid_at=paid_at)
        if i == 1:
            await refund_paid_order(oms_app, order.id, "3.33")


async def expected_tax(key_of) -> tuple[dict[str, Tax], Tax, dict[str, Tax]]:
    """By key of the paid time, in total, and by product type ("(shipping)" for shipping):
    the lines' ``tax`` and the orders' ``shipping_tax`` of the orders paid in [FROM, TO)."""
    start, end = dt.datetime.fromisoformat(FROM), dt.datetime.fromisoformat(TO)
    rows: dict[str, Tax] = defaultdict(Tax)
    by_type: dict[str, Tax] = defaultdict(Tax)
    total = Tax()
    for order in await Order.filter(paid_at__isnull=False):
        if not start <= order.paid_at < end:
            continue
        shipping = Decimal(order.shipping_tax)
        for target in (rows[key_of(order.paid_at)], total, by_type["(shipping)"]):
            target.add(shipping, order.prices_include_tax)
        for line in await OrderLine.filter(order_id=order.id):
            for target in (rows[key_of(order.paid_at)], total, by_type[line.product_type]):
                target.add(Decimal(line.tax), line.tax_included)
    return rows, total, by_type


def check(row, tax: Tax) -> None:
    assert Decimal(row["taxAdded"]["amount"]) == tax.added
    assert Decimal(row["taxIncluded"]["amount"]) == tax.included
    assert Decimal(row["tax"]["amount"]) == tax.added + tax.included


async def report(graphql, group_by: str, token: str):
    return (await graphql.query(REPORT, {"from": FROM, "to": TO, "groupBy": group_by}, token=token))["salesReport"]


@pytest.mark.parametrize("group_by", ["DAY", "MONTH"])
async def test_time_rows_split_the_tax_the_orders_carry(oms_app, oms_graphql, oms_accounts, taxed_orders, group_by):
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("Europe/Berlin")
    fmt = "%Y-%m-%d" if group_by == "DAY" else "%Y-%m"
    expected, total, _ = await expected_tax(lambda t: t.astimezone(zone).strftime(fmt))
    result = await report(oms_graphql, group_by, oms_accounts.staff)
    check(result["totals"], total)
    # The data has what the test is about: tax of the store's kind only, on lines and shipping.
    include = oms_app.state.settings.prices_include_tax
    assert (total.included > 0, total.added > 0) == (include, not include)
    start, end = dt.datetime.fromisoformat(FROM), dt.datetime.fromisoformat(TO)
    paid = [o for o in await Order.all() if start <= o.paid_at < end]
    assert total.added + total.included == sum(Decimal(o.tax_total) for o in paid)
    assert any(Decimal(o.shipping_tax) > 0 for o in paid)
    for row in result["rows"]:
        check(row, expected.get(row["key"], Tax()))
    if group_by == "DAY":
        assert Decimal(next(r for r in result["rows"] if r["key"] == "2026-03-11")["tax"]["amount"]) > 0


async def test_product_rows_split_the_tax_and_sum_to_the_totals(oms_app, oms_graphql, oms_accounts, taxed_orders):
    _, total, by_type = await expected_tax(lambda t: "all")
    result = await report(oms_graphql, "PRODUCT_TYPE", oms_accounts.staff)
    check(result["totals"], total)
    rows = {r["key"]: r for r in result["rows"]}
    assert set(rows) == set(by_type)
    for key, tax in by_type.items():
        check(rows[key], tax)
    for field in ("tax", "taxAdded", "taxIncluded"):
        assert sum(Decimal(r[field]["amount"]) for r in rows.values()) == Decimal(result["totals"][field]["amount"])
