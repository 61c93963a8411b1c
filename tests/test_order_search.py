"""Staff find any order: every filter, every sort both ways, keyset cursors (oms.orders.search)."""

from __future__ import annotations

import base64
import datetime as dt
from decimal import Decimal

import pytest

from oms.fulfillment.models import Fulfillment
from oms.orders.models import Order
from oms.orders.search import name_key
from tests.conftest import ADDRESS, PLACE_ORDER

FIND = """
query Find($first: Int, $after: String, $filter: OrderFilter, $sort: OrderSort) {
  orders(first: $first, after: $after, filter: $filter, sort: $sort) {
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { number email total { amount } createdAt } }
  }
}
"""

COUNTED = """
query Counted($filter: OrderFilter) {
  orders(first: 1, filter: $filter) { ...Counts edges { node { number } } }
}
fragment Counts on OrderConnection { totalCount }
"""

# (email, billing name, lines, created day, total): created and total are set afterwards,
# in an order unlike the ids', so each sort is told apart from the others.
ORDERS = [
    ("jane@example.com", "Jane Doe", [{"sku": "MUG", "quantity": 1}], 3, "40.00"),
    ("john@example.com", "John  Smith", [{"sku": "EBOOK", "quantity": 1}], 1, "9.00"),
    ("jane.other@example.com", "Janet Jackson", [{"sku": "PLAN-M", "quantity": 1}], 5, "100.00"),
    ("zoe@example.com", None, [{"sku": "MUG", "quantity": 2}, {"sku": "EBOOK", "quantity": 1}], 2, "10.00"),
    ("ann@example.com", "Ann Lee", [{"sku": "EBOOK", "quantity": 1}], 4, "9.50"),
]


@pytest.fixture
async def orders(oms_graphql, oms_accounts, catalog) -> dict[str, str]:
    """Number by email; the staff token under "staff"."""
    numbers = {}
    for i, (email, name, lines, day, total) in enumerate(ORDERS):
        billing = {**ADDRESS, "name": name} if name else None
        extra = {"billingAddress": billing} if billing else {}
        if any(line["sku"] == "MUG" for line in lines):
            extra |= {"shippingAddress": {**ADDRESS, "name": "Shipping Person"}, "shippingMethod": "standard"}
        data = await oms_graphql.query(PLACE_ORDER, {"input": {
            "lines": lines, "email": email, "idempotencyKey": f"search-{i}", **extra}})
        assert data["placeOrder"]["userErrors"] == []
        number = data["placeOrder"]["order"]["number"]
        await Order.filter(number=number).update(
            created_at=dt.datetime(2026, 3, day, 12, tzinfo=dt.UTC), total=Decimal(total))
        numbers[email] = number
    return {**numbers, "staff": oms_accounts.staff}


async def find(gql, token, **variables) -> list[str]:
    data = await gql.as_(token).query(FIND, variables)
    return [edge["node"]["number"] for edge in data["orders"]["edges"]]


def by(orders, *emails) -> list[str]:
    return [orders[email] for email in emails]


async def test_placement_writes_the_customer_name(orders):
    jane = await Order.get(number=orders["jane@example.com"])
    john = await Order.get(number=orders["john@example.com"])
    zoe = await Order.get(number=orders["zoe@example.com"])
    assert (jane.customer_name, jane.customer_name_key) == ("Jane Doe", "jane doe")
    assert (john.customer_name, john.customer_name_key) == ("John Smith", "john smith")
    # No billing address: the shipping address's name.
    assert zoe.customer_name == "Shipping Person"


