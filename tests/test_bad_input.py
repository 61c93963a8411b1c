"""Bad input is answered, never crashed on: `userErrors` with the right code and field
path, HTTP 200, no traceback, and nothing written to the database.

Each placeOrder case below starts from a valid cart and breaks one thing; the valid cart
itself is placed successfully by ``test_the_valid_cart_is_accepted`` so that every
rejection is known to come from the one change.
"""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo

import pytest

from oms.graphql.common import to_global_id
from oms.inventory.models import Stock
from oms.jobs.models import Job
from oms.orders.models import Order, OrderEvent, OrderLine
from tests.conftest import ADDRESS, PLACE_ORDER

# A slot the CALL-60 consultant offers: a Monday at 10:00 in Berlin, a few days ahead.
_BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
_DAY = dt.datetime.now(_BERLIN).date() + dt.timedelta(days=2)
_DAY += dt.timedelta(days=(7 - _DAY.weekday()) % 7)
FUTURE_SLOT = dt.datetime.combine(_DAY, dt.time(10), tzinfo=_BERLIN).isoformat()

VALID_CART = {
    "lines": [
        {"sku": "MUG", "quantity": 2},
        {"sku": "CALL-60", "quantity": 1, "options": {"slot": FUTURE_SLOT}},
    ],
    "email": "guest@example.com",
    "shippingAddress": ADDRESS,
    "shippingMethod": "standard",
    "idempotencyKey": "bad-input-1",
}

PRICE_CART = """
query Price($input: CartInput!) {
  priceCart(input: $input) {
    userErrors { field code message }
  }
}
"""

CANCEL = """
mutation Cancel($id: ID!, $token: String) {
  cancelOrder(id: $id, token: $token) {
    order { id status }
    userErrors { field code message }
  }
}
"""

ORDER_AND_NODE = """
query Read($id: ID!, $token: String) {
  order(id: $id, token: $token) { id }
  node(id: $id) { id }
}
"""


async def db_state() -> dict[str, int]:
    """What a rejected request must not change: row counts and reserved stock."""
    return {
        "orders": await Order.all().count(),
        "lines": await OrderLine.all().count(),
        "events": await OrderEvent.all().count(),
        "jobs": await Job.all().count(),
        "reserved": sum(await Stock.all().values_list("reserved", flat=True)),
    }


def assert_clean(body: dict) -> None:
    """An expected failure: data, not top-level errors, and nothing internal leaked."""
    assert "errors" not in body, body["errors"]
    assert "Traceback" not in json.dumps(body)


def cart(**changes) -> dict:
    """VALID_CART with some keys replaced (a value of None removes the key)."""
    result = {**VALID_CART, **changes}
    return {key: value for key, value in result.items() if value is not None}


def with_line(index: int, **changes) -> list[dict]:
    lines = [dict(line) for line in VALID_CART["lines"]]
    lines[index] = {key: value for key, value in {**lines[index], **changes}.items() if value is not None}
    return lines


