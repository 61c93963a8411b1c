"""Sessions: a bearer token (a signed JWT) names one server-side :class:`AuthSession`.

Why a session row rather than a bare JWT: a JWT alone stays valid until it expires, so
``logout``, a password change or a deactivated staff member could not end it. The token
carries its session id (``sid``); :func:`viewer_from_token` loads the session together
with its account in ONE query and honours it only while the session is neither revoked
nor expired and the account may still sign in. So every request (and every operation on
an open websocket) sees a logout, a password change or a deactivation at once.

Expired sessions of an account are deleted when it next signs in, so the table holds
about one row per live sign-in.
"""

from __future__ import annotations

import datetime as dt

import jwt
from tortoise.expressions import Q

from oms.accounts.models import AuthSession
from oms.accounts.permissions import ANONYMOUS, Viewer
from oms.errors import DomainError, ErrorCode

_JWT_ALGORITHM = "HS256"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _owner(viewer: Viewer) -> Q:
    if viewer.staff is not None:
        return Q(staff_id=viewer.staff.id)
    if viewer.customer is not None:
        return Q(customer_id=viewer.customer.id)
    raise ValueError("an anonymous viewer has no session")


async def issue_token(viewer: Viewer, *, secret: str, ttl_seconds: int) -> str:
    """Start a session for the viewer and return its bearer token, valid for
    ``ttl_seconds`` unless the session is ended sooner."""
    now = _now()
    expires = now + dt.timedelta(seconds=ttl_seconds)
    await AuthSession.filter(_owner(viewer), expires_at__lt=now).delete()
    session = await AuthSession.create(
        staff=viewer.staff, customer=None if viewer.staff else viewer.customer, expires_at=expires
    )
    if viewer.staff is not None:
        subject = f"staff:{viewer.staff.id}"
    else:
        assert viewer.customer is not None  # a session is opened for a signed-in account only
        subject = f"customer:{viewer.customer.id}"
    claims = {"sub": subject, "sid": str(session.id), "iat": now, "exp": expires}
    return jwt.encode(claims, secret, algorithm=_JWT_ALGORITHM)


def _invalid() -> DomainError:
    return DomainError.of(ErrorCode.UNAUTHENTICATED, "The access token is invalid or expired.")


async def viewer_from_token(token: str | None, *, secret: str) -> Viewer:
    """The viewer a bearer token names; anonymous when it is missing.

    Raises UNAUTHENTICATED for a token that is forged or expired, whose session has
    ended, or whose account is gone or deactivated. One query.
    """
    if not token:
        return ANONYMOUS
    try:
        claims = jwt.decode(token, secret, algorithms=[_JWT_ALGORITHM], options={"require": ["exp", "sub", "sid"]})
        kind, _, raw_id = str(claims["sub"]).partition(":")
        account_id, session_id = int(raw_id), int(claims["sid"])
    except (jwt.PyJWTError, ValueError, TypeError):
        raise _invalid() from None
    session = await AuthSession.get_or_none(id=session_id).select_related("staff", "customer")
    now = _now()
    if session is None or session.revoked_at is not None or session.expires_at <= now:
        raise _invalid()
    if kind == "staff" and session.staff_id == account_id and session.staff is not None and session.staff.is_active:
        return Viewer(staff=session.staff, session_id=session.id, session_expires_at=session.expires_at)
    if kind == "customer" and session.customer_id == account_id:
        return Viewer(customer=session.customer, session_id=session.id, session_expires_at=session.expires_at)
    raise DomainError.of(ErrorCode.UNAUTHENTICATED, "The access token names no account.")


async def end_session(viewer: Viewer) -> None:
    """Revoke the session the viewer's token names (``logout``)."""
    if viewer.session_id is not None:
        await AuthSession.filter(id=viewer.session_id, revoked_at=None).update(revoked_at=_now())


async def end_all_sessions(viewer: Viewer) -> int:
    """Revoke every live session of the viewer's account; how many were live."""
    return await AuthSession.filter(_owner(viewer), revoked_at=None, expires_at__gt=_now()).update(revoked_at=_now())
