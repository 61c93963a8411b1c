"""Orders through the API: pricing a cart, placing (guest and customer, idempotent),
the timeline and outbox, cancelling, and the staff `orders` list."""

from __future__ import annotations

import base64
import datetime as dt
import re
from decimal import Decimal

import pytest
from tortoise import connections

from oms.inventory.models import Stock
from oms.jobs.models import Job
from oms.orders.models import Order, OrderEvent
from tests.conftest import ADDRESS, PLACE_ORDER

PRICE_CART = """
query Price($input: CartInput!) {
  priceCart(input: $input) {
    lines { sku quantity productType unitPrice { amount currency } total { amount } available }
    subtotal { amount currency }
    shippingTotal { amount }
    total { amount }
    requiresShipping
    shippingMethods { code name price { amount } }
    userErrors { field code message }
  }
}
"""

ORDER_DETAILS = """
query Read($id: ID, $token: String) {
  order(id: $id, token: $token) {
    id number status paymentStatus email canceledAt
    customer { email }
    lines { sku quantity quantityCanceled status }
    events { type actor message data createdAt }
  }
}
"""

CANCEL = """
mutation Cancel($id: ID!, $token: String, $reason: String) {
  cancelOrder(id: $id, token: $token, reason: $reason) {
    order { id status paymentStatus canceledAt lines { status quantity quantityCanceled } }
    userErrors { field code message }
  }
}
"""

LIST_ORDERS = """
query List($first: Int, $after: String, $filter: OrderFilter) {
  orders(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { number email } }
  }
}
"""

MUG_AVAILABLE = '{ product(slug: "product-mug") { variants { quantityAvailable } } }'

MUGS = [{"sku": "MUG", "quantity": 2}]


def order_input(key: str, lines=MUGS, **extra) -> dict:
    shipped = any(line["sku"] == "MUG" for line in lines)
    shipping = {"shippingAddress": ADDRESS, "shippingMethod": "standard"} if shipped else {}
    return {"lines": lines, "idempotencyKey": key, **shipping, **extra}


async def place(gql, key: str, lines=MUGS, **extra) -> dict:
    """placeOrder that must succeed; returns the payload (order, orderToken)."""
    data = await gql.query(PLACE_ORDER, {"input": order_input(key, lines, **extra)})
    assert data["placeOrder"]["userErrors"] == []
    return data["placeOrder"]


async def place_guest(gql, key: str, lines=MUGS, email="guest@example.com") -> dict:
    return await place(gql, key, lines, email=email)


async def mugs_available(gql) -> int:
    data = await gql.query(MUG_AVAILABLE)
    return data["product"]["variants"][0]["quantityAvailable"]


# -- pricing --------------------------------------------------------------------------------


async def test_price_cart_prices_from_the_database(oms_graphql, catalog):
    data = await oms_graphql.query(
        PRICE_CART, {"input": {"lines": [{"sku": "MUG", "quantity": 2}, {"sku": "EBOOK", "quantity": 1}]}}
    )

    quote = data["priceCart"]
    assert quote["userErrors"] == []
    assert quote["lines"] == [
        {"sku": "MUG", "quantity": 2, "productType": "physical",
         "unitPrice": {"amount": "12.50", "currency": "USD"}, "total": {"amount": "25.00"}, "available": True},
        {"sku": "EBOOK", "quantity": 1, "productType": "digital",
         "unitPrice": {"amount": "9.99", "currency": "USD"}, "total": {"amount": "9.99"}, "available": True},
    ]
    assert quote["subtotal"] == {"amount": "34.99", "currency": "USD"}
    assert quote["shippingTotal"] == {"amount": "0.00"}  # no method chosen yet
    assert quote["total"] == {"amount": "34.99"}
    assert quote["requiresShipping"] is True
    assert quote["shippingMethods"] == [
        {"code": "standard", "name": "Standard shipping", "price": {"amount": "4.90"}}
    ]


async def test_free_shipping_is_offered_from_50_of_physical_goods(oms_graphql, catalog):
    async def method_codes(lines):
        data = await oms_graphql.query(PRICE_CART, {"input": {"lines": lines}})
        return [m["code"] for m in data["priceCart"]["shippingMethods"]]

    assert await method_codes([{"sku": "MUG", "quantity": 3}]) == ["standard"]  # 37.50
    assert await method_codes([{"sku": "MUG", "quantity": 4}]) == ["standard", "free"]  # 50.00
    # Only parcel value counts: 37.50 of mugs and 19.98 of e-books ship for a fee.
    assert await method_codes([{"sku": "MUG", "quantity": 3}, {"sku": "EBOOK", "quantity": 2}]) == ["standard"]


