"""The customer's profile and address book through the API: Me's fields, saved addresses
(checked, capped, owned), defaults, and placing or pricing with a saved address id."""

from __future__ import annotations

import asyncio

from oms.accounts import addresses as book
from oms.accounts.models import Customer, CustomerAddress, Staff
from oms.graphql.common import to_global_id
from oms.orders.models import Order
from tests.conftest import ADDRESS, PLACE_ORDER

ME = """{ me { id email name
  addresses { id address { name line1 city postalCode country } }
  defaultShippingAddress { id address { line1 } }
  defaultBillingAddress { id address { line1 } } } }"""

CREATE = """mutation($input: AddressInput!) {
  createAddress(input: $input) { address { id address { name line1 city postalCode country region } }
                                 userErrors { field code message } } }"""
UPDATE = """mutation($id: ID!, $input: AddressInput!) {
  updateAddress(id: $id, input: $input) { address { id address { line1 country } } userErrors { field code } } }"""
DELETE = "mutation($id: ID!) { deleteAddress(id: $id) { ok userErrors { field code } } }"
PROFILE = """mutation($input: UpdateProfileInput!) {
  updateProfile(input: $input) { token me { name defaultShippingAddress { id } defaultBillingAddress { id } }
                                 userErrors { field code message } } }"""
PRICE = """query($input: CartInput!) {
  priceCart(input: $input) { shippingTotal { amount } userErrors { field code } } }"""

OFFICE = {**ADDRESS, "line1": "1 Office Park", "city": "Leeds", "postalCode": "LS1 1AA"}


async def create(client, address: dict) -> dict:
    payload = (await client.query(CREATE, {"input": address}))["createAddress"]
    assert payload["userErrors"] == [], payload
    return payload["address"]


async def me(client) -> dict:
    return (await client.query(ME))["me"]


def codes(payload: dict) -> list[tuple[list[str] | None, str]]:
    return [(e["field"], e["code"]) for e in payload["userErrors"]]


# -- Me -------------------------------------------------------------------------------------


async def test_me_has_id_name_and_an_empty_book_at_first(oms_graphql, oms_accounts):
    alice = await Customer.get(email="alice@example.com")
    await Customer.filter(id=alice.id).update(name="Alice Liddell")

    data = await me(oms_graphql.as_(oms_accounts.customer))

    assert data == {
        "id": to_global_id("Customer", alice.id), "email": "alice@example.com", "name": "Alice Liddell",
        "addresses": [], "defaultShippingAddress": None, "defaultBillingAddress": None,
    }
    staff = await me(oms_graphql.as_(oms_accounts.staff))
    staff_id = (await Staff.get(email="staff@example.com")).id
    assert staff["id"] == to_global_id("StaffMember", staff_id) and staff["addresses"] == []


# -- the address book ----------------------------------------------------------------------


async def test_the_first_address_becomes_both_defaults_and_later_ones_do_not(oms_graphql, oms_accounts):
    alice = oms_graphql.as_(oms_accounts.customer)

    home = await create(alice, {**ADDRESS, "country": " gb ", "region": "  "})
    office = await create(alice, OFFICE)

    assert home["address"]["country"] == "GB" and home["address"]["region"] is None  # normalized
    data = await me(alice)
    assert [a["id"] for a in data["addresses"]] == [home["id"], office["id"]]
    assert data["defaultShippingAddress"]["id"] == home["id"]
    assert data["defaultBillingAddress"]["id"] == home["id"]


async def test_update_profile_sets_name_and_defaults_and_leaves_out_fields_alone(oms_graphql, oms_accounts):
    alice = oms_graphql.as_(oms_accounts.customer)
    home, office = await create(alice, ADDRESS), await create(alice, OFFICE)

    payload = (await alice.query(PROFILE, {"input": {"name": " Alice ", "defaultBillingAddressId": office["id"]}}))[
        "updateProfile"]

    assert payload["userErrors"] == [] and payload["token"] is None
    assert payload["me"] == {"name": "Alice", "defaultShippingAddress": {"id": home["id"]},
                             "defaultBillingAddress": {"id": office["id"]}}
    # Left out: unchanged; null: cleared.
    payload = (await alice.query(PROFILE, {"input": {"defaultShippingAddressId": None}}))["updateProfile"]
    assert payload["me"] == {"name": "Alice", "defaultShippingAddress": None,
                             "defaultBillingAddress": {"id": office["id"]}}
    assert (await me(alice))["name"] == "Alice"


