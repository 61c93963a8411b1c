"""``me.orders`` reads as the staff ``orders`` list does (issue 15): the page's lines in one
batch ahead (``Order.lines`` then answers without an await), and no COUNT unless the query
selects ``totalCount``. On SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from tortoise import connections

from tests.conftest import PLACE_ORDER

PAGE = """
query Mine($first: Int, $after: String) {
  me { orders(first: $first, after: $after) {
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id number email total { amount }
                          lines { id sku quantity unitPrice { amount } } } }
  } }
}
"""

COUNTED = """
query Mine($first: Int, $after: String) {
  me { orders(first: $first, after: $after) {
    ...Counted
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id number email total { amount }
                          lines { id sku quantity unitPrice { amount } } } }
  } }
}
fragment Counted on OrderConnection { totalCount }
"""


@contextlib.contextmanager
def statements() -> Iterator[list[str]]:
    """The SQL of every statement Tortoise's default connection runs while the block runs."""
    sent: list[str] = []
    client = type(connections.get("default"))
    query, query_dict = client.execute_query, client.execute_query_dict

    async def tap_query(self, sql, values=None):
        sent.append(sql)
        return await query(self, sql, values)

    async def tap_query_dict(self, sql, values=None):
        sent.append(sql)
        return await query_dict(self, sql, values)

    client.execute_query, client.execute_query_dict = tap_query, tap_query_dict  # type: ignore[method-assign]
    try:
        yield sent
    finally:
        client.execute_query, client.execute_query_dict = query, query_dict  # type: ignore[method-assign]


def counts(sent: list[str]) -> list[str]:
    return [sql for sql in sent if "COUNT(" in sql.upper()]


async def place(gql, key: str, lines: list[dict], **extra: str) -> str:
    data = await gql.query(PLACE_ORDER, {"input": {"lines": lines, "idempotencyKey": key, **extra}})
    assert data["placeOrder"]["userErrors"] == []
    return data["placeOrder"]["order"]["id"]


TWO_LINES = [{"sku": "EBOOK", "quantity": 1}, {"sku": "PLAN-M", "quantity": 1}]


async def test_a_page_with_lines_costs_the_same_statements_for_any_number_of_orders(
    oms_graphql, oms_accounts, catalog
):
    alice = oms_graphql.as_(oms_accounts.customer)
    await place(alice, "me-0", TWO_LINES)
    with statements() as one:
        small = (await alice.query(PAGE))["me"]["orders"]
    for i in range(1, 5):
        await place(alice, f"me-{i}", TWO_LINES)
    with statements() as five:
        large = (await alice.query(PAGE))["me"]["orders"]

    assert [len(e["node"]["lines"]) for e in small["edges"]] == [2]
    assert [len(e["node"]["lines"]) for e in large["edges"]] == [2] * 5
    assert len(five) == len(one), (one, five)
    assert counts(one) == counts(five) == []


async def test_lines_are_loaded_with_the_page_not_order_by_order(oms_graphql, oms_accounts, catalog, monkeypatch):
    """``Order.lines`` finds the page's lines ready: it never loads them itself."""
    from oms.graphql.orders import Order

    async def refuse(self, info):
        raise AssertionError("Order.lines loaded its own lines")

    alice = oms_graphql.as_(oms_accounts.customer)
    for i in range(3):
        await place(alice, f"me-{i}", TWO_LINES)
    monkeypatch.setattr(Order, "_load_lines", refuse)
    data = (await alice.query(PAGE))["me"]["orders"]
    assert [[line["sku"] for line in e["node"]["lines"]] for e in data["edges"]] == [["EBOOK", "PLAN-M"]] * 3


async def test_total_count_is_counted_only_when_asked_and_is_right(oms_graphql, oms_accounts, catalog):
    alice = oms_graphql.as_(oms_accounts.customer)
    bob = oms_graphql.as_(oms_accounts.other_customer)
    mine = [await place(alice, f"me-{i}", TWO_LINES) for i in range(3)]
    await place(bob, "bob-0", TWO_LINES)
    await place(oms_graphql, "guest-0", TWO_LINES, email="guest@example.com")

    with statements() as plain:
        first = (await alice.query(PAGE, {"first": 2}))["me"]["orders"]
    with statements() as counted:
        first_counted = (await alice.query(COUNTED, {"first": 2}))["me"]["orders"]
    after = {"first": 2, "after": first["pageInfo"]["endCursor"]}
    rest_counted = (await alice.query(COUNTED, after))["me"]["orders"]
    rest = (await alice.query(PAGE, after))["me"]["orders"]

    assert counts(plain) == []
    assert len(counts(counted)) == 1
    assert len(counted) == len(plain) + 1
    # Only alice's orders, newest first, the same with or without the count.
    assert first_counted["totalCount"] == rest_counted["totalCount"] == 3
    assert {k: v for k, v in first_counted.items() if k != "totalCount"} == first
    assert {k: v for k, v in rest_counted.items() if k != "totalCount"} == rest
    assert [e["node"]["id"] for e in first["edges"] + rest["edges"]] == mine[::-1]
    assert first["pageInfo"]["hasNextPage"] and not rest["pageInfo"]["hasNextPage"]
    assert rest["pageInfo"]["hasPreviousPage"]
    assert (await bob.query(COUNTED))["me"]["orders"]["totalCount"] == 1