async def test_the_chosen_method_is_added_to_the_total(oms_graphql, catalog):
    async def totals(method):
        data = await oms_graphql.query(
            PRICE_CART, {"input": {"lines": [{"sku": "MUG", "quantity": 4}], "shippingMethod": method}}
        )
        quote = data["priceCart"]
        assert quote["userErrors"] == []
        return quote["shippingTotal"]["amount"], quote["total"]["amount"]

    assert await totals("standard") == ("4.90", "54.90")
    assert await totals("free") == ("0.00", "50.00")


async def test_a_cart_without_physical_goods_ships_nothing(oms_graphql, catalog):
    data = await oms_graphql.query(
        PRICE_CART, {"input": {"lines": [{"sku": "PLAN-M", "quantity": 1}, {"sku": "EBOOK", "quantity": 3}]}}
    )

    quote = data["priceCart"]
    assert (quote["requiresShipping"], quote["shippingMethods"], quote["total"]) == (False, [], {"amount": "44.97"})


async def test_price_cart_flags_lines_beyond_stock(oms_graphql, catalog):
    data = await oms_graphql.query(PRICE_CART, {"input": {"lines": [{"sku": "MUG", "quantity": 51}]}})

    quote = data["priceCart"]
    assert quote["lines"][0]["available"] is False
    assert [(e["code"], e["field"]) for e in quote["userErrors"]] == [("OUT_OF_STOCK", ["lines", "0", "quantity"])]


async def test_stock_is_counted_across_lines_of_one_sku(oms_graphql, catalog):
    lines = [{"sku": "MUG", "quantity": 30}, {"sku": "MUG", "quantity": 30}]

    data = await oms_graphql.query(PRICE_CART, {"input": {"lines": lines}})

    quote = data["priceCart"]
    assert [line["available"] for line in quote["lines"]] == [True, False]
    assert [e["field"] for e in quote["userErrors"]] == [["lines", "1", "quantity"]]


# -- placing --------------------------------------------------------------------------------


async def test_a_guest_places_an_order_and_gets_a_token(oms_graphql, catalog):
    placed = await place_guest(oms_graphql, "guest-1")

    order, token = placed["order"], placed["orderToken"]
    assert (order["status"], order["paymentStatus"], order["email"]) == ("PENDING_PAYMENT", "PENDING", "guest@example.com")
    assert order["total"] == {"amount": "29.90", "currency": "USD"}  # 2 x 12.50 + 4.90
    assert re.fullmatch(r"[A-Za-z0-9_-]{43,}", token)
    db_order = await Order.get(number=order["number"])
    assert token == db_order.token
    # Random, not an encoding of the id: no trace of the global id, many distinct symbols.
    assert order["id"] not in token
    assert len(set(token)) > 16


async def test_order_tokens_differ_between_orders(oms_graphql, catalog):
    first = await place_guest(oms_graphql, "guest-1")
    second = await place_guest(oms_graphql, "guest-2")

    assert first["orderToken"] != second["orderToken"]


async def test_placing_reserves_stock(oms_graphql, catalog):
    await place_guest(oms_graphql, "guest-1")

    assert await mugs_available(oms_graphql) == 48
    assert await Stock.get(variant__sku="MUG").values("quantity", "reserved") == {"quantity": 50, "reserved": 2}


async def test_a_customer_order_uses_the_account_email(oms_graphql, oms_accounts, catalog):
    alice = oms_graphql.as_(oms_accounts.customer)

    placed = await place(alice, "alice-1")
    read = await alice.query(ORDER_DETAILS, {"id": placed["order"]["id"]})

    assert placed["order"]["email"] == "alice@example.com"
    assert read["order"]["customer"] == {"email": "alice@example.com"}


