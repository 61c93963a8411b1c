"""Discount codes for staff with MANAGE_CATALOG: create, update (deactivate), list.
Carts apply them through ``discountCodes`` on CartInput / PlaceOrderInput."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import strawberry

from oms.accounts.permissions import Permission
from oms.discounts import models
from oms.discounts import services as discounts
from oms.graphql.common import Money, Node, UserError, parse_id, to_global_id
from oms.graphql.context import Info
from oms.graphql.mutations import mutation


@strawberry.type(description="A code customers enter at checkout (discountCodes on the cart).")
class DiscountCode(Node):
    id: strawberry.ID
    code: str
    percentage: Decimal | None
    amount: Money | None
    free_shipping: bool
    minimum_subtotal: Money | None
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    usage_limit: int | None
    usage_limit_per_customer: int | None
    times_used: int = strawberry.field(
        description="Uses by placed orders; an unpaid order that ends gives its use back."
    )
    product_types: list[str] = strawberry.field(description="Product types it applies to; all when empty.")
    products: list[strawberry.ID] = strawberry.field(
        description="Products it applies to (besides productTypes); all when both are empty."
    )
    active: bool
    created_at: dt.datetime

    @classmethod
    def from_model(cls, code: models.DiscountCode) -> DiscountCode:
        def money(value: Any) -> Money | None:
            return Money.of(value, code.currency) if value is not None else None

        return cls(
            id=to_global_id("DiscountCode", code.id),
            code=code.code,
            percentage=Decimal(code.percentage) if code.percentage is not None else None,
            amount=money(code.amount),
            free_shipping=code.kind == models.DiscountKind.FREE_SHIPPING,
            minimum_subtotal=money(code.minimum_subtotal),
            starts_at=code.starts_at,
            ends_at=code.ends_at,
            usage_limit=code.usage_limit,
            usage_limit_per_customer=code.usage_limit_per_customer,
            times_used=code.times_used,
            product_types=list(code.product_types),
            products=[strawberry.ID(to_global_id("Product", pk)) for pk in code.product_ids],
            active=code.active,
            created_at=code.created_at,
        )


@strawberry.input
class CreateDiscountCodeInput:
    code: str
    percentage: Decimal | None = strawberry.field(
        default=None, description="One of percentage, amount or freeShipping."
    )
    amount: Decimal | None = None
    free_shipping: bool | None = None
    minimum_subtotal: Decimal | None = None
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    usage_limit: int | None = None
    usage_limit_per_customer: int | None = None
    product_types: list[str] | None = None
    products: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Product ids it applies to (besides productTypes)."
    )


@strawberry.input(description="Only the fields given change; null clears a limit, a window end or the minimum.")
class UpdateDiscountCodeInput:
    active: bool | None = strawberry.UNSET
    minimum_subtotal: Decimal | None = strawberry.UNSET
    starts_at: dt.datetime | None = strawberry.UNSET
    ends_at: dt.datetime | None = strawberry.UNSET
    usage_limit: int | None = strawberry.UNSET
    usage_limit_per_customer: int | None = strawberry.UNSET
    product_types: list[str] | None = strawberry.UNSET
    products: list[strawberry.ID] | None = strawberry.UNSET


@strawberry.type
class DiscountCodePayload:
    discount_code: DiscountCode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


def _product_ids(ids: list[strawberry.ID] | None) -> list[int] | None:
    if ids is None:
        return None
    return [parse_id(global_id, "Product", ["products", str(i)]) for i, global_id in enumerate(ids)]


async def discount_code_node(info: Info, pk: int) -> Node | None:
    """``node(id:)`` for a DiscountCode id: staff with MANAGE_CATALOG only."""
    if not info.context.viewer.has(Permission.MANAGE_CATALOG):
        return None
    code = await discounts.get_discount_code(pk)
    return DiscountCode.from_model(code) if code else None


@strawberry.type
class DiscountsQuery:
    @strawberry.field(description="Staff only.")
    async def discount_codes(self, info: Info, first: int | None = None) -> list[DiscountCode]:
        info.context.require_permission(Permission.MANAGE_CATALOG)
        return [DiscountCode.from_model(code) for code in await discounts.list_discount_codes(first=first)]


@strawberry.type
class DiscountsMutation:
    @mutation(description="Staff.")
    async def create_discount_code(self, info: Info, input: CreateDiscountCodeInput) -> DiscountCodePayload:
        context = info.context
        context.require_permission(Permission.MANAGE_CATALOG)
        data = discounts.DiscountCodeData(
            code=input.code,
            percentage=input.percentage,
            amount=input.amount,
            free_shipping=input.free_shipping,
            minimum_subtotal=input.minimum_subtotal,
            starts_at=input.starts_at,
            ends_at=input.ends_at,
            usage_limit=input.usage_limit,
            usage_limit_per_customer=input.usage_limit_per_customer,
            product_types=input.product_types,
            product_ids=_product_ids(input.products),
        )
        code = await discounts.create_discount_code(
            data,
            currency=context.settings.currency,
            known_types=context.plugins.types.keys(),
            actor=context.viewer.actor,
        )
        return DiscountCodePayload(discount_code=DiscountCode.from_model(code))

    @mutation(description="Staff: active false deactivates the code (orders placed keep their discount).")
    async def update_discount_code(
        self, info: Info, id: strawberry.ID, input: UpdateDiscountCodeInput
    ) -> DiscountCodePayload:
        context = info.context
        context.require_permission(Permission.MANAGE_CATALOG)
        code_id = parse_id(id, "DiscountCode", ["id"])
        changes: dict[str, Any] = {
            name: getattr(input, name)
            for name in discounts.UPDATABLE
            if name != "product_ids" and getattr(input, name) is not strawberry.UNSET
        }
        if input.products is not strawberry.UNSET:
            changes["product_ids"] = _product_ids(input.products)
        code = await discounts.update_discount_code(
            code_id, changes, currency=context.settings.currency, known_types=context.plugins.types.keys()
        )
        return DiscountCodePayload(discount_code=DiscountCode.from_model(code))
