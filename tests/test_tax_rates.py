"""Tax rates through the API (staff), the rules of the built-in table (shipping split,
classes, no rates: no tax) and the ``oms_calculate_taxes`` hook."""

from __future__ import annotations

from decimal import Decimal

import pytest

from oms import hookimpl
from oms.graphql.common import to_global_id
from oms.money import Money
from oms.plugin_types import TaxableLine, TaxCharge, TaxRequest, TaxResult
from oms.taxes.compute import table_taxes
from oms.taxes.models import TaxRate
from oms.testing import make_product
from tests.conftest import ADDRESS
from tests.tax_support import CREATE_RATE, PLACE, PRICE

RATES = "{ taxRates { id name country region taxClass rate } }"
UPDATE = """
mutation($id: ID!, $input: CreateTaxRateInput!) {
  updateTaxRate(id: $id, input: $input) { taxRate { name rate region } userErrors { field code message } }
}
"""
DELETE = "mutation($id: ID!) { deleteTaxRate(id: $id) { ok userErrors { field code } } }"
SET_VARIANT_CLASS = """
mutation($id: ID!, $c: String) { setVariantTaxClass(id: $id, taxClass: $c) { ok userErrors { field code } } }
"""


def errors(payload: dict) -> list[tuple[list[str] | None, str]]:
    return [(e["field"], e["code"]) for e in payload["userErrors"]]


async def test_staff_create_list_update_and_delete_rates(oms_graphql, oms_accounts):
    staff = oms_graphql.as_(oms_accounts.staff)
    created = (await staff.query(CREATE_RATE, {"input": {"name": " VAT ", "country": "gb", "rate": "20"}}))
    rate = created["createTaxRate"]["taxRate"]
    assert (rate["name"], rate["country"], rate["region"], rate["taxClass"], Decimal(rate["rate"])) == (
        "VAT", "GB", None, None, Decimal(20))
    again = (await staff.query(CREATE_RATE, {"input": {"name": "VAT 2", "country": "GB", "rate": "21"}}))
    assert errors(again["createTaxRate"]) == [(["taxClass"], "INVALID")]
    other = {"name": "Reduced", "country": "GB", "taxClass": "reduced", "rate": "5"}
    assert (await staff.query(CREATE_RATE, {"input": other}))["createTaxRate"]["userErrors"] == []
    assert [r["name"] for r in (await staff.query(RATES))["taxRates"]] == ["VAT", "Reduced"]

    changed = (await staff.query(UPDATE, {"id": rate["id"], "input": {
        "name": "VAT", "country": "GB", "region": "sco", "rate": "20.5"}}))["updateTaxRate"]
    assert changed["userErrors"] == []
    assert (changed["taxRate"]["region"], Decimal(changed["taxRate"]["rate"])) == ("SCO", Decimal("20.5"))
    node = await staff.query("query($id: ID!) { node(id: $id) { ... on TaxRate { region } } }", {"id": rate["id"]})
    assert node["node"] == {"region": "SCO"}

    assert (await staff.query(DELETE, {"id": rate["id"]}))["deleteTaxRate"] == {"ok": True, "userErrors": []}
    assert errors((await staff.query(DELETE, {"id": rate["id"]}))["deleteTaxRate"]) == [(["id"], "NOT_FOUND")]
    assert [r["name"] for r in (await staff.query(RATES))["taxRates"]] == ["Reduced"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": "  "}, "name"),
        ({"country": "GBR"}, "country"),
        ({"country": "1X"}, "country"),
        ({"rate": "-1"}, "rate"),
        ({"rate": "100.5"}, "rate"),
        ({"rate": "7.12345"}, "rate"),
        ({"rate": "NaN"}, "rate"),
        ({"rate": "-Infinity"}, "rate"),
        ({"rate": "1e999999"}, "rate"),
        ({"taxClass": "x" * 65}, "taxClass"),
        ({"region": "r" * 65}, "region"),
    ],
)
async def test_bad_rates_are_refused_with_typed_errors(oms_graphql, oms_accounts, change, field):
    rate = {"name": "VAT", "country": "FR", "rate": "20", **change}
    payload = (await oms_graphql.as_(oms_accounts.staff).query(CREATE_RATE, {"input": rate}))["createTaxRate"]
    assert payload["taxRate"] is None
    assert [f for f, _ in errors(payload)] == [[field]]
    assert await TaxRate.all().count() == 0