async def test_a_customer_sees_their_orders_under_me(oms_graphql, oms_accounts, catalog):
    alice = oms_graphql.as_(oms_accounts.customer)
    first = await place(alice, "alice-1")
    second = await place(alice, "alice-2", lines=[{"sku": "EBOOK", "quantity": 1}])
    await place_guest(oms_graphql, "guest-1")
    query = "{ me { orders { totalCount edges { node { id } } } } }"

    mine = (await alice.query(query))["me"]["orders"]
    bobs = (await oms_graphql.as_(oms_accounts.other_customer).query(query))["me"]["orders"]

    assert mine["totalCount"] == 2
    assert [e["node"]["id"] for e in mine["edges"]] == [second["order"]["id"], first["order"]["id"]]
    assert bobs == {"totalCount": 0, "edges": []}


async def test_staff_cannot_place_orders(oms_graphql, oms_accounts, catalog):
    data = await oms_graphql.as_(oms_accounts.staff).query(
        PLACE_ORDER, {"input": order_input("staff-1", email="staff@example.com")}
    )

    assert [e["code"] for e in data["placeOrder"]["userErrors"]] == ["PERMISSION_DENIED"]
    assert await Order.all().count() == 0


async def test_order_numbers_count_up_from_1001(oms_graphql, catalog):
    numbers = [(await place_guest(oms_graphql, f"guest-{i}"))["order"]["number"] for i in range(3)]

    assert numbers == ["1001", "1002", "1003"]


# -- idempotency -------------------------------------------------------------------------------


async def test_a_customer_replaying_a_key_gets_the_same_order(oms_graphql, oms_accounts, catalog):
    alice = oms_graphql.as_(oms_accounts.customer)
    first = await place(alice, "key-1")
    again = await place(alice, "key-1")

    assert (again["order"]["id"], again["orderToken"]) == (first["order"]["id"], first["orderToken"])
    assert await Order.all().count() == 1
    assert await mugs_available(oms_graphql) == 48  # reserved once


async def test_a_guest_replay_shows_nothing_of_the_order(oms_graphql, catalog):
    # Whoever repeats a guest's email, cart and key (keys like "key-1" are guessable)
    # learns nothing: no order, no token. The link goes to the order's email address
    # (tests/test_order_recovery.py).
    await place_guest(oms_graphql, "key-1")

    data = await oms_graphql.query(PLACE_ORDER, {"input": order_input("key-1", email="guest@example.com")})

    payload = data["placeOrder"]
    assert payload["order"] is None and payload["orderToken"] is None
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [("ORDER_ALREADY_PLACED", ["idempotencyKey"])]
    assert await Order.all().count() == 1
    assert await mugs_available(oms_graphql) == 48  # reserved once


async def test_the_same_key_with_another_cart_is_a_conflict(oms_graphql, catalog):
    await place_guest(oms_graphql, "key-1")

    data = await oms_graphql.query(
        PLACE_ORDER, {"input": order_input("key-1", [{"sku": "MUG", "quantity": 3}], email="guest@example.com")}
    )

    payload = data["placeOrder"]
    assert payload["order"] is None and payload["orderToken"] is None
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [("IDEMPOTENCY_CONFLICT", ["idempotencyKey"])]
    assert await Order.all().count() == 1


async def test_a_customer_cannot_replay_a_guests_key(oms_graphql, oms_accounts, catalog):
    guest = await place_guest(oms_graphql, "key-1", email="alice@example.com")

    data = await oms_graphql.as_(oms_accounts.customer).query(PLACE_ORDER, {"input": order_input("key-1")})

    # Keys are scoped to their customer (or guest email): the same key is a new order of
    # the customer's own, never the guest's order or token.
    placed = data["placeOrder"]
    assert placed["userErrors"] == []
    assert placed["order"]["id"] != guest["order"]["id"]
    assert placed["orderToken"] != guest["orderToken"]


async def test_one_clients_key_does_not_block_another_client(oms_graphql, catalog):
    first = await place_guest(oms_graphql, "checkout-1", email="one@example.com")
    second = await place_guest(oms_graphql, "checkout-1", email="two@example.com")

    assert first["order"]["id"] != second["order"]["id"]


# -- timeline and outbox ---------------------------------------------------------------------


