"""Who may see what: a customer sees only their own orders, a guest needs the order
token, staff need the named permission. A denied read looks exactly like a missing order.
"""

from __future__ import annotations

import pytest

from oms.accounts import services as accounts
from oms.accounts.permissions import Viewer
from oms.graphql.common import to_global_id
from tests.conftest import ADDRESS, PLACE_ORDER

READ_ORDER = """
query Read($id: ID, $token: String) {
  order(id: $id, token: $token) { id number email }
}
"""

READ_NODE = """
query Node($id: ID!) {
  node(id: $id) { id ... on Order { number email } ... on OrderLine { sku } }
}
"""

LIST_ORDERS = "{ orders { totalCount edges { node { id } } } }"

CREATE_PRODUCT = """
mutation Create($input: CreateProductInput!) {
  createProduct(input: $input) {
    product { slug }
    userErrors { field code message }
  }
}
"""

SET_STOCK = """
mutation SetStock($input: SetStockInput!) {
  setStock(input: $input) {
    variant { sku quantityAvailable }
    userErrors { field code message }
  }
}
"""

VARIANT_ATTRIBUTES = '{ product(slug: "product-ebook") { variants { attributes } } }'


def order_input(key: str, **extra) -> dict:
    return {
        "lines": [{"sku": "MUG", "quantity": 1}],
        "shippingAddress": ADDRESS,
        "shippingMethod": "standard",
        "idempotencyKey": key,
        **extra,
    }


async def place(gql, key: str, **extra) -> dict:
    data = await gql.query(PLACE_ORDER, {"input": order_input(key, **extra)})
    assert data["placeOrder"]["userErrors"] == []
    return data["placeOrder"]


@pytest.fixture
async def alice_order(oms_graphql, oms_accounts, catalog) -> dict:
    """An order of the fixture's `customer` (alice)."""
    return await place(oms_graphql.as_(oms_accounts.customer), "alice-1")


@pytest.fixture
async def guest_order(oms_graphql, catalog) -> dict:
    return await place(oms_graphql, "guest-1", email="guest@example.com")


async def staff_token(oms_app, *permissions: str) -> str:
    """A staff member holding only ``permissions``."""
    staff = await accounts.create_staff(
        email=f"staff-{'-'.join(permissions).lower() or 'none'}@example.com",
        password="staff-pass-1",
        permissions=list(permissions),
    )
    return await accounts.issue_token(
        Viewer(staff=staff), secret=oms_app.state.settings.secret_key, ttl_seconds=600
    )


# -- orders of other people -------------------------------------------------------------


async def test_the_owner_reads_their_order_by_id(oms_graphql, oms_accounts, alice_order):
    data = await oms_graphql.as_(oms_accounts.customer).query(READ_ORDER, {"id": alice_order["order"]["id"]})

    assert data["order"]["email"] == "alice@example.com"


async def test_another_customer_cannot_read_the_order_by_id(oms_graphql, oms_accounts, alice_order):
    body = await oms_graphql.as_(oms_accounts.other_customer).execute(
        READ_ORDER, {"id": alice_order["order"]["id"]}
    )

    assert body == {"data": {"order": None}}


async def test_another_customer_cannot_read_the_order_by_node(oms_graphql, oms_accounts, alice_order):
    alice = oms_graphql.as_(oms_accounts.customer)
    bob = oms_graphql.as_(oms_accounts.other_customer)
    own = await alice.query(
        "query($id: ID) { order(id: $id) { id lines { id } customer { id } } }",
        {"id": alice_order["order"]["id"]},
    )
    ids = [own["order"]["id"], own["order"]["lines"][0]["id"], own["order"]["customer"]["id"]]

    for node_id in ids:
        # The owner reads each of them: bob's nulls are a denial, not a missing node.
        assert (await alice.query(READ_NODE, {"id": node_id}))["node"]["id"] == node_id
        assert await bob.query(READ_NODE, {"id": node_id}) == {"node": None}


