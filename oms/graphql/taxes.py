"""Taxes: staff's rates and the tax classes of products and variants."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from oms.accounts.permissions import Permission
from oms.graphql.accounts import ResultPayload
from oms.graphql.common import Node, UserError, parse_id, to_global_id
from oms.graphql.context import Info
from oms.graphql.mutations import mutation
from oms.taxes import classes, rates
from oms.taxes.models import TaxRate as TaxRateModel


@strawberry.type
class TaxRate(Node):
    id: strawberry.ID
    name: str
    country: str
    region: str | None
    tax_class: str | None = strawberry.field(
        description='A tax class such as "standard" or "reduced"; null for the country\'s default.'
    )
    rate: Decimal = strawberry.field(description='Percent, e.g. "20".')

    @classmethod
    def from_model(cls, rate: TaxRateModel) -> TaxRate:
        return cls(
            id=to_global_id("TaxRate", rate.id),
            name=rate.name,
            country=rate.country,
            region=rate.region,
            tax_class=rate.tax_class,
            rate=Decimal(rate.rate),
        )


@strawberry.input
class CreateTaxRateInput:
    name: str
    country: str
    region: str | None = None
    tax_class: str | None = None
    rate: Decimal


@strawberry.type
class TaxRatePayload:
    tax_rate: TaxRate | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


def _data(input: CreateTaxRateInput) -> rates.TaxRateData:
    return rates.TaxRateData(
        name=input.name, country=input.country, region=input.region, tax_class=input.tax_class, rate=input.rate
    )


async def tax_rate_node(info: Info, pk: int) -> Node | None:
    """``node(id:)`` for a TaxRate id (public, like ``taxRates``)."""
    rate = await TaxRateModel.get_or_none(id=pk)
    return TaxRate.from_model(rate) if rate else None


@strawberry.type
class TaxesQuery:
    @strawberry.field(description="Every tax rate, by country (public: storefronts show the rates they charge).")
    async def tax_rates(self, info: Info) -> list[TaxRate]:
        return [TaxRate.from_model(rate) for rate in await rates.list_tax_rates()]


@strawberry.type
class TaxesMutation:
    @mutation(description="Staff with MANAGE_CATALOG.")
    async def create_tax_rate(self, info: Info, input: CreateTaxRateInput) -> TaxRatePayload:
        info.context.require_permission(Permission.MANAGE_CATALOG)
        return TaxRatePayload(tax_rate=TaxRate.from_model(await rates.create_tax_rate(_data(input))))

    @mutation(description="Staff with MANAGE_CATALOG: replaces every field; placed orders keep their tax.")
    async def update_tax_rate(self, info: Info, id: strawberry.ID, input: CreateTaxRateInput) -> TaxRatePayload:
        info.context.require_permission(Permission.MANAGE_CATALOG)
        rate = await rates.update_tax_rate(parse_id(id, "TaxRate", ["id"]), _data(input))
        return TaxRatePayload(tax_rate=TaxRate.from_model(rate))

    @mutation(description="Staff with MANAGE_CATALOG.")
    async def delete_tax_rate(self, info: Info, id: strawberry.ID) -> ResultPayload:
        info.context.require_permission(Permission.MANAGE_CATALOG)
        await rates.delete_tax_rate(parse_id(id, "TaxRate", ["id"]))
        return ResultPayload(ok=True)

    @mutation(description="Staff with MANAGE_CATALOG: the tax class of a product's variants (null: its type's).")
    async def set_product_tax_class(self, info: Info, id: strawberry.ID, tax_class: str | None) -> ResultPayload:
        info.context.require_permission(Permission.MANAGE_CATALOG)
        await classes.set_product_tax_class(parse_id(id, "Product", ["id"]), tax_class)
        return ResultPayload(ok=True)

    @mutation(description="Staff with MANAGE_CATALOG: the tax class of one variant (null: its product's).")
    async def set_variant_tax_class(self, info: Info, id: strawberry.ID, tax_class: str | None) -> ResultPayload:
        info.context.require_permission(Permission.MANAGE_CATALOG)
        await classes.set_variant_tax_class(parse_id(id, "Variant", ["id"]), tax_class)
        return ResultPayload(ok=True)