async def test_update_and_delete_an_address_and_a_deleted_default_is_cleared(oms_graphql, oms_accounts):
    alice = oms_graphql.as_(oms_accounts.customer)
    home, office = await create(alice, ADDRESS), await create(alice, OFFICE)
    await alice.query(PROFILE, {"input": {"defaultBillingAddressId": office["id"]}})

    updated = (await alice.query(UPDATE, {"id": office["id"], "input": {**OFFICE, "line1": "2 Office Park"}}))[
        "updateAddress"]
    assert updated == {"address": {"id": office["id"], "address": {"line1": "2 Office Park", "country": "GB"}},
                       "userErrors": []}

    deleted = (await alice.query(DELETE, {"id": office["id"]}))["deleteAddress"]

    assert deleted == {"ok": True, "userErrors": []}
    data = await me(alice)
    assert [a["id"] for a in data["addresses"]] == [home["id"]]
    assert data["defaultBillingAddress"] is None  # cleared, not moved to another address
    assert data["defaultShippingAddress"]["id"] == home["id"]
    again = (await alice.query(DELETE, {"id": office["id"]}))["deleteAddress"]
    assert again == {"ok": False, "userErrors": [{"field": ["id"], "code": "NOT_FOUND"}]}


async def test_another_customers_address_is_not_found_anywhere(oms_graphql, oms_accounts, catalog):
    alice, bob = oms_graphql.as_(oms_accounts.customer), oms_graphql.as_(oms_accounts.other_customer)
    home = await create(alice, ADDRESS)

    assert codes((await bob.query(UPDATE, {"id": home["id"], "input": OFFICE}))["updateAddress"]) == [
        (["id"], "NOT_FOUND")]
    assert codes((await bob.query(DELETE, {"id": home["id"]}))["deleteAddress"]) == [(["id"], "NOT_FOUND")]
    assert codes((await bob.query(PROFILE, {"input": {"defaultShippingAddressId": home["id"]}}))["updateProfile"]) == [
        (["input", "defaultShippingAddressId"], "NOT_FOUND")]
    assert (await bob.query("query($id: ID!) { node(id: $id) { id } }", {"id": home["id"]}))["node"] is None
    placed = (await bob.query(PLACE_ORDER, {"input": {
        "lines": [{"sku": "MUG", "quantity": 1}], "idempotencyKey": "k", "shippingMethod": "standard",
        "shippingAddressId": home["id"]}}))["placeOrder"]
    assert codes(placed) == [(["shippingAddressId"], "NOT_FOUND")]
    # A malformed id or another type's id is NOT_FOUND too; the owner's address is intact.
    for bad in ("nonsense", to_global_id("Order", 1)):
        assert codes((await alice.query(DELETE, {"id": bad}))["deleteAddress"]) == [(["id"], "NOT_FOUND")]
    node = await alice.query("query($id: ID!) { node(id: $id) { id ... on CustomerAddress { address { line1 } } } }",
                             {"id": home["id"]})
    assert node["node"] == {"id": home["id"], "address": {"line1": ADDRESS["line1"]}}
    assert await Order.all().count() == 0


async def test_bad_addresses_and_signed_out_callers_get_typed_errors(oms_graphql, oms_accounts):
    alice = oms_graphql.as_(oms_accounts.customer)

    bad = (await alice.query(CREATE, {"input": {**ADDRESS, "city": " ", "country": "Germany"}}))["createAddress"]

    assert bad["address"] is None
    assert sorted(codes(bad)) == [(["input", "city"], "REQUIRED"), (["input", "country"], "INVALID")]
    too_long = (await alice.query(PROFILE, {"input": {"name": "x" * 201}}))["updateProfile"]
    assert codes(too_long) == [(["input", "name"], "INVALID")]
    assert codes((await oms_graphql.query(CREATE, {"input": ADDRESS}))["createAddress"]) == [(None, "UNAUTHENTICATED")]
    assert codes((await oms_graphql.as_(oms_accounts.staff).query(CREATE, {"input": ADDRESS}))["createAddress"]) == [
        (None, "PERMISSION_DENIED")]
    assert await CustomerAddress.all().count() == 0


