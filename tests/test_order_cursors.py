"""The staff orders page makes its edges' cursors only when the query selects them
(``OrderPage.cursors`` is made when first asked); the cursors given are the same."""

from __future__ import annotations

from oms.orders import search
from oms.orders.models import Order
from tests.test_orders_graphql import place_guest

WITH_CURSORS = """
fragment E on OrderEdge { cursor }
query { orders(first: 10) { pageInfo { startCursor endCursor } edges { ...E node { number } } } }
"""
WITHOUT_CURSORS = "query { orders(first: 10) { pageInfo { startCursor endCursor } edges { node { number } } } }"


async def test_cursors_made_only_when_selected(oms_graphql, oms_accounts, catalog, monkeypatch):
    for i in range(5):
        await place_guest(oms_graphql, f"cursor-{i}")
    made: list[int] = []
    encode = search.encode_cursor

    def counting(order: Order, sort: search.OrderSort) -> str:
        made.append(order.id)
        return encode(order, sort)

    monkeypatch.setattr(search, "encode_cursor", counting)
    staff = oms_graphql.as_(oms_accounts.staff)

    with_cursors = (await staff.query(WITH_CURSORS))["orders"]
    orders = sorted(await Order.all(), key=lambda order: -order.id)
    expected = [encode(order, search.NEWEST_FIRST) for order in orders]
    assert [edge["cursor"] for edge in with_cursors["edges"]] == expected  # through a fragment
    assert with_cursors["pageInfo"] == {"startCursor": expected[0], "endCursor": expected[-1]}
    assert [edge["node"]["number"] for edge in with_cursors["edges"]] == [o.number for o in orders]

    made.clear()
    without = (await staff.query(WITHOUT_CURSORS))["orders"]
    assert without["pageInfo"] == with_cursors["pageInfo"]
    assert len(without["edges"]) == 5
    assert made == [orders[0].id, orders[-1].id]  # the page's first and last only
