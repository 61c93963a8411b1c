"""Accounts: register, login and ``me``."""

from __future__ import annotations

from typing import Annotated

import strawberry

from oms.accounts import services as accounts
from oms.accounts.permissions import Viewer
from oms.errors import DomainError
from oms.graphql.common import PageInfo, UserError, decode_cursor, user_errors
from oms.graphql.context import Info
from oms.graphql.orders import OrderConnection
from oms.orders import services as orders


@strawberry.type(name="Me", description="The signed-in customer or staff member.")
class CoreMe:
    """The core's fields of ``Me``; plugins add theirs (``oms_graphql_fields``), and the
    schema's ``Me`` is then a subclass built with the schema (``info.schema.me_type``)."""

    viewer: strawberry.Private[Viewer]
    email: str
    is_staff: bool
    permissions: list[str]

    @classmethod
    def from_viewer(cls, viewer: Viewer) -> CoreMe:
        return cls(
            viewer=viewer,
            email=viewer.email,
            is_staff=viewer.is_staff,
            permissions=sorted(p.value for p in viewer.permissions),
        )

    @strawberry.field
    async def orders(self, first: int | None = None, after: str | None = None) -> OrderConnection:
        customer = self.viewer.customer
        if customer is None:  # staff accounts place no orders; `orders` lists all for them
            return OrderConnection(edges=[], page_info=PageInfo.for_ids([], False, False), total_count=0)
        page = await orders.list_orders(
            filters=None, first=first, after_id=decode_cursor(after), customer_id=customer.id
        )
        return OrderConnection.from_page(page)


# Resolved while a schema is built: that schema's Me, with its plugins' fields.
MeType = Annotated["Me", strawberry.lazy("oms.graphql.me_slot")]


def me_for(info: Info, viewer: Viewer) -> CoreMe:
    return getattr(info.schema, "me_type", CoreMe).from_viewer(viewer)


@strawberry.input
class RegisterInput:
    email: str
    password: str
    name: str | None = None


@strawberry.type
class AuthPayload:
    token: str | None = None
    me: MeType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


def _signed_in(info: Info, viewer: Viewer) -> AuthPayload:
    settings = info.context.settings
    token = accounts.issue_token(viewer, secret=settings.secret_key, ttl_seconds=settings.token_ttl_seconds)
    return AuthPayload(token=token, me=me_for(info, viewer))


@strawberry.type
class AccountsQuery:
    @strawberry.field
    def me(self, info: Info) -> MeType | None:
        viewer = info.context.viewer
        return None if viewer.is_anonymous else me_for(info, viewer)


@strawberry.type
class AccountsMutation:
    @strawberry.mutation
    async def register(self, info: Info, input: RegisterInput) -> AuthPayload:
        try:
            customer = await accounts.register_customer(
                email=input.email, password=input.password, name=input.name
            )
        except DomainError as exc:
            return AuthPayload(user_errors=user_errors(exc))
        return _signed_in(info, Viewer(customer=customer))

    @strawberry.mutation
    async def login(self, info: Info, email: str, password: str) -> AuthPayload:
        try:
            viewer = await accounts.authenticate(email=email, password=password)
        except DomainError as exc:
            return AuthPayload(user_errors=user_errors(exc))
        return _signed_in(info, viewer)
