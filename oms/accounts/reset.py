"""Password reset by email, and what a used reset link proves.

``requestPasswordReset(email)`` answers the same whatever the email: it queues one job
(:data:`RESET_JOB`) with the normalized address and does nothing else, so an address
with an account and one without cost the request the same single INSERT. The job (in
the worker, :mod:`oms.accounts.reset_mail`) looks the account up and mails the link only
if there is one.

The link carries a signed token (a JWT under a key derived from ``OMS_SECRET_KEY`` for
this purpose alone, so it is never an access token) naming the customer, its expiry
(``OMS_PASSWORD_RESET_TTL_SECONDS``) and a fingerprint of the account's email and
current password hash. Using it sets a new password, so the fingerprint no longer
matches: the link (and any other reset link sent before) works once. The new password
is written with a conditional UPDATE on the old hash, so two uses racing each other
cannot both succeed. The token is never stored and never logged.

A used link proves the customer reads that mailbox: the account's email counts as
verified from then on, and orders placed as a guest with that email are linked to the
account (:func:`link_guest_orders`), never before.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac

import jwt
from tortoise.transactions import in_transaction

from oms import clock
from oms.accounts.models import Customer
from oms.accounts.passwords import hash_password
from oms.accounts.permissions import Viewer
from oms.accounts.services import _check_password, check_email
from oms.accounts.sessions import end_all_sessions
from oms.errors import DomainError, ErrorCode
from oms.jobs.services import enqueue
from oms.orders.models import Order

RESET_JOB = "account.password_reset_email"
# The mail is retried for a while (an SMTP server in maintenance), not for hours: a link
# arriving much later than asked for is confusing and close to its expiry anyway.
RESET_JOB_MAX_ATTEMPTS = 6

_PURPOSE = "password_reset"
_ALGORITHM = "HS256"
# Longest token accepted: a real one is ~250 characters.
MAX_TOKEN_LENGTH = 1000


@dataclasses.dataclass(frozen=True)
class ResetResult:
    customer: Customer
    linked_orders: int


def _key(secret: str) -> bytes:
    # A key of its own: a reset token is no access token and the other way round.
    return hmac.new(secret.encode(), b"oms password reset v1", hashlib.sha256).digest()


def _fingerprint(secret: str, customer: Customer) -> str:
    """Changes when the password (or the email) does: what makes a link single-use.
    A keyed digest, so the token shows nothing of the hash."""
    material = f"{customer.email}\0{customer.password_hash}".encode()
    return hmac.new(_key(secret), material, hashlib.sha256).hexdigest()[:32]


def make_reset_token(customer: Customer, *, secret: str, ttl_seconds: int) -> str:
    """A reset token for ``customer``, valid for ``ttl_seconds`` and until the password changes."""
    now = clock.utcnow()
    claims = {
        "pur": _PURPOSE,
        "sub": str(customer.id),
        "fp": _fingerprint(secret, customer),
        "iat": int(now.timestamp()),
        "exp": int((now + dt.timedelta(seconds=ttl_seconds)).timestamp()),
    }
    return jwt.encode(claims, _key(secret), algorithm=_ALGORITHM)


def _invalid_link() -> DomainError:
    return DomainError.of(
        ErrorCode.INVALID,
        "This reset link is invalid, expired or already used; ask for a new one.",
        ["input", "token"],
    )


async def customer_for_reset_token(token: str, *, secret: str) -> Customer | None:
    """The customer a reset token names while it is valid: signed by us, for this
    purpose, not expired (by :func:`oms.clock.utcnow`), and made for the account's
    current email and password. None otherwise."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        claims = jwt.decode(
            token,
            _key(secret),
            algorithms=[_ALGORITHM],
            # Expiry is checked below against oms.clock, the one clock of oms.
            options={"require": ["exp", "sub", "fp", "pur"], "verify_exp": False, "verify_iat": False},
        )
        customer_id, expires = int(claims["sub"]), int(claims["exp"])
    except (jwt.PyJWTError, ValueError, TypeError):
        return None
    if claims["pur"] != _PURPOSE or clock.utcnow().timestamp() >= expires or not 1 <= customer_id < 2**31:
        return None
    customer = await Customer.get_or_none(id=customer_id)
    if customer is None or not hmac.compare_digest(str(claims["fp"]), _fingerprint(secret, customer)):
        return None
    return customer


async def request_password_reset(email: str) -> None:
    """Queue the reset mail for ``email`` (sent only if an account has it). INVALID for
    something that is not an email address; otherwise the same for every address."""
    address = check_email(email, ["email"])
    await enqueue(RESET_JOB, {"email": address}, max_attempts=RESET_JOB_MAX_ATTEMPTS)


async def reset_password(token: str, new_password: str, *, secret: str) -> ResetResult:
    """Set ``new_password`` for the account the reset ``token`` names, end every session
    of the account, mark its email verified and link its guest orders, in one
    transaction. INVALID (on ``input.token``) for a token that is not (or no longer)
    valid, INVALID (on ``input.newPassword``) for an unusable password."""
    customer = await customer_for_reset_token(token, secret=secret)
    if customer is None:
        raise _invalid_link()
    _check_password(new_password, ["input", "newPassword"])
    new_hash = await hash_password(new_password)
    async with in_transaction():
        # On the old hash: of two uses of one link racing each other, one wins.
        changed = await Customer.filter(id=customer.id, password_hash=customer.password_hash).update(
            password_hash=new_hash, email_verified_at=clock.utcnow()
        )
        if not changed:
            raise _invalid_link()
        await end_all_sessions(Viewer(customer=customer))
        linked = await link_guest_orders(customer)
    customer.password_hash = new_hash
    return ResetResult(customer=customer, linked_orders=linked)


async def link_guest_orders(customer: Customer) -> int:
    """Give the customer the orders placed as a guest with their email address (call it
    once the email is proven, in that transaction); how many were linked. They then show
    in ``me.orders`` and the customer reaches them signed in."""
    return await Order.filter(customer_id__isnull=True, email=customer.email).update(customer_id=customer.id)
