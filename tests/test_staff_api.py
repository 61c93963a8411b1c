"""Staff accounts through the API (MANAGE_STAFF): create with permissions (plugins' too),
list, rename, set permissions, deactivate at once; no escalation, one superuser kept."""

from __future__ import annotations

import pytest

from oms.accounts.models import Staff
from tests.test_plugin_extend import CHECK_IN, Tickets, staff_token

tickets = pytest.mark.parametrize("oms_extra_plugins", [[Tickets()]], ids=["tickets"])

CREATE = """
mutation($input: CreateStaffInput!) {
  createStaff(input: $input) { staff { id email name permissions active } userErrors { field code message } }
}
"""
UPDATE = """
mutation($id: ID!, $input: UpdateStaffInput!) {
  updateStaff(id: $id, input: $input) { staff { id name permissions active } userErrors { field code message } }
}
"""
LIST = "{ staff(first: 10) { totalCount edges { node { email permissions active isSuperuser } } } }"
LOGIN = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token userErrors { code } } }"


def staff_input(email: str, permissions: list[str]) -> dict:
    return {"input": {"email": email, "password": "door-pass-123", "name": "Door", "permissions": permissions}}


def codes(payload: dict) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


@tickets
async def test_a_plugin_permission_granted_through_the_api_opens_that_plugins_mutation(oms_graphql, oms_accounts):
    admin = oms_graphql.as_(oms_accounts.staff)
    created = (await admin.query(CREATE, staff_input("door@example.com", ["TICKETS_CHECK_IN"])))["createStaff"]
    assert created["userErrors"] == []
    assert created["staff"]["permissions"] == ["TICKETS_CHECK_IN"] and created["staff"]["active"] is True

    token = (await oms_graphql.query(LOGIN, {"e": "door@example.com", "p": "door-pass-123"}))["login"]["token"]
    door = oms_graphql.as_(token)
    assert (await door.query(CHECK_IN, {"s": False}))["checkInTicket"] == {"ok": True, "userErrors": []}
    listed = await door.execute(LIST)
    assert listed["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"  # not MANAGE_STAFF


async def test_staff_grant_only_what_they_hold(oms_app, oms_graphql):
    manager = oms_graphql.as_(await staff_token(oms_app, "hr@example.com", ["MANAGE_STAFF", "MANAGE_ORDERS"]))

    refused = (await manager.query(CREATE, staff_input("x@example.com", ["MANAGE_ORDERS", "MANAGE_PAYMENTS"])))
    assert codes(refused["createStaff"]) == ["PERMISSION_DENIED"]
    unknown = (await manager.query(CREATE, staff_input("y@example.com", ["MANAGE_EVERYTHING"])))
    assert codes(unknown["createStaff"]) == ["INVALID"]
    allowed = (await manager.query(CREATE, staff_input("z@example.com", ["MANAGE_ORDERS"])))["createStaff"]
    assert allowed["userErrors"] == [] and allowed["staff"]["permissions"] == ["MANAGE_ORDERS"]
    assert await Staff.filter(email__in=["x@example.com", "y@example.com"]).count() == 0
    # Nor can they raise an account above what they hold afterwards.
    raised = (await manager.query(UPDATE, {"id": allowed["staff"]["id"], "input": {"permissions": ["VIEW_REPORTS"]}}))
    assert codes(raised["updateStaff"]) == ["PERMISSION_DENIED"]


async def test_deactivation_ends_the_accounts_token_at_once(oms_app, oms_graphql, oms_accounts):
    admin = oms_graphql.as_(oms_accounts.staff)
    clerk_token = await staff_token(oms_app, "clerk@example.com", ["MANAGE_ORDERS"])
    clerk = oms_graphql.as_(clerk_token)
    assert (await clerk.query("{ orders(first: 1) { totalCount } }"))["orders"]["totalCount"] == 0
    listed = (await admin.query("{ staff { totalCount edges { node { id email } } } }"))["staff"]
    assert listed["totalCount"] == 2  # the superuser and the clerk
    staff_id = next(e["node"]["id"] for e in listed["edges"] if e["node"]["email"] == "clerk@example.com")

    done = (await admin.query(UPDATE, {"id": staff_id, "input": {"active": False, "name": "Left"}}))["updateStaff"]

    assert done["userErrors"] == [] and done["staff"]["active"] is False and done["staff"]["name"] == "Left"
    body = await clerk.execute("{ orders(first: 1) { totalCount } }")
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    login = (await oms_graphql.query(LOGIN, {"e": "clerk@example.com", "p": "door-pass-123"}))["login"]
    assert login["token"] is None and codes(login) == ["UNAUTHENTICATED"]


async def test_the_last_active_superuser_stays_and_only_a_superuser_changes_one(oms_app, oms_graphql, oms_accounts):
    admin = oms_graphql.as_(oms_accounts.staff)
    edges = (await admin.query("{ staff { edges { node { id isSuperuser } } } }"))["staff"]["edges"]
    (root_id,) = [e["node"]["id"] for e in edges if e["node"]["isSuperuser"]]

    last = (await admin.query(UPDATE, {"id": root_id, "input": {"active": False}}))["updateStaff"]
    assert codes(last) == ["INVALID_TRANSITION"]
    assert await Staff.filter(is_superuser=True, is_active=True).count() == 1

    manager = oms_graphql.as_(await staff_token(oms_app, "hr@example.com", ["MANAGE_STAFF"]))
    refused = (await manager.query(UPDATE, {"id": root_id, "input": {"name": "Mallory"}}))["updateStaff"]
    assert codes(refused) == ["PERMISSION_DENIED"]