async def test_only_catalog_staff_change_rates_anyone_reads_them(oms_graphql, oms_accounts):
    customer = oms_graphql.as_(oms_accounts.customer)
    payload = (await customer.query(CREATE_RATE, {"input": {"name": "VAT", "country": "FR", "rate": "20"}}))
    assert errors(payload["createTaxRate"]) == [(None, "PERMISSION_DENIED")]
    assert await TaxRate.all().count() == 0
    await TaxRate.create(name="VAT", country="FR", rate=Decimal(20))
    assert [r["name"] for r in (await oms_graphql.query(RATES))["taxRates"]] == ["VAT"]


async def test_without_rates_nothing_is_taxed(oms_app, oms_graphql):
    await make_product(oms_app, product_type="physical", sku="MUG", price="12.50",
                       attributes={"weight_grams": 300}, stock=5)
    cart = {"lines": [{"sku": "MUG", "quantity": 2}], "shippingAddress": ADDRESS, "shippingMethod": "standard"}
    quote = (await oms_graphql.query(PRICE, {"input": cart}))["priceCart"]
    assert (quote["taxTotal"]["amount"], quote["total"]["amount"], quote["taxLines"]) == ("0.00", "29.90", [])
    assert quote["shippingMethodRequired"] is False


async def test_a_variants_class_beats_its_products_and_its_types(oms_app, oms_graphql, oms_accounts):
    staff = oms_graphql.as_(oms_accounts.staff)
    for rate in ({"name": "GST", "country": "GB", "rate": "10"}, {"name": "Books", "country": "GB",
                 "taxClass": "books", "rate": "0"}):
        assert (await staff.query(CREATE_RATE, {"input": rate}))["createTaxRate"]["userErrors"] == []
    product = await make_product(oms_app, product_type="physical", sku="ATLAS", price="30.00",
                                 attributes={"weight_grams": 900}, stock=5)
    variant = await product.variants.all().first()
    cart = {"lines": [{"sku": "ATLAS", "quantity": 1}], "shippingAddress": ADDRESS}
    assert (await oms_graphql.query(PRICE, {"input": cart}))["priceCart"]["taxTotal"]["amount"] == "3.00"
    done = await staff.query(SET_VARIANT_CLASS, {"id": to_global_id("Variant", variant.id), "c": "books"})
    assert done["setVariantTaxClass"] == {"ok": True, "userErrors": []}
    assert (await oms_graphql.query(PRICE, {"input": cart}))["priceCart"]["taxTotal"]["amount"] == "0.00"
    missing = await staff.query(SET_VARIANT_CLASS, {"id": to_global_id("Variant", 999), "c": "books"})
    assert errors(missing["setVariantTaxClass"]) == [(["id"], "NOT_FOUND")]