async def test_a_denied_read_looks_like_a_missing_order(oms_graphql, oms_accounts, alice_order):
    bob = oms_graphql.as_(oms_accounts.other_customer)
    missing = to_global_id("Order", 4242)

    for query in (READ_ORDER, READ_NODE):
        denied = await bob.execute(query, {"id": alice_order["order"]["id"]})
        absent = await bob.execute(query, {"id": missing})
        assert denied == absent


async def test_orders_is_not_for_customers(oms_graphql, oms_accounts, alice_order):
    body = await oms_graphql.as_(oms_accounts.customer).execute(LIST_ORDERS)

    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["PERMISSION_DENIED"]


async def test_me_orders_lists_only_ones_own(oms_graphql, oms_accounts, alice_order, guest_order):
    query = "{ me { orders { totalCount edges { node { id } } } } }"

    alice = await oms_graphql.as_(oms_accounts.customer).query(query)
    bob = await oms_graphql.as_(oms_accounts.other_customer).query(query)

    assert [e["node"]["id"] for e in alice["me"]["orders"]["edges"]] == [alice_order["order"]["id"]]
    assert bob["me"]["orders"] == {"totalCount": 0, "edges": []}


# -- guests and the order token -----------------------------------------------------------


async def test_a_guest_needs_the_token(oms_graphql, guest_order):
    order_id = guest_order["order"]["id"]

    without = await oms_graphql.query(READ_ORDER, {"id": order_id})
    by_node = await oms_graphql.query(READ_NODE, {"id": order_id})
    with_token = await oms_graphql.query(READ_ORDER, {"id": order_id, "token": guest_order["orderToken"]})
    token_only = await oms_graphql.query(READ_ORDER, {"token": guest_order["orderToken"]})

    assert without == {"order": None}
    assert by_node == {"node": None}
    assert with_token["order"]["number"] == guest_order["order"]["number"]
    assert token_only == with_token


async def test_a_wrong_token_gives_null(oms_graphql, oms_accounts, guest_order, alice_order):
    order_id = guest_order["order"]["id"]

    wrong = await oms_graphql.query(READ_ORDER, {"id": order_id, "token": "not-the-token"})
    wrong_only = await oms_graphql.query(READ_ORDER, {"token": "not-the-token"})
    # A valid token of one order opens no other order.
    other = await oms_graphql.query(
        READ_ORDER, {"id": alice_order["order"]["id"], "token": guest_order["orderToken"]}
    )

    assert wrong == wrong_only == other == {"order": None}


async def test_a_customer_with_a_guests_token_reads_that_order_only(oms_graphql, oms_accounts, guest_order):
    bob = oms_graphql.as_(oms_accounts.other_customer)

    data = await bob.query(READ_ORDER, {"token": guest_order["orderToken"]})

    assert data["order"]["email"] == "guest@example.com"


async def test_a_bad_bearer_token_reads_nothing(oms_graphql, oms_app, alice_order):
    alice = await accounts.authenticate(email="alice@example.com", password="alice-pass-1")
    expired = await accounts.issue_token(alice, secret=oms_app.state.settings.secret_key, ttl_seconds=-60)
    forged = await accounts.issue_token(alice, secret="another-secret-" + "y" * 32, ttl_seconds=600)

    for token in (expired, forged):
        data = await oms_graphql.as_(token).query(READ_ORDER, {"id": alice_order["order"]["id"]})
        assert data == {"order": None}


# -- staff permissions ------------------------------------------------------------------------

NEW_PRODUCT = {
    "name": "Poster",
    "productType": "physical",
    "variants": [{"sku": "POSTER", "price": "8.00", "attributes": {"weight_grams": 120}}],
}


async def try_staff_fields(gql) -> dict[str, str | None]:
    """The error code each staff field answers with (None: it worked)."""
    listed = await gql.execute(LIST_ORDERS)
    created = await gql.execute(CREATE_PRODUCT, {"input": NEW_PRODUCT})
    stocked = await gql.execute(SET_STOCK, {"input": {"sku": "MUG", "quantity": 70}})
    assert "errors" not in created and "errors" not in stocked
    return {
        "orders": listed["errors"][0]["extensions"]["code"] if "errors" in listed else None,
        "createProduct": next((e["code"] for e in created["data"]["createProduct"]["userErrors"]), None),
        "setStock": next((e["code"] for e in stocked["data"]["setStock"]["userErrors"]), None),
    }


