"""Accounts through the API: register, login, `me`, and what a bad bearer token gets."""

from __future__ import annotations

import pytest

from oms.accounts import services as accounts
from oms.accounts.models import Customer, Staff
from oms.accounts.permissions import Permission, Viewer
from oms.orders.models import Order
from tests.conftest import ADDRESS, PLACE_ORDER

REGISTER = """
mutation Register($input: RegisterInput!) {
  register(input: $input) {
    token
    me { email isStaff permissions }
    userErrors { field code message }
  }
}
"""

LOGIN = """
mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) {
    token
    me { email isStaff permissions }
    userErrors { field code message }
  }
}
"""

ME = "{ me { email isStaff permissions } }"


async def token_for(oms_app, viewer: Viewer, ttl_seconds: int = 600) -> str:
    return await accounts.issue_token(viewer, secret=oms_app.state.settings.secret_key, ttl_seconds=ttl_seconds)


# -- register --------------------------------------------------------------------------------


async def test_register_signs_the_customer_in(oms_graphql):
    data = await oms_graphql.query(
        REGISTER, {"input": {"email": " Grace@Example.COM ", "password": "long-enough", "name": "Grace"}}
    )

    payload = data["register"]
    assert payload["userErrors"] == []
    assert payload["me"] == {"email": "grace@example.com", "isStaff": False, "permissions": []}
    assert await oms_graphql.as_(payload["token"]).query(ME) == {"me": payload["me"]}
    assert (await Customer.get(email="grace@example.com")).name == "Grace"


@pytest.mark.parametrize(
    ("input_", "code", "field"),
    [
        pytest.param({"email": "alice@example.com", "password": "long-enough"}, "INVALID", ["email"], id="taken-email"),
        pytest.param({"email": "ALICE@example.com", "password": "long-enough"}, "INVALID", ["email"], id="taken-email-other-case"),
        pytest.param({"email": "grace@example.com", "password": "short"}, "INVALID", ["password"], id="short-password"),
        pytest.param({"email": "grace@example.com", "password": "x" * 1025}, "INVALID", ["password"], id="huge-password"),
        pytest.param({"email": "grace.example.com", "password": "long-enough"}, "INVALID", ["email"], id="email-without-at"),
        pytest.param({"email": "grace@localhost", "password": "long-enough"}, "INVALID", ["email"], id="email-without-domain"),
        pytest.param({"email": "   ", "password": "long-enough"}, "REQUIRED", ["email"], id="blank-email"),
        pytest.param({"email": "grace@example.com", "password": "long-enough", "name": "n" * 201}, "INVALID", ["name"], id="long-name"),
    ],
)
async def test_register_rejects_bad_input(oms_graphql, oms_accounts, input_, code, field):
    before = await Customer.all().count()

    body = await oms_graphql.execute(REGISTER, {"input": input_})

    assert "errors" not in body
    payload = body["data"]["register"]
    assert (payload["token"], payload["me"]) == (None, None)
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [(code, field)]
    assert await Customer.all().count() == before


# -- login -------------------------------------------------------------------------------------


async def test_a_customer_logs_in(oms_graphql, oms_accounts):
    data = await oms_graphql.query(LOGIN, {"email": "Alice@Example.com", "password": "alice-pass-1"})

    payload = data["login"]
    assert payload["userErrors"] == []
    assert payload["me"] == {"email": "alice@example.com", "isStaff": False, "permissions": []}
    assert (await oms_graphql.as_(payload["token"]).query(ME))["me"]["email"] == "alice@example.com"


async def test_a_staff_member_logs_in_with_permissions(oms_graphql, oms_accounts):
    data = await oms_graphql.query(LOGIN, {"email": "staff@example.com", "password": "staff-pass-1"})

    me = data["login"]["me"]
    assert me["isStaff"] is True
    assert me["permissions"] == sorted(p.value for p in Permission)  # a superuser holds all