async def test_placing_writes_the_order_placed_event(oms_graphql, oms_accounts, catalog):
    guest = await place_guest(oms_graphql, "guest-1")
    alice = oms_graphql.as_(oms_accounts.customer)
    customer = await place(alice, "alice-1")

    guest_events = (await oms_graphql.query(ORDER_DETAILS, {"token": guest["orderToken"]}))["order"]["events"]
    customer_events = (await alice.query(ORDER_DETAILS, {"id": customer["order"]["id"]}))["order"]["events"]

    assert [(e["type"], e["actor"]) for e in guest_events] == [("order.placed", "guest@example.com")]
    assert [(e["type"], e["actor"]) for e in customer_events] == [("order.placed", "alice@example.com")]
    event = guest_events[0]
    assert guest["order"]["number"] in event["message"]
    assert event["data"] == {"total": "29.90", "lines": 1}
    assert dt.datetime.fromisoformat(event["createdAt"]).utcoffset() is not None


async def test_placing_writes_an_outbox_job_for_the_event(oms_graphql, catalog):
    placed = await place_guest(oms_graphql, "guest-1")

    order = await Order.get(number=placed["order"]["number"])
    event = await OrderEvent.get(order=order)
    jobs = await Job.filter(kind="order.event").values("payload", "status")
    assert jobs == [
        {"payload": {"order_id": order.id, "event_id": event.id, "type": "order.placed"}, "status": "QUEUED"}
    ]


async def test_the_order_and_its_job_commit_together(oms_graphql, catalog):
    """If the outbox write fails, the order, its lines and its reservation are gone too.
    The job table refuses every row (a trigger), whichever statement writes the job: the
    ORM's on SQLite, placement's single INSERT on PostgreSQL."""
    connection = connections.get("default")
    if connection.capabilities.dialect == "postgres":
        await connection.execute_script(
            "CREATE FUNCTION refuse_job() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'outbox unavailable'; END $$; "
            "CREATE TRIGGER refuse_job BEFORE INSERT ON job FOR EACH ROW EXECUTE FUNCTION refuse_job();"
        )
    else:
        await connection.execute_script(
            "CREATE TRIGGER refuse_job BEFORE INSERT ON job BEGIN SELECT RAISE(ABORT, 'outbox unavailable'); END;"
        )

    body = await oms_graphql.execute(PLACE_ORDER, {"input": order_input("guest-1", email="guest@example.com")})

    assert body["data"] is None
    assert [e["message"] for e in body["errors"]] == ["Unexpected error."]  # masked, no internals
    assert await Order.all().count() == 0
    assert await OrderEvent.all().count() == 0
    assert await mugs_available(oms_graphql) == 50


# -- cancelling --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["guest-with-token", "owner", "staff"])
async def test_cancel_releases_everything(oms_graphql, oms_accounts, catalog, who):
    if who == "guest-with-token":
        placed = await place_guest(oms_graphql, "order-1")
        canceller, token, actor = oms_graphql, placed["orderToken"], "guest@example.com"
    elif who == "owner":
        placed = await place(oms_graphql.as_(oms_accounts.customer), "order-1")
        canceller, token, actor = oms_graphql.as_(oms_accounts.customer), None, "alice@example.com"
    else:
        placed = await place_guest(oms_graphql, "order-1")
        canceller, token, actor = oms_graphql.as_(oms_accounts.staff), None, "staff@example.com"
    assert await mugs_available(oms_graphql) == 48

    data = await canceller.query(CANCEL, {"id": placed["order"]["id"], "token": token, "reason": "changed my mind"})

    payload = data["cancelOrder"]
    assert payload["userErrors"] == []
    order = payload["order"]
    assert (order["status"], order["paymentStatus"]) == ("CANCELED", "VOIDED")
    assert order["canceledAt"] is not None
    assert order["lines"] == [{"status": "CANCELED", "quantity": 2, "quantityCanceled": 2}]
    assert await mugs_available(oms_graphql) == 50
    events = await OrderEvent.filter(order__number=placed["order"]["number"]).order_by("id").values("type", "actor", "data")
    assert events[-1] == {"type": "order.canceled", "actor": actor, "data": {"reason": "changed my mind"}}
    assert await Job.filter(kind="order.event").count() == 2


async def test_another_customer_cannot_cancel(oms_graphql, oms_accounts, catalog):
    placed = await place(oms_graphql.as_(oms_accounts.customer), "alice-1")

    data = await oms_graphql.as_(oms_accounts.other_customer).query(CANCEL, {"id": placed["order"]["id"]})

    assert data["cancelOrder"]["order"] is None
    assert [(e["code"], e["field"]) for e in data["cancelOrder"]["userErrors"]] == [("NOT_FOUND", ["id"])]
    assert (await Order.get(number=placed["order"]["number"])).status == "PENDING_PAYMENT"
    assert await mugs_available(oms_graphql) == 48


