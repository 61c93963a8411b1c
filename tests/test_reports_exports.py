"""CSV exports: the same orders and numbers as the API's orders(filter:), streamed in keyset
chunks; the HTTP route is for staff with VIEW_REPORTS; bad filters are a 400 in one line."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from oms.accounts import services as accounts
from oms.accounts.permissions import Viewer
from oms.orders.inputs import OrderFilter
from oms.orders.models import Order, OrderLine
from oms.orders.status import OrderStatus, PaymentStatus
from oms.reports.cli import write_export
from oms.reports.exports import LINE_COLUMNS, ORDER_COLUMNS, Export

N_ORDERS = 300
START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
STATUSES = [
    (OrderStatus.PROCESSING, PaymentStatus.PAID),
    (OrderStatus.COMPLETED, PaymentStatus.PAID),
    (OrderStatus.PENDING_PAYMENT, PaymentStatus.PENDING),
    (OrderStatus.CANCELED, PaymentStatus.REFUNDED),
]

ORDERS = """
query O($filter: OrderFilter, $after: String) {
  orders(filter: $filter, first: 100, after: $after) {
    edges { node { number email status paymentStatus total { amount } subtotal { amount }
                   lines { sku quantity unitPrice { amount } } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


async def bulk_orders(n: int) -> None:
    """``n`` orders of 1-3 lines, one every 3 hours from START, in four states."""
    orders = []
    for i in range(n):
        status, payment = STATUSES[i % len(STATUSES)]
        orders.append(Order(
            number=str(1000 + i), token=f"t{i}", email=f"buyer{i % 7}@example.com", status=status,
            payment_status=payment, currency="USD", subtotal=0, shipping_total=Decimal("4.90") * (i % 2),
            total=0, idempotency_key=f"k{i}", cart_fingerprint="f",
            created_at=START + dt.timedelta(hours=3 * i),
            paid_at=START + dt.timedelta(hours=3 * i, minutes=5) if payment is not PaymentStatus.PENDING else None,
        ))  # fmt: skip
    await Order.bulk_create(orders, batch_size=500)
    lines = []
    totals: dict[int, Decimal] = {}
    for order in await Order.all().order_by("id"):
        for position in range(1 + order.id % 3):
            price = Decimal(f"{(order.id * 7 + position * 13) % 50 + 0.99:.2f}")
            quantity = 1 + (order.id + position) % 4
            lines.append(OrderLine(
                order_id=order.id, position=position, sku=f"SKU-{position}", name=f"Thing, \"{position}\"\nnew line",
                product_type="physical" if position % 2 == 0 else "digital", quantity=quantity,
                unit_price=price, currency="USD",
            ))  # fmt: skip
            totals[order.id] = totals.get(order.id, Decimal(0)) + price * quantity
    await OrderLine.bulk_create(lines, batch_size=500)
    for order_id, subtotal in totals.items():
        order = await Order.get(id=order_id)
        await Order.filter(id=order_id).update(subtotal=subtotal, total=subtotal + order.shipping_total)


@pytest.fixture
async def many_orders(oms_app):
    await bulk_orders(N_ORDERS)


async def api_orders(graphql, token, filter):
    found, after = [], None
    while True:
        page = (await graphql.query(ORDERS, {"filter": filter, "after": after}, token=token))["orders"]
        found += [edge["node"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return found
        after = page["pageInfo"]["endCursor"]


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


FILTERS = [
    ({}, {}),
    ({"status": "PROCESSING,COMPLETED", "from": "2026-01-10T00:00:00Z", "to": "2026-02-01"},
     {"status": ["PROCESSING", "COMPLETED"], "createdAfter": "2026-01-10T00:00:00+00:00",
      "createdBefore": "2026-02-01T00:00:00+00:00"}),
    ({"paymentStatus": "PENDING", "email": "buyer3@example.com"}, {"paymentStatus": ["PENDING"],
                                                                    "email": "buyer3@example.com"}),
]  # fmt: skip


@pytest.mark.parametrize("query,api_filter", FILTERS)
async def test_the_csv_holds_the_orders_and_numbers_of_the_api(
    oms_http, oms_graphql, oms_accounts, many_orders, query, api_filter
):
    headers = {"Authorization": f"Bearer {oms_accounts.staff}"}
    response = await oms_http.get("/exports/orders.csv", params=query, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    rows = read_csv(response.text)
    assert list(rows[0]) == list(ORDER_COLUMNS) if rows else True
    api = {o["number"]: o for o in await api_orders(oms_graphql, oms_accounts.staff, api_filter)}
    assert api, "the filter matches some orders"
    assert sorted(r["number"] for r in rows) == sorted(api)
    assert [int(r["id"]) for r in rows] == sorted(int(r["id"]) for r in rows)  # keyset order
    for row in rows:
        order = api[row["number"]]
        assert (row["email"], row["status"], row["payment_status"]) == (
            order["email"], order["status"], order["paymentStatus"]
        )
        assert Decimal(row["total"]) == Decimal(order["total"]["amount"])
        assert Decimal(row["subtotal"]) == Decimal(order["subtotal"]["amount"])

    response = await oms_http.get("/exports/lines.csv", params=query, headers=headers)
    assert response.status_code == 200
    lines = read_csv(response.text)
    assert {r["order_number"] for r in lines} == set(api)
    for number, order in api.items():
        mine = [r for r in lines if r["order_number"] == number]
        assert [(r["sku"], int(r["quantity"]), Decimal(r["unit_price"])) for r in mine] == [
            (line["sku"], line["quantity"], Decimal(line["unitPrice"]["amount"])) for line in order["lines"]
        ]
        assert sum(Decimal(r["amount"]) for r in mine) == Decimal(order["subtotal"]["amount"])
    assert all(r["name"].endswith("\nnew line") for r in lines)  # quoting survives the round trip


@pytest.mark.parametrize("kind", ["orders", "lines"])
async def test_chunks_cover_every_order_once(oms_app, many_orders, kind):
    export = Export(kind, OrderFilter(status=["PROCESSING"]), chunk=7)
    out = io.BytesIO()
    stderr = io.StringIO()
    done = await write_export(export, out, progress=True, stderr=stderr)
    expected = await Order.filter(status=OrderStatus.PROCESSING).count()
    assert done == expected and expected > 7 * 3
    rows = read_csv(out.getvalue().decode())
    column = "id" if kind == "orders" else "order_id"
    assert len({r[column] for r in rows}) == expected
    if kind == "orders":
        assert len(rows) == expected
    else:
        assert list(rows[0]) == list(LINE_COLUMNS)
        assert len(rows) == await OrderLine.filter(order__status=OrderStatus.PROCESSING).count()
    assert "Exporting" in stderr.getvalue()


async def test_anonymous_customers_and_staff_without_view_reports_are_refused(oms_app, oms_http, oms_accounts):
    secret = oms_app.state.settings.secret_key
    clerk = await accounts.create_staff(email="clerk@example.com", password="clerk-pass-1",
                                        permissions=["MANAGE_ORDERS"])
    clerk_token = await accounts.issue_token(Viewer(staff=clerk), secret=secret, ttl_seconds=600)
    for path in ("/exports/orders.csv", "/exports/lines.csv"):
        assert (await oms_http.get(path)).status_code == 401
        bad = await oms_http.get(path, headers={"Authorization": "Bearer forged"})
        assert bad.status_code == 401
        for token in (oms_accounts.customer, clerk_token):
            response = await oms_http.get(path, headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == 403
            assert response.text == "This needs the VIEW_REPORTS permission.\n"


@pytest.mark.parametrize(
    "params,words",
    [
        ({"status": "SHIPPED"}, "status: 'SHIPPED' is not one of"),
        ({"from": "last tuesday"}, "from: 'last tuesday' is not an ISO 8601 date"),
        ({"needsReview": "maybe"}, "needsReview: is true or false"),
        ({"colour": "red"}, "colour: is not a filter"),
        ({"email": "x" * 300}, "email has more than 254 characters"),
        ({"createdAfter": "0001-01-01T00:00:00+01:00"}, "out of range"),
        ({"productType": ["a", "b"]}, "productType: give it once"),
    ],
)
async def test_a_bad_filter_is_a_400_in_one_line(oms_http, oms_accounts, params, words):
    response = await oms_http.get(
        "/exports/orders.csv", params=params, headers={"Authorization": f"Bearer {oms_accounts.staff}"}
    )
    assert response.status_code == 400
    assert words in response.text
    assert response.text.count("\n") == 1


SALES = """
query S($from: DateTime!, $to: DateTime!) {
  salesReport(from: $from, to: $to, groupBy: PRODUCT_TYPE) { totals { orders unitsSold gross { amount } } }
}
"""


async def test_the_csv_and_the_sales_report_agree(oms_http, oms_graphql, oms_accounts, many_orders):
    headers = {"Authorization": f"Bearer {oms_accounts.staff}"}
    orders = read_csv((await oms_http.get("/exports/orders.csv", headers=headers)).text)
    lines = read_csv((await oms_http.get("/exports/lines.csv", headers=headers)).text)
    paid = {r["id"]: r for r in orders if r["paid_at"]}
    gross = sum(Decimal(r["amount"]) for r in lines if r["order_id"] in paid)
    gross += sum(Decimal(r["shipping_total"]) for r in paid.values())
    window = {"from": "2025-12-01T00:00:00Z", "to": "2026-12-01T00:00:00Z"}
    totals = (await oms_graphql.query(SALES, window, token=oms_accounts.staff))["salesReport"]["totals"]
    assert totals["orders"] == len(paid) > 0
    assert Decimal(totals["gross"]["amount"]) == gross
    assert totals["unitsSold"] == sum(int(r["quantity"]) for r in lines if r["order_id"] in paid)
    assert dt.datetime.fromisoformat(orders[0]["created_at"]) == START  # times read back as they were
