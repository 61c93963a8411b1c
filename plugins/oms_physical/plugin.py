"""Physical goods: shipped in parcels, stock tracked per warehouse.

What this plugin does, hook by hook (a model for plugin authors):

- ``oms_product_types``: the ``physical`` type (requires shipping, tracks stock) and the
  variant attributes (``weight_grams``, optional ``dimensions_cm``).
- ``oms_settings``: the ``OMS_PHYSICAL_*`` settings (``oms_physical.config`` lists them),
  read and checked once at start; the hooks below read them from ``plugins``.
- ``oms_shipping_methods``: flat rate, free over a threshold, by weight bands.
- ``oms_deliver``: after payment the lines await shipment (IN_PROGRESS); stock stays
  reserved until staff ship.
- ``oms_graphql_fields`` / ``oms_graphql_types``: ``createShipment``,
  ``markShipmentDelivered`` and the ``Shipment`` details of a fulfillment.
- ``oms_shipping_carriers``: the built-in carriers (``manual``, UPS, USPS, FedEx, DHL).
- ``oms_models`` / ``oms_routes``: the Shipment rows and the label PDF endpoint.
- ``oms_email_content``: the carrier's name in the shipped and delivered emails.
- ``oms_return_policy``: units may be returned within ``OMS_PHYSICAL_RETURN_DAYS`` (30)
  of their parcel's delivery. No ``oms_reverse``: the core releases and restocks stock.
"""

from __future__ import annotations

from oms.api import Cart, PluginHost, ProductType, SettingsDeclaration, ShippingMethodOffer, hookimpl
from oms.api.fulfillment import start_lines
from oms_physical import config as shipping_config
from oms_physical import emails, services
from oms_physical.carriers import built_in_carriers
from oms_physical.graphql import Shipment, ShippingMutation
from oms_physical.routes import label_routes

TYPE_NAME = "physical"

ATTRIBUTES_SCHEMA = {
    "type": "object",
    "properties": {
        "weight_grams": {"type": "integer", "minimum": 0, "maximum": 1_000_000},
        "dimensions_cm": {
            "type": "object",
            "properties": {
                "length": {"type": "number", "exclusiveMinimum": 0, "maximum": 1000},
                "width": {"type": "number", "exclusiveMinimum": 0, "maximum": 1000},
                "height": {"type": "number", "exclusiveMinimum": 0, "maximum": 1000},
            },
            "required": ["length", "width", "height"],
            "additionalProperties": False,
        },
    },
    "required": ["weight_grams"],
    "additionalProperties": False,
}

PHYSICAL = ProductType(
    name=TYPE_NAME,
    requires_shipping=True,
    tracks_stock=True,
    options_schema=None,
    attributes_schema=ATTRIBUTES_SCHEMA,
    public_attributes=("weight_grams", "dimensions_cm"),
    description="Goods shipped in a parcel; stock tracked per warehouse.",
)


@hookimpl
def oms_settings() -> SettingsDeclaration:
    # Checked by the host at start-up, so a bad setting stops the server instead of every cart.
    return shipping_config.SETTINGS


@hookimpl
def oms_product_types() -> list[ProductType]:
    return [PHYSICAL]


@hookimpl
def oms_models() -> list[str]:
    return ["oms_physical.models"]


@hookimpl
def oms_migrations() -> str:
    return "oms_physical"  # oms_physical/migrations/


@hookimpl
def oms_routes(settings):
    return label_routes(settings)


@hookimpl
def oms_graphql_types() -> list[type]:
    return [Shipment]


@hookimpl
def oms_graphql_fields():
    return {"Mutation": [ShippingMutation]}


@hookimpl
def oms_shipping_carriers(plugins: PluginHost):
    return built_in_carriers(shipping_config.shipping_config(plugins))


@hookimpl
def oms_shipping_methods(cart: Cart, plugins: PluginHost) -> list[ShippingMethodOffer]:
    return shipping_config.shipping_offers(cart, shipping_config.shipping_config(plugins), TYPE_NAME)


@hookimpl
async def oms_deliver(order, lines) -> None:
    # Nothing leaves the warehouse yet: the lines await a shipment (createShipment).
    await start_lines(lines)


@hookimpl
async def oms_email_content(event, message):
    return await emails.email_content(event, message)


@hookimpl
async def oms_return_policy(order, line, quantity: int, plugins: PluginHost) -> str | None:
    days = plugins.settings_for(shipping_config.PREFIX)["return_days"]
    return await services.return_policy(line, quantity, return_days=days)
