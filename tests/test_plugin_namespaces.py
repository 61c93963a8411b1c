"""Model, relation and GraphQL type names are one namespace across the core and every plugin:
a clash stops the start with a PluginConfigError naming both sides and the name (before,
a second model of one name was silently dropped, and the other clashes named no plugin)."""

from __future__ import annotations

import sys
import textwrap

import pytest
import strawberry

from oms import hookimpl
from oms.app import create_app
from oms.config import Settings
from oms.graphql.common import Money
from oms.graphql.schema import build_schema
from oms.plugins import PluginConfigError, PluginHost


# -- models ------------------------------------------------------------------------------------

class Models:
    """A plugin bringing the models of one module."""

    def __init__(self, name: str, module: str):
        self.__name__ = name
        self.module = module

    @hookimpl
    def oms_models(self):
        return [self.module]


@pytest.fixture
def model_module(tmp_path, monkeypatch):
    """Write a module of models and make it importable: ``model_module(name, source)``."""
    monkeypatch.syspath_prepend(str(tmp_path))

    def write(name: str, body: str) -> str:
        source = "from tortoise import fields\nfrom tortoise.models import Model\n\n" + textwrap.dedent(body)
        (tmp_path / f"{name}.py").write_text(source)
        monkeypatch.delitem(sys.modules, name, raising=False)
        return name

    return write


def model(class_name: str, table: str, extra: str = "") -> str:
    return f"""
    class {class_name}(Model):
        id = fields.IntField(primary_key=True)
        {extra}

        class Meta:
            table = "{table}"
    """


def load_error(*plugins) -> str:
    with pytest.raises(PluginConfigError) as raised:
        PluginHost.load(plugins)
    return str(raised.value)


def test_two_plugins_with_one_model_name(model_module):
    first = model_module("oms_ns_box_office", model("Ticket", "box_office_ticket"))
    second = model_module("oms_ns_gigs", model("Ticket", "gigs_ticket"))
    message = load_error(Models("box-office", first), Models("gigs", second))
    assert message.startswith("Model name 'Ticket' is used by both plugin 'box-office' (oms_ns_box_office) "
                              "and plugin 'gigs' (oms_ns_gigs)")


def test_a_plugin_model_named_like_a_built_in_plugins(model_module):
    # The consultation plugin has a Booking model: a second one would have replaced it.
    rooms = model_module("oms_ns_rooms", model("Booking", "rooms_booking"))
    message = load_error(Models("rooms", rooms))
    assert "Model name 'Booking' is used by both plugin 'consultation' (oms_consultation.models)" in message
    assert "plugin 'rooms' (oms_ns_rooms)" in message


def test_a_plugin_model_named_like_a_core_model(model_module):
    shop = model_module("oms_ns_shop", model("Order", "shop_order"))
    message = load_error(Models("shop", shop))
    assert message.startswith("Model name 'Order' is used by both the core (oms.orders.models) and plugin 'shop'")


def test_importing_a_core_model_is_no_clash(model_module):
    scans = model_module("oms_ns_scans", "from oms.orders.models import Order\n" + textwrap.dedent(model(
        "Scan", "scans_scan", 'order = fields.ForeignKeyField("models.Order", related_name="scans")')))
    host = PluginHost.load([Models("scans", scans)])
    assert "oms_ns_scans" in host.collect("oms_models")


def test_two_plugins_with_one_relation_name_on_a_model(model_module):
    to_order = 'order = fields.ForeignKeyField("models.Order", related_name="tickets")'
    first = model_module("oms_ns_box_office_rel", model("BoxTicket", "box_ticket", to_order))
    second = model_module("oms_ns_gigs_rel", model("GigTicket", "gig_ticket", to_order))
    message = load_error(Models("box-office", first), Models("gigs", second))
    assert message.startswith("Relation name Order.tickets is used by both plugin 'box-office' (BoxTicket.order) "
                              "and plugin 'gigs' (GigTicket.order)")


@pytest.mark.parametrize(("related_name", "core_side"), [
    ("lines", "OrderLine.order"),  # the core's reverse relation of order lines
    ("status", "Order.status"),  # a field of the core's Order
])
def test_a_relation_name_taken_on_a_core_model(model_module, related_name, core_side):
    seats = model_module(f"oms_ns_seats_{related_name}", model(
        "Seat", "seats_seat", f'order = fields.ForeignKeyField("models.Order", related_name="{related_name}")'))
    message = load_error(Models("seats", seats))
    assert message.startswith(f"Relation name Order.{related_name} is used by both the core ({core_side}) "
                              "and plugin 'seats' (Seat.order)")