async def test_the_valid_cart_is_accepted(oms_graphql, catalog):
    data = await oms_graphql.query(PLACE_ORDER, {"input": VALID_CART})

    assert data["placeOrder"]["userErrors"] == []
    assert data["placeOrder"]["order"]["status"] == "PENDING_PAYMENT"


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        pytest.param({"lines": with_line(0, sku="NO-SUCH-SKU")}, "NOT_FOUND", ["lines", "0", "sku"], id="unknown-sku"),
        pytest.param({"lines": with_line(0, sku="  ")}, "REQUIRED", ["lines", "0", "sku"], id="blank-sku"),
        pytest.param({"lines": with_line(0, quantity=0)}, "INVALID", ["lines", "0", "quantity"], id="quantity-0"),
        pytest.param({"lines": with_line(0, quantity=-3)}, "INVALID", ["lines", "0", "quantity"], id="quantity-negative"),
        pytest.param({"lines": with_line(0, quantity=10**9)}, "INVALID", ["lines", "0", "quantity"], id="quantity-1e9"),
        pytest.param({"lines": with_line(0, quantity=51)}, "OUT_OF_STOCK", ["lines", "0", "quantity"], id="more-than-stock"),
        pytest.param({"lines": []}, "REQUIRED", ["lines"], id="empty-cart"),
        pytest.param({"shippingAddress": None}, "REQUIRED", ["shippingAddress"], id="physical-without-address"),
        pytest.param({"shippingMethod": None}, "REQUIRED", ["shippingMethod"], id="physical-without-method"),
        pytest.param({"shippingMethod": "teleport"}, "INVALID", ["shippingMethod"], id="unknown-method"),
        pytest.param({"shippingAddress": {**ADDRESS, "city": "  "}}, "REQUIRED", ["shippingAddress", "city"], id="blank-city"),
        pytest.param({"shippingAddress": {**ADDRESS, "country": "Germany"}}, "INVALID", ["shippingAddress", "country"], id="country-not-iso"),
        pytest.param({"billingAddress": {**ADDRESS, "postalCode": ""}}, "REQUIRED", ["billingAddress", "postalCode"], id="billing-blank-postcode"),
        pytest.param({"email": None}, "REQUIRED", ["email"], id="guest-without-email"),
        pytest.param({"email": "not-an-email"}, "INVALID", ["email"], id="bad-email"),
        pytest.param({"idempotencyKey": "   "}, "REQUIRED", ["idempotencyKey"], id="blank-idempotency-key"),
        pytest.param({"idempotencyKey": "k" * 201}, "INVALID", ["idempotencyKey"], id="long-idempotency-key"),
        pytest.param({"note": "n" * 2001}, "INVALID", ["note"], id="long-note"),
        pytest.param({"lines": with_line(1, options=None)}, "INVALID", ["lines", "1", "options"], id="consultation-without-options"),
        pytest.param({"lines": with_line(1, options={})}, "REQUIRED", ["lines", "1", "options", "slot"], id="consultation-without-slot"),
        pytest.param({"lines": with_line(1, options="tomorrow")}, "INVALID", ["lines", "1", "options"], id="options-a-string"),
        pytest.param({"lines": with_line(1, options=[FUTURE_SLOT])}, "INVALID", ["lines", "1", "options"], id="options-a-list"),
        pytest.param({"lines": with_line(1, options={"slot": FUTURE_SLOT, "room": "3"})}, "INVALID", ["lines", "1", "options"], id="options-extra-key"),
        pytest.param({"lines": with_line(1, options={"slot": "next monday"})}, "INVALID", ["lines", "1", "options", "slot"], id="slot-not-iso"),
        pytest.param({"lines": with_line(1, options={"slot": "2020-01-06T10:00:00+00:00"})}, "SLOT_UNAVAILABLE", ["lines", "1", "options", "slot"], id="slot-in-the-past"),
        pytest.param({"lines": with_line(1, quantity=2)}, "INVALID", ["lines", "1", "quantity"], id="two-sessions-one-line"),
        pytest.param({"lines": with_line(0, options={"gift_wrap": True})}, "INVALID", ["lines", "0", "options"], id="options-on-a-type-without-options"),
    ],
)
async def test_place_order_rejects_bad_input_and_writes_nothing(oms_graphql, catalog, changes, code, field):
    before = await db_state()

    body = await oms_graphql.execute(PLACE_ORDER, {"input": cart(**changes)})

    assert_clean(body)
    payload = body["data"]["placeOrder"]
    assert payload["order"] is None and payload["orderToken"] is None
    assert {"code": code, "field": field} in [
        {"code": e["code"], "field": e["field"]} for e in payload["userErrors"]
    ], payload["userErrors"]
    assert await db_state() == before


async def test_place_order_reports_every_problem_at_once(oms_graphql, catalog):
    lines = [{"sku": "NOPE", "quantity": 1}, {"sku": "MUG", "quantity": 0}]

    body = await oms_graphql.execute(
        PLACE_ORDER, {"input": cart(lines=lines, email="x", shippingAddress=None)}
    )

    assert_clean(body)
    fields = {tuple(e["field"]): e["code"] for e in body["data"]["placeOrder"]["userErrors"]}
    assert fields == {
        ("lines", "0", "sku"): "NOT_FOUND",
        ("lines", "1", "quantity"): "INVALID",
        ("email",): "INVALID",
    }


