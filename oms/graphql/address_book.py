"""The address book's GraphQL shapes: ``CustomerAddress`` (a Node its owner alone sees)
and the saved addresses ``placeOrder`` and ``priceCart`` take by id."""

from __future__ import annotations

import dataclasses
from typing import Any

import strawberry

from oms.accounts import addresses as book
from oms.accounts.models import CustomerAddress as CustomerAddressModel
from oms.accounts.permissions import Viewer
from oms.errors import DomainError, ErrorCode
from oms.graphql.common import Address, Node, parse_id, to_global_id
from oms.graphql.context import Info
from oms.orders import inputs


@strawberry.type(description="A saved address of the signed-in customer.")
class CustomerAddress(Node):
    id: strawberry.ID
    address: Address

    @classmethod
    def from_model(cls, row: CustomerAddressModel) -> CustomerAddress:
        address = Address.from_dict(row.address)
        assert address is not None  # a saved address always has its required keys
        return cls(id=to_global_id("CustomerAddress", row.id), address=address)


async def customer_address_node(info: Info, pk: int) -> Node | None:
    """``node(id:)`` of a CustomerAddress: its owner's only (staff read addresses on orders)."""
    customer = info.context.viewer.customer
    if customer is None:
        return None
    row = await book.find_address(customer.id, pk)
    return CustomerAddress.from_model(row) if row else None


def address_pk(global_id: strawberry.ID, field: list[str]) -> int:
    """The pk of a CustomerAddress id; NOT_FOUND (like another customer's) for a malformed one."""
    try:
        return parse_id(global_id, "CustomerAddress", field)
    except DomainError:
        raise DomainError.of(ErrorCode.NOT_FOUND, "You have no saved address with this id.", field) from None


async def saved_address(
    viewer: Viewer, given: Any, address_id: strawberry.ID | None, name: str
) -> dict[str, Any] | None:
    """The address for input field ``name`` (``shippingAddress``/``billingAddress``): the
    one given inline, or the saved one ``<name>Id`` names (the signed-in customer's own).
    Both at once is INVALID; neither is None."""
    if address_id is None:
        return given.to_dict() if given is not None else None
    field = [f"{name}Id"]
    if given is not None:
        raise DomainError.of(ErrorCode.INVALID, f"Give either {name} or {name}Id, not both.", field)
    return await book.saved_address(viewer.customer, address_pk(address_id, field), field)


async def with_saved_shipping(cart: inputs.CartInput, data: Any, viewer: Viewer) -> inputs.CartInput:
    """``cart`` with the saved shipping address ``data.shippingAddressId`` names, if any
    (a ``CartInput`` or ``PlaceOrderInput``)."""
    address_id = getattr(data, "shipping_address_id", None)
    if address_id is None:
        return cart
    address = await saved_address(viewer, data.shipping_address, address_id, "shippingAddress")
    return dataclasses.replace(cart, shipping_address=address)