def test_a_default_relation_name_counts_too(model_module):
    # Without related_name Tortoise names the reverse relation after the table: "<table>s".
    first = model_module("oms_ns_default_a", model("Pass", "pass", 'order = fields.ForeignKeyField("models.Order")'))
    second = model_module("oms_ns_default_b", model(
        "Voucher", "voucher", 'order = fields.ForeignKeyField("models.Order", related_name="passs")'))
    message = load_error(Models("passes", first), Models("vouchers", second))
    assert "Relation name Order.passs is used by both plugin 'passes' (Pass.order) and plugin 'vouchers'" in message


def test_the_check_runs_when_the_app_starts(model_module, oms_settings):
    shop = model_module("oms_ns_shop_app", model("Payment", "shop_payment"))
    with pytest.raises(PluginConfigError, match="Model name 'Payment' is used by both the core"):
        create_app(oms_settings, extra_plugins=[Models("shop", shop)])


# -- GraphQL types -----------------------------------------------------------------------------

def detail_type(name: str, plugin: str) -> type:
    """A fulfillment-details type named ``name``, a class of its own for each ``plugin`` (as
    two plugins' modules would define two classes)."""
    namespace = {
        "__annotations__": {"code": str},
        "__qualname__": f"{plugin.replace('-', '_')}_{name}",
        "from_fulfillment": classmethod(lambda cls, fulfillment: None),
    }
    return strawberry.type(type(f"{name}Details", (), namespace), name=name)


class Details:
    def __init__(self, name: str, *types: type):
        self.__name__ = name
        self.types = types

    @hookimpl
    def oms_graphql_types(self):
        return list(self.types)


class Fields:
    def __init__(self, name: str, **parts: list[type]):
        self.__name__ = name
        self.parts = parts

    @hookimpl
    def oms_graphql_fields(self):
        return self.parts


def schema_error(*plugins) -> str:
    with pytest.raises(PluginConfigError) as raised:
        build_schema(Settings(), PluginHost.load(plugins))
    return str(raised.value)


def test_two_plugins_with_one_graphql_type_name():
    message = schema_error(Details("box-office", detail_type("Ticket", "box-office")),
                           Details("gigs", detail_type("Ticket", "gigs")))
    assert message.startswith("GraphQL type name 'Ticket' is used by both plugin 'box-office' and plugin 'gigs'")


def test_a_graphql_type_named_like_a_core_one():
    message = schema_error(Details("shop", detail_type("Order", "shop")))
    assert message.startswith("GraphQL type name 'Order' is used by both the core and plugin 'shop'")
    assert "'Query' is used by both the core and plugin 'rooted'" in schema_error(
        Details("rooted", detail_type("Query", "rooted")))


def test_a_graphql_type_named_like_a_built_in_plugins():
    # The physical plugin's details type is Shipment.
    message = schema_error(Details("parcels", detail_type("Shipment", "parcels")))
    assert message.startswith("GraphQL type name 'Shipment' is used by both plugin 'physical' and plugin 'parcels'")


@strawberry.type(name="Seat")
class OtherSeat:
    row: str


@strawberry.type
class SeatQuery:
    @strawberry.field
    def seats(self) -> list[OtherSeat]:
        return []


def test_a_clash_reached_through_a_field():
    message = schema_error(Details("venues", detail_type("Seat", "venues")), Fields("box-office", Query=[SeatQuery]))
    assert message.startswith("GraphQL type name 'Seat' is used by both plugin 'venues' and plugin 'box-office'")


SHARED_PASS = detail_type("Pass", "passes")


@strawberry.type
class PriceQuery:
    @strawberry.field
    def pass_price(self) -> Money:
        return Money(amount="1.00", currency="USD")


@strawberry.type
class OtherPriceQuery:
    @strawberry.field
    def other_price(self) -> list[Money]:
        return []

    @strawberry.field
    def any_pass(self) -> SHARED_PASS | None:
        return None


def test_shared_types_are_no_clash():
    # Two plugins returning the core's Money, and one plugin returning another's type.
    schema = build_schema(Settings(), PluginHost.load([
        Details("passes", SHARED_PASS), Fields("prices", Query=[PriceQuery]),
        Fields("more-prices", Query=[OtherPriceQuery]),
    ]))
    assert {"Pass", "Money"} <= set(schema.schema_converter.type_map)


def test_the_graphql_check_runs_when_the_app_starts(oms_settings):
    with pytest.raises(PluginConfigError, match="'Ticket' is used by both plugin 'box-office' and plugin 'gigs'"):
        create_app(oms_settings, extra_plugins=[Details("box-office", detail_type("Ticket", "box-office")),
                                                Details("gigs", detail_type("Ticket", "gigs"))])