@pytest.mark.parametrize(
    ("filter_", "emails"),
    [
        pytest.param({"number": "#@jane@example.com"}, ["jane@example.com"], id="number-hash"),
        pytest.param({"number": "@ann@example.com"}, ["ann@example.com"], id="number"),
        pytest.param({"number": "999999"}, [], id="number-miss"),
        pytest.param({"customerName": "  JANE   doe "}, ["jane@example.com"], id="name-normalized"),
        pytest.param({"customerName": "jan"}, ["jane.other@example.com", "jane@example.com"], id="name-prefix"),
        pytest.param({"customerName": "doe"}, [], id="name-not-infix"),
        pytest.param({"customerName": "50%_"}, [], id="name-wildcards-are-literal"),
        pytest.param({"sku": "EBOOK"}, ["ann@example.com", "zoe@example.com", "john@example.com"], id="sku"),
        pytest.param({"sku": "ebook"}, [], id="sku-exact"),
        pytest.param({"trackingNumber": "1Z999"}, ["john@example.com"], id="tracking"),
        pytest.param({"trackingNumber": "1Z9"}, [], id="tracking-exact"),
        pytest.param({"email": "JANE@example.com"}, ["jane@example.com"], id="email"),
        pytest.param({"search": "jane"}, ["jane.other@example.com", "jane@example.com"], id="search-email-prefix"),
        pytest.param({"search": "Ann L"}, ["ann@example.com"], id="search-name-prefix"),
        pytest.param({"search": "1Z999"}, ["john@example.com"], id="search-tracking"),
        pytest.param({"search": "PLAN-M"}, ["jane.other@example.com"], id="search-sku"),
        pytest.param({"search": "example.com"}, [], id="search-no-infix"),
        pytest.param({"sku": "MUG", "customerName": "jane"}, ["jane@example.com"], id="combined"),
        pytest.param({"needsReview": True}, ["zoe@example.com"], id="needs-review"),
        pytest.param({"productType": "subscription"}, ["jane.other@example.com"], id="product-type"),
        pytest.param({"status": ["CANCELED"]}, [], id="status"),
        pytest.param({"paymentStatus": ["PENDING"], "sku": "PLAN-M"}, ["jane.other@example.com"], id="payment"),
        pytest.param(
            {"createdAfter": "2026-03-02T00:00:00Z", "createdBefore": "2026-03-04T00:00:00Z"},
            ["zoe@example.com", "jane@example.com"], id="date-range",
        ),
    ],
)
async def test_each_filter(oms_graphql, orders, filter_, emails):
    await Order.filter(number=orders["zoe@example.com"]).update(needs_review=True)
    john = await Order.get(number=orders["john@example.com"])
    await Fulfillment.create(order_id=john.id, product_type="digital", tracking_number="1Z999")
    if "number" in filter_:  # "@email" stands for that order's number
        prefix, _, email = filter_["number"].partition("@")
        filter_ = {"number": prefix + orders[email] if email else filter_["number"]}
    found = await find(oms_graphql, orders["staff"], filter=filter_, first=100)
    # Default order: newest first (by number), whatever the filter.
    assert found == sorted(by(orders, *emails), key=int, reverse=True)


@pytest.mark.parametrize(
    ("sort", "emails"),
    [
        pytest.param(None, ["ann", "zoe", "jane.other", "john", "jane"], id="default-newest"),
        pytest.param({"field": "NUMBER"}, ["ann", "zoe", "jane.other", "john", "jane"], id="number-desc"),
        pytest.param({"field": "NUMBER", "direction": "ASC"}, ["jane", "john", "jane.other", "zoe", "ann"],
                     id="number-asc"),
        pytest.param({"field": "CREATED", "direction": "DESC"}, ["jane.other", "ann", "jane", "zoe", "john"],
                     id="created-desc"),
        pytest.param({"field": "CREATED", "direction": "ASC"}, ["john", "zoe", "jane", "ann", "jane.other"],
                     id="created-asc"),
        # 100.00 > 40.00 > 10.00 > 9.50 > 9.00: by value, not as text.
        pytest.param({"field": "TOTAL", "direction": "DESC"}, ["jane.other", "jane", "zoe", "ann", "john"],
                     id="total-desc"),
        pytest.param({"field": "TOTAL", "direction": "ASC"}, ["john", "ann", "zoe", "jane", "jane.other"],
                     id="total-asc"),
    ],
)
@pytest.mark.parametrize("page", [1, 2, 5])
async def test_sorts_and_cursor_round_trips(oms_graphql, orders, sort, emails, page):
    expected = by(orders, *(f"{name}@example.com" for name in emails))
    seen: list[str] = []
    after = None
    for _ in range(10):
        data = await oms_graphql.as_(orders["staff"]).query(FIND, {"first": page, "after": after, "sort": sort})
        conn = data["orders"]
        seen += [edge["node"]["number"] for edge in conn["edges"]]
        assert conn["pageInfo"]["hasPreviousPage"] == (after is not None)
        if not conn["pageInfo"]["hasNextPage"]:
            break
        assert conn["pageInfo"]["endCursor"] == conn["edges"][-1]["cursor"]
        after = conn["pageInfo"]["endCursor"]
    assert seen == expected