async def test_the_book_is_capped_even_under_concurrent_creates(oms_graphql, oms_accounts, monkeypatch):
    monkeypatch.setattr(book, "MAX_ADDRESSES", 3)
    alice = oms_graphql.as_(oms_accounts.customer)

    results = await asyncio.gather(*(alice.query(CREATE, {"input": ADDRESS}) for _ in range(6)))

    refused = [r["createAddress"] for r in results if r["createAddress"]["userErrors"]]
    assert len(refused) == 3 and all(codes(r) == [(None, "INVALID")] for r in refused)
    assert await CustomerAddress.all().count() == 3


# -- placing and pricing with a saved address ---------------------------------------------


async def test_place_order_with_saved_addresses(oms_graphql, oms_accounts, catalog):
    alice = oms_graphql.as_(oms_accounts.customer)
    home, office = await create(alice, ADDRESS), await create(alice, OFFICE)

    placed = (await alice.query(PLACE_ORDER, {"input": {
        "lines": [{"sku": "MUG", "quantity": 1}], "idempotencyKey": "k-1", "shippingMethod": "standard",
        "shippingAddressId": home["id"], "billingAddressId": office["id"]}}))["placeOrder"]

    assert placed["userErrors"] == []
    order = await Order.get(number=placed["order"]["number"])
    assert order.shipping_address["line1"] == ADDRESS["line1"]
    assert order.billing_address["line1"] == OFFICE["line1"] and order.billing_address["postal_code"] == "LS1 1AA"
    # The order keeps its copy: changing the book later does not change the order.
    await alice.query(UPDATE, {"id": home["id"], "input": {**ADDRESS, "line1": "Elsewhere 9"}})
    await order.refresh_from_db()
    assert order.shipping_address["line1"] == ADDRESS["line1"]


async def test_an_id_and_an_address_together_or_an_id_from_a_guest_are_refused(oms_graphql, oms_accounts, catalog):
    alice = oms_graphql.as_(oms_accounts.customer)
    home = await create(alice, ADDRESS)
    base = {"lines": [{"sku": "MUG", "quantity": 1}], "idempotencyKey": "k-2", "shippingMethod": "standard"}

    both = (await alice.query(PLACE_ORDER, {"input": {
        **base, "shippingAddress": ADDRESS, "shippingAddressId": home["id"]}}))["placeOrder"]
    billing_both = (await alice.query(PLACE_ORDER, {"input": {
        **base, "shippingAddressId": home["id"], "billingAddress": ADDRESS, "billingAddressId": home["id"]}}))[
        "placeOrder"]
    guest = (await oms_graphql.query(PLACE_ORDER, {"input": {
        **base, "email": "guest@example.com", "shippingAddressId": home["id"]}}))["placeOrder"]

    assert codes(both) == [(["shippingAddressId"], "INVALID")]
    assert codes(billing_both) == [(["billingAddressId"], "INVALID")]
    assert codes(guest) == [(["shippingAddressId"], "UNAUTHENTICATED")]
    assert await Order.all().count() == 0


async def test_price_cart_takes_a_saved_shipping_address(oms_graphql, oms_accounts, catalog):
    alice = oms_graphql.as_(oms_accounts.customer)
    home = await create(alice, ADDRESS)
    cart = {"lines": [{"sku": "MUG", "quantity": 1}], "shippingMethod": "standard"}

    with_id = (await alice.query(PRICE, {"input": {**cart, "shippingAddressId": home["id"]}}))["priceCart"]
    inline = (await alice.query(PRICE, {"input": {**cart, "shippingAddress": ADDRESS}}))["priceCart"]
    foreign = (await oms_graphql.as_(oms_accounts.other_customer).query(
        PRICE, {"input": {**cart, "shippingAddressId": home["id"]}}))["priceCart"]

    assert with_id == inline and with_id["userErrors"] == []
    assert codes(foreign) == [(["shippingAddressId"], "NOT_FOUND")]
