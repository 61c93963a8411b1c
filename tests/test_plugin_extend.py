"""What a plugin adds beyond its own types: permissions and error codes of its own
(``oms_permissions``, ``oms_error_codes``), fields on the core types, per-request batching,
and fulfillment details resolved a page at a time; and schemas built without globals."""

from __future__ import annotations

import contextlib
import logging
import importlib.util
import uuid
from collections.abc import Iterator
from decimal import Decimal

import pytest
import strawberry

from oms import hookimpl
from oms.accounts import services as accounts
from oms.accounts.permissions import Viewer
from oms.config import Settings
from oms.errors import DomainError, ErrorCode, PluginErrorCode
from oms.fulfillment.models import Fulfillment as FulfillmentModel
from oms.graphql.accounts import CoreMe
from oms.graphql.common import UserError, user_errors
from oms.graphql.context import Info
from oms.graphql.fulfillment import Fulfillment
from oms.graphql.schema import build_schema
from oms.orders.models import Order as OrderModel
from oms.plugin_checks import declared_permissions
from oms.plugins import PluginConfigError, PluginHost
from oms.testing import make_product, place_paid_order
from oms_physical.models import Shipment

SOLD_OUT = PluginErrorCode("TICKETS_SOLD_OUT")
BATCHES: list[list[int]] = []  # what the Variant.seatsLeft batch function was asked


async def seats_left(variant_ids: list[int]) -> list[int]:
    BATCHES.append(list(variant_ids))
    return [100 + pk for pk in variant_ids]


@strawberry.type
class CheckInPayload:
    ok: bool = False
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class TicketsMutation:
    @strawberry.mutation
    def check_in_ticket(self, info: Info, sold_out: bool = False) -> CheckInPayload:
        try:
            info.context.require_permission("TICKETS_CHECK_IN")
            if sold_out:
                raise DomainError.of(SOLD_OUT, "No seats left.", ["soldOut"])
        except DomainError as exc:
            return CheckInPayload(user_errors=user_errors(exc))
        return CheckInPayload(ok=True)


@strawberry.type
class TicketsVariant:
    @strawberry.field
    async def seats_left(self, info: Info) -> int:
        return await info.context.loaders.batched(seats_left).load(self.model.id)  # type: ignore[attr-defined]


class Tickets:
    __name__ = "tickets"

    @hookimpl
    def oms_permissions(self):
        return ["TICKETS_CHECK_IN"]

    @hookimpl
    def oms_error_codes(self):
        return [SOLD_OUT]

    @hookimpl
    def oms_graphql_fields(self):
        return {"Mutation": [TicketsMutation], "Variant": [TicketsVariant]}


def declaring(name: str, *, permissions=(), codes=()):
    class Plugin:
        @hookimpl
        def oms_permissions(self):
            return list(permissions)

        @hookimpl
        def oms_error_codes(self):
            return list(codes)

    plugin = Plugin()
    plugin.__name__ = name
    return plugin


tickets = pytest.mark.parametrize("oms_extra_plugins", [[Tickets()]], ids=["tickets"])

CHECK_IN = "mutation($s: Boolean!) { checkInTicket(soldOut: $s) { ok userErrors { field code message } } }"
CREATE_PRODUCT = """mutation { createProduct(input: {name: "X", productType: "digital", variants: [{sku: "X1",
  price: "1.00"}]}) { userErrors { code } } }"""


async def staff_token(oms_app, email: str, permissions: list[str]) -> str:
    host = oms_app.state.plugins
    staff = await accounts.create_staff(
        email=email, password="door-pass-123", permissions=permissions,
        plugin_permissions=declared_permissions(host),
    )
    return await accounts.issue_token(Viewer(staff=staff), secret=oms_app.state.settings.secret_key, ttl_seconds=600)


# -- permissions ---------------------------------------------------------------------------------