@pytest.mark.parametrize(
    ("sort", "emails"),
    [
        pytest.param(None, ["ann", "zoe", "jane"], id="default-newest"),
        pytest.param({"field": "NUMBER", "direction": "ASC"}, ["jane", "zoe", "ann"], id="number-asc"),
        pytest.param({"field": "CREATED", "direction": "DESC"}, ["ann", "jane", "zoe"], id="created-desc"),
        pytest.param({"field": "TOTAL", "direction": "ASC"}, ["ann", "zoe", "jane"], id="total-asc"),
    ],
)
async def test_a_created_range_pages_one_by_one_whatever_the_ids(oms_graphql, orders, sort, emails):
    # Days 2-4 are orders 4, 1 and 5 (ids not in creation order): the range's id bounds
    # (1..5) hold john and jane.other too, whom the dates must still leave out.
    window = {"createdAfter": "2026-03-02T00:00:00Z", "createdBefore": "2026-03-05T00:00:00Z"}
    seen: list[str] = []
    after = None
    for _ in range(5):
        data = await oms_graphql.as_(orders["staff"]).query(
            FIND, {"first": 1, "after": after, "sort": sort, "filter": window})
        conn = data["orders"]
        seen += [edge["node"]["number"] for edge in conn["edges"]]
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    assert seen == by(orders, *(f"{name}@example.com" for name in emails))


