"""Every hook in oms.hookspecs is documented and tested; each ``test_hook_<name>`` proves
the host calls that hook and uses what it returns.

Test plugins are registered on top of the installed ones by overriding the
``oms_extra_plugins`` fixture through direct parametrization:
``@pytest.mark.parametrize("oms_extra_plugins", [[Plugin()]])``.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import re
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import strawberry
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from tortoise import Tortoise

from oms import hookimpl, hookspecs
from oms.app import create_app
from oms.catalog.models import Variant
from oms.db import tortoise_config
from oms.errors import DomainError, ErrorCode, FieldError
from oms.jobs.registry import JobRegistry
from oms.jobs.worker import Worker
from oms.money import Money
from oms.orders.expiry import expire_order
from oms.orders.models import Order
from oms.payments.services import mark_order_paid
from oms.plugin_types import ProductType, ShippingMethodOffer
from oms.plugins import PluginConfigError, plugin_model_modules
from oms.testing import make_product

ROOT = Path(__file__).resolve().parent.parent
HOOKS = sorted(
    name for name, value in vars(hookspecs).items() if name.startswith("oms_") and hasattr(value, "oms_spec")
)

ADDRESS = {"name": "Ada Lovelace", "line1": "12 Analytical St", "city": "London",
           "postalCode": "N1 9GU", "country": "GB"}

CREATE_PRODUCT = """
mutation Create($input: CreateProductInput!) {
  createProduct(input: $input) {
    product { productType variants { sku attributes } }
    userErrors { field code message }
  }
}
"""

PRICE_CART = """
query Price($input: CartInput!) {
  priceCart(input: $input) {
    lines { sku productType }
    shippingMethods { code name price { amount } }
    userErrors { field code message }
  }
}
"""

PLACE_ORDER = """
mutation Place($input: PlaceOrderInput!) {
  placeOrder(input: $input) {
    order { id number shippingTotal { amount } shippingMethod { code } }
    orderToken
    userErrors { field code message }
  }
}
"""

CANCEL_ORDER = """
mutation Cancel($id: ID!, $token: String) {
  cancelOrder(id: $id, token: $token) { order { status } userErrors { field code message } }
}
"""


async def run_jobs(oms_app) -> None:
    """Run the outbox until it is empty, as the worker of ``oms serve`` would."""
    worker = Worker(JobRegistry.build(oms_app.state.plugins, oms_app.state.settings))
    for _ in range(10):
        if not await worker.run_once():
            return
    raise AssertionError("jobs keep coming")


async def place_voucher_and_mug(oms_app, oms_graphql, key: str = "k-1") -> dict:
    """A guest order of one voucher and one mug: ``{"order": {...}, "orderToken": ...}``."""
    if not await Variant.exists(sku="MUG"):
        await make_product(oms_app, product_type="voucher", sku="GIFT-25")
        await make_product(oms_app, product_type="physical", sku="MUG", attributes={"weight_grams": 300}, stock=5)
    placed = await oms_graphql.query(PLACE_ORDER, {"input": {
        "lines": [{"sku": "MUG", "quantity": 1},
                  {"sku": "GIFT-25", "quantity": 1, "options": {"recipient": "bob@example.com"}}],
        "email": "ada@example.com", "shippingAddress": ADDRESS, "shippingMethod": "standard",
        "idempotencyKey": key}})
    assert placed["placeOrder"]["userErrors"] == []
    return placed["placeOrder"]


def product_input(product_type: str, sku: str, attributes: dict) -> dict:
    return {"input": {"name": f"Product {sku}", "productType": product_type,
                      "variants": [{"sku": sku, "price": "25.00", "attributes": attributes}]}}


# -- the test plugins -----------------------------------------------------------------------

VOUCHER = ProductType(
    name="voucher",
    options_schema={
        "type": "object",
        "properties": {"recipient": {"type": "string"}},
        "required": ["recipient"],
        "additionalProperties": False,
    },
    attributes_schema={
        "type": "object",
        "properties": {"code_prefix": {"type": "string"}},
        "additionalProperties": False,
    },
    public_attributes=("code_prefix",),
    description="A gift voucher sent by email.",
)


class Vouchers:
    """Owns the "voucher" type and implements the owner-only hooks, recording each call."""

    __name__ = "vouchers"

    def __init__(self):
        self.calls: list[tuple] = []

    @hookimpl
    def oms_product_types(self):
        return [VOUCHER]

    @hookimpl
    def oms_validate_variant(self, product_type, sku, attributes):
        self.calls.append(("oms_validate_variant", product_type, sku, attributes))
        if not attributes.get("code_prefix", "X").isupper():
            return [FieldError(ErrorCode.INVALID, "Use capital letters.", ["code_prefix"])]
        return None

    @hookimpl
    def oms_validate_line(self, product_type, variant, quantity, options):
        self.calls.append(("oms_validate_line", product_type, variant.sku, quantity, options))
        if "@" not in options["recipient"]:
            return [FieldError(ErrorCode.INVALID, "Send it to an email address.", ["options", "recipient"])]
        return []

    @hookimpl
    def oms_deliver(self, order, lines):
        self.calls.append(("oms_deliver", order.number, [line.sku for line in lines]))

    @hookimpl
    def oms_reverse(self, order, lines, reason):
        self.calls.append(("oms_reverse", order.number, [line.sku for line in lines], reason))


class Bystander:
    """Owns no type but implements the owner-only hooks: the host must never call them.

    Registered after the owner, pluggy would call it first, so its answer would win.
    """

    __name__ = "bystander"

    def __init__(self):
        self.calls: list[str] = []

    @hookimpl
    def oms_validate_variant(self, product_type):
        self.calls.append("oms_validate_variant")
        return [FieldError(ErrorCode.INVALID, "Not yours to judge.", ["code_prefix"])]

    @hookimpl
    def oms_validate_line(self, product_type):
        self.calls.append("oms_validate_line")
        return [FieldError(ErrorCode.INVALID, "Not yours to judge.", ["options"])]

    @hookimpl
    def oms_deliver(self, order):
        self.calls.append("oms_deliver")

    @hookimpl
    def oms_reverse(self, order):
        self.calls.append("oms_reverse")


def owner_and_bystander():
    return pytest.mark.parametrize(
        "oms_extra_plugins", [[Vouchers(), Bystander()]], ids=["vouchers+bystander"]
    )


# -- the rules: every hook documented, every hook tested -----------------------------------

def documented_signatures() -> dict[str, list[str]]:
    text = (ROOT / "docs" / "plugin_hooks.md").read_text()
    headings = re.findall(r"^#{2,4} `(oms_\w+)\(([^)]*)\)`\s*$", text, flags=re.MULTILINE)
    return {name: [p.strip() for p in params.split(",") if p.strip()] for name, params in headings}


@pytest.mark.parametrize("hook", HOOKS)
def test_plugin_hooks_are_documented(hook):
    documented = documented_signatures()
    assert hook in documented, f"docs/plugin_hooks.md has no heading `{hook}(...)`"
    spec_params = list(inspect.signature(getattr(hookspecs, hook)).parameters)
    assert documented[hook] == spec_params


def hook_test_names() -> set[str]:
    files = [*(ROOT / "tests").rglob("test_*.py"), *(ROOT / "plugins").glob("*/tests/**/test_*.py")]
    names = set()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test_hook_"):
                names.add(node.name)
    return names


@pytest.mark.parametrize("hook", HOOKS)
def test_plugin_hooks_have_tests(hook):
    assert f"test_hook_{hook}" in hook_test_names(), (
        f"No test_hook_{hook} in tests/ or plugins/*/tests/: show that the host calls {hook} "
        "and uses its result."
    )


# -- start-up hooks -------------------------------------------------------------------------

@owner_and_bystander()
async def test_hook_oms_product_types(oms_graphql, oms_accounts):
    data = await oms_graphql.query(
        "{ productTypes { name plugin requiresShipping tracksStock optionsSchema attributesSchema } }"
    )
    assert {
        "name": "voucher",
        "plugin": "vouchers",
        "requiresShipping": False,
        "tracksStock": False,
        "optionsSchema": VOUCHER.options_schema,
        "attributesSchema": VOUCHER.attributes_schema,
    } in data["productTypes"]

    staff = oms_graphql.as_(oms_accounts.staff)
    created = await staff.query(CREATE_PRODUCT, product_input("voucher", "GIFT-25", {"code_prefix": "XMAS"}))
    assert created["createProduct"]["userErrors"] == []
    assert created["createProduct"]["product"]["productType"] == "voucher"

    # The registry is the only source of types: one no plugin declares is refused.
    refused = await staff.query(CREATE_PRODUCT, product_input("rental", "BIKE-1", {}))
    assert [e["field"] for e in refused["createProduct"]["userErrors"]] == [["productType"]]


SCAN_MODELS = '''
from tortoise import fields
from tortoise.models import Model


class TicketScan(Model):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=64, unique=True)
    # A plugin model may point at core models: it joins the same "models" app.
    order = fields.ForeignKeyField("models.Order", related_name="ticket_scans", null=True)

    class Meta:
        table = "hooktest_ticket_scan"
'''


class ScanModels:
    __name__ = "scan-models"

    @hookimpl
    def oms_models(self):
        return ["oms_hooktest_scans"]


async def test_hook_oms_models(oms_settings, tmp_path, monkeypatch):
    (tmp_path / "oms_hooktest_scans.py").write_text(SCAN_MODELS)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "oms_hooktest_scans", raising=False)

    app = create_app(oms_settings, extra_plugins=[ScanModels()])
    modules = tortoise_config(oms_settings, plugin_model_modules(app.state.plugins))["apps"]["models"]["models"]
    assert "oms_hooktest_scans" in modules and "oms.orders.models" in modules

    async with app.router.lifespan_context(app):
        await Tortoise.generate_schemas()
        scan = sys.modules["oms_hooktest_scans"].TicketScan
        await scan.create(code="A-1")
        assert await scan.filter(code="A-1", order=None).count() == 1


class Hello:
    __name__ = "hello"

    @hookimpl
    def oms_routes(self, settings):
        async def hello(request: Request) -> JSONResponse:
            return JSONResponse({"hello": request.path_params["name"], "currency": settings.currency})

        return [Route("/hello/{name}", hello)]


@pytest.mark.parametrize("oms_extra_plugins", [[Hello()]], ids=["hello"])
async def test_hook_oms_routes(oms_http):
    response = await oms_http.get("/hello/ada")
    assert response.status_code == 200
    assert response.json() == {"hello": "ada", "currency": "USD"}


@strawberry.type
class TicketDelivery:
    ticket_codes: list[str]

    @classmethod
    def from_fulfillment(cls, fulfillment):
        return None


class TicketDetails:
    __name__ = "ticket-details"

    @hookimpl
    def oms_graphql_types(self):
        return [TicketDelivery]


@pytest.mark.parametrize("oms_extra_plugins", [[TicketDetails()]], ids=["ticket-details"])
async def test_hook_oms_graphql_types(oms_graphql):
    data = await oms_graphql.query('{ __type(name: "FulfillmentDetails") { kind possibleTypes { name } } }')
    assert data["__type"] is not None, "the schema has no FulfillmentDetails union"
    assert data["__type"]["kind"] == "UNION"
    members = [t["name"] for t in data["__type"]["possibleTypes"]]
    # The built-in plugins' members and this plugin's, none hard-wired in the core.
    assert {"TicketDelivery", "Shipment", "DigitalDelivery"} <= set(members)


async def test_fulfillment_details_come_from_the_owning_plugin(oms_app):
    """Without TicketDetails the union has no TicketDelivery: the core adds nothing itself."""
    from oms.graphql.schema import build_schema

    sdl = build_schema(oms_app.state.settings, oms_app.state.plugins).as_str()
    union = next(line for line in sdl.splitlines() if line.startswith("union FulfillmentDetails = "))
    members = set(union.removeprefix("union FulfillmentDetails = ").split(" | "))
    assert members == {"Shipment", "DigitalDelivery", "SubscriptionActivation", "Booking"}


@strawberry.type
class GreetingQuery:
    @strawberry.field
    def greeting(self, name: str) -> str:
        return f"Hello, {name}!"


@strawberry.type
class GreetingMutation:
    @strawberry.mutation
    def wave(self, info: strawberry.Info) -> str:
        return f"{info.context.viewer.actor} waves"


@strawberry.type
class GreetingMe:
    @strawberry.field
    def greeting(self) -> str:
        return f"Welcome back, {self.viewer.email}"


class Greetings:
    __name__ = "greetings"

    @hookimpl
    def oms_graphql_fields(self):
        return {"Query": [GreetingQuery], "Mutation": [GreetingMutation], "Me": [GreetingMe]}


@pytest.mark.parametrize("oms_extra_plugins", [[Greetings()]], ids=["greetings"])
async def test_hook_oms_graphql_fields(oms_graphql, oms_accounts):
    assert await oms_graphql.query('{ greeting(name: "Ada") }') == {"greeting": "Hello, Ada!"}
    staff = oms_graphql.as_(oms_accounts.staff)
    assert await staff.query("mutation { wave }") == {"wave": "staff@example.com waves"}
    # Me gains the plugin's field and keeps its own, from `me` and from `login`.
    me = await oms_graphql.as_(oms_accounts.customer).query("{ me { email greeting } }")
    assert me == {"me": {"email": "alice@example.com", "greeting": "Welcome back, alice@example.com"}}
    login = await oms_graphql.query(
        'mutation { login(email: "alice@example.com", password: "alice-pass-1") { me { greeting } } }')
    assert login["login"]["me"] == {"greeting": "Welcome back, alice@example.com"}
    # The core's fields are all still there.
    assert (await oms_graphql.query("{ productTypes { name } }"))["productTypes"]


@strawberry.type
class OrdersThief:
    @strawberry.field
    def orders(self) -> str:
        return "mine now"


class Thief:
    __name__ = "thief"

    @hookimpl
    def oms_graphql_fields(self):
        return {"Query": [OrdersThief]}


class WrongRoot:
    __name__ = "wrong-root"

    @hookimpl
    def oms_graphql_fields(self):
        return {"Admin": [GreetingQuery]}


@pytest.mark.parametrize(("plugin", "message"), [
    (Thief(), "Query.orders is defined by both"),
    (WrongRoot(), "no type 'Admin'"),
])
def test_graphql_fields_cannot_replace_or_invent_roots(oms_settings, plugin, message):
    with pytest.raises(PluginConfigError, match=message):
        create_app(oms_settings, extra_plugins=[plugin])



class BoxOffice:
    """Reads its settings in three kinds of hook: an owner-only one, one called on every
    plugin, and one run by a job."""

    __name__ = "box-office"

    def __init__(self):
        self.delivered_with: list[object] = []

    @hookimpl
    def oms_settings(self):
        from oms.plugin_types import PluginSetting, SettingsDeclaration

        return SettingsDeclaration("boxoffice", [
            PluginSetting("max_per_order", int, default=10, help="most tickets in one order"),
            PluginSetting("courier_price", Decimal, default=Decimal("9.00"), help="the courier's price"),
        ])

    @hookimpl
    def oms_product_types(self):
        return [ProductType(name="box-ticket")]

    @hookimpl
    def oms_validate_line(self, quantity, plugins):
        if quantity > plugins.settings_for("boxoffice")["max_per_order"]:
            return [FieldError(ErrorCode.INVALID, "Too many tickets.", ["quantity"])]
        return None

    @hookimpl
    def oms_shipping_methods(self, cart, plugins):
        price = Money(plugins.settings_for("boxoffice")["courier_price"], cart.currency)
        return [ShippingMethodOffer("courier", "Courier", price)]

    @hookimpl
    def oms_deliver(self, order, lines, plugins):
        self.delivered_with.append(plugins)


@pytest.fixture
def box_office_environ(monkeypatch):
    """Set before the app starts: the host reads plugin settings once, when it loads."""
    monkeypatch.setenv("OMS_BOXOFFICE_MAX_PER_ORDER", "3")
    monkeypatch.setenv("OMS_BOXOFFICE_COURIER_PRICE", "6.50")


@pytest.mark.parametrize("oms_extra_plugins", [[BoxOffice()]], ids=["box-office"])
async def test_hook_oms_settings(box_office_environ, oms_app, oms_graphql, oms_extra_plugins):
    from oms.testing import place_paid_order

    (box_office,) = oms_extra_plugins
    assert oms_app.state.plugins.settings_for("boxoffice") == {"max_per_order": 3, "courier_price": Decimal("6.50")}
    await make_product(oms_app, product_type="box-ticket", sku="GIG")
    await make_product(oms_app, product_type="physical", sku="MUG", attributes={"weight_grams": 300}, stock=5)

    four = (await oms_graphql.query(PRICE_CART, {"input": {"lines": [{"sku": "GIG", "quantity": 4}]}}))["priceCart"]
    assert four["userErrors"] == [{"field": ["lines", "0", "quantity"], "code": "INVALID",
                                   "message": "Too many tickets."}]
    cart = {"lines": [{"sku": "GIG", "quantity": 3}, {"sku": "MUG", "quantity": 1}]}
    three = (await oms_graphql.query(PRICE_CART, {"input": cart}))["priceCart"]
    assert three["userErrors"] == []
    assert {"code": "courier", "name": "Courier", "price": {"amount": "6.50"}} in three["shippingMethods"]

    await place_paid_order(oms_app, oms_graphql, [("GIG", 2)])
    assert box_office.delivered_with == [oms_app.state.plugins]


# oms_periodic_jobs and oms_job_handlers are tested with the worker, in tests/test_jobs.py.


# -- catalog and cart -------------------------------------------------------------------------

@owner_and_bystander()
async def test_hook_oms_validate_variant(oms_graphql, oms_accounts, oms_extra_plugins):
    owner, bystander = oms_extra_plugins
    staff = oms_graphql.as_(oms_accounts.staff)

    refused = await staff.query(CREATE_PRODUCT, product_input("voucher", "GIFT-25", {"code_prefix": "xmas"}))
    assert refused["createProduct"] == {
        "product": None,
        "userErrors": [{"field": ["variants", "0", "attributes", "code_prefix"],
                        "code": "INVALID", "message": "Use capital letters."}],
    }
    assert owner.calls == [("oms_validate_variant", "voucher", "GIFT-25", {"code_prefix": "xmas"})]

    created = await staff.query(CREATE_PRODUCT, product_input("voucher", "GIFT-25", {"code_prefix": "XMAS"}))
    assert created["createProduct"]["userErrors"] == []

    # Attributes that fail the type's JSON schema never reach the hook.
    owner.calls.clear()
    schema_refused = await staff.query(CREATE_PRODUCT, product_input("voucher", "GIFT-50", {"colour": "red"}))
    assert schema_refused["createProduct"]["userErrors"][0]["field"] == ["variants", "0", "attributes"]
    assert owner.calls == []

    # Another type's product is not the bystander's business either.
    physical = await staff.query(CREATE_PRODUCT, product_input("physical", "MUG", {"weight_grams": 300}))
    assert physical["createProduct"]["userErrors"] == []
    assert bystander.calls == []


@owner_and_bystander()
async def test_hook_oms_validate_line(oms_app, oms_graphql, oms_extra_plugins):
    owner, bystander = oms_extra_plugins
    await make_product(oms_app, product_type="voucher", sku="GIFT-25", attributes={"code_prefix": "XMAS"})
    await make_product(oms_app, product_type="physical", sku="MUG", attributes={"weight_grams": 300}, stock=5)
    owner.calls.clear()
    bad_line = {"sku": "GIFT-25", "quantity": 2, "options": {"recipient": "Bob"}}
    error = {"field": ["lines", "1", "options", "recipient"], "code": "INVALID",
             "message": "Send it to an email address."}

    cart = {"lines": [{"sku": "MUG", "quantity": 1}, bad_line]}
    quote = await oms_graphql.query(PRICE_CART, {"input": cart})
    assert quote["priceCart"]["userErrors"] == [error]
    assert owner.calls == [("oms_validate_line", "voucher", "GIFT-25", 2, {"recipient": "Bob"})]

    placed = await oms_graphql.query(PLACE_ORDER, {"input": {
        **cart, "email": "ada@example.com", "shippingAddress": ADDRESS,
        "shippingMethod": "standard", "idempotencyKey": "k-1"}})
    assert placed["placeOrder"]["order"] is None
    assert placed["placeOrder"]["userErrors"] == [error]

    good = {"lines": [{"sku": "GIFT-25", "quantity": 1, "options": {"recipient": "bob@example.com"}}]}
    assert (await oms_graphql.query(PRICE_CART, {"input": good}))["priceCart"]["userErrors"] == []
    assert bystander.calls == []


class Couriers:
    """Adds an express method and a second "standard" offer, after the built-ins."""

    __name__ = "couriers"

    def __init__(self):
        self.carts = []

    @hookimpl(trylast=True)
    def oms_shipping_methods(self, cart):
        self.carts.append(cart)
        return [
            ShippingMethodOffer("express", "Express courier", Money(Decimal("15.00"), cart.currency)),
            ShippingMethodOffer("standard", "Courier standard", Money(Decimal("99.00"), cart.currency)),
        ]


@pytest.mark.parametrize("oms_extra_plugins", [[Couriers()]], ids=["couriers"])
async def test_hook_oms_shipping_methods(oms_app, oms_graphql, oms_extra_plugins):
    (couriers,) = oms_extra_plugins
    await make_product(oms_app, product_type="physical", sku="MUG", price="12.50",
                       attributes={"weight_grams": 300}, stock=5)
    await make_product(oms_app, product_type="digital", sku="EBOOK", attributes={"file": "e.pdf"})

    quote = await oms_graphql.query(PRICE_CART, {"input": {"lines": [{"sku": "MUG", "quantity": 1}]}})
    assert quote["priceCart"]["shippingMethods"] == [
        # The physical plugin's offer came first, so its "standard" wins.
        {"code": "standard", "name": "Standard shipping", "price": {"amount": "4.90"}},
        {"code": "express", "name": "Express courier", "price": {"amount": "15.00"}},
    ]
    (cart,) = couriers.carts
    assert cart.requires_shipping and [line.sku for line in cart.lines] == ["MUG"]
    assert cart.subtotal == Money(Decimal("12.50"), "USD")

    placed = await oms_graphql.query(PLACE_ORDER, {"input": {
        "lines": [{"sku": "MUG", "quantity": 1}], "email": "ada@example.com",
        "shippingAddress": ADDRESS, "shippingMethod": "express", "idempotencyKey": "k-1"}})
    assert placed["placeOrder"]["userErrors"] == []
    assert placed["placeOrder"]["order"]["shippingMethod"] == {"code": "express"}
    assert placed["placeOrder"]["order"]["shippingTotal"] == {"amount": "15.00"}

    # Nothing to ship, nobody asked.
    couriers.carts.clear()
    digital = await oms_graphql.query(PRICE_CART, {"input": {"lines": [{"sku": "EBOOK", "quantity": 1}]}})
    assert digital["priceCart"]["shippingMethods"] == []
    assert couriers.carts == []


class AsyncVouchers(Vouchers):
    """The same checks as Vouchers, written as coroutines."""

    __name__ = "async-vouchers"

    @hookimpl
    async def oms_validate_line(self, product_type, variant, quantity, options):
        await asyncio.sleep(0)
        return Vouchers.oms_validate_line(self, product_type, variant, quantity, options)

    @hookimpl
    async def oms_shipping_methods(self, cart):
        await asyncio.sleep(0)
        return [ShippingMethodOffer("pigeon", "Carrier pigeon", Money(Decimal("1.00"), cart.currency))]


@pytest.mark.parametrize("oms_extra_plugins", [[AsyncVouchers()]], ids=["async-vouchers"])
async def test_async_hookimpls_are_awaited(oms_app, oms_graphql):
    await make_product(oms_app, product_type="voucher", sku="GIFT-25")
    await make_product(oms_app, product_type="physical", sku="MUG", attributes={"weight_grams": 300}, stock=5)
    cart = {"lines": [{"sku": "MUG", "quantity": 1},
                      {"sku": "GIFT-25", "quantity": 1, "options": {"recipient": "Bob"}}]}

    quote = (await oms_graphql.query(PRICE_CART, {"input": cart}))["priceCart"]
    assert quote["userErrors"] == [{"field": ["lines", "1", "options", "recipient"], "code": "INVALID",
                                    "message": "Send it to an email address."}]
    assert "pigeon" in [m["code"] for m in quote["shippingMethods"]]


# -- delivery and its reversal ----------------------------------------------------------------

@owner_and_bystander()
async def test_hook_oms_deliver(oms_app, oms_graphql, oms_extra_plugins):
    owner, bystander = oms_extra_plugins
    order = (await place_voucher_and_mug(oms_app, oms_graphql))["order"]
    await run_jobs(oms_app)
    assert [call for call in owner.calls if call[0] == "oms_deliver"] == []  # not before payment

    # Payment enqueues one delivery job per product type; the owner gets its own lines.
    await mark_order_paid(await Order.get(number=order["number"]), reference="bank-1", actor="staff@example.com")
    await run_jobs(oms_app)
    assert [call for call in owner.calls if call[0] == "oms_deliver"] == [
        ("oms_deliver", order["number"], ["GIFT-25"])
    ]
    assert bystander.calls == []


@owner_and_bystander()
async def test_hook_oms_reverse(oms_app, oms_graphql, oms_extra_plugins):
    owner, bystander = oms_extra_plugins
    placed = await place_voucher_and_mug(oms_app, oms_graphql)
    order = placed["order"]
    owner.calls.clear()

    canceled = await oms_graphql.query(CANCEL_ORDER, {"id": order["id"], "token": placed["orderToken"]})
    assert canceled["cancelOrder"] == {"order": {"status": "CANCELED"}, "userErrors": []}
    # Called once, on the owner, with its own lines only.
    assert owner.calls == [("oms_reverse", order["number"], ["GIFT-25"], "canceled")]

    # An unpaid order that expires is reversed too.
    unpaid = (await place_voucher_and_mug(oms_app, oms_graphql, key="k-2"))["order"]
    owner.calls.clear()
    await expire_order((await Order.get(number=unpaid["number"])).id, plugins=oms_app.state.plugins)
    assert owner.calls == [("oms_reverse", unpaid["number"], ["GIFT-25"], "expired")]
    assert bystander.calls == []


# -- observation ------------------------------------------------------------------------------

class Observer:
    """Writes down every timeline event it hears of."""

    def __init__(self, name):
        self.__name__ = name
        self.heard: list[tuple[str, str]] = []

    @hookimpl
    async def oms_order_event(self, order, event):
        self.heard.append((order.number, event.type))


@pytest.mark.parametrize(
    "oms_extra_plugins", [[Vouchers(), Observer("mailer"), Observer("webhooks")]], ids=["two-observers"]
)
async def test_hook_oms_order_event(oms_app, oms_graphql, oms_extra_plugins):
    observers = oms_extra_plugins[1:]
    placed = await place_voucher_and_mug(oms_app, oms_graphql)
    number = placed["order"]["number"]
    for observer in observers:
        assert observer.heard == []  # only once the event's job runs, after the commit

    await run_jobs(oms_app)
    await oms_graphql.query(CANCEL_ORDER, {"id": placed["order"]["id"], "token": placed["orderToken"]})
    await run_jobs(oms_app)
    for observer in observers:  # every plugin hears of every event
        # (the core's own mails about them are events too: email.sent, staff only)
        heard = [item for item in observer.heard if not item[1].startswith("email.")]
        assert heard == [(number, "order.placed"), (number, "order.canceled")]


class PigeonPost:
    """A carrier with an API of its own: it picks the tracking number and draws the label."""

    __name__ = "pigeon-post"

    def __init__(self):
        self.parcels = []

    @hookimpl
    def oms_shipping_carriers(self):
        from oms.plugin_types import Carrier, ShippingLabel

        plugin = self

        class Pigeon(Carrier):
            code = "pigeon"
            name = "Pigeon Post"

            async def create_label(self, parcel):
                plugin.parcels.append(parcel)
                return ShippingLabel(
                    tracking_number=f"PGN-{parcel.order_number}",
                    tracking_url=f"https://pigeon.example/{parcel.order_number}",
                    label_pdf=b"%PDF-1.4 pigeon label",
                )

        return [Pigeon()]


@pytest.mark.parametrize("oms_extra_plugins", [[PigeonPost()]], ids=["pigeon-post"])
async def test_hook_oms_shipping_carriers(oms_app, oms_graphql, oms_http, oms_accounts, oms_extra_plugins):
    from oms.testing import place_paid_order

    (pigeon,) = oms_extra_plugins
    await make_product(oms_app, product_type="physical", sku="MUG", attributes={"weight_grams": 300}, stock=5)
    order = (await place_paid_order(oms_app, oms_graphql, [("MUG", 2)], shipping_method="standard"))["order"]
    shipped = await oms_graphql.as_(oms_accounts.staff).query(
        """mutation($input: CreateShipmentInput!) { createShipment(input: $input) {
             fulfillment { details { ... on Shipment { carrier carrierName trackingNumber trackingUrl labelUrl } } }
             userErrors { code message } } }""",
        {"input": {"orderId": order["id"], "carrier": "pigeon",
                   "lines": [{"lineId": order["lines"][0]["id"], "quantity": 2}]}},
    )
    details = shipped["createShipment"]["fulfillment"]["details"]
    assert details["carrier"] == "pigeon" and details["carrierName"] == "Pigeon Post"
    assert details["trackingNumber"] == f"PGN-{order['number']}"
    assert details["trackingUrl"] == f"https://pigeon.example/{order['number']}"
    # The carrier got the parcel as oms sees it, and its label is the one served.
    (parcel,) = pigeon.parcels
    assert parcel.weight_grams == 600 and parcel.items == [("MUG", "Product MUG", 2)]
    assert parcel.ship_to["postal_code"] == "N1 9GU" and parcel.tracking_number is None
    label = await oms_http.get(details["labelUrl"].removeprefix(oms_app.state.settings.public_url))
    assert label.content == b"%PDF-1.4 pigeon label"


class FlakyPigeon(PigeonPost):
    """Times out once after the carrier sold the label, as a real API can."""

    __name__ = "flaky-pigeon"

    @hookimpl
    def oms_shipping_carriers(self):
        from oms.plugin_types import Carrier, ShippingLabel

        plugin = self

        class Flaky(Carrier):
            code = "flaky"
            name = "Flaky"

            async def create_label(self, parcel):
                plugin.parcels.append(parcel)
                if len(plugin.parcels) == 1:
                    raise DomainError.of(ErrorCode.INVALID, "The carrier timed out; try again.")
                return ShippingLabel(tracking_number=f"FL-{len(plugin.parcels)}")

        return [Flaky()]


@pytest.mark.parametrize("oms_extra_plugins", [[FlakyPigeon()]], ids=["flaky-pigeon"])
async def test_a_retried_shipment_asks_the_carrier_with_the_same_reference(
    oms_app, oms_graphql, oms_accounts, oms_extra_plugins
):
    from oms.testing import place_paid_order

    (carrier,) = oms_extra_plugins
    await make_product(oms_app, product_type="physical", sku="MUG", attributes={"weight_grams": 300}, stock=5)
    order = (await place_paid_order(oms_app, oms_graphql, [("MUG", 2)], shipping_method="standard"))["order"]
    ship = """mutation($input: CreateShipmentInput!) { createShipment(input: $input) { userErrors { code } } }"""

    def one(quantity):
        return {"input": {"orderId": order["id"], "carrier": "flaky",
                          "lines": [{"lineId": order["lines"][0]["id"], "quantity": quantity}]}}

    staff = oms_graphql.as_(oms_accounts.staff)
    assert (await staff.query(ship, one(1)))["createShipment"]["userErrors"] == [{"code": "INVALID"}]
    assert (await staff.query(ship, one(1)))["createShipment"]["userErrors"] == []
    assert (await staff.query(ship, one(1)))["createShipment"]["userErrors"] == []
    first, retry, next_parcel = (p.reference for p in carrier.parcels)
    assert first == retry  # the carrier can answer the retry with the label it already sold
    assert next_parcel != first  # the order's next parcel is another label


class Seats:
    """Holds one seat per line at placement; a seat already held refuses the order."""

    __name__ = "seats"

    def __init__(self):
        self.held: dict[str, str] = {}  # seat -> order number

    @hookimpl
    def oms_product_types(self):
        return [ProductType(name="seat", options_schema={
            "type": "object", "properties": {"seat": {"type": "string"}}, "required": ["seat"]})]

    @hookimpl
    async def oms_hold(self, order, lines):
        for line in lines:
            seat = line.options["seat"]
            if seat in self.held:
                raise DomainError.of(ErrorCode.SLOT_UNAVAILABLE, f"Seat {seat} is taken.",
                                     ["lines", line.position, "options", "seat"])
            self.held[seat] = order.number

    @hookimpl
    def oms_reverse(self, order, lines, reason):
        for line in lines:
            self.held.pop(line.options["seat"], None)


@pytest.mark.parametrize("oms_extra_plugins", [[Seats()]], ids=["seats"])
async def test_hook_oms_hold(oms_app, oms_graphql, oms_extra_plugins):
    (seats,) = oms_extra_plugins
    await make_product(oms_app, product_type="seat", sku="GIG")
    place = """mutation($i: PlaceOrderInput!) { placeOrder(input: $i) {
                 order { id number } orderToken userErrors { field code message } } }"""

    def order_for(seat, key):
        return {"i": {"lines": [{"sku": "GIG", "quantity": 1}, {"sku": "GIG", "quantity": 1, "options": {"seat": seat}}],
                      "email": "fan@example.com", "idempotencyKey": key}}

    # The first line has no seat: the type's options schema refuses it before any hold.
    refused = (await oms_graphql.query(place, order_for("A1", "k0")))["placeOrder"]
    assert refused["userErrors"][0]["field"][:2] == ["lines", "0"]
    assert seats.held == {}

    def one_line(seat, key):
        return {"i": {"lines": [{"sku": "GIG", "quantity": 1, "options": {"seat": seat}}],
                      "email": "fan@example.com", "idempotencyKey": key}}

    first = (await oms_graphql.query(place, one_line("A1", "k1")))["placeOrder"]
    assert first["userErrors"] == [] and seats.held == {"A1": first["order"]["number"]}
    taken = (await oms_graphql.query(place, one_line("A1", "k2")))["placeOrder"]
    assert taken == {"order": None, "orderToken": None, "userErrors": [
        {"field": ["lines", "0", "options", "seat"], "code": "SLOT_UNAVAILABLE", "message": "Seat A1 is taken."}]}
    assert await Order.filter(email="fan@example.com").count() == 1  # nothing of the refused order

    await oms_graphql.query(CANCEL_ORDER, {"id": first["order"]["id"], "token": first["orderToken"]})
    assert seats.held == {}
    again = (await oms_graphql.query(place, one_line("A1", "k3")))["placeOrder"]
    assert again["userErrors"] == []


class ReturnBystander:
    """Implements oms_return_policy without owning a type: never asked."""

    __name__ = "return-bystander"

    def __init__(self):
        self.calls = 0

    @hookimpl
    def oms_return_policy(self, order, line, quantity):
        self.calls += 1
        return "Not yours to judge."


def _gifts_and_bystander():
    from tests.return_plugin import Gifts

    return [Gifts(refusal="Opened gift cards stay sold."), ReturnBystander()]


@pytest.mark.parametrize("oms_extra_plugins", [_gifts_and_bystander()], ids=["gifts+bystander"])
async def test_hook_oms_return_policy(oms_app, oms_graphql, oms_extra_plugins):
    from oms.testing import place_paid_order

    gifts, bystander = oms_extra_plugins
    await make_product(oms_app, product_type="gift", sku="GIFT", price="20.00")
    placed = await place_paid_order(oms_app, oms_graphql, [("GIFT", 3)])
    request = """mutation($i: RequestReturnInput!) { requestReturn(input: $i) {
                   return { status lines { quantity } } userErrors { field code message } } }"""
    variables = {"i": {"orderId": placed["order"]["id"], "orderToken": placed["orderToken"],
                       "lines": [{"lineId": placed["order"]["lines"][0]["id"], "quantity": 2}]}}

    refused = (await oms_graphql.query(request, variables))["requestReturn"]
    assert refused == {"return": None, "userErrors": [
        {"field": ["lines", "0", "lineId"], "code": "RETURN_NOT_ALLOWED", "message": "Opened gift cards stay sold."}]}
    # The owner was asked with the order, the line and the units; the bystander never.
    assert gifts.policy_calls == [(placed["order"]["number"], "GIFT", 2)]
    assert bystander.calls == 0

    gifts.refusal = None
    allowed = (await oms_graphql.query(request, variables))["requestReturn"]
    assert allowed == {"return": {"status": "REQUESTED", "lines": [{"quantity": 2}]}, "userErrors": []}