async def test_a_limited_staff_member_has_only_their_permissions(oms_graphql, oms_app):
    await accounts.create_staff(
        email="support@example.com", password="support-pass", permissions=["MANAGE_RETURNS", "MANAGE_ORDERS"]
    )

    data = await oms_graphql.query(LOGIN, {"email": "support@example.com", "password": "support-pass"})

    assert data["login"]["me"] == {
        "email": "support@example.com", "isStaff": True, "permissions": ["MANAGE_ORDERS", "MANAGE_RETURNS"],
    }


async def test_a_wrong_password_and_an_unknown_email_look_the_same(oms_graphql, oms_accounts):
    wrong_password = await oms_graphql.query(LOGIN, {"email": "alice@example.com", "password": "not-her-password"})
    unknown_email = await oms_graphql.query(LOGIN, {"email": "nobody@example.com", "password": "not-her-password"})

    assert wrong_password == unknown_email
    payload = wrong_password["login"]
    assert (payload["token"], payload["me"]) == (None, None)
    assert [e["code"] for e in payload["userErrors"]] == ["UNAUTHENTICATED"]


async def test_a_deactivated_staff_member_is_locked_out(oms_graphql, oms_app):
    staff = await accounts.create_staff(email="gone@example.com", password="gone-pass-1", permissions=["MANAGE_ORDERS"])
    token = await token_for(oms_app, Viewer(staff=staff))
    await Staff.filter(id=staff.id).update(is_active=False)

    login = await oms_graphql.query(LOGIN, {"email": "gone@example.com", "password": "gone-pass-1"})
    listed = await oms_graphql.as_(token).execute("{ orders { totalCount } }")

    assert [e["code"] for e in login["login"]["userErrors"]] == ["UNAUTHENTICATED"]
    assert [e["extensions"]["code"] for e in listed["errors"]] == ["UNAUTHENTICATED"]


# -- me and bearer tokens -------------------------------------------------------------------


async def test_me_is_null_when_signed_out(oms_graphql):
    assert await oms_graphql.query(ME) == {"me": None}


async def test_me_with_a_token(oms_graphql, oms_accounts):
    assert await oms_graphql.as_(oms_accounts.customer).query(ME) == {
        "me": {"email": "alice@example.com", "isStaff": False, "permissions": []}
    }


async def bad_tokens(oms_app) -> dict[str, str]:
    alice = await Customer.get(email="alice@example.com")
    deleted = await accounts.register_customer(email="deleted@example.com", password="deleted-pass")
    deleted_token = await token_for(oms_app, Viewer(customer=deleted))
    await deleted.delete()
    return {
        "expired": await token_for(oms_app, Viewer(customer=alice), ttl_seconds=-60),
        "forged": await accounts.issue_token(Viewer(customer=alice), secret="not-the-secret-" + "z" * 32, ttl_seconds=600),
        "garbage": "not.a.jwt",
        "deleted-account": deleted_token,
    }


async def test_a_bad_token_gives_no_me_and_no_server_error(oms_graphql, oms_app, oms_accounts):
    for name, token in (await bad_tokens(oms_app)).items():
        body = await oms_graphql.as_(token).execute(ME)

        assert body == {"data": {"me": None}}, name


async def test_a_bad_token_does_not_turn_into_a_guest_order(oms_graphql, oms_app, oms_accounts, catalog):
    order = {
        "lines": [{"sku": "EBOOK", "quantity": 1}], "email": "alice@example.com", "idempotencyKey": "k-1",
    }

    for name, token in (await bad_tokens(oms_app)).items():
        data = await oms_graphql.as_(token).query(PLACE_ORDER, {"input": {**order, "idempotencyKey": name}})

        assert [e["code"] for e in data["placeOrder"]["userErrors"]] == ["UNAUTHENTICATED"], name
    assert await Order.all().count() == 0


async def test_staff_have_no_orders_of_their_own(oms_graphql, oms_accounts, catalog):
    await oms_graphql.query(PLACE_ORDER, {"input": {
        "lines": [{"sku": "MUG", "quantity": 1}], "email": "guest@example.com", "idempotencyKey": "k-1",
        "shippingAddress": ADDRESS, "shippingMethod": "standard",
    }})

    data = await oms_graphql.as_(oms_accounts.staff).query("{ me { orders { totalCount edges { node { id } } } } }")

    assert data["me"]["orders"] == {"totalCount": 0, "edges": []}
