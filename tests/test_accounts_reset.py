"""Password reset through the API and a real SMTP server: the same answer for every email,
the mail only for an account, a link that works once and expires, sessions ended, guest
orders linked once the email is proven (and not before)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
from urllib.parse import unquote

import pytest

from oms import clock
from oms.accounts import services as accounts
from oms.accounts.models import Customer
from oms.accounts.permissions import Viewer
from oms.accounts.reset import RESET_JOB, make_reset_token
from oms.config import Settings
from oms.jobs.models import Job
from oms.orders.models import Order
from oms.testing import make_product, place_paid_order, run_jobs
from tests.test_email import Inbox, body, smtp, use_smtp  # noqa: F401 (smtp is a fixture)

REQUEST = "mutation($email: String!) { requestPasswordReset(email: $email) { ok userErrors { field code } } }"
RESET = """mutation($input: ResetPasswordInput!) {
  resetPassword(input: $input) { token me { email } userErrors { field code message } } }"""
LOGIN = """mutation($email: String!, $password: String!) {
  login(email: $email, password: $password) { token userErrors { code } } }"""
ME_ORDERS = "{ me { email orders { totalCount edges { node { number email } } } } }"
RESET_URL = "https://shop.example/account/reset?token={token}"


@pytest.fixture
def inbox(oms_app, smtp) -> Inbox:  # noqa: F811
    inbox, port = smtp
    use_smtp(oms_app, port, password_reset_url=RESET_URL)
    return inbox


async def request_reset(client, email: str) -> dict:
    return (await client.query(REQUEST, {"email": email}))["requestPasswordReset"]


def link_token(message) -> str:
    match = re.search(r"https://shop\.example/account/reset\?token=(\S+)", body(message))
    assert match, body(message)
    return unquote(match.group(1))


async def mailed_token(oms_app, oms_graphql, inbox: Inbox, email: str = "alice@example.com") -> str:
    assert await request_reset(oms_graphql, email) == {"ok": True, "userErrors": []}
    await run_jobs(oms_app)
    resets = [m for m in inbox.messages if m["To"] == email and m["Subject"].startswith("Reset your password")]
    return link_token(resets[-1])


async def reset(client, token: str, password: str = "alice-new-pass") -> dict:
    return (await client.query(RESET, {"input": {"token": token, "newPassword": password}}))["resetPassword"]


def codes(payload: dict) -> list[tuple[list[str] | None, str]]:
    return [(e["field"], e["code"]) for e in payload["userErrors"]]


# -- asking ---------------------------------------------------------------------------------


async def test_the_mail_goes_to_an_account_only_and_the_answer_is_the_same(oms_app, oms_graphql, oms_accounts, inbox):
    known = await request_reset(oms_graphql, " Alice@Example.com ")
    unknown = await request_reset(oms_graphql, "nobody@example.com")

    assert known == unknown == {"ok": True, "userErrors": []}
    # The request did the same for both: one queued job each, no lookup of the account.
    assert sorted(j.payload["email"] for j in await Job.filter(kind=RESET_JOB)) == [
        "alice@example.com", "nobody@example.com"]
    await run_jobs(oms_app)
    assert [m["To"] for m in inbox.messages] == ["alice@example.com"]
    message = inbox.messages[0]
    assert message["Subject"] == "Reset your password at oms"
    assert "within 60 minutes" in body(message)
    token = link_token(message)
    assert token in body(message, "html") or token.replace("&", "&amp;") in body(message, "html")


async def test_without_a_reset_url_the_mail_gives_the_token(oms_app, oms_graphql, oms_accounts, smtp):  # noqa: F811
    inbox, port = smtp
    use_smtp(oms_app, port)

    await request_reset(oms_graphql, "alice@example.com")
    await run_jobs(oms_app)

    text = body(inbox.messages[0])
    token = text.split("reset form:", 1)[1].split()[0]
    assert (await reset(oms_graphql, token))["userErrors"] == []


async def test_requests_are_rate_limited_per_email_whether_or_not_it_has_an_account(oms_graphql, oms_accounts):
    for email in ("alice@example.com", "nobody@example.com"):
        answers = [await request_reset(oms_graphql, email) for _ in range(6)]

        assert answers[:5] == [{"ok": True, "userErrors": []}] * 5
        assert answers[5] == {"ok": False, "userErrors": [{"field": ["email"], "code": "RATE_LIMITED"}]}
    assert await Job.filter(kind=RESET_JOB).count() == 10


async def test_a_malformed_email_is_a_typed_error(oms_graphql):
    assert codes(await request_reset(oms_graphql, "not an email")) == [(["email"], "INVALID")]
    assert codes(await request_reset(oms_graphql, "x" * 5000 + "@example.com")) == [(["email"], "INVALID")]
    assert await Job.all().count() == 0


# -- using the link -------------------------------------------------------------------------


async def test_a_link_works_once_ends_the_sessions_and_signs_in(oms_app, oms_graphql, oms_accounts, inbox):
    token = await mailed_token(oms_app, oms_graphql, inbox)

    payload = await reset(oms_graphql, token)

    assert payload["userErrors"] == [] and payload["me"] == {"email": "alice@example.com"}
    assert (await oms_graphql.as_(payload["token"]).query("{ me { email } }"))["me"] == {"email": "alice@example.com"}
    # The session the customer had before ends; the old password is gone, the new one works.
    assert (await oms_graphql.as_(oms_accounts.customer).execute("{ me { email } }"))["data"]["me"] is None
    old = (await oms_graphql.query(LOGIN, {"email": "alice@example.com", "password": "alice-pass-1"}))["login"]
    assert codes_of(old) == ["UNAUTHENTICATED"]
    new = (await oms_graphql.query(LOGIN, {"email": "alice@example.com", "password": "alice-new-pass"}))["login"]
    assert new["token"]
    # Once: the same link again is refused, and the password stays the one it set.
    again = await reset(oms_graphql, token, "another-pass-1")
    assert codes(again) == [(["input", "token"], "INVALID")] and again["token"] is None
    assert (await Customer.get(email="alice@example.com")).email_verified_at is not None


def codes_of(payload: dict) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


async def test_one_link_used_by_several_requests_at_once_succeeds_once(oms_app, oms_graphql, oms_accounts, inbox):
    token = await mailed_token(oms_app, oms_graphql, inbox)

    results = await asyncio.gather(*(reset(oms_graphql, token, f"racing-pass-{i}") for i in range(4)))

    winners = [i for i, r in enumerate(results) if not r["userErrors"]]
    assert len(winners) == 1
    assert all(codes(r) == [(["input", "token"], "INVALID")] for i, r in enumerate(results) if i not in winners)
    login = (await oms_graphql.query(LOGIN, {"email": "alice@example.com", "password": f"racing-pass-{winners[0]}"}))
    assert login["login"]["token"]


async def test_a_link_expires(oms_app, oms_graphql, oms_accounts, inbox, monkeypatch):
    token = await mailed_token(oms_app, oms_graphql, inbox)
    real_now = clock.utcnow

    monkeypatch.setattr(clock, "utcnow", lambda: real_now() + dt.timedelta(minutes=61))
    expired = await reset(oms_graphql, token)
    monkeypatch.setattr(clock, "utcnow", lambda: real_now() + dt.timedelta(minutes=59))
    in_time = await reset(oms_graphql, token)

    assert codes(expired) == [(["input", "token"], "INVALID")]
    assert in_time["userErrors"] == []


async def test_a_weak_password_keeps_the_link_usable(oms_app, oms_graphql, oms_accounts, inbox):
    token = await mailed_token(oms_app, oms_graphql, inbox)

    assert codes(await reset(oms_graphql, token, "short")) == [(["input", "newPassword"], "INVALID")]
    assert (await reset(oms_graphql, token))["userErrors"] == []


async def test_changing_the_password_ends_earlier_links(oms_app, oms_graphql, oms_accounts, inbox):
    first = await mailed_token(oms_app, oms_graphql, inbox)
    second = await mailed_token(oms_app, oms_graphql, inbox)
    alice = await Customer.get(email="alice@example.com")

    await accounts.change_password(Viewer(customer=alice), current_password="alice-pass-1",
                                   new_password="changed-pass-1")

    assert codes(await reset(oms_graphql, first)) == [(["input", "token"], "INVALID")]
    assert codes(await reset(oms_graphql, second)) == [(["input", "token"], "INVALID")]


async def test_forged_foreign_and_garbage_tokens_are_refused(oms_app, oms_graphql, oms_accounts):
    alice = await Customer.get(email="alice@example.com")
    foreign = make_reset_token(alice, secret="another-secret-" + "y" * 32, ttl_seconds=3600)
    access_token = oms_accounts.customer  # an access token is no reset token
    for token in (foreign, access_token, "", "garbage", "a.b.c", "x" * 5000):
        assert codes(await reset(oms_graphql, token)) == [(["input", "token"], "INVALID")], token
    real = make_reset_token(alice, secret=oms_app.state.settings.secret_key, ttl_seconds=3600)
    # ... nor is a reset token an access token.
    assert (await oms_graphql.as_(real).execute("{ me { email } }"))["data"]["me"] is None
    assert (await reset(oms_graphql, real))["userErrors"] == []


async def test_the_token_never_reaches_the_logs(oms_app, oms_graphql, oms_accounts, inbox, caplog):
    caplog.set_level(logging.DEBUG)

    token = await mailed_token(oms_app, oms_graphql, inbox)
    await reset(oms_graphql, token)

    assert caplog.records, "nothing was logged at all"
    assert not [r for r in caplog.records if token in r.getMessage() or token in caplog.text]


# -- guest orders ---------------------------------------------------------------------------


async def test_guest_orders_join_the_account_after_the_reset_and_not_before(oms_app, oms_graphql, inbox):
    await make_product(oms_app, product_type="digital", sku="EBOOK", price="5.00")
    first = await place_paid_order(oms_app, oms_graphql, [("EBOOK", 1)], email="Carol@Example.com", pay=False)
    await place_paid_order(oms_app, oms_graphql, [("EBOOK", 1)], email="someone@example.com", pay=False)
    registered = (await oms_graphql.query(
        "mutation { register(input: {email: \"carol@example.com\", password: \"carol-pass-1\"}) { token } }"
    ))["register"]["token"]
    carol = oms_graphql.as_(registered)

    before = (await carol.query(ME_ORDERS))["me"]["orders"]
    token = await mailed_token(oms_app, oms_graphql, inbox, "carol@example.com")
    signed_in = (await reset(oms_graphql, token, "carol-new-pass"))["token"]
    after = (await oms_graphql.as_(signed_in).query(ME_ORDERS))["me"]["orders"]

    assert before == {"totalCount": 0, "edges": []}  # registering proves nothing
    assert after["totalCount"] == 1
    assert after["edges"][0]["node"] == {"number": first["order"]["number"], "email": "carol@example.com"}
    assert await Order.filter(customer_id=None).count() == 1  # someone's order stays a guest order


# -- settings -------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "value"), [
    ("OMS_PASSWORD_RESET_URL", "https://shop.example/reset"),
    ("OMS_PASSWORD_RESET_URL", "javascript:{token}"),
    ("OMS_PASSWORD_RESET_TTL_SECONDS", "0"),
    ("OMS_RATE_LIMIT_PASSWORD_RESET_ACCOUNT", "lots"),
])
def test_reset_settings_are_checked(name, value):
    with pytest.raises(ValueError, match=name):
        checked = Settings.from_env({name: value})
        from oms.ratelimit import RateLimiter

        RateLimiter(checked)