@tickets
async def test_hook_oms_permissions(oms_app, oms_graphql):
    """A plugin permission granted through create_staff allows exactly that plugin's mutation."""
    door = oms_graphql.as_(await staff_token(oms_app, "door@example.com", ["TICKETS_CHECK_IN"]))
    assert (await door.query(CHECK_IN, {"s": False}))["checkInTicket"] == {"ok": True, "userErrors": []}
    me = (await door.query("{ me { permissions } }"))["me"]
    assert me["permissions"] == ["TICKETS_CHECK_IN"]
    # ...and nothing else: the core's staff operations stay closed to it.
    created = (await door.query(CREATE_PRODUCT))["createProduct"]
    assert [e["code"] for e in created["userErrors"]] == ["PERMISSION_DENIED"]
    listed = await door.execute("{ orders(first: 1) { totalCount } }")
    assert listed["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"

    # A staff member with the core's fulfillment permission may not check tickets in.
    shipper = oms_graphql.as_(await staff_token(oms_app, "ship@example.com", ["MANAGE_FULFILLMENT"]))
    refused = (await shipper.query(CHECK_IN, {"s": False}))["checkInTicket"]
    assert refused["ok"] is False
    assert [e["code"] for e in refused["userErrors"]] == ["PERMISSION_DENIED"]
    assert "TICKETS_CHECK_IN" in refused["userErrors"][0]["message"]
    anonymous = (await oms_graphql.query(CHECK_IN, {"s": False}))["checkInTicket"]
    assert [e["code"] for e in anonymous["userErrors"]] == ["PERMISSION_DENIED"]


@tickets
async def test_unknown_permissions_are_refused_by_create_staff(oms_app):
    with pytest.raises(DomainError) as refused:
        await accounts.create_staff(email="a@example.com", password="door-pass-123", permissions=["TICKETS_CHECK_IN"])
    assert refused.value.code is ErrorCode.INVALID  # no plugin permissions passed: not grantable
    with pytest.raises(DomainError) as typo:
        await accounts.create_staff(
            email="b@example.com", password="door-pass-123", permissions=["TICKETS_CHECKIN"],
            plugin_permissions=declared_permissions(oms_app.state.plugins),
        )
    assert "TICKETS_CHECKIN" in str(typo.value) and "TICKETS_CHECK_IN" in str(typo.value)


def test_create_staff_command_grants_plugin_permissions(oms_database_url, monkeypatch, capsys):
    from oms import cli

    monkeypatch.setenv("OMS_DATABASE_URL", oms_database_url)
    monkeypatch.setenv("OMS_SECRET_KEY", "cli-test-secret-" + "k" * 32)
    assert cli.main(["migrate"]) == 0
    load = PluginHost.load.__func__
    monkeypatch.setattr(PluginHost, "load", classmethod(lambda cls, extra=(), **kw: load(cls, [*extra, Tickets()], **kw)))
    args = ["create-staff", "door@example.com", "--password", "door-pass-123", "--permission"]
    assert cli.main([*args, "TICKETS_CHECK_IN"]) == 0
    assert "TICKETS_CHECK_IN" in capsys.readouterr().out
    assert cli.main(["create-staff", "x@example.com", "--password", "door-pass-123", "--permission", "TICKETS_NOPE"]) == 2
    assert "Unknown permission 'TICKETS_NOPE'" in capsys.readouterr().err


# -- error codes ---------------------------------------------------------------------------------

@tickets
async def test_hook_oms_error_codes(oms_app, oms_graphql, oms_accounts):
    """A plugin's error code reaches the client as a machine-readable code."""
    answer = (await oms_graphql.as_(oms_accounts.staff).query(CHECK_IN, {"s": True}))["checkInTicket"]
    assert answer == {"ok": False, "userErrors": [
        {"field": ["soldOut"], "code": "TICKETS_SOLD_OUT", "message": "No seats left."}]}
    enum = (await oms_graphql.query('{ __type(name: "ErrorCode") { enumValues { name } } }'))["__type"]
    names = [value["name"] for value in enum["enumValues"]]
    assert names == [*ErrorCode.__members__, "TICKETS_SOLD_OUT"]  # the core's first, unchanged


def test_a_schema_without_the_plugin_has_no_plugin_code():
    sdl = build_schema(Settings(), PluginHost.load()).as_str()
    assert "TICKETS_SOLD_OUT" not in sdl
    assert "TICKETS_SOLD_OUT" in build_schema(Settings(), PluginHost.load([Tickets()])).as_str()


@pytest.mark.parametrize(
    ("plugins", "message"),
    [
        ([declaring("a", permissions=["TICKETS_CHECK_IN"]), declaring("b", permissions=["TICKETS_CHECK_IN"])],
         "permission 'TICKETS_CHECK_IN' is declared by both plugin 'a' and plugin 'b'"),
        ([declaring("a", codes=[SOLD_OUT]), declaring("b", codes=[SOLD_OUT])],
         "error code 'TICKETS_SOLD_OUT' is declared by both plugin 'a' and plugin 'b'"),
        ([declaring("a", permissions=["MANAGE_ORDERS"])],
         "permission 'MANAGE_ORDERS' is declared by both the core and plugin 'a'"),
        ([declaring("a", codes=[PluginErrorCode("OUT_OF_STOCK")])],
         "error code 'OUT_OF_STOCK' is declared by both the core and plugin 'a'"),
        ([declaring("a", permissions=["tickets.check_in"])], "plugin 'a' declares the permission 'tickets.check_in'"),
        ([declaring("a", permissions=["CHECKIN"])], "plugin 'a' declares the permission 'CHECKIN'"),
        ([declaring("a", codes=["TICKETS_SOLD_OUT"])], "not an oms.errors.PluginErrorCode"),
    ],
    ids=["permission-twice", "code-twice", "core-permission", "core-code", "dotted", "no-namespace", "plain-str"],
)
def test_declaration_clashes_fail_start_up_naming_both(plugins, message):
    with pytest.raises(PluginConfigError) as failed:
        PluginHost.load(plugins)
    assert message in str(failed.value)


# -- fields on core types ------------------------------------------------------------------------

@tickets
async def test_plugin_field_on_variant_is_batched_per_request(oms_app, oms_graphql):
    for sku in ("A", "B", "C"):
        await make_product(oms_app, product_type="digital", sku=sku)
    BATCHES.clear()
    data = await oms_graphql.query("{ products(first: 10) { edges { node { variants { id seatsLeft } } } } }")
    variants = [v for edge in data["products"]["edges"] for v in edge["node"]["variants"]]
    assert len(variants) == 3
    assert len(BATCHES) == 1 and len(BATCHES[0]) == 3  # one call for the whole page
    assert sorted(v["seatsLeft"] for v in variants) == sorted(100 + pk for pk in BATCHES[0])
    await oms_graphql.query("{ products(first: 10) { edges { node { variants { seatsLeft } } } } }")
    assert len(BATCHES) == 2  # a new request, a new loader: nothing cached across requests


@strawberry.type
class LabelProduct:
    @strawberry.field
    def label(self) -> str:
        return f"product {self.model.slug}"  # type: ignore[attr-defined]


@strawberry.type
class LabelOrderLine:
    @strawberry.field
    def label(self) -> str:
        return f"line {self.model.sku} x{self.model.quantity}"  # type: ignore[attr-defined]


@strawberry.type
class LabelOrder:
    @strawberry.field
    def label(self) -> str:
        return f"order {self.model.number}"  # type: ignore[attr-defined]


class Labels:
    __name__ = "labels"

    @hookimpl
    def oms_graphql_fields(self):
        return {"Product": [LabelProduct], "OrderLine": [LabelOrderLine], "Order": [LabelOrder]}


@pytest.mark.parametrize("oms_extra_plugins", [[Labels()]], ids=["labels"])
async def test_plugin_fields_on_product_order_and_order_line(oms_app, oms_graphql, oms_accounts):
    """Besides Variant (above) and Me, a plugin's fields join Product, Order and OrderLine,
    resolved on the core's row (``self.model``), next to the core's own fields."""
    await make_product(oms_app, product_type="digital", sku="EBOOK-1")
    products = await oms_graphql.query("{ products(first: 5) { edges { node { slug label } } } }")
    assert [edge["node"] for edge in products["products"]["edges"]] == [
        {"slug": "product-ebook-1", "label": "product product-ebook-1"}
    ]

    placed = await place_paid_order(oms_app, oms_graphql, [("EBOOK-1", 2)], pay=False)
    number = placed["order"]["number"]
    staff = oms_graphql.as_(oms_accounts.staff)
    data = await staff.query("{ orders(first: 5) { edges { node { number label lines { sku label } } } } }")
    assert [edge["node"] for edge in data["orders"]["edges"]] == [
        {"number": number, "label": f"order {number}", "lines": [{"sku": "EBOOK-1", "label": "line EBOOK-1 x2"}]}
    ]


def test_a_plugin_field_cannot_replace_a_core_field():
    @strawberry.type
    class Clash:
        @strawberry.field
        def number(self) -> str:
            return "x"

    class Plugin:
        __name__ = "clasher"

        @hookimpl
        def oms_graphql_fields(self):
            return {"Order": [Clash]}

    with pytest.raises(PluginConfigError, match=r"Order\.number is defined by both Order and "):
        build_schema(Settings(), PluginHost.load([Plugin()]))


def test_schemas_are_built_from_their_inputs_and_change_no_globals():
    """Two schemas with different plugins coexist; building one leaves the core classes as
    they were (no Me slot, no union members patched in)."""
    core_fields = {cls: [f.python_name for f in cls.__strawberry_definition__.fields]
                   for cls in (CoreMe, Fulfillment, UserError)}
    with_tickets = build_schema(Settings(), PluginHost.load([Tickets()]))
    bare = build_schema(Settings(), PluginHost.load(entry_points=False))
    assert {cls: [f.python_name for f in cls.__strawberry_definition__.fields] for cls in core_fields} == core_fields
    assert "seatsLeft" in with_tickets.as_str() and "seatsLeft" not in bare.as_str()
    assert "FulfillmentDetails" in with_tickets.as_str() and "FulfillmentDetails" not in bare.as_str()
    assert "bookings" in with_tickets._schema.get_type("Me").fields  # the consultation plugin's Me field
    assert bare._schema.get_type("Me").fields.keys() == {
        "email", "isStaff", "permissions", "orders",
        "id", "name", "addresses", "defaultShippingAddress", "defaultBillingAddress",  # accounts (issue 14)
    }
    assert importlib.util.find_spec("oms.graphql.me_slot") is None  # no module to patch any more


# -- fulfillment details a page at a time ---------------------------------------------------------

@contextlib.contextmanager
def sql_statements() -> Iterator[list[str]]:
    """The SQL statements Tortoise sends while in the block (it logs each at DEBUG)."""
    found: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.args and isinstance(record.args[0], str):
                found.append(record.args[0])

    logger = logging.getLogger("tortoise.db_client")
    handler, level = Collect(logging.DEBUG), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield found
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


async def add_orders(count: int) -> None:
    """``count`` orders, each with a shipped physical fulfillment and a digital one."""
    for _ in range(count):
        order = await OrderModel.create(
            token=uuid.uuid4().hex, email="buyer@example.com", currency="USD", subtotal=Decimal("1.00"),
            shipping_total=Decimal("0.00"), total=Decimal("1.00"), idempotency_key=uuid.uuid4().hex,
            cart_fingerprint="x",
        )
        order.number = str(1000 + order.id)
        await order.save(update_fields=["number"])
        shipped = await FulfillmentModel.create(order=order, product_type="physical")
        await Shipment.create(fulfillment=shipped, carrier="manual", carrier_name="Manual", tracking_number="T1")
        await FulfillmentModel.create(order=order, product_type="digital")


ORDERS_PAGE = """{ orders(first: 100) { edges { node { number fulfillments { productType details {
  __typename ... on Shipment { trackingNumber } ... on DigitalDelivery { downloads { fileName } } } } } } } }"""


async def page_statements(graphql, orders: int) -> list[str]:
    await add_orders(orders)
    with sql_statements() as statements:
        data = await graphql.query(ORDERS_PAGE)
    nodes = [edge["node"] for edge in data["orders"]["edges"]]
    details = [f["details"] for node in nodes for f in node["fulfillments"]]
    assert len(details) == 2 * len(nodes)
    assert {d["__typename"] for d in details} == {"Shipment", "DigitalDelivery"}
    assert all(d["trackingNumber"] == "T1" for d in details if d["__typename"] == "Shipment")
    return statements


async def test_fulfillment_details_of_a_page_take_a_constant_number_of_statements(oms_app, oms_graphql, oms_accounts):
    staff = oms_graphql.as_(oms_accounts.staff)
    few = await page_statements(staff, 2)
    many = await page_statements(staff, 18)  # 20 orders now, 40 fulfillments
    assert len(many) == len(few), (few, many)
    assert sum("shipment" in s.lower() for s in many) == 1  # one query for all the shipments