async def test_a_failed_second_line_releases_the_first_lines_reservation(oms_graphql, oms_app, catalog):
    """The reservation of line 0 happens before line 1 runs out: the transaction must undo it."""
    from oms.testing import make_product

    await make_product(oms_app, product_type="physical", sku="RARE", attributes={"weight_grams": 1}, stock=1)
    before = await db_state()

    body = await oms_graphql.execute(
        PLACE_ORDER, {"input": cart(lines=[{"sku": "MUG", "quantity": 5}, {"sku": "RARE", "quantity": 2}])}
    )

    assert_clean(body)
    assert [(e["code"], e["field"]) for e in body["data"]["placeOrder"]["userErrors"]] == [
        ("OUT_OF_STOCK", ["lines", "1", "quantity"])
    ]
    assert await db_state() == before


@pytest.mark.parametrize(
    ("lines", "code", "field"),
    [
        pytest.param([{"sku": "NO-SUCH-SKU", "quantity": 1}], "NOT_FOUND", ["lines", "0", "sku"], id="unknown-sku"),
        pytest.param([{"sku": "MUG", "quantity": 0}], "INVALID", ["lines", "0", "quantity"], id="quantity-0"),
        pytest.param([{"sku": "MUG", "quantity": -1}], "INVALID", ["lines", "0", "quantity"], id="quantity-negative"),
        pytest.param([{"sku": "MUG", "quantity": 10**9}], "INVALID", ["lines", "0", "quantity"], id="quantity-1e9"),
        pytest.param([{"sku": "CALL-60", "quantity": 1, "options": {}}], "REQUIRED", ["lines", "0", "options", "slot"], id="no-slot"),
        pytest.param([{"sku": "CALL-60", "quantity": 1, "options": 7}], "INVALID", ["lines", "0", "options"], id="options-a-number"),
    ],
)
async def test_price_cart_answers_bad_lines_with_user_errors(oms_graphql, catalog, lines, code, field):
    body = await oms_graphql.execute(PRICE_CART, {"input": {"lines": lines}})

    assert_clean(body)
    user_errors = body["data"]["priceCart"]["userErrors"]
    assert [(e["code"], e["field"]) for e in user_errors] == [(code, field)]


# -- malformed ids and tokens ---------------------------------------------------------


async def place_guest_order(gql) -> dict:
    data = await gql.query(PLACE_ORDER, {"input": VALID_CART})
    assert data["placeOrder"]["userErrors"] == []
    return data["placeOrder"]


@pytest.mark.parametrize(
    ("bad_id", "code"),
    [
        pytest.param("garbage", "INVALID", id="garbage"),
        pytest.param("", "INVALID", id="empty"),
        pytest.param("!!!%%%", "INVALID", id="not-base64"),
        pytest.param(to_global_id("Product", 1), "INVALID", id="id-of-a-product"),
        pytest.param(to_global_id("OrderLine", 1), "INVALID", id="id-of-an-order-line"),
        pytest.param(to_global_id("Order", 999), "NOT_FOUND", id="no-such-order"),
    ],
)
async def test_cancel_order_with_a_bad_id_is_a_user_error(oms_graphql, oms_accounts, catalog, bad_id, code):
    await place_guest_order(oms_graphql)
    before = await db_state()

    body = await oms_graphql.as_(oms_accounts.staff).execute(CANCEL, {"id": bad_id})

    assert_clean(body)
    payload = body["data"]["cancelOrder"]
    assert payload["order"] is None
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [(code, ["id"])]
    assert await db_state() == before


