"""Issue 13 at size: the CSV export of 100,000 orders (the bulk seeder's history: 1-4 lines
of the four types, payments, cancellations, refunds), read back with Python's csv module,
holds every order and every line with the same numbers as the API's orders pages."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from oms.bulkseed import seed_orders
from oms.clock import utcnow
from oms.reports.cli import write_export
from oms.reports.exports import Export

N_ORDERS = 100_000

PAGE = """
query O($after: String) {
  orders(first: 100, after: $after) {
    edges { node { number email status paymentStatus
                   total { amount } subtotal { amount } refundedTotal { amount }
                   lines { sku quantity unitPrice { amount } } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


async def exported(kind: str) -> list[dict[str, str]]:
    out = io.BytesIO()
    await write_export(Export(kind, None), out, progress=False)
    return list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8"), newline="")))


async def test_an_export_of_100k_orders_round_trips_with_the_numbers_of_the_api(oms_app, oms_graphql, oms_accounts):
    seeded = await seed_orders(N_ORDERS, plugins=oms_app.state.plugins, settings=oms_app.state.settings,
                               seed=7, now=utcnow())  # fmt: skip
    assert seeded.orders == N_ORDERS

    orders = {row["number"]: row for row in await exported("orders")}
    lines: dict[str, list[tuple[str, int, Decimal]]] = {}
    for row in await exported("lines"):
        lines.setdefault(row["order_number"], []).append((row["sku"], int(row["quantity"]), Decimal(row["unit_price"])))
    assert len(orders) == N_ORDERS

    seen, after, line_count = 0, None, 0
    while True:
        page = (await oms_graphql.query(PAGE, {"after": after}, token=oms_accounts.staff))["orders"]
        for edge in page["edges"]:
            api = edge["node"]
            row = orders.pop(api["number"])
            assert (row["email"], row["status"], row["payment_status"]) == (
                api["email"], api["status"], api["paymentStatus"]
            ), api["number"]
            for column, field in (("total", "total"), ("subtotal", "subtotal"), ("refunded_total", "refundedTotal")):
                assert Decimal(row[column]) == Decimal(api[field]["amount"]), (api["number"], column)
            mine = lines.pop(api["number"])
            assert mine == [
                (line["sku"], line["quantity"], Decimal(line["unitPrice"]["amount"])) for line in api["lines"]
            ], api["number"]
            line_count += len(mine)
            seen += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    # Every exported order and line was matched by the API, and nothing else was exported.
    assert seen == N_ORDERS and orders == {} and lines == {}
    assert line_count > N_ORDERS