async def test_a_guest_without_the_token_cannot_cancel(oms_graphql, catalog):
    placed = await place_guest(oms_graphql, "guest-1")

    data = await oms_graphql.query(CANCEL, {"id": placed["order"]["id"]})

    assert [e["code"] for e in data["cancelOrder"]["userErrors"]] == ["NOT_FOUND"]
    assert await mugs_available(oms_graphql) == 48


async def test_cancelling_twice_is_an_invalid_transition(oms_graphql, oms_accounts, catalog):
    placed = await place_guest(oms_graphql, "guest-1")
    staff = oms_graphql.as_(oms_accounts.staff)
    await staff.query(CANCEL, {"id": placed["order"]["id"]})

    data = await staff.query(CANCEL, {"id": placed["order"]["id"]})

    assert [e["code"] for e in data["cancelOrder"]["userErrors"]] == ["INVALID_TRANSITION"]
    assert await mugs_available(oms_graphql) == 50  # released once, not twice
    assert await OrderEvent.filter(type="order.canceled").count() == 1


# -- the staff list ---------------------------------------------------------------------------


@pytest.fixture
async def three_orders(oms_graphql, oms_accounts, catalog) -> dict[str, str]:
    """1001: a guest's mugs (canceled), 1002: alice's e-book, 1003: a guest's plan."""
    mugs = await place_guest(oms_graphql, "o-1", email="mug.fan@example.com")
    await place(oms_graphql.as_(oms_accounts.customer), "o-2", lines=[{"sku": "EBOOK", "quantity": 1}])
    await place_guest(oms_graphql, "o-3", lines=[{"sku": "PLAN-M", "quantity": 1}], email="planner@example.com")
    await oms_graphql.query(CANCEL, {"id": mugs["order"]["id"], "token": mugs["orderToken"]})
    return {"staff": oms_accounts.staff}


async def staff_numbers(gql, token: str, **filter_) -> list[str]:
    data = await gql.as_(token).query(LIST_ORDERS, {"filter": filter_})
    numbers = [edge["node"]["number"] for edge in data["orders"]["edges"]]
    assert data["orders"]["totalCount"] == len(numbers)
    return numbers


@pytest.mark.parametrize(
    ("filter_", "numbers"),
    [
        pytest.param({}, ["1003", "1002", "1001"], id="none-newest-first"),
        pytest.param({"status": ["CANCELED"]}, ["1001"], id="status"),
        pytest.param({"status": ["PENDING_PAYMENT", "PROCESSING"]}, ["1003", "1002"], id="statuses"),
        pytest.param({"paymentStatus": ["VOIDED"]}, ["1001"], id="payment-status"),
        pytest.param({"paymentStatus": ["PAID"]}, [], id="payment-status-none"),
        pytest.param({"productType": "digital"}, ["1002"], id="product-type"),
        pytest.param({"email": " Alice@Example.com "}, ["1002"], id="email-normalized"),
        pytest.param({"search": "1003"}, ["1003"], id="search-number"),
        pytest.param({"search": "#1001"}, ["1001"], id="search-hash-number"),
        pytest.param({"search": "PLANNER@"}, ["1003"], id="search-email"),
        pytest.param({"search": "EBOOK"}, ["1002"], id="search-sku"),
        pytest.param({"search": "nothing-like-it"}, [], id="search-miss"),
        pytest.param({"status": ["PENDING_PAYMENT"], "productType": "subscription"}, ["1003"], id="combined"),
    ],
)
async def test_staff_filter_orders(oms_graphql, three_orders, filter_, numbers):
    assert await staff_numbers(oms_graphql, three_orders["staff"], **filter_) == numbers


async def test_staff_filter_orders_by_creation_time(oms_graphql, three_orders):
    january = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)
    await Order.filter(number="1002").update(created_at=january)
    token = three_orders["staff"]

    before = await staff_numbers(oms_graphql, token, createdBefore="2026-02-01T00:00:00+00:00")
    after = await staff_numbers(oms_graphql, token, createdAfter="2026-02-01T00:00:00Z")
    window = await staff_numbers(
        oms_graphql, token, createdAfter="2026-01-15T12:00:00+00:00", createdBefore="2026-01-15T13:00:00+01:00"
    )

    no_offset = await staff_numbers(oms_graphql, token, createdBefore="2026-02-01T00:00:00")

    assert before == ["1002"]
    assert after == ["1003", "1001"]
    assert window == []  # createdBefore is exclusive: 13:00+01:00 is 12:00 UTC
    assert no_offset == ["1002"]  # read as UTC


