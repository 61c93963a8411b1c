"""Accounts: customers and staff, argon2 password hashes, JWT bearer tokens."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from tortoise.exceptions import IntegrityError

from oms.accounts.models import Customer, Staff
from oms.accounts.permissions import ANONYMOUS, Permission, Viewer
from oms.errors import DomainError, ErrorCode, FieldError

_hasher = PasswordHasher()
# Verified when an email is unknown, so a miss costs as much time as a wrong password.
_DUMMY_HASH = _hasher.hash("not a real password " + uuid.uuid4().hex)
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
MIN_PASSWORD_LENGTH = 8
_JWT_ALGORITHM = "HS256"


def normalize_email(email: str) -> str:
    return email.strip().lower()


def check_email(email: str | None, field: list[str]) -> str:
    if email is None or not email.strip():
        raise DomainError.of(ErrorCode.REQUIRED, "An email address is required.", field)
    email = normalize_email(email)
    if len(email) > 254 or not _EMAIL.match(email):
        raise DomainError.of(ErrorCode.INVALID, "This is not a valid email address.", field)
    return email


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError.of(
            ErrorCode.INVALID,
            f"A password needs at least {MIN_PASSWORD_LENGTH} characters.",
            ["password"],
        )
    if len(password) > 1024:
        raise DomainError.of(ErrorCode.INVALID, "This password is too long.", ["password"])


async def register_customer(*, email: str, password: str, name: str | None = None) -> Customer:
    """Create a customer account."""
    email = check_email(email, ["email"])
    _check_password(password)
    name = (name or "").strip() or None
    if name is not None and len(name) > 200:  # the column's length
        raise DomainError.of(ErrorCode.INVALID, "At most 200 characters.", ["name"])
    try:
        return await Customer.create(email=email, password_hash=hash_password(password), name=name)
    except IntegrityError:
        raise DomainError.of(
            ErrorCode.INVALID, "An account with this email already exists.", ["email"]
        ) from None


async def authenticate(*, email: str, password: str) -> Viewer:
    """The viewer the credentials belong to; staff accounts take precedence."""
    email = normalize_email(email)
    staff = await Staff.get_or_none(email=email, is_active=True)
    if staff is not None and verify_password(staff.password_hash, password):
        return Viewer(staff=staff)
    customer = await Customer.get_or_none(email=email)
    if customer is not None and verify_password(customer.password_hash, password):
        return Viewer(customer=customer)
    if staff is None and customer is None:
        verify_password(_DUMMY_HASH, password)
    raise DomainError(
        FieldError(ErrorCode.UNAUTHENTICATED, "The email or password is wrong.", ["password"])
    )


async def create_staff(
    *,
    email: str,
    password: str,
    permissions: list[str] | None = None,
    superuser: bool = False,
    name: str | None = None,
) -> Staff:
    """Create a staff account (the ``oms create-staff`` command)."""
    email = check_email(email, ["email"])
    _check_password(password)
    unknown = [p for p in permissions or [] if p not in Permission.__members__]
    if unknown:
        known = ", ".join(Permission.__members__)
        raise DomainError.of(
            ErrorCode.INVALID, f"Unknown permission {unknown[0]!r}; known: {known}.", ["permission"]
        )
    try:
        return await Staff.create(
            email=email,
            password_hash=hash_password(password),
            permissions=sorted(set(permissions or [])),
            is_superuser=superuser,
            name=name,
        )
    except IntegrityError:
        raise DomainError.of(
            ErrorCode.INVALID, "A staff account with this email already exists.", ["email"]
        ) from None


def issue_token(viewer: Viewer, *, secret: str, ttl_seconds: int) -> str:
    """A signed bearer token for the viewer, expiring after ``ttl_seconds``."""
    now = dt.datetime.now(dt.UTC)
    if viewer.staff is not None:
        subject = f"staff:{viewer.staff.id}"
    elif viewer.customer is not None:
        subject = f"customer:{viewer.customer.id}"
    else:
        raise ValueError("an anonymous viewer gets no token")
    claims = {"sub": subject, "iat": now, "exp": now + dt.timedelta(seconds=ttl_seconds)}
    return jwt.encode(claims, secret, algorithm=_JWT_ALGORITHM)


def token_subject(token: str | None, *, secret: str) -> str | None:
    """The subject (``staff:1``, ``customer:2``) of a valid, unexpired token, or None;
    checks the signature only, without the database (the account may since be gone)."""
    if not token:
        return None
    try:
        claims = jwt.decode(token, secret, algorithms=[_JWT_ALGORITHM], options={"require": ["exp", "sub"]})
    except jwt.PyJWTError:
        return None
    return str(claims["sub"])


async def viewer_from_token(token: str | None, *, secret: str) -> Viewer:
    """The viewer a bearer token names; anonymous when it is missing.

    Raises UNAUTHENTICATED for a token that is forged, expired or names no account.
    """
    if not token:
        return ANONYMOUS
    try:
        claims = jwt.decode(token, secret, algorithms=[_JWT_ALGORITHM], options={"require": ["exp", "sub"]})
        kind, _, raw_id = str(claims["sub"]).partition(":")
        account_id = int(raw_id)
    except (jwt.PyJWTError, ValueError):
        raise DomainError.of(ErrorCode.UNAUTHENTICATED, "The access token is invalid or expired.") from None
    if kind == "staff":
        staff = await Staff.get_or_none(id=account_id, is_active=True)
        if staff is not None:
            return Viewer(staff=staff)
    elif kind == "customer":
        customer = await Customer.get_or_none(id=account_id)
        if customer is not None:
            return Viewer(customer=customer)
    raise DomainError.of(ErrorCode.UNAUTHENTICATED, "The access token names no account.")
