"""Customer accounts: profile, address book and password reset (updateProfile,
createAddress, updateAddress, deleteAddress, requestPasswordReset, resetPassword).
Each resolver parses, checks who asks, and calls one service of oms.accounts."""

from __future__ import annotations

from typing import Any

import strawberry

from oms.accounts import addresses as book
from oms.accounts import reset
from oms.accounts.models import Customer
from oms.accounts.permissions import Viewer
from oms.errors import DomainError, ErrorCode
from oms.graphql.accounts import AuthPayload, ResultPayload, _signed_in, me_for
from oms.graphql.address_book import CustomerAddress, address_pk
from oms.graphql.common import AddressInput, UserError
from oms.graphql.context import Info
from oms.graphql.mutations import mutation


@strawberry.type
class AddressPayload:
    address: CustomerAddress | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="Only the fields given change; null clears a value.")
class UpdateProfileInput:
    name: str | None = strawberry.UNSET
    default_shipping_address_id: strawberry.ID | None = strawberry.UNSET
    default_billing_address_id: strawberry.ID | None = strawberry.UNSET


@strawberry.input
class ResetPasswordInput:
    token: str = strawberry.field(description="The single-use token from the reset link.")
    new_password: str


def _customer(info: Info) -> Customer:
    """The signed-in customer; UNAUTHENTICATED signed out (or with a bad token),
    PERMISSION_DENIED for staff (their accounts are managed with updateStaff)."""
    context = info.context
    if context.auth_error is not None:
        raise context.auth_error
    if context.viewer.customer is None:
        if context.viewer.is_staff:
            raise DomainError.of(ErrorCode.PERMISSION_DENIED, "Staff accounts have no address book or profile here.")
        raise DomainError.of(ErrorCode.UNAUTHENTICATED, "Sign in to manage your account.")
    return context.viewer.customer


def _default_id(value: Any, field: str) -> Any:
    if value is strawberry.UNSET:
        return book.KEEP
    return None if value is None else address_pk(value, ["input", field])


@strawberry.type
class CustomerAccountsMutation:
    @mutation(
        description="Change the signed-in customer's name and default addresses. The token stays valid "
        "(the payload's token is null)."
    )
    async def update_profile(self, info: Info, input: UpdateProfileInput) -> AuthPayload:
        customer = _customer(info)
        await book.update_profile(
            customer,
            name=book.KEEP if input.name is strawberry.UNSET else input.name,
            default_shipping_address_id=_default_id(input.default_shipping_address_id, "defaultShippingAddressId"),
            default_billing_address_id=_default_id(input.default_billing_address_id, "defaultBillingAddressId"),
        )
        return AuthPayload(token=None, me=me_for(info, info.context.viewer))

    @mutation(description="Save an address; the first one saved becomes the default shipping and billing address.")
    async def create_address(self, info: Info, input: AddressInput) -> AddressPayload:
        row = await book.create_address(_customer(info), input.to_dict())
        return AddressPayload(address=CustomerAddress.from_model(row))

    @mutation
    async def update_address(self, info: Info, id: strawberry.ID, input: AddressInput) -> AddressPayload:
        customer = _customer(info)
        row = await book.update_address(customer, address_pk(id, ["id"]), input.to_dict())
        return AddressPayload(address=CustomerAddress.from_model(row))

    @mutation(description="Delete a saved address; a default it was is cleared.")
    async def delete_address(self, info: Info, id: strawberry.ID) -> ResultPayload:
        customer = _customer(info)
        await book.delete_address(customer, address_pk(id, ["id"]))
        return ResultPayload(ok=True)

    @mutation(description="Answers the same whether or not the account exists; the link goes by email.")
    async def request_password_reset(self, info: Info, email: str) -> ResultPayload:
        context = info.context
        limiter = context.rate_limiter
        await limiter.attempt(limiter.password_reset_keys(email[:254], context.client_address), ["email"])
        await reset.request_password_reset(email)
        return ResultPayload(ok=True)

    @mutation(
        description="Set a new password with the token of a reset link (it works once): every session of "
        "the account ends, the payload's token starts a new one, and orders placed as a guest with the "
        "account's email join the account."
    )
    async def reset_password(self, info: Info, input: ResetPasswordInput) -> AuthPayload:
        context = info.context
        limiter = context.rate_limiter
        keys = limiter.token_keys(context.client_address)
        await limiter.check(keys, ["input", "token"])
        try:
            result = await reset.reset_password(input.token, input.new_password, secret=context.settings.secret_key)
        except DomainError as exc:
            if exc.errors[0].field == ("input", "token"):
                await limiter.hit(keys)  # a wrong token is a guess at one
            raise
        return await _signed_in(info, Viewer(customer=result.customer))
