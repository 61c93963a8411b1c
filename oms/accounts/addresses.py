"""The customer's address book and profile: saved addresses (checked like an order's),
the default shipping and billing address, the name.

Every function takes the signed-in customer and touches only that customer's rows: an
id of another customer's address is NOT_FOUND, exactly like an id that names nothing,
so ids reveal nothing. Writes lock the customer's row first (``SELECT ... FOR UPDATE``
on PostgreSQL), so a delete and a "make it the default" racing each other cannot leave a
default pointing at a deleted row, and the cap on addresses holds under concurrency.
"""

from __future__ import annotations

from typing import Any, Final

from tortoise.transactions import in_transaction

from oms.accounts.models import Customer, CustomerAddress
from oms.errors import DomainError, ErrorCode
from oms.orders.addresses import check_address

# Enough for any real person (home, work, family, ...); bounds what ``me`` loads.
MAX_ADDRESSES = 50
MAX_NAME_LENGTH = 200  # the column's length


class _Keep:
    """An ``update_profile`` argument left out: the value stays as it is."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Final = _Keep()

__all__ = [
    "KEEP",
    "MAX_ADDRESSES",
    "create_address",
    "delete_address",
    "list_addresses",
    "saved_address",
    "update_address",
    "update_profile",
]


def _not_found(field: list[str]) -> DomainError:
    return DomainError.of(ErrorCode.NOT_FOUND, "You have no saved address with this id.", field)


def _checked(data: dict[str, Any], field: list[str]) -> dict[str, str | None]:
    clean, errors = check_address(data, field)
    if errors:
        raise DomainError(errors)
    return clean


async def list_addresses(customer_id: int) -> list[CustomerAddress]:
    """The customer's saved addresses, oldest first (at most :data:`MAX_ADDRESSES`)."""
    return await CustomerAddress.filter(customer_id=customer_id).order_by("id").limit(MAX_ADDRESSES)


async def find_address(customer_id: int, address_id: int | None) -> CustomerAddress | None:
    """The customer's address ``address_id``; None for no id or another customer's."""
    if address_id is None:
        return None
    return await CustomerAddress.get_or_none(id=address_id, customer_id=customer_id)


async def saved_address(customer: Customer | None, address_id: int, field: list[str]) -> dict[str, str | None]:
    """The address (a dict as an order stores it) of the signed-in customer's saved
    address ``address_id``: for placing an order with an address from the book.
    UNAUTHENTICATED for a guest, NOT_FOUND for an id not in the customer's book."""
    if customer is None:
        raise DomainError.of(ErrorCode.UNAUTHENTICATED, "Sign in to use a saved address.", field)
    row = await find_address(customer.id, address_id)
    if row is None:
        raise _not_found(field)
    return dict(row.address)


async def _locked(customer: Customer) -> Customer:
    # Serializes the writes of one customer's address book (a no-op on SQLite, where
    # transactions run one at a time anyway).
    return await Customer.select_for_update().get(id=customer.id)


async def create_address(customer: Customer, data: dict[str, Any]) -> CustomerAddress:
    """Save a new address (``data`` with the keys of ``AddressInput``); INVALID past
    :data:`MAX_ADDRESSES`. The first address saved becomes both defaults."""
    clean = _checked(data, ["input"])
    async with in_transaction():
        locked = await _locked(customer)
        if await CustomerAddress.filter(customer_id=customer.id).count() >= MAX_ADDRESSES:
            raise DomainError.of(
                ErrorCode.INVALID, f"An address book holds at most {MAX_ADDRESSES} addresses; delete one first."
            )
        row = await CustomerAddress.create(customer_id=customer.id, address=clean)
        defaults = {}
        if locked.default_shipping_address_id is None:
            defaults["default_shipping_address_id"] = row.id
        if locked.default_billing_address_id is None:
            defaults["default_billing_address_id"] = row.id
        if defaults:
            await Customer.filter(id=customer.id).update(**defaults)
    for name, value in defaults.items():
        setattr(customer, name, value)
    return row


async def update_address(customer: Customer, address_id: int, data: dict[str, Any]) -> CustomerAddress:
    """Replace the saved address ``address_id`` with ``data`` (it stays a default if it was)."""
    clean = _checked(data, ["input"])
    updated = await CustomerAddress.filter(id=address_id, customer_id=customer.id).update(address=clean)
    if not updated:
        raise _not_found(["id"])
    return await CustomerAddress.get(id=address_id)


async def delete_address(customer: Customer, address_id: int) -> None:
    """Delete the saved address ``address_id``; a default it was is cleared, not moved
    to another address (the customer chooses the next one)."""
    async with in_transaction():
        await _locked(customer)
        deleted = await CustomerAddress.filter(id=address_id, customer_id=customer.id).delete()
        if not deleted:
            raise _not_found(["id"])
        for name in ("default_shipping_address_id", "default_billing_address_id"):
            await Customer.filter(id=customer.id, **{name: address_id}).update(**{name: None})
            if getattr(customer, name) == address_id:
                setattr(customer, name, None)


async def update_profile(
    customer: Customer,
    *,
    name: str | None | _Keep = KEEP,
    default_shipping_address_id: int | None | _Keep = KEEP,
    default_billing_address_id: int | None | _Keep = KEEP,
) -> Customer:
    """Change what is given (:data:`KEEP` leaves a value as it is; None clears it): the
    name, and which saved addresses are the defaults (NOT_FOUND for an id not in the
    customer's book). Returns the customer as saved."""
    changes: dict[str, Any] = {}
    if not isinstance(name, _Keep):
        name = (name or "").strip() or None
        if name is not None and len(name) > MAX_NAME_LENGTH:
            raise DomainError.of(ErrorCode.INVALID, f"At most {MAX_NAME_LENGTH} characters.", ["input", "name"])
        changes["name"] = name
    async with in_transaction():
        await _locked(customer)
        for column, value, graphql_name in (
            ("default_shipping_address_id", default_shipping_address_id, "defaultShippingAddressId"),
            ("default_billing_address_id", default_billing_address_id, "defaultBillingAddressId"),
        ):
            if isinstance(value, _Keep):
                continue
            if value is not None and await find_address(customer.id, value) is None:
                raise _not_found(["input", graphql_name])
            changes[column] = value
        if changes:
            await Customer.filter(id=customer.id).update(**changes)
    for column, value in changes.items():
        setattr(customer, column, value)
    return customer