async def test_anonymous_reaches_no_staff_field(oms_graphql, catalog):
    assert await try_staff_fields(oms_graphql) == {
        "orders": "PERMISSION_DENIED",
        "createProduct": "PERMISSION_DENIED",
        "setStock": "PERMISSION_DENIED",
    }


async def test_a_customer_reaches_no_staff_field(oms_graphql, oms_accounts, catalog):
    assert await try_staff_fields(oms_graphql.as_(oms_accounts.customer)) == {
        "orders": "PERMISSION_DENIED",
        "createProduct": "PERMISSION_DENIED",
        "setStock": "PERMISSION_DENIED",
    }


async def test_staff_without_the_permission_are_denied(oms_graphql, oms_app, catalog):
    token = await staff_token(oms_app, "VIEW_REPORTS", "MANAGE_RETURNS")

    assert await try_staff_fields(oms_graphql.as_(token)) == {
        "orders": "PERMISSION_DENIED",
        "createProduct": "PERMISSION_DENIED",
        "setStock": "PERMISSION_DENIED",
    }


async def test_each_permission_opens_only_its_fields(oms_graphql, oms_app, catalog):
    orders_staff = oms_graphql.as_(await staff_token(oms_app, "MANAGE_ORDERS"))
    catalog_staff = oms_graphql.as_(await staff_token(oms_app, "MANAGE_CATALOG"))

    assert await try_staff_fields(orders_staff) == {
        "orders": None,
        "createProduct": "PERMISSION_DENIED",
        "setStock": "PERMISSION_DENIED",
    }
    assert await try_staff_fields(catalog_staff) == {
        "orders": "PERMISSION_DENIED",
        "createProduct": None,
        "setStock": None,
    }


async def test_denied_staff_mutations_write_nothing(oms_graphql, oms_accounts, catalog):
    customer = oms_graphql.as_(oms_accounts.customer)

    await try_staff_fields(customer)
    after = await oms_graphql.query(
        '{ products(search: "Poster") { totalCount } product(slug: "product-mug") { variants { quantityAvailable } } }'
    )

    assert after["products"]["totalCount"] == 0
    assert after["product"]["variants"] == [{"quantityAvailable": 50}]


async def test_order_reads_need_manage_orders(oms_graphql, oms_app, alice_order):
    catalog_staff = oms_graphql.as_(await staff_token(oms_app, "MANAGE_CATALOG"))
    orders_staff = oms_graphql.as_(await staff_token(oms_app, "MANAGE_ORDERS"))
    order_id = alice_order["order"]["id"]

    assert await catalog_staff.query(READ_ORDER, {"id": order_id}) == {"order": None}
    assert (await orders_staff.query(READ_ORDER, {"id": order_id}))["order"]["email"] == "alice@example.com"


# -- variant attributes ------------------------------------------------------------------------


async def test_private_attributes_are_hidden_from_the_public(oms_graphql, oms_accounts, oms_app, catalog):
    orders_staff = await staff_token(oms_app, "MANAGE_ORDERS")

    for token in (None, oms_accounts.customer, orders_staff):
        data = await oms_graphql.as_(token).query(VARIANT_ATTRIBUTES)
        assert data["product"]["variants"] == [{"attributes": {"file_name": "book.pdf"}}]


async def test_catalog_staff_see_every_attribute(oms_graphql, oms_app, catalog):
    catalog_staff = oms_graphql.as_(await staff_token(oms_app, "MANAGE_CATALOG"))

    data = await catalog_staff.query(VARIANT_ATTRIBUTES)

    assert data["product"]["variants"] == [{"attributes": {"file_name": "book.pdf", "file": "books/book.pdf"}}]
