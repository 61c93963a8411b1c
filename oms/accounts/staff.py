"""Staff accounts managed by staff (``createStaff``, ``updateStaff``, ``staff``).

Two rules keep it safe: a staff member grants only permissions they hold themselves (a
superuser holds all, plugins' included), so MANAGE_STAFF never escalates; and the last
active superuser can be neither deactivated nor demoted, so the store always keeps one
account with full rights. Deactivation takes effect at once: every request (and every
operation on an open websocket) checks that the staff account is still active.
"""

from __future__ import annotations

from collections.abc import Iterable

from tortoise.transactions import in_transaction

from oms.accounts.models import Staff
from oms.accounts.permissions import Permission, Viewer
from oms.accounts.services import create_staff
from oms.errors import DomainError, ErrorCode
from oms.pagination import Page, paginate


def _check_grant(granter: Viewer, permissions: Iterable[str], plugin_permissions: Iterable[str]) -> list[str]:
    wanted = sorted(set(permissions))
    known = {*Permission.__members__, *plugin_permissions}
    unknown = [p for p in wanted if p not in known]
    if unknown:
        raise DomainError.of(
            ErrorCode.INVALID,
            f"Unknown permission {unknown[0]!r}; known: {', '.join(sorted(known))}.",
            ["input", "permissions"],
        )
    beyond = [p for p in wanted if not granter.has(p)]
    if beyond:
        raise DomainError.of(
            ErrorCode.PERMISSION_DENIED,
            f"You can grant only permissions you hold; not {beyond[0]}.",
            ["input", "permissions"],
        )
    return wanted


async def add_staff(
    granter: Viewer,
    *,
    email: str,
    password: str,
    name: str | None,
    permissions: Iterable[str],
    plugin_permissions: Iterable[str] = (),
) -> Staff:
    """A new staff account with ``permissions`` (each held by ``granter``)."""
    plugin_permissions = list(plugin_permissions)
    granted = _check_grant(granter, permissions, plugin_permissions)
    try:
        return await create_staff(
            email=email,
            password=password,
            permissions=granted,
            name=(name or "").strip() or None,
            plugin_permissions=plugin_permissions,
        )
    except DomainError as exc:
        raise DomainError([e.prefixed("input") for e in exc.errors]) from None


async def update_staff(
    granter: Viewer,
    staff_id: int,
    *,
    name: str | None = None,
    permissions: Iterable[str] | None = None,
    active: bool | None = None,
    plugin_permissions: Iterable[str] = (),
) -> Staff:
    """Change a staff account's name, permissions or active flag; None leaves a field.

    Only a superuser changes a superuser. The last active superuser stays active.
    """
    granted = None if permissions is None else _check_grant(granter, permissions, plugin_permissions)
    if name is not None and len(name.strip()) > 200:
        raise DomainError.of(ErrorCode.INVALID, "At most 200 characters.", ["input", "name"])
    async with in_transaction():
        staff = await Staff.select_for_update().get_or_none(id=staff_id)
        if staff is None:
            raise DomainError.of(ErrorCode.NOT_FOUND, "Staff member not found.", ["id"])
        if staff.is_superuser and not (granter.staff is not None and granter.staff.is_superuser):
            raise DomainError.of(ErrorCode.PERMISSION_DENIED, "Only a superuser changes a superuser.", ["id"])
        if active is False and staff.is_superuser and staff.is_active:
            # Lock the other superusers' rows too: two deactivations at once keep one of them.
            others = (
                await Staff.select_for_update()
                .filter(is_superuser=True, is_active=True)
                .exclude(id=staff.id)
                .values_list("id", flat=True)
            )
            if not others:
                raise DomainError.of(
                    ErrorCode.INVALID_TRANSITION,
                    "This is the last active superuser: create or activate another first.",
                    ["input", "active"],
                )
        if name is not None:
            staff.name = name.strip() or None
        if granted is not None:
            staff.permissions = granted
        if active is not None:
            staff.is_active = active
        await staff.save(update_fields=["name", "permissions", "is_active"])
    return staff


async def list_staff(*, first: int | None, after_id: int | None) -> Page[Staff]:
    """A page of staff accounts, oldest first."""
    return await paginate(Staff.all(), first=first, after_id=after_id, newest_first=False)
