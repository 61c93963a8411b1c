"""Accounts: register, login, logout, changePassword and ``me``; the per-operation
session re-check of websockets (:class:`SessionRecheck`)."""

from __future__ import annotations

import strawberry
from starlette.websockets import WebSocket
from strawberry.extensions import SchemaExtension

from oms.accounts import addresses as book
from oms.accounts import services as accounts
from oms.accounts.permissions import ANONYMOUS, Viewer
from oms.errors import DomainError
from oms.graphql.address_book import CustomerAddress
from oms.graphql.common import PageInfo, UserError, decode_cursor, to_global_id
from oms.graphql.context import Info
from oms.graphql.mutations import mutation
from oms.graphql.orders import OrderConnection
from oms.graphql.selection import selects
from oms.orders import search


@strawberry.type(name="Me", description="The signed-in customer or staff member.")
class CoreMe:
    """``Me``: the core's fields; plugins add theirs (``oms_graphql_fields``), which the
    schema builder puts on this type in each schema (their resolvers get this object)."""

    viewer: strawberry.Private[Viewer]
    id: strawberry.ID = strawberry.field(description="A Customer id, or a StaffMember id for staff.")
    email: str
    name: str | None
    is_staff: bool
    permissions: list[str]

    @classmethod
    def from_viewer(cls, viewer: Viewer) -> CoreMe:
        assert viewer.email is not None  # Me is built for a signed-in viewer only
        if viewer.staff is not None:
            global_id, name = to_global_id("StaffMember", viewer.staff.id), viewer.staff.name
        else:
            assert viewer.customer is not None
            global_id, name = to_global_id("Customer", viewer.customer.id), viewer.customer.name
        return cls(
            viewer=viewer,
            id=global_id,
            email=viewer.email,
            name=name,
            is_staff=viewer.is_staff,
            permissions=sorted(viewer.permission_names),
        )

    @strawberry.field(description="The customer's address book, oldest first (none for staff).")
    async def addresses(self) -> list[CustomerAddress]:
        customer = self.viewer.customer
        if customer is None:
            return []
        return [CustomerAddress.from_model(row) for row in await book.list_addresses(customer.id)]

    @strawberry.field
    async def default_shipping_address(self) -> CustomerAddress | None:
        customer = self.viewer.customer
        row = await book.find_address(customer.id, customer.default_shipping_address_id) if customer else None
        return CustomerAddress.from_model(row) if row else None

    @strawberry.field
    async def default_billing_address(self) -> CustomerAddress | None:
        customer = self.viewer.customer
        row = await book.find_address(customer.id, customer.default_billing_address_id) if customer else None
        return CustomerAddress.from_model(row) if row else None

    @strawberry.field
    async def orders(self, info: Info, first: int | None = None, after: str | None = None) -> OrderConnection:
        customer = self.viewer.customer
        if customer is None:  # staff accounts place no orders; `orders` lists all for them
            return OrderConnection(edges=[], page_info=PageInfo.for_ids([], False, False), total_count=0)
        page = await search.list_orders(
            filters=None,
            first=first,
            after_id=decode_cursor(after),
            customer_id=customer.id,
            count=selects(info, "totalCount"),  # the COUNT only for a client that shows it
        )
        return await OrderConnection.from_page(info, page)


# The one Me class; each schema gives it its plugins' fields (oms.graphql.schema).
MeType = CoreMe


def me_for(info: Info, viewer: Viewer) -> CoreMe:
    return CoreMe.from_viewer(viewer)


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


@strawberry.input
class ChangePasswordInput:
    current_password: str
    new_password: str


@strawberry.type(description="The answer of a mutation that returns nothing but success or its errors.")
class ResultPayload:
    ok: bool = False  # False when built from userErrors alone (oms.graphql.mutations)
    user_errors: list[UserError] = strawberry.field(default_factory=list)


async def _signed_in(info: Info, viewer: Viewer) -> AuthPayload:
    settings = info.context.settings
    token = await accounts.issue_token(viewer, secret=settings.secret_key, ttl_seconds=settings.token_ttl_seconds)
    return AuthPayload(token=token, me=me_for(info, viewer))


@strawberry.type
class AccountsQuery:
    @strawberry.field
    def me(self, info: Info) -> MeType | None:
        viewer = info.context.viewer
        return None if viewer.is_anonymous else me_for(info, viewer)


@strawberry.type
class AccountsMutation:
    @mutation
    async def register(self, info: Info, input: RegisterInput) -> AuthPayload:
        context = info.context
        await context.rate_limiter.attempt(context.rate_limiter.register_keys(context.client_address))
        customer = await accounts.register_customer(email=input.email, password=input.password, name=input.name)
        return await _signed_in(info, Viewer(customer=customer))

    @mutation
    async def login(self, info: Info, email: str, password: str) -> AuthPayload:
        limiter = info.context.rate_limiter
        keys = limiter.password_keys(email, info.context.client_address)
        # Refused before the password is checked: the right one does not lift a block.
        await limiter.check(keys)
        try:
            viewer = await accounts.authenticate(email=email, password=password)
        except DomainError:
            await limiter.hit(keys)
            raise
        return await _signed_in(info, viewer)

    @mutation(description="Ends the token it is called with (and its refresh token, if any).")
    async def logout(self, info: Info) -> ResultPayload:
        context = info.context
        if context.auth_error is not None:
            raise context.auth_error  # the payload's userErrors (oms.graphql.mutations)
        if context.viewer.is_anonymous:
            return ResultPayload(ok=True)  # nothing to end
        await accounts.end_session(context.viewer)
        if isinstance(context.request, WebSocket):  # the socket's later operations are anonymous
            context.viewer, context.token = ANONYMOUS, None
        return ResultPayload(ok=True)

    @mutation(
        description="A new password for the signed-in account: every session of the account ends, "
        "this one included, and the payload's token starts a new one."
    )
    async def change_password(self, info: Info, input: ChangePasswordInput) -> AuthPayload:
        context = info.context
        if context.auth_error is not None:
            raise context.auth_error
        viewer = context.viewer
        limiter = context.rate_limiter
        keys = limiter.password_keys(viewer.email or "", context.client_address)
        await limiter.check(keys, ["input", "currentPassword"])
        try:
            viewer = await accounts.change_password(
                viewer, current_password=input.current_password, new_password=input.new_password
            )
        except DomainError as exc:
            if exc.errors[0].field == ("input", "currentPassword"):
                await limiter.hit(keys)  # a wrong current password is a password guess
            raise
        payload = await _signed_in(info, viewer)
        if isinstance(context.request, WebSocket):
            context.token = payload.token
        return payload


class SessionRecheck(SchemaExtension):
    """A websocket authenticates once, at connection_init, and keeps its context: check
    its token again before each operation, so a logout, a password change, a deactivated
    staff member or an expired token takes effect on an open socket too (one query).
    HTTP requests load the viewer afresh anyway."""

    async def on_operation(self):
        context = self.execution_context.context
        if getattr(context, "token", None) and isinstance(getattr(context, "request", None), WebSocket):
            try:
                context.viewer = await accounts.viewer_from_token(context.token, secret=context.settings.secret_key)
            except DomainError as exc:
                context.viewer, context.auth_error = ANONYMOUS, exc
        yield
