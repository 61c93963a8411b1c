"""salesReport: the numbers agree with the orders they summarise, computed here
independently from the ORM rows (refunds, orders on both sides of DST changes, two store
time zones); bad ranges are typed errors; only staff with VIEW_REPORTS may read it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from oms.accounts import services as accounts
from oms.accounts.permissions import Viewer
from oms.catalog.models import Variant
from oms.orders.models import Order, OrderLine
from oms.payments.models import Refund, RefundStatus
from oms.reports.periods import GroupBy, buckets
from oms.testing import make_product, place_paid_order, refund_paid_order

UTC = dt.UTC
FROM, TO = "2026-03-01T00:00:00+00:00", "2026-04-05T00:00:00+00:00"
# Around the DST changes of New York (2026-03-08 07:00 UTC) and Berlin (2026-03-29 01:00 UTC),
# and the range's ends: local days differ from UTC days here.
PAID_AT = [
    dt.datetime(2026, 3, 8, 4, 59, tzinfo=UTC),
    dt.datetime(2026, 3, 8, 5, 0, tzinfo=UTC),
    dt.datetime(2026, 3, 9, 3, 59, 59, 500000, tzinfo=UTC),
    dt.datetime(2026, 3, 9, 4, 0, tzinfo=UTC),
    dt.datetime(2026, 3, 28, 22, 59, tzinfo=UTC),
    dt.datetime(2026, 3, 28, 23, 30, tzinfo=UTC),
    dt.datetime(2026, 3, 29, 21, 59, tzinfo=UTC),
    dt.datetime(2026, 3, 29, 22, 30, tzinfo=UTC),
    dt.datetime(2026, 3, 1, 0, 0, tzinfo=UTC),  # the range's first instant: in
    dt.datetime(2026, 4, 5, 0, 0, tzinfo=UTC),  # its end: out
    dt.datetime(2026, 2, 28, 23, 59, tzinfo=UTC),  # before: out
]

REPORT = """
query R($from: DateTime!, $to: DateTime!, $groupBy: ReportGroupBy!) {
  salesReport(from: $from, to: $to, groupBy: $groupBy) {
    currency
    rows { key orders unitsSold gross { amount currency } refunds { amount } net { amount } }
    totals { key orders unitsSold gross { amount } refunds { amount } net { amount } }
  }
}
"""


@pytest.fixture(params=["Europe/Berlin", "America/New_York"])
def oms_settings(oms_settings, request):
    return dataclasses.replace(oms_settings, timezone=request.param)


@pytest.fixture
async def sales(oms_app, oms_graphql):
    """Paid orders at PAID_AT (physical with shipping, digital, both), some refunded, and
    one unpaid order."""
    await make_product(oms_app, product_type="physical", sku="MUG", price="12.50", stock=500,
                       attributes={"weight_grams": 350}, name="Mug")
    await make_product(oms_app, product_type="digital", sku="EBOOK", price="9.99",
                       attributes={"file_name": "b.pdf", "file": "books/b.pdf"}, name="Ebook")
    carts = [[("MUG", 2)], [("EBOOK", 1)], [("MUG", 1), ("EBOOK", 3)]]
    for i, paid_at in enumerate(PAID_AT):
        cart = carts[i % len(carts)]
        shipping = "standard" if any(sku == "MUG" for sku, _ in cart) else None
        placed = await place_paid_order(oms_app, oms_graphql, cart, shipping_method=shipping)
        order = await Order.get(number=placed["order"]["number"])
        await Order.filter(id=order.id).update(paid_at=paid_at)
        if i in (1, 5):
            await refund_paid_order(oms_app, order.id, "3.33")
        if i == 6:
            await refund_paid_order(oms_app, order.id, str(order.total))
    await place_paid_order(oms_app, oms_graphql, [("MUG", 5)], shipping_method="standard", pay=False)


@dataclasses.dataclass
class Expected:
    orders: set = dataclasses.field(default_factory=set)
    units: int = 0
    gross: Decimal = Decimal("0.00")
    refunds: Decimal = Decimal("0.00")


async def expected_by(key_of) -> tuple[dict[str, Expected], Expected]:
    """Per key and in total, from the ORM rows: orders paid in [FROM, TO), their lines,
    their shipping and their succeeded Refund rows (not Order.refunded_total)."""
    start, end = dt.datetime.fromisoformat(FROM), dt.datetime.fromisoformat(TO)
    rows: dict[str, Expected] = defaultdict(Expected)
    total = Expected()
    for order in await Order.filter(paid_at__isnull=False):
        if not start <= order.paid_at < end:
            continue
        refunded = sum(
            (Decimal(r.amount) for r in await Refund.filter(order_id=order.id, status=RefundStatus.SUCCEEDED)),
            Decimal("0.00"),
        )
        key = key_of(order.paid_at)
        for target in (rows[key], total):
            target.orders.add(order.id)
            target.gross += Decimal(order.shipping_total)
            target.refunds += refunded
        for line in await OrderLine.filter(order_id=order.id):
            for target in (rows[key], total):
                target.units += line.quantity
                target.gross += Decimal(line.unit_price) * line.quantity
    return rows, total


def amount(money) -> Decimal:
    return Decimal(money["amount"])


def check_row(row, expected: Expected) -> None:
    assert row["orders"] == len(expected.orders)
    assert row["unitsSold"] == expected.units
    assert amount(row["gross"]) == expected.gross
    assert amount(row["refunds"]) == expected.refunds
    assert amount(row["net"]) == expected.gross - expected.refunds


async def report(graphql, group_by: str, token: str):
    return (await graphql.query(REPORT, {"from": FROM, "to": TO, "groupBy": group_by}, token=token))["salesReport"]


@pytest.mark.parametrize(
    "group_by,key_of",
    [
        ("DAY", lambda zone: lambda t: t.astimezone(zone).date().isoformat()),
        ("WEEK", lambda zone: lambda t: "{0}-W{1:02d}".format(*t.astimezone(zone).isocalendar())),
        ("MONTH", lambda zone: lambda t: t.astimezone(zone).strftime("%Y-%m")),
    ],
)
async def test_time_rows_and_totals_agree_with_the_orders(
    oms_app, oms_graphql, oms_accounts, sales, group_by, key_of
):
    zone = ZoneInfo(oms_app.state.settings.timezone)
    expected, total = await expected_by(key_of(zone))
    result = await report(oms_graphql, group_by, oms_accounts.staff)
    assert result["currency"] == "USD"
    check_row(result["totals"], total)
    assert total.orders and total.refunds > 0  # the data has what the test is about
    keys = [b.key for b in buckets(dt.datetime.fromisoformat(FROM), dt.datetime.fromisoformat(TO),
                                   GroupBy(group_by), zone)]
    assert [r["key"] for r in result["rows"]] == keys  # every period, in order, empty ones too
    for row in result["rows"]:
        check_row(row, expected.get(row["key"], Expected()))


async def test_a_local_day_follows_the_store_time_zone(oms_app, oms_graphql, oms_accounts, sales):
    rows = {r["key"]: r for r in (await report(oms_graphql, "DAY", oms_accounts.staff))["rows"]}
    # 2026-03-28 23:30 UTC is the 29th in Berlin (CET, +1), the 28th in New York (EDT, -4).
    berlin = oms_app.state.settings.timezone == "Europe/Berlin"
    # [FROM, TO) is 35 UTC days: 36 partial local days either side of UTC.
    assert len(rows) == 36
    # 22:59 UTC on the 28th is 23:59 CET (the 28th) in Berlin, 18:59 EDT in New York; 22:30
    # UTC on the 29th is 00:30 CEST on the 30th in Berlin (its 29th had 23 hours).
    assert rows["2026-03-28"]["orders"] == (1 if berlin else 2)
    assert rows["2026-03-29"]["orders"] == 2
    assert rows["2026-03-30"]["orders"] == (1 if berlin else 0)
    # New York's 8th (23 hours, EST then EDT) holds 05:00 UTC on the 8th and 03:59:59.5 UTC
    # on the 9th; 04:59 UTC on the 8th is still its 7th.
    assert rows["2026-03-08"]["orders"] == 2
    assert rows["2026-03-07"]["orders"] == (0 if berlin else 1)


@pytest.mark.parametrize("group_by,column", [("PRODUCT_TYPE", "product_type"), ("PRODUCT", "sku")])
async def test_product_rows_share_everything_the_totals_hold(
    oms_app, oms_graphql, oms_accounts, sales, group_by, column
):
    _, total = await expected_by(lambda t: "all")
    result = await report(oms_graphql, group_by, oms_accounts.staff)
    check_row(result["totals"], total)
    rows = {r["key"]: r for r in result["rows"]}
    for field in ("gross", "refunds", "net"):
        assert sum(amount(r[field]) for r in rows.values()) == amount(result["totals"][field])
    assert sum(r["unitsSold"] for r in rows.values()) == total.units
    start, end = dt.datetime.fromisoformat(FROM), dt.datetime.fromisoformat(TO)
    lines = [
        line for line in await OrderLine.all().prefetch_related("order")
        if line.order.paid_at and start <= line.order.paid_at < end
    ]
    keys = {v.sku: v.product.slug for v in await Variant.all().prefetch_related("product")}
    for value in {getattr(line, column) for line in lines}:
        mine = [line for line in lines if getattr(line, column) == value]
        row = rows[keys.get(value, value)]
        assert amount(row["gross"]) == sum(Decimal(line.unit_price) * line.quantity for line in mine)
        assert row["unitsSold"] == sum(line.quantity for line in mine)
        assert row["orders"] == len({line.order_id for line in mine})
    shipping = rows["(shipping)"]
    assert shipping["unitsSold"] == 0
    assert amount(shipping["gross"]) == sum(
        (Decimal(o.shipping_total) for o in await Order.filter(paid_at__gte=start, paid_at__lt=end)), Decimal(0)
    )


@pytest.mark.parametrize(
    "start,end",
    [
        ("2026-03-02T00:00:00Z", "2026-03-02T00:00:00Z"),
        ("2026-03-02T00:00:00Z", "2026-03-01T00:00:00Z"),
        ("2020-01-01T00:00:00Z", "2026-01-01T00:00:00Z"),
    ],
)
async def test_an_empty_reversed_or_too_long_range_is_invalid(oms_graphql, oms_accounts, start, end):
    body = await oms_graphql.execute(
        REPORT, {"from": start, "to": end, "groupBy": "DAY"}, token=oms_accounts.staff
    )
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "INVALID"


async def test_only_staff_with_view_reports_read_it(oms_app, oms_graphql, oms_accounts):
    secret = oms_app.state.settings.secret_key
    clerk = await accounts.create_staff(email="clerk@example.com", password="clerk-pass-1",
                                        permissions=["MANAGE_ORDERS"])
    analyst = await accounts.create_staff(email="analyst@example.com", password="analyst-pass-1",
                                          permissions=["VIEW_REPORTS"])
    variables = {"from": FROM, "to": TO, "groupBy": "DAY"}
    for token in (None, oms_accounts.customer, await accounts.issue_token(Viewer(staff=clerk), secret=secret, ttl_seconds=600)):
        body = await oms_graphql.as_(token).execute(REPORT, variables)
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    token = await accounts.issue_token(Viewer(staff=analyst), secret=secret, ttl_seconds=600)
    result = (await oms_graphql.as_(token).query(REPORT, variables))["salesReport"]
    assert result["totals"]["orders"] == 0 and len(result["rows"]) == 36


async def test_gross_is_what_customers_paid_with_codes_and_tax_added(oms_app, oms_graphql, oms_accounts):
    """Tax added on top (prices excluding tax) and a discount code: a day's gross is the sum
    of its orders' totals, net that less their refunds."""
    from oms.payments.services import mark_order_paid
    from oms.testing import TEST_ADDRESS, run_jobs

    staff = oms_accounts.staff
    await make_product(oms_app, product_type="physical", sku="MUG", price="12.50", stock=50,
                       attributes={"weight_grams": 350}, name="Mug")
    rate = await oms_graphql.query(
        "mutation($i: CreateTaxRateInput!) { createTaxRate(input: $i) { userErrors { code } } }",
        {"i": {"name": "VAT", "country": "GB", "rate": "20"}}, token=staff)
    assert rate["createTaxRate"]["userErrors"] == []
    code = await oms_graphql.query(
        "mutation($i: CreateDiscountCodeInput!) { createDiscountCode(input: $i) { userErrors { code } } }",
        {"i": {"code": "TENOFF", "percentage": "10"}}, token=staff)
    assert code["createDiscountCode"]["userErrors"] == []

    day = dt.datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    totals = []
    for i, quantity in enumerate((1, 3)):
        placed = await oms_graphql.query(
            "mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { order { number total { amount } "
            "taxTotal { amount } discountTotal { amount } } userErrors { code message } } }",
            {"i": {"lines": [{"sku": "MUG", "quantity": quantity}], "email": "b@example.com",
                   "shippingAddress": TEST_ADDRESS, "shippingMethod": "standard",
                   "idempotencyKey": f"taxed-{i}", "discountCodes": ["TENOFF"]}})
        order_data = placed["placeOrder"]["order"]
        assert placed["placeOrder"]["userErrors"] == [] and Decimal(order_data["taxTotal"]["amount"]) > 0
        assert Decimal(order_data["discountTotal"]["amount"]) > 0
        order = await Order.get(number=order_data["number"])
        await mark_order_paid(order, reference=None, actor="staff@example.com")
        await run_jobs(oms_app)
        await Order.filter(id=order.id).update(paid_at=day)
        totals.append(Decimal(order_data["total"]["amount"]))
    await refund_paid_order(oms_app, (await Order.get(number=order_data["number"])).id, "5.00")

    body = await oms_graphql.query(
        REPORT, {"from": "2026-03-10T00:00:00+00:00", "to": "2026-03-11T00:00:00+00:00", "groupBy": "PRODUCT"},
        token=staff)
    report_totals = body["salesReport"]["totals"]
    assert amount(report_totals["gross"]) == sum(totals)
    assert amount(report_totals["net"]) == sum(totals) - Decimal("5.00")
    assert report_totals["unitsSold"] == 4