async def test_staff_page_through_orders(oms_graphql, oms_accounts, catalog):
    for i in range(5):
        await place_guest(oms_graphql, f"guest-{i}")
    staff = oms_graphql.as_(oms_accounts.staff)

    pages, after = [], None
    while True:
        data = (await staff.query(LIST_ORDERS, {"first": 2, "after": after}))["orders"]
        pages.append([edge["node"]["number"] for edge in data["edges"]])
        assert data["totalCount"] == 5
        assert data["pageInfo"]["hasPreviousPage"] is (after is not None)
        assert data["pageInfo"]["endCursor"] == data["edges"][-1]["cursor"]
        if not data["pageInfo"]["hasNextPage"]:
            break
        after = data["pageInfo"]["endCursor"]

    assert pages == [["1005", "1004"], ["1003", "1002"], ["1001"]]


@pytest.mark.parametrize(
    "variables",
    [
        pytest.param({"first": 101}, id="first-over-100"),
        pytest.param({"first": -1}, id="first-negative"),
        pytest.param({"after": "not a cursor"}, id="garbage-cursor"),
        pytest.param({"after": base64.urlsafe_b64encode(b"page:2").decode()}, id="foreign-cursor"),
        pytest.param({"after": base64.urlsafe_b64encode(b"cursor:two").decode()}, id="cursor-not-a-number"),
        pytest.param(
            {"after": base64.urlsafe_b64encode(b"cursor:99999999999999999999").decode()},
            id="cursor-out-of-range",
        ),
        pytest.param({"after": base64.urlsafe_b64encode(b"cursor:3000000000").decode()}, id="cursor-beyond-int4"),
    ],
)
async def test_bad_paging_arguments_are_errors_not_crashes(oms_graphql, oms_accounts, catalog, variables):
    await place_guest(oms_graphql, "guest-1")

    body = await oms_graphql.as_(oms_accounts.staff).execute(LIST_ORDERS, variables)

    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["INVALID"]
    assert body["errors"][0]["message"] != "Unexpected error."


async def test_an_out_of_range_date_filter_is_invalid_not_a_crash(oms_graphql, oms_accounts):
    body = await oms_graphql.as_(oms_accounts.staff).execute(
        '{ orders(filter: {createdAfter: "0001-01-01T00:00:00+01:00"}) { totalCount } }'
    )

    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["INVALID"]


async def test_an_unknown_discount_code_is_refused_and_nothing_is_placed(oms_graphql, catalog):
    lines = [{"sku": "EBOOK", "quantity": 1}]
    data = await oms_graphql.query(PRICE_CART, {"input": {"lines": lines, "discountCodes": ["NOPE"]}})
    errors = data["priceCart"]["userErrors"]
    assert [(e["field"], e["code"]) for e in errors] == [(["discountCodes", "0"], "DISCOUNT_CODE_INVALID")]

    data = await oms_graphql.query(
        PLACE_ORDER, {"input": order_input("code-1", lines, email="guest@example.com", discountCodes=["NOPE"])}
    )
    assert [e["code"] for e in data["placeOrder"]["userErrors"]] == ["DISCOUNT_CODE_INVALID"]
    assert data["placeOrder"]["order"] is None
    assert await Order.all().count() == 0


@pytest.mark.parametrize(
    ("amount", "currency"),
    [
        (Decimal("12.345"), "EUR"),
        (Decimal("-0.005"), "usd"),
        (Decimal("1000.50"), "JPY"),
        (Decimal("1.0005"), "KWD"),
        (0, "EUR"),
        ("7.125", "GBP"),
        (Decimal("3.333"), ""),
    ],
)
def test_order_amounts_are_money_of(amount, currency):
    """Order and line amounts skip the domain Money in between: the same Money as Money.of."""
    from oms.graphql.common import Money
    from oms.graphql.orders import _money

    assert _money(amount, currency) == Money.of(amount, currency)
    assert str(_money(amount, currency).amount) == str(Money.of(amount, currency).amount)
