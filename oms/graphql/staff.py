"""Staff accounts through the API: ``staff``, ``createStaff``, ``updateStaff`` (MANAGE_STAFF)."""

from __future__ import annotations

import datetime as dt

import strawberry

from oms.accounts import staff as staff_services
from oms.accounts.models import Staff
from oms.accounts.permissions import Permission
from oms.graphql.common import Node, PageInfo, UserError, connection, decode_cursor, parse_id, to_global_id
from oms.graphql.context import Info
from oms.graphql.mutations import mutation
from oms.pagination import Page
from oms.plugin_checks import declared_permissions


@strawberry.type(description="A staff account.")
class StaffMember(Node):
    id: strawberry.ID
    email: str
    name: str | None
    permissions: list[str] = strawberry.field(description="Granted permission names, the plugins' included.")
    active: bool = strawberry.field(description="False: the account can neither sign in nor use its tokens.")
    is_superuser: bool = strawberry.field(description="Holds every permission; only a superuser changes one.")
    created_at: dt.datetime

    @classmethod
    def from_model(cls, staff: Staff) -> StaffMember:
        return cls(
            id=to_global_id("StaffMember", staff.id),
            email=staff.email,
            name=staff.name,
            permissions=sorted(staff.permissions or []),
            active=staff.is_active,
            is_superuser=staff.is_superuser,
            created_at=staff.created_at,
        )


@strawberry.type
class StaffMemberEdge:
    node: StaffMember
    cursor: str


@strawberry.type
class StaffMemberConnection:
    edges: list[StaffMemberEdge]
    page_info: PageInfo
    total_count: int

    @classmethod
    def from_page(cls, page: Page[Staff]) -> StaffMemberConnection:
        return connection(cls, StaffMemberEdge, page, StaffMember.from_model)


@strawberry.input
class CreateStaffInput:
    email: str
    password: str
    name: str | None = None
    permissions: list[str] = strawberry.field(description="Core or plugin permission names you hold.")


@strawberry.input
class UpdateStaffInput:
    name: str | None = None
    permissions: list[str] | None = None
    active: bool | None = None


@strawberry.type
class StaffPayload:
    staff: StaffMember | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class StaffQuery:
    @strawberry.field(description="Staff with MANAGE_STAFF: the staff accounts, oldest first.")
    async def staff(self, info: Info, first: int | None = None, after: str | None = None) -> StaffMemberConnection:
        info.context.require_permission(Permission.MANAGE_STAFF)
        page = await staff_services.list_staff(first=first, after_id=decode_cursor(after))
        return StaffMemberConnection.from_page(page)


@strawberry.type
class StaffMutation:
    @mutation(description="Staff with MANAGE_STAFF: a new staff account, with permissions you hold.")
    async def create_staff(self, info: Info, input: CreateStaffInput) -> StaffPayload:
        context = info.context
        context.require_permission(Permission.MANAGE_STAFF)
        created = await staff_services.add_staff(
            context.viewer,
            email=input.email,
            password=input.password,
            name=input.name,
            permissions=input.permissions,
            plugin_permissions=declared_permissions(context.plugins),
        )
        return StaffPayload(staff=StaffMember.from_model(created))

    @mutation(
        description="Staff with MANAGE_STAFF: rename, set permissions (ones you hold), or deactivate; "
        "`active: false` takes effect at once. The last active superuser stays active."
    )
    async def update_staff(self, info: Info, id: strawberry.ID, input: UpdateStaffInput) -> StaffPayload:
        context = info.context
        context.require_permission(Permission.MANAGE_STAFF)
        updated = await staff_services.update_staff(
            context.viewer,
            parse_id(id, "StaffMember", ["id"]),
            name=input.name,
            permissions=input.permissions,
            active=input.active,
            plugin_permissions=declared_permissions(context.plugins),
        )
        return StaffPayload(staff=StaffMember.from_model(updated))


async def staff_node(info: Info, pk: int) -> Node | None:
    """``node(id:)`` for a StaffMember id: staff with MANAGE_STAFF only."""
    if not info.context.viewer.has(Permission.MANAGE_STAFF):
        return None
    staff = await Staff.get_or_none(id=pk)
    return StaffMember.from_model(staff) if staff else None
