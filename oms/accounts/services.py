"""Accounts: customers and staff, argon2 password hashes (hashed off the event loop,
oms.accounts.passwords) and bearer tokens naming sessions (oms.accounts.sessions)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from oms.accounts.models import Customer, Staff
from oms.accounts.passwords import hash_password, verify_dummy, verify_password
from oms.accounts.permissions import Permission, Viewer
from oms.accounts.sessions import end_all_sessions, end_session, issue_token, viewer_from_token
from oms.errors import DomainError, ErrorCode, FieldError

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
MIN_PASSWORD_LENGTH = 8

__all__ = [
    "authenticate",
    "change_password",
    "check_email",
    "create_staff",
    "end_session",
    "issue_token",
    "normalize_email",
    "register_customer",
    "viewer_from_token",
]


def normalize_email(email: str) -> str:
    return email.strip().lower()


def check_email(email: str | None, field: list[str]) -> str:
    if email is None or not email.strip():
        raise DomainError.of(ErrorCode.REQUIRED, "An email address is required.", field)
    email = normalize_email(email)
    if len(email) > 254 or not _EMAIL.match(email):
        raise DomainError.of(ErrorCode.INVALID, "This is not a valid email address.", field)
    return email


def _check_password(password: str, field: list[str] | None = None) -> None:
    field = field or ["password"]
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError.of(
            ErrorCode.INVALID,
            f"A password needs at least {MIN_PASSWORD_LENGTH} characters.",
            field,
        )
    if len(password) > 1024:
        raise DomainError.of(ErrorCode.INVALID, "This password is too long.", field)


async def register_customer(*, email: str, password: str, name: str | None = None) -> Customer:
    """Create a customer account."""
    email = check_email(email, ["email"])
    _check_password(password)
    name = (name or "").strip() or None
    if name is not None and len(name) > 200:  # the column's length
        raise DomainError.of(ErrorCode.INVALID, "At most 200 characters.", ["name"])
    try:
        return await Customer.create(email=email, password_hash=await hash_password(password), name=name)
    except IntegrityError:
        raise DomainError.of(ErrorCode.INVALID, "An account with this email already exists.", ["email"]) from None


async def authenticate(*, email: str, password: str) -> Viewer:
    """The viewer the credentials belong to; staff accounts take precedence."""
    email = normalize_email(email)
    if len(password) > 1024:  # no account has one: spare the hashing threads
        raise _wrong_credentials()
    staff = await Staff.get_or_none(email=email, is_active=True)
    if staff is not None and await verify_password(staff.password_hash, password):
        return Viewer(staff=staff)
    customer = await Customer.get_or_none(email=email)
    if customer is not None and await verify_password(customer.password_hash, password):
        return Viewer(customer=customer)
    if staff is None and customer is None:
        await verify_dummy(password)
    raise _wrong_credentials()


def _wrong_credentials() -> DomainError:
    return DomainError(FieldError(ErrorCode.UNAUTHENTICATED, "The email or password is wrong.", ["password"]))


async def create_staff(
    *,
    email: str,
    password: str,
    permissions: list[str] | None = None,
    superuser: bool = False,
    name: str | None = None,
    plugin_permissions: Iterable[str] = (),
) -> Staff:
    """Create a staff account (the ``oms create-staff`` command). ``permissions`` are
    core :class:`Permission` names or ``plugin_permissions`` (the installed plugins'
    ``oms_permissions``)."""
    email = check_email(email, ["email"])
    _check_password(password)
    grantable = [*Permission.__members__, *plugin_permissions]
    unknown = [p for p in permissions or [] if p not in grantable]
    if unknown:
        known = ", ".join(grantable)
        raise DomainError.of(ErrorCode.INVALID, f"Unknown permission {unknown[0]!r}; known: {known}.", ["permission"])
    try:
        return await Staff.create(
            email=email,
            password_hash=await hash_password(password),
            permissions=sorted(set(permissions or [])),
            is_superuser=superuser,
            name=name,
        )
    except IntegrityError:
        raise DomainError.of(ErrorCode.INVALID, "A staff account with this email already exists.", ["email"]) from None


async def change_password(viewer: Viewer, *, current_password: str, new_password: str) -> Viewer:
    """Set a new password for the signed-in viewer once the current one is confirmed,
    and end every session of the account (the caller signs in anew: ``issue_token``).

    Raises UNAUTHENTICATED when signed out, INVALID (on ``currentPassword``) for a wrong
    current password and INVALID (on ``newPassword``) for an unusable new one.
    """
    account = viewer.staff or viewer.customer
    if account is None:
        raise DomainError.of(ErrorCode.UNAUTHENTICATED, "Sign in to change your password.")
    _check_password(new_password, ["input", "newPassword"])
    if len(current_password) > 1024 or not await verify_password(account.password_hash, current_password):
        raise wrong_current_password()
    new_hash = await hash_password(new_password)
    async with in_transaction():
        await type(account).filter(id=account.id).update(password_hash=new_hash)
        await end_all_sessions(viewer)
    account.password_hash = new_hash
    return Viewer(staff=viewer.staff, customer=None if viewer.staff else viewer.customer)


def wrong_current_password() -> DomainError:
    return DomainError.of(ErrorCode.INVALID, "The current password is wrong.", ["input", "currentPassword"])
