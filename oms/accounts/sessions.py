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
import functools
from typing import Any

import jwt
from tortoise.connection import get_connection
from tortoise.expressions import Q
from tortoise.models import Model

from oms.accounts.models import AuthSession, Customer, Staff
from oms.accounts.permissions import ANONYMOUS, Viewer
from oms.errors import DomainError, ErrorCode
from oms.sql import render

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
    if not 0 < session_id < 2**63:  # names no row (auth_session.id is a bigint)
        raise _invalid()
    row = await _session_row(kind, session_id)
    now = _now()
    if row is None:
        raise _invalid()
    revoked_at, expires_at = _REVOKED_AT(row["session_revoked_at"]), _EXPIRES_AT(row["session_expires_at"])
    if revoked_at is not None or expires_at <= now:
        raise _invalid()
    account_model = Staff if kind == "staff" else Customer
    account: Any = account_model._init_from_db(**row) if row["id"] is not None else None
    if kind == "staff" and row["session_staff_id"] == account_id and account is not None and account.is_active:
        return Viewer(staff=account, session_id=session_id, session_expires_at=expires_at)
    if kind == "customer" and row["session_customer_id"] == account_id and account is not None:
        return Viewer(customer=account, session_id=session_id, session_expires_at=expires_at)
    raise DomainError.of(ErrorCode.UNAUTHENTICATED, "The access token names no account.")


async def end_session(viewer: Viewer) -> None:
    """Revoke the session the viewer's token names (``logout``)."""
    if viewer.session_id is not None:
        await AuthSession.filter(id=viewer.session_id, revoked_at=None).update(revoked_at=_now())


async def end_all_sessions(viewer: Viewer) -> int:
    """Revoke every live session of the viewer's account; how many were live."""
    return await AuthSession.filter(_owner(viewer), revoked_at=None, expires_at__gt=_now()).update(revoked_at=_now())


_REVOKED_AT = AuthSession._meta.fields_map["revoked_at"].to_python_value
_EXPIRES_AT = AuthSession._meta.fields_map["expires_at"].to_python_value


@functools.cache
def _session_sql(account_model: type[Model], dialect: str) -> str:
    """One statement: the session and the account of the kind the token claims (every
    column, as the ORM would load it), by the session's id."""
    meta = account_model._meta
    key = "staff_id" if account_model is Staff else "customer_id"
    columns = ", ".join(f't."{column}"' for column in sorted(meta.fields_db_projection.values()))
    sql, _ = render(
        "SELECT a.staff_id AS session_staff_id, a.customer_id AS session_customer_id, "
        f"a.expires_at AS session_expires_at, a.revoked_at AS session_revoked_at, {columns} "
        f'FROM auth_session a LEFT JOIN "{meta.db_table}" t ON t.id = a.{key} WHERE a.id = :session_id',
        dialect,
        {"session_id": None},
    )
    return sql


async def _session_row(kind: str, session_id: int) -> dict[str, Any] | None:
    """The session ``session_id`` with its account of ``kind`` (the account's columns all
    None when the session has none of that kind); None when there is no such session.
    Hand-written rather than the ORM's ``select_related``: this runs on every signed-in
    request, and building that query cost more CPU than running it."""
    conn = get_connection("default")
    sql = _session_sql(Customer if kind == "customer" else Staff, conn.capabilities.dialect)
    rows = await conn.execute_query_dict(sql, [session_id])
    return rows[0] if rows else None