@pytest.mark.parametrize(
    "bad_id",
    [
        pytest.param("garbage", id="garbage"),
        pytest.param("T3JkZXI6", id="type-without-pk"),
        pytest.param(to_global_id("Order", 0), id="pk-zero"),
        pytest.param(to_global_id("Order", -1), id="pk-negative"),
        pytest.param(to_global_id("Order", 999), id="no-such-order"),
        pytest.param(to_global_id("Invoice", 1), id="unknown-type"),
    ],
)
async def test_order_and_node_with_a_bad_id_are_null(oms_graphql, oms_accounts, catalog, bad_id):
    await place_guest_order(oms_graphql)

    body = await oms_graphql.as_(oms_accounts.staff).execute(ORDER_AND_NODE, {"id": bad_id})

    assert body == {"data": {"order": None, "node": None}}


async def test_order_with_the_id_of_another_type_is_null(oms_graphql, oms_accounts, catalog):
    await place_guest_order(oms_graphql)
    product_id = to_global_id("Product", 1)  # a valid id, of a product

    body = await oms_graphql.as_(oms_accounts.staff).execute(ORDER_AND_NODE, {"id": product_id})

    assert body == {"data": {"order": None, "node": {"id": product_id}}}


@pytest.mark.parametrize(
    "pk",
    [
        pytest.param(2**31, id="beyond-int4"),
        pytest.param(2**63, id="beyond-int8"),
    ],
)
async def test_an_out_of_range_order_id_is_not_a_server_error(oms_graphql, oms_accounts, catalog, pk):
    staff = oms_graphql.as_(oms_accounts.staff)
    order_id = to_global_id("Order", pk)

    read = await staff.execute(ORDER_AND_NODE, {"id": order_id})
    cancel = await staff.execute(CANCEL, {"id": order_id})

    assert read == {"data": {"order": None, "node": None}}
    assert_clean(cancel)
    assert cancel["data"]["cancelOrder"]["userErrors"][0]["code"] in ("INVALID", "NOT_FOUND")


async def test_cancel_with_a_wrong_token_is_not_found_and_changes_nothing(oms_graphql, catalog):
    placed = await place_guest_order(oms_graphql)
    before = await db_state()

    body = await oms_graphql.execute(CANCEL, {"id": placed["order"]["id"], "token": "x" * 43})

    assert_clean(body)
    assert [(e["code"], e["field"]) for e in body["data"]["cancelOrder"]["userErrors"]] == [("NOT_FOUND", ["id"])]
    assert await db_state() == before
    assert (await Order.get(number=placed["order"]["number"])).status == "PENDING_PAYMENT"


async def test_reading_with_a_wrong_token_gives_null(oms_graphql, catalog):
    placed = await place_guest_order(oms_graphql)

    by_token = await oms_graphql.execute("{ order(token: \"%s\") { id } }" % ("x" * 43))
    by_id_and_token = await oms_graphql.execute(
        ORDER_AND_NODE, {"id": placed["order"]["id"], "token": placed["orderToken"][:-1] + "?"}
    )

    assert by_token["data"]["order"] is None
    assert by_id_and_token == {"data": {"order": None, "node": None}}


@pytest.mark.parametrize("text", ["abc\x00", "abc\ud800"], ids=["nul", "lone-surrogate"])
async def test_unstorable_text_in_variables_is_refused_clearly(oms_http, catalog, text):
    import json

    body = json.dumps({
        "query": "query($t: String!) { order(token: $t) { id } }",
        "variables": {"t": text},
    })

    response = await oms_http.post("/graphql", content=body, headers={"Content-Type": "application/json"})

    assert response.status_code == 400
    assert "NUL" in response.text


async def test_a_nul_in_a_query_literal_is_invalid(oms_graphql, catalog):
    body = await oms_graphql.execute('{ order(token: "abc\\u0000") { id } }')

    assert body.get("data") is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["INVALID"]


async def test_a_lone_surrogate_in_a_query_literal_is_a_syntax_error(oms_graphql, catalog):
    body = await oms_graphql.execute('{ order(token: "abc\\ud800") { id } }')

    assert body.get("data") is None
    assert body["errors"][0]["message"].startswith("Syntax Error: Invalid Unicode escape")
