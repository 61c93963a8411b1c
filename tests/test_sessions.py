"""Sessions: logout, changePassword and staff deactivation end tokens at once, over HTTP
and on open websockets; an expired token ends its websocket."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt

import httpx
import jwt
import pytest
from httpx_ws import WebSocketDisconnect, aconnect_ws
from httpx_ws.transport import ASGIWebSocketTransport

from oms.accounts import services as accounts
from oms.accounts.models import AuthSession, Staff
from oms.accounts.permissions import Viewer

LOGIN = """mutation($email: String!, $password: String!) {
  login(email: $email, password: $password) { token userErrors { field code message } } }"""
LOGOUT = "mutation { logout { ok userErrors { code message } } }"
CHANGE_PASSWORD = """mutation($input: ChangePasswordInput!) {
  changePassword(input: $input) { token me { email } userErrors { field code message } } }"""
ME = "{ me { email isStaff } }"


async def login(oms_graphql, email: str = "alice@example.com", password: str = "alice-pass-1") -> str:
    payload = (await oms_graphql.query(LOGIN, {"email": email, "password": password}))["login"]
    assert payload["userErrors"] == [] and payload["token"], payload
    return payload["token"]


async def me(oms_graphql, token: str) -> dict | None:
    return (await oms_graphql.as_(token).query(ME))["me"]


# -- logout -------------------------------------------------------------------------------


async def test_logout_ends_its_token_and_only_that_one(oms_graphql, oms_accounts):
    laptop, phone = await login(oms_graphql), await login(oms_graphql)

    result = await oms_graphql.as_(laptop).query(LOGOUT)

    assert result == {"logout": {"ok": True, "userErrors": []}}
    assert await me(oms_graphql, laptop) is None
    assert (await me(oms_graphql, phone))["email"] == "alice@example.com"
    # The ended token is refused, not taken for a guest: a mutation needing it says so.
    again = await oms_graphql.as_(laptop).query(LOGOUT)
    assert [e["code"] for e in again["logout"]["userErrors"]] == ["UNAUTHENTICATED"]


async def test_logout_signed_out_is_a_harmless_no_op(oms_graphql):
    assert await oms_graphql.query(LOGOUT) == {"logout": {"ok": True, "userErrors": []}}


# -- changePassword -----------------------------------------------------------------------


async def test_change_password_ends_every_session_and_signs_in_anew(oms_graphql, oms_accounts):
    here, elsewhere = await login(oms_graphql), await login(oms_graphql)

    payload = (await oms_graphql.as_(here).query(
        CHANGE_PASSWORD, {"input": {"currentPassword": "alice-pass-1", "newPassword": "alice-new-pass"}}
    ))["changePassword"]

    assert payload["userErrors"] == [] and payload["me"] == {"email": "alice@example.com"}
    assert await me(oms_graphql, here) is None
    assert await me(oms_graphql, elsewhere) is None
    assert (await me(oms_graphql, payload["token"]))["email"] == "alice@example.com"
    old = (await oms_graphql.query(LOGIN, {"email": "alice@example.com", "password": "alice-pass-1"}))["login"]
    assert [e["code"] for e in old["userErrors"]] == ["UNAUTHENTICATED"]
    assert await login(oms_graphql, password="alice-new-pass")


async def test_change_password_refusals_leave_everything_as_it_was(oms_graphql, oms_accounts):
    token = await login(oms_graphql)
    cases = {
        "wrong current": ({"currentPassword": "not-it-at-all", "newPassword": "alice-new-pass"},
                          [["input", "currentPassword"], "INVALID"]),
        "short new": ({"currentPassword": "alice-pass-1", "newPassword": "short"},
                      [["input", "newPassword"], "INVALID"]),
    }
    for name, (data, expected) in cases.items():
        payload = (await oms_graphql.as_(token).query(CHANGE_PASSWORD, {"input": data}))["changePassword"]
        assert payload["token"] is None, name
        assert [[e["field"], e["code"]] for e in payload["userErrors"]] == [expected], name

    assert (await me(oms_graphql, token))["email"] == "alice@example.com"
    assert await login(oms_graphql)  # the password is unchanged


async def test_change_password_needs_a_live_session(oms_graphql, oms_accounts):
    data = {"input": {"currentPassword": "alice-pass-1", "newPassword": "alice-new-pass"}}
    signed_out = (await oms_graphql.query(CHANGE_PASSWORD, data))["changePassword"]
    token = await login(oms_graphql)
    await oms_graphql.as_(token).query(LOGOUT)
    logged_out = (await oms_graphql.as_(token).query(CHANGE_PASSWORD, data))["changePassword"]

    for payload in (signed_out, logged_out):
        assert payload["token"] is None
        assert [e["code"] for e in payload["userErrors"]] == ["UNAUTHENTICATED"]


# -- tokens and their sessions ------------------------------------------------------------


async def test_a_token_without_a_live_session_is_refused(oms_app, oms_graphql, oms_accounts):
    secret = oms_app.state.settings.secret_key
    alice = (await accounts.viewer_from_token(oms_accounts.customer, secret=secret)).customer
    claims = jwt.decode(oms_accounts.customer, secret, algorithms=["HS256"])
    # A validly signed token of the old shape (no session), and one naming another
    # account than its session's: neither may sign anyone in.
    sessionless = jwt.encode({k: v for k, v in claims.items() if k != "sid"}, secret, algorithm="HS256")
    bob_session = await AuthSession.filter(customer__email="bob@example.com").first()
    swapped = jwt.encode({**claims, "sid": str(bob_session.id)}, secret, algorithm="HS256")

    for token in (sessionless, swapped):
        assert await me(oms_graphql, token) is None
    assert alice.email == "alice@example.com"


async def test_deactivating_staff_ends_their_sessions_and_upload_allowance(oms_app, oms_http, oms_graphql, oms_accounts):
    staff = await accounts.create_staff(email="gone@example.com", password="gone-pass-1", superuser=True)
    token = await login(oms_graphql, "gone@example.com", "gone-pass-1")
    assert (await me(oms_graphql, token))["isStaff"] is True

    await Staff.filter(id=staff.id).update(is_active=False)

    assert await me(oms_graphql, token) is None
    # A multipart POST over the ordinary body limit: only an active staff member's
    # token opens the upload allowance (the limit is read before the body).
    body = b"x" * (oms_app.state.settings.max_body_bytes + 1000)
    data = {"operations": '{"query": "{ productTypes { name } }"}', "map": "{}"}
    files = {"0": ("x.bin", body, "application/octet-stream")}
    refused = await oms_http.post("/graphql", data=data, files=files, headers={"Authorization": f"Bearer {token}"})
    allowed = await oms_http.post(
        "/graphql", data=data, files=files, headers={"Authorization": f"Bearer {oms_accounts.staff}"}
    )
    assert (refused.status_code, allowed.status_code) == (413, 200)


async def test_expired_sessions_are_pruned_at_the_next_sign_in(oms_app, oms_graphql, oms_accounts):
    alice = (await accounts.viewer_from_token(oms_accounts.customer, secret=oms_app.state.settings.secret_key))
    past = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=10)
    for _ in range(3):
        await AuthSession.create(customer=alice.customer, expires_at=past)
    assert await AuthSession.filter(customer_id=alice.customer.id).count() == 4

    await login(oms_graphql)

    assert await AuthSession.filter(customer_id=alice.customer.id).count() == 2  # the fixture's and this


# -- websockets -----------------------------------------------------------------------------


@dataclasses.dataclass
class Socket:
    ws: object
    n: int = 0

    async def run(self, query: str) -> dict:
        self.n += 1
        await self.ws.send_json({"id": str(self.n), "type": "subscribe", "payload": {"query": query}})
        message = await asyncio.wait_for(self.ws.receive_json(), 10)
        assert message["type"] == "next", message
        done = await asyncio.wait_for(self.ws.receive_json(), 10)
        assert done == {"id": str(self.n), "type": "complete"}, done
        return message["payload"]


@contextlib.asynccontextmanager
async def socket(oms_app, token: str):
    async with ASGIWebSocketTransport(app=oms_app) as transport:
        async with httpx.AsyncClient(transport=transport, base_url="http://oms.test") as client:
            async with aconnect_ws("/graphql", client, subprotocols=["graphql-transport-ws"]) as ws:
                await ws.send_json({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
                assert (await asyncio.wait_for(ws.receive_json(), 10))["type"] == "connection_ack"
                yield Socket(ws)


async def test_an_open_websocket_sees_logout_and_deactivation(oms_app, oms_graphql, oms_accounts):
    customer = await login(oms_graphql)
    async with socket(oms_app, customer) as ws:
        assert (await ws.run(ME))["data"]["me"]["email"] == "alice@example.com"
        await oms_graphql.as_(customer).query(LOGOUT)  # over HTTP, elsewhere
        assert (await ws.run(ME))["data"]["me"] is None

    await accounts.create_staff(email="ops@example.com", password="ops-pass-123", superuser=True)
    staff = await login(oms_graphql, "ops@example.com", "ops-pass-123")
    async with socket(oms_app, staff) as ws:
        assert (await ws.run(ME))["data"]["me"]["isStaff"] is True
        await Staff.filter(email="ops@example.com").update(is_active=False)
        denied = await ws.run("{ orders { totalCount } }")
        assert [e["extensions"]["code"] for e in denied["errors"]] == ["UNAUTHENTICATED"]


async def test_logout_on_the_websocket_signs_the_socket_out(oms_app, oms_graphql, oms_accounts):
    token = await login(oms_graphql)
    async with socket(oms_app, token) as ws:
        assert (await ws.run(LOGOUT))["data"]["logout"]["ok"] is True
        assert (await ws.run(ME))["data"]["me"] is None
    assert await me(oms_graphql, token) is None


async def test_a_websocket_is_closed_when_its_token_expires(oms_app, oms_graphql, oms_accounts):
    alice = await accounts.viewer_from_token(oms_accounts.customer, secret=oms_app.state.settings.secret_key)
    short = await accounts.issue_token(
        Viewer(customer=alice.customer), secret=oms_app.state.settings.secret_key, ttl_seconds=2
    )
    async with socket(oms_app, short) as ws:
        assert (await ws.run(ME))["data"]["me"]["email"] == "alice@example.com"
        with pytest.raises(WebSocketDisconnect) as closed:
            await asyncio.wait_for(ws.ws.receive_json(), 10)  # nothing to receive but the close
    assert closed.value.code == 4403
