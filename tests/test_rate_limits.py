"""Rate limits (oms.ratelimit): password guessing at login and changePassword, sign-ups,
and guessing of order tokens, access keys and links; RATE_LIMITED with retryAfter in
GraphQL, 429 with Retry-After elsewhere; the counters shared by processes through Redis."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid

import httpx
import pytest

from tests.conftest import PLACE_ORDER
from tests.live_server import fresh_database, live_server, migrate

LOGIN = """mutation($email: String!, $password: String!) {
  login(email: $email, password: $password) { token userErrors { field code message retryAfter } } }"""
REGISTER = """mutation($input: RegisterInput!) {
  register(input: $input) { token userErrors { field code retryAfter } } }"""
CHANGE_PASSWORD = """mutation($input: ChangePasswordInput!) {
  changePassword(input: $input) { token userErrors { field code retryAfter } } }"""
ORDER_BY_TOKEN = "query($token: String!) { order(token: $token) { email } }"
CANCEL = """mutation($id: ID!, $token: String) {
  cancelOrder(id: $id, token: $token) { order { status } userErrors { field code retryAfter } } }"""


def client_at(app, address: str) -> httpx.AsyncClient:
    """An in-process client whose requests come from ``address``."""
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://oms.test")


async def gql(http: httpx.AsyncClient, query: str, variables: dict, token: str | None = None) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await http.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def login(http, email="alice@example.com", password="alice-pass-1") -> dict:
    return (await gql(http, LOGIN, {"email": email, "password": password}))["data"]["login"]


def codes(payload: dict) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


# -- login ----------------------------------------------------------------------------------


async def test_password_guessing_is_stopped_and_blocks_the_right_password(oms_app, oms_accounts):
    """The defaults: 10 failures per account and address in 15 minutes."""
    attacker = client_at(oms_app, "203.0.113.7")
    async with attacker:
        refused = [await login(attacker, password=f"guess-{n:03d}") for n in range(200)]
        right = await login(attacker)

    assert [codes(p) for p in refused[:10]] == [["UNAUTHENTICATED"]] * 10
    assert [codes(p) for p in refused[10:]] == [["RATE_LIMITED"]] * 190
    assert all(0 < p["userErrors"][0]["retryAfter"] <= 15 * 60 for p in refused[10:])
    # A blocked account is blocked: the right password from there is refused too...
    assert (right["token"], codes(right)) == (None, ["RATE_LIMITED"])
    # ...while the owner, elsewhere, still signs in (the per-account rule is wider).
    async with client_at(oms_app, "198.51.100.20") as owner:
        assert (await login(owner))["token"]


@pytest.fixture
def oms_settings(oms_settings, request):
    """Short windows, so a test can wait for one to pass (``@pytest.mark.limits(...)``)."""
    marker = request.node.get_closest_marker("limits")
    return dataclasses.replace(oms_settings, **marker.kwargs) if marker else oms_settings


# 10 s, not less: each login is a real argon2 verification (0.4-0.9 s idle, 2 s on a busy
# CI), and the three failures must all still be in the window at the fourth attempt.
@pytest.mark.limits(rate_limit_login_account_address="3/10 seconds")
async def test_the_block_ends_when_the_window_passes_and_success_counts_nothing(oms_app, oms_accounts):
    async with client_at(oms_app, "203.0.113.8") as http:
        for _ in range(5):  # signing in uses up nothing
            assert (await login(http))["token"]
        for n in range(3):
            assert codes(await login(http, password=f"guess-{n}")) == ["UNAUTHENTICATED"]
        blocked = await login(http)
        assert codes(blocked) == ["RATE_LIMITED"]
        assert 1 <= blocked["userErrors"][0]["retryAfter"] <= 10

        await asyncio.sleep(blocked["userErrors"][0]["retryAfter"] + 0.2)

        assert (await login(http))["token"]


@pytest.mark.limits(rate_limit_login_address="4/hour")
async def test_one_address_trying_many_accounts_is_stopped(oms_app, oms_accounts):
    async with client_at(oms_app, "203.0.113.9") as http:
        tried = [await login(http, email=f"user{n}@example.com", password="password-1") for n in range(6)]
    assert [codes(p) for p in tried] == [["UNAUTHENTICATED"]] * 4 + [["RATE_LIMITED"]] * 2


@pytest.mark.limits(rate_limit_login_account_address="2/hour")
async def test_wrong_current_passwords_count_as_guesses(oms_app, oms_accounts):
    data = {"input": {"currentPassword": "not-the-password", "newPassword": "a-new-password"}}
    async with client_at(oms_app, "203.0.113.10") as http:
        tried = [
            (await gql(http, CHANGE_PASSWORD, data, oms_accounts.customer))["data"]["changePassword"]
            for _ in range(3)
        ]
        right = {"input": {"currentPassword": "alice-pass-1", "newPassword": "a-new-password"}}
        blocked = (await gql(http, CHANGE_PASSWORD, right, oms_accounts.customer))["data"]["changePassword"]
        at_login = await login(http)

    assert [codes(p) for p in tried] == [["INVALID"], ["INVALID"], ["RATE_LIMITED"]]
    assert blocked["userErrors"][0]["field"] == ["input", "currentPassword"]
    assert (blocked["token"], codes(blocked), codes(at_login)) == (None, ["RATE_LIMITED"], ["RATE_LIMITED"])


@pytest.mark.limits(rate_limit_register_address="3/hour")
async def test_sign_ups_per_address_are_limited(oms_app):
    async with client_at(oms_app, "203.0.113.11") as http:
        tried = [
            (await gql(http, REGISTER, {"input": {"email": f"new{n}@example.com", "password": "long-enough"}}))
            ["data"]["register"]
            for n in range(4)
        ]
    async with client_at(oms_app, "198.51.100.21") as elsewhere:
        other = (await gql(elsewhere, REGISTER, {"input": {"email": "x@example.com", "password": "long-enough"}}))
    assert [bool(p["token"]) for p in tried] == [True, True, True, False]
    assert codes(tried[3]) == ["RATE_LIMITED"] and tried[3]["userErrors"][0]["retryAfter"] > 0
    assert other["data"]["register"]["token"]


@pytest.mark.limits(rate_limits=False)
async def test_rate_limits_can_be_switched_off(oms_app, oms_accounts):
    async with client_at(oms_app, "203.0.113.12") as http:
        tried = [await login(http, password=f"guess-{n}") for n in range(12)]
    assert [codes(p) for p in tried] == [["UNAUTHENTICATED"]] * 12


# -- token guessing -------------------------------------------------------------------------


@pytest.mark.limits(rate_limit_token_address="5/minute")
async def test_order_token_guessing_gets_rate_limited(oms_app, oms_graphql, catalog):
    placed = (await oms_graphql.query(PLACE_ORDER, {"input": {
        "lines": [{"sku": "EBOOK", "quantity": 1}], "email": "guest@example.com", "idempotencyKey": "rl-1",
    }}))["placeOrder"]
    token, order_id = placed["orderToken"], placed["order"]["id"]

    async with client_at(oms_app, "203.0.113.13") as http:
        for _ in range(3):  # the right token is no miss
            assert (await gql(http, ORDER_BY_TOKEN, {"token": token}))["data"]["order"]
        misses = [await gql(http, ORDER_BY_TOKEN, {"token": f"guess-{n}"}) for n in range(5)]
        blocked_query = await gql(http, ORDER_BY_TOKEN, {"token": token})
        blocked_cancel = (await gql(http, CANCEL, {"id": order_id, "token": token}))["data"]["cancelOrder"]
    async with client_at(oms_app, "198.51.100.22") as owner:
        still = await gql(owner, ORDER_BY_TOKEN, {"token": token})

    assert [m["data"]["order"] for m in misses] == [None] * 5 and not any("errors" in m for m in misses)
    assert blocked_query["data"]["order"] is None
    [error] = blocked_query["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert 0 < error["extensions"]["retryAfter"] <= 60
    assert codes(blocked_cancel) == ["RATE_LIMITED"] and blocked_cancel["order"] is None
    assert blocked_cancel["userErrors"][0]["retryAfter"] > 0
    assert still["data"]["order"] == {"email": "guest@example.com"}


@pytest.mark.limits(rate_limit_token_address="5/minute")
async def test_link_and_key_guessing_gets_429(oms_app):
    async with client_at(oms_app, "203.0.113.14") as http:
        misses = [(await http.get(f"/entitlements/guess-{n}")).status_code for n in range(5)]
        blocked = [
            await http.get("/entitlements/guess-x"),
            await http.get("/downloads/guess-y"),
            await http.get("/bookings/guess-z/invite.ics"),
        ]
    async with client_at(oms_app, "198.51.100.23") as other:
        elsewhere = (await other.get("/downloads/guess-y")).status_code

    assert misses == [404] * 5
    assert [r.status_code for r in blocked] == [429, 429, 429]
    assert all(0 < int(r.headers["retry-after"]) <= 60 for r in blocked)
    assert elsewhere == 404


# -- several processes ----------------------------------------------------------------------

REDIS_URL = "redis://127.0.0.1:6379/0"


async def _failures_before_block(server_url: str, attempts: int) -> int:
    """Wrong passwords for one account, each on a new connection (so the processes of
    the server share them); how many were checked before RATE_LIMITED."""
    checked = 0
    async with httpx.AsyncClient(
        base_url=server_url, timeout=60, limits=httpx.Limits(max_keepalive_connections=0)
    ) as http:
        for n in range(attempts):
            payload = await login(http, "nobody@example.com", f"guess-{n}")
            if codes(payload) == ["UNAUTHENTICATED"]:
                checked += 1
    return checked


async def _redis_keys(prefix: str, delete: bool = False) -> int:
    import redis.asyncio as redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        keys = [key async for key in client.scan_iter(match=f"{prefix}*")]
        if delete and keys:
            await client.delete(*keys)
        return len(keys)
    finally:
        await client.aclose()


async def test_the_limit_holds_across_processes_sharing_redis(tmp_path):
    prefix = f"oms-test-{uuid.uuid4().hex}"
    rule = {"OMS_RATE_LIMIT_LOGIN_ACCOUNT_ADDRESS": "4/hour"}
    try:
        async with fresh_database(tmp_path) as url:
            await migrate(url)
            # In memory each process counts alone: two processes let more through...
            async with live_server(url, workers=2, env=rule, log_dir=tmp_path) as server:
                alone = await _failures_before_block(server.url, 24)
            # ...while with Redis the two count together.
            shared_env = {**rule, "OMS_REDIS_URL": REDIS_URL, "OMS_RATE_LIMIT_KEY_PREFIX": prefix}
            async with live_server(url, workers=2, env=shared_env, log_dir=tmp_path) as server:
                shared = await _failures_before_block(server.url, 24)
                stored = await _redis_keys(prefix)
    finally:
        await _redis_keys(prefix, delete=True)

    assert alone > 4, "the control failed: the requests did not reach both processes"
    assert shared == 4
    assert stored > 0


# -- configuration and failure -----------------------------------------------------------------


def test_a_malformed_rule_stops_the_start_naming_its_variable():
    from oms.app import create_app
    from oms.config import Settings

    with pytest.raises(ValueError, match="OMS_RATE_LIMIT_LOGIN_ACCOUNT: 'ten a fortnight'"):
        create_app(Settings(secret_key="s" * 32, rate_limit_login_account="ten a fortnight"))


async def test_an_unreachable_redis_lets_requests_through_and_says_so(caplog):
    from oms.config import Settings
    from oms.ratelimit import RateLimiter

    limiter = RateLimiter(Settings(redis_url="redis://127.0.0.1:1/0", rate_limit_login_account_address="1/hour"))
    keys = limiter.password_keys("alice@example.com", "203.0.113.15")
    try:
        for _ in range(3):
            await limiter.hit(keys)
            await limiter.check(keys)  # no RateLimited: nothing could be counted
    finally:
        await limiter.aclose()
    assert "rate limits skipped" in caplog.text
