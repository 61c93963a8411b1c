"""Shipping zones: countries shipped to alike, with their methods and rates (staff edit,
anyone reads: a storefront lists the countries it ships to)."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from oms.accounts.permissions import Permission
from oms.graphql.accounts import ResultPayload
from oms.graphql.cart import ShippingMethod
from oms.graphql.common import Money, Node, UserError, parse_id, to_global_id
from oms.graphql.context import Info
from oms.graphql.mutations import mutation
from oms.shipping import zones
from oms.shipping.models import ShippingZoneMethod


@strawberry.type
class WeightBand:
    max_grams: int
    price: Money


@strawberry.type(description="A method of a zone and how it is priced.")
class ShippingRate:
    code: str
    name: str
    price: Money
    free_over: Money | None = strawberry.field(description="Free when the cart's subtotal reaches this.")
    weight_bands: list[WeightBand] = strawberry.field(
        description="By weight: the first band holding the cart's weight sets the price (empty: the flat price)."
    )

    @classmethod
    def from_model(cls, method: ShippingZoneMethod, currency: str) -> ShippingRate:
        return cls(
            code=method.code,
            name=method.name,
            price=Money.of(Decimal(method.price), currency),
            free_over=Money.of(Decimal(method.free_over), currency) if method.free_over is not None else None,
            weight_bands=[
                WeightBand(max_grams=int(b["max_grams"]), price=Money.of(Decimal(b["price"]), currency))
                for b in method.weight_bands or ()
            ],
        )


@strawberry.type
class ShippingZone(Node):
    id: strawberry.ID
    name: str
    countries: list[str] = strawberry.field(description="ISO 3166-1 alpha-2 codes.")
    methods: list[ShippingMethod] = strawberry.field(description="Each method at its base price.")
    rates: list[ShippingRate]

    @classmethod
    def from_zone(cls, zone: zones.Zone, currency: str) -> ShippingZone:
        return cls(
            id=to_global_id("ShippingZone", zone.zone.id),
            name=zone.zone.name,
            countries=zone.countries,
            methods=[
                ShippingMethod(code=m.code, name=m.name, price=Money.of(Decimal(m.price), currency))
                for m in zone.methods
            ],
            rates=[ShippingRate.from_model(m, currency) for m in zone.methods],
        )


@strawberry.input
class WeightBandInput:
    max_grams: int
    price: Decimal


@strawberry.input
class ShippingRateInput:
    code: str
    name: str
    price: Decimal
    free_over: Decimal | None = strawberry.field(
        default=None, description="Free when the cart's subtotal reaches this."
    )
    weight_bands: list[WeightBandInput] | None = strawberry.field(
        default=None, description="Price by the cart's weight (ascending maxGrams); heavier carts get no offer."
    )


@strawberry.input
class CreateShippingZoneInput:
    name: str
    countries: list[str]
    methods: list[ShippingRateInput]


@strawberry.type
class ShippingZonePayload:
    shipping_zone: ShippingZone | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


def _data(input: CreateShippingZoneInput) -> zones.ZoneData:
    return zones.ZoneData(
        name=input.name,
        countries=input.countries,
        methods=[
            zones.MethodData(
                code=m.code,
                name=m.name,
                price=m.price,
                free_over=m.free_over,
                weight_bands=[zones.WeightBand(b.max_grams, b.price) for b in m.weight_bands]
                if m.weight_bands
                else None,
            )
            for m in input.methods
        ],
    )


async def shipping_zone_node(info: Info, pk: int) -> Node | None:
    found = next((z for z in await zones.list_zones() if z.zone.id == pk), None)
    return ShippingZone.from_zone(found, info.context.settings.currency) if found else None


@strawberry.type
class ShippingZonesQuery:
    @strawberry.field(description="Where the store ships and how; empty: the plugins' methods apply everywhere.")
    async def shipping_zones(self, info: Info) -> list[ShippingZone]:
        currency = info.context.settings.currency
        return [ShippingZone.from_zone(z, currency) for z in await zones.list_zones()]


@strawberry.type
class ShippingZonesMutation:
    @mutation(description="Staff with MANAGE_CATALOG. Once a zone exists, only zones' methods are offered.")
    async def create_shipping_zone(self, info: Info, input: CreateShippingZoneInput) -> ShippingZonePayload:
        context = info.context
        context.require_permission(Permission.MANAGE_CATALOG)
        zone = await zones.create_zone(_data(input), currency=context.settings.currency)
        return ShippingZonePayload(shipping_zone=ShippingZone.from_zone(zone, context.settings.currency))

    @mutation(description="Staff with MANAGE_CATALOG: replaces the name, countries and methods.")
    async def update_shipping_zone(
        self, info: Info, id: strawberry.ID, input: CreateShippingZoneInput
    ) -> ShippingZonePayload:
        context = info.context
        context.require_permission(Permission.MANAGE_CATALOG)
        zone_id = parse_id(id, "ShippingZone", ["id"])
        zone = await zones.update_zone(zone_id, _data(input), currency=context.settings.currency)
        return ShippingZonePayload(shipping_zone=ShippingZone.from_zone(zone, context.settings.currency))

    @mutation(description="Staff with MANAGE_CATALOG.")
    async def delete_shipping_zone(self, info: Info, id: strawberry.ID) -> ResultPayload:
        info.context.require_permission(Permission.MANAGE_CATALOG)
        await zones.delete_zone(parse_id(id, "ShippingZone", ["id"]))
        return ResultPayload(ok=True)