async def test_ties_are_broken_by_id(oms_graphql, orders):
    await Order.all().update(total=Decimal("5.00"), created_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    for field in ("TOTAL", "CREATED"):
        for direction, reverse in (("ASC", False), ("DESC", True)):
            seen, after = [], None
            while True:
                data = await oms_graphql.as_(orders["staff"]).query(
                    FIND, {"first": 2, "after": after, "sort": {"field": field, "direction": direction}})
                seen += [edge["node"]["number"] for edge in data["orders"]["edges"]]
                if not data["orders"]["pageInfo"]["hasNextPage"]:
                    break
                after = data["orders"]["pageInfo"]["endCursor"]
            assert seen == sorted(seen, key=int, reverse=reverse)
            assert len(seen) == len(ORDERS)


@pytest.mark.parametrize(
    "cursor",
    [
        pytest.param("not base64!", id="garbage"),
        pytest.param(base64.urlsafe_b64encode(b"cursor:3").decode(), id="old-id-cursor"),
        pytest.param(base64.urlsafe_b64encode(b'["o1","TOTAL","x",1]').decode(), id="bad-value"),
        pytest.param(base64.urlsafe_b64encode(b'["o1","CREATED","2026-03-01T00:00:00",1]').decode(), id="naive"),
        pytest.param(base64.urlsafe_b64encode(b'["o1","TOTAL","NaN",1]').decode(), id="nan"),
        pytest.param("A" * 5000, id="huge"),
    ],
)
async def test_bad_cursors_are_user_errors(oms_graphql, orders, cursor):
    result = await oms_graphql.as_(orders["staff"]).execute(
        FIND, {"after": cursor, "sort": {"field": "TOTAL"} if "TOTAL" in cursor else None})
    assert result["errors"][0]["extensions"]["code"] == "INVALID"


async def test_a_cursor_of_another_sort_is_refused(oms_graphql, orders):
    staff = oms_graphql.as_(orders["staff"])
    data = await staff.query(FIND, {"first": 1, "sort": {"field": "TOTAL"}})
    cursor = data["orders"]["pageInfo"]["endCursor"]
    result = await staff.execute(FIND, {"first": 1, "after": cursor, "sort": {"field": "CREATED"}})
    assert result["errors"][0]["extensions"]["code"] == "INVALID"


async def test_total_count_only_when_selected(oms_graphql, orders, monkeypatch):
    from oms.orders import search

    counted = []
    real_total = search.OrderPage.total

    async def spy(self):
        counted.append(1)
        return await real_total(self)

    monkeypatch.setattr(search.OrderPage, "total", spy)
    staff = oms_graphql.as_(orders["staff"])
    await staff.query(FIND, {"first": 1})
    assert counted == []
    data = await staff.query(COUNTED, {"filter": {"sku": "EBOOK"}})
    assert data["orders"]["totalCount"] == 3
    assert counted == [1]


@pytest.mark.parametrize(
    ("filter_", "field"),
    [
        pytest.param({"customerName": "x" * 201}, "customerName", id="name"),
        pytest.param({"sku": "x" * 65}, "sku", id="sku"),
        pytest.param({"trackingNumber": "x" * 101}, "trackingNumber", id="tracking"),
        pytest.param({"number": "9" * 40}, "number", id="number"),
    ],
)
async def test_too_long_terms_are_user_errors(oms_graphql, orders, filter_, field):
    result = await oms_graphql.as_(orders["staff"]).execute(FIND, {"filter": filter_})
    assert [e["extensions"]["code"] for e in result["errors"]] == ["INVALID"]
    assert field in result["errors"][0]["message"]


async def test_customers_cannot_search_and_me_orders_still_pages(oms_graphql, oms_accounts, orders):
    result = await oms_graphql.as_(oms_accounts.customer).execute(FIND, {"filter": {"sku": "MUG"}})
    assert result["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    alice = oms_graphql.as_(oms_accounts.customer)
    for key in ("a", "b", "c"):
        data = await alice.query(PLACE_ORDER, {"input": {
            "lines": [{"sku": "EBOOK", "quantity": 1}], "idempotencyKey": f"me-{key}"}})
        assert data["placeOrder"]["userErrors"] == []
    query = "query($a: String) { me { orders(first: 2, after: $a) { edges { node { number } } " \
            "pageInfo { endCursor hasNextPage } } } }"
    first = (await alice.query(query))["me"]["orders"]
    rest = (await alice.query(query, {"a": first["pageInfo"]["endCursor"]}))["me"]["orders"]
    numbers = [e["node"]["number"] for e in first["edges"] + rest["edges"]]
    assert len(numbers) == 3 and numbers == sorted(numbers, key=int, reverse=True)
    assert first["pageInfo"]["hasNextPage"] and not rest["pageInfo"]["hasNextPage"]


def test_name_key_folds_case_width_and_spaces():
    assert name_key("  Ｊａｎｅ   DOE ") == "jane doe"
    assert name_key("   ") is None
    assert name_key(None) is None
    assert name_key("Straße") == "strasse"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("NUMBER", 7),
        ("NUMBER", 2_147_483_647),
        ("TOTAL", Decimal("40.00")),
        ("TOTAL", Decimal("-0.50")),
        ("TOTAL", Decimal("1E+3")),
        ("TOTAL", Decimal("NaN")),  # letters beyond E: the escaping path (refused when decoded)
        ("CREATED", dt.datetime(2026, 12, 7, 15, 4, 5, 123456, tzinfo=dt.UTC)),
        ("CREATED", dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=-5)))),
    ],
)
def test_cursors_are_the_json_they_always_were(field, value):
    """encode_cursor writes its JSON by hand: byte for byte what json.dumps wrote, so the
    cursors clients hold stay valid."""
    import json
    from types import SimpleNamespace

    from oms.orders import search

    sort = search.OrderSort(field=search.SortField(field))
    column = search._COLUMN[sort.field]
    order = SimpleNamespace(id=value if field == "NUMBER" else 42, **({} if column == "id" else {column: value}))
    shown = value.astimezone(dt.UTC).isoformat() if isinstance(value, dt.datetime) else value
    raw = json.dumps(["o1", field, str(shown), order.id], separators=(",", ":"))
    cursor = search.encode_cursor(order, sort)  # type: ignore[arg-type]
    assert cursor == base64.urlsafe_b64encode(raw.encode()).decode()
    if field != "TOTAL" or value.is_finite():
        assert search.decode_cursor(cursor, sort)[1] == order.id


async def test_lines_of_orders_are_the_models_the_orm_makes(orders):
    """On PostgreSQL the page's lines come from a hand-written statement: the same models,
    attribute for attribute (JSON options, decimals, enums), in the same order."""
    from oms.orders import search
    from oms.orders.models import OrderLine

    ids = [order.id for order in await Order.all().order_by("-id")]
    found = await search.lines_of_orders(ids)
    expected = await OrderLine.filter(order_id__in=ids).order_by("order_id", "position")
    assert [vars(line) for line in found] == [vars(line) for line in expected]
    assert len(found) == 6 and {line.order_id for line in found} == set(ids)
    assert await search.lines_of_orders([]) == []