def _line(index: int, amount: str, *, tax_class: str = "standard", ships: bool = True) -> TaxableLine:
    return TaxableLine(index, f"SKU-{index}", "physical", tax_class, 1, Money(Decimal(amount), "EUR"), ships)


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        # 10.00 of shipping at the highest shipped rate (20 %), prices excluding tax.
        ("highest", [("Standard", Decimal(20), "10.00", "2.00")]),
        # Split 30.00 : 10.00 -> 7.50 at 20 %, 2.50 at 5 %.
        ("pro_rata", [("Standard", Decimal(20), "7.50", "1.50"), ("Reduced", Decimal(5), "2.50", "0.13")]),
        ("none", []),
    ],
)
async def test_shipping_is_taxed_per_the_store_rule(oms_app, rule, expected):
    await TaxRate.create(name="Standard", country="IE", tax_class=None, rate=Decimal(20))
    await TaxRate.create(name="Reduced", country="IE", tax_class="reduced", rate=Decimal(5))
    request = TaxRequest(
        currency="EUR",
        prices_include_tax=False,
        country="IE",
        region=None,
        lines=[_line(0, "30.00"), _line(1, "10.00", tax_class="reduced"), _line(2, "99.00", ships=False)],
        shipping=Money(Decimal("10.00"), "EUR"),
    )
    result = await table_taxes(request, shipping_rule=rule)
    assert [(c.name, c.rate, str(c.taxable.amount), str(c.tax.amount)) for c in result.shipping] == expected
    assert [str(result.lines[i].tax.amount) for i in (0, 1, 2)] == ["6.00", "0.50", "19.80"]


class SwissTaxService:
    """A tax service for Switzerland only: 8.1 % on everything, as one charge per line."""

    __name__ = "swiss-tax-service"

    def __init__(self):
        self.requests: list[TaxRequest] = []

    @hookimpl
    def oms_calculate_taxes(self, request):
        self.requests.append(request)
        if request.country != "CH":
            return None
        rate = Decimal("8.1")
        lines = {
            line.index: TaxCharge(
                line.amount, Money((line.amount.amount * rate / 100).quantize(Decimal("0.01")), "USD"), rate, "MWST"
            )
            for line in request.lines
        }
        shipping = [TaxCharge(request.shipping, Money(Decimal("0.40"), "USD"), rate, "MWST")] if request.shipping else []
        return TaxResult(lines=lines, shipping=shipping)


@pytest.mark.parametrize("oms_extra_plugins", [[SwissTaxService()]], ids=["swiss-tax-service"])
async def test_hook_oms_calculate_taxes(oms_app, oms_graphql, oms_accounts, oms_extra_plugins):
    (service,) = oms_extra_plugins
    await make_product(oms_app, product_type="physical", sku="MUG", price="20.00",
                       attributes={"weight_grams": 300}, stock=5)
    staff = oms_graphql.as_(oms_accounts.staff)
    created = await staff.query(CREATE_RATE, {"input": {"name": "VAT", "country": "GB", "rate": "20"}})
    assert created["createTaxRate"]["userErrors"] == []

    zurich = {**ADDRESS, "city": "Zürich", "postalCode": "8001", "country": "CH"}
    placed = (await oms_graphql.query(PLACE, {"input": {
        "lines": [{"sku": "MUG", "quantity": 2}], "email": "kunde@example.ch", "shippingAddress": zurich,
        "shippingMethod": "standard", "idempotencyKey": "ch-1"}}))["placeOrder"]
    assert placed["userErrors"] == []
    # The service's answer, as given: 40.00 * 8.1 % = 3.24, shipping 0.40, added to 44.90.
    assert (placed["order"]["taxTotal"]["amount"], placed["order"]["total"]["amount"]) == ("3.64", "48.54")
    assert [(t["name"], t["tax"]["amount"]) for t in placed["order"]["taxLines"]] == [("MWST", "3.64")]
    request = service.requests[-1]
    assert (request.country, request.prices_include_tax, request.shipping) == ("CH", False, Money(Decimal("4.90"), "USD"))
    assert [(line.sku, line.tax_class, line.amount) for line in request.lines] == [
        ("MUG", "standard", Money(Decimal("40.00"), "USD"))
    ]

    # The service answers None for Great Britain: the built-in table taxes it.
    cart = {"lines": [{"sku": "MUG", "quantity": 1}], "shippingAddress": ADDRESS, "shippingMethod": "standard"}
    quote = (await oms_graphql.query(PRICE, {"input": cart}))["priceCart"]
    assert (quote["taxTotal"]["amount"], [t["name"] for t in quote["taxLines"]]) == ("4.98", ["VAT"])
