"""A US-style store: prices exclude tax, sales tax per state, digital goods exempt in
California (issue 14).

Hand-computed (each line's tax rounded half-up to the cent, tax = net * r / 100), shipped
to CA at 7.25 %: 3 mugs at 19.99 = 59.97, tax 4.347825 -> 4.35; an e-book 4.99 at the CA
digital rate 0 % -> 0.00; standard shipping 4.90 at the highest shipped rate: 0.35525 ->
0.36. Tax 4.71, added: total 59.97 + 4.99 + 4.90 + 4.71 = 74.57 (what Stripe charges).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from oms.orders.models import Order
from oms.payments.models import Refund
from oms.testing import make_product, run_jobs
from tests.tax_support import CANCEL, PLACE, PRICE, amounts, create_rates, pay_with_stripe, stripe_settings

CALIFORNIA = {
    "name": "Grace Hopper",
    "line1": "1 Infinite Loop",
    "city": "Cupertino",
    "region": "CA",
    "postalCode": "95014",
    "country": "US",
}


@pytest.fixture
def oms_settings(oms_settings, fake_stripe):
    return stripe_settings(oms_settings, fake_stripe, currency="USD", prices_include_tax=False)


@pytest.fixture
async def store(oms_app, oms_graphql, oms_accounts):
    await create_rates(
        oms_graphql.as_(oms_accounts.staff),
        [
            {"name": "CA sales tax", "country": "US", "region": "ca", "rate": "7.25"},
            {"name": "CA digital goods", "country": "US", "region": "CA", "taxClass": "digital", "rate": "0"},
            {"name": "NY sales tax", "country": "US", "region": "NY", "rate": "8.875"},
        ],
    )
    await make_product(oms_app, product_type="physical", sku="MUG", price="19.99",
                       attributes={"weight_grams": 350}, stock=50)
    await make_product(oms_app, product_type="digital", sku="EBOOK", price="4.99",
                       attributes={"file_name": "book.pdf", "file": "books/book.pdf"})


def cart(address: dict, key: str | None = None) -> dict:
    data = {
        "lines": [{"sku": "MUG", "quantity": 3}, {"sku": "EBOOK", "quantity": 1}],
        "email": "buyer@example.com",
        "shippingAddress": address,
        "shippingMethod": "standard",
    }
    if key:
        data["idempotencyKey"] = key
    return data


async def test_a_mixed_order_adds_state_tax_and_stripe_charges_the_gross(
    oms_app, oms_graphql, oms_http, oms_accounts, fake_stripe, store
):
    placed = (await oms_graphql.query(PLACE, {"input": cart(CALIFORNIA, "us-1")}))["placeOrder"]
    assert placed["userErrors"] == []
    order = placed["order"]
    assert [(line["sku"], line["tax"]["amount"], Decimal(line["taxRate"])) for line in order["lines"]] == [
        ("MUG", "4.35", Decimal("7.25")),
        ("EBOOK", "0.00", Decimal(0)),
    ]
    # Net is the price; gross adds the tax.
    assert [(line["net"]["amount"], line["gross"]["amount"]) for line in order["lines"]] == [
        ("59.97", "64.32"),
        ("4.99", "4.99"),
    ]
    assert (order["taxTotal"]["amount"], order["shippingTax"]["amount"], order["pricesIncludeTax"]) == (
        "4.71",
        "0.36",
        False,
    )
    assert order["total"] == {"amount": "74.57", "currency": "USD"}
    assert amounts(order["taxLines"]) == [
        ("CA sales tax", Decimal("7.25"), None, Decimal("64.87"), Decimal("4.71")),
        ("CA digital goods", Decimal(0), "digital", Decimal("4.99"), Decimal("0.00")),
    ]
    (intent,) = fake_stripe.requests_to("POST", "/v1/payment_intents")
    assert (intent.params["amount"], intent.params["currency"]) == ("7457", "usd")

    # A canceled mug gives back its price and its share of the tax added to it:
    # (59.97 + 4.35) / 3 = 21.44; shipping stays (two mugs still ship).
    await pay_with_stripe(oms_app, oms_http, fake_stripe, order["number"])
    mug_id = next(line["id"] for line in order["lines"] if line["sku"] == "MUG")
    canceled = (
        await oms_graphql.as_(oms_accounts.staff).query(
            CANCEL, {"id": order["id"], "lines": [{"lineId": mug_id, "quantity": 1}]}
        )
    )["cancelOrder"]
    assert canceled["userErrors"] == []
    await run_jobs(oms_app)
    stored = await Order.get(number=order["number"])
    (refund,) = await Refund.filter(order_id=stored.id)
    assert Decimal(refund.amount) == Decimal("21.44")
    (sent,) = fake_stripe.requests_to("POST", "/v1/refunds")
    assert sent.params["amount"] == "2144"

    # The rest that can be canceled (the e-book is delivered already): the two mugs with
    # their tax (64.32 - 21.44 = 42.88) and, nothing being left to ship, the shipping with
    # its tax (4.90 + 0.36 = 5.26).
    canceled = (await oms_graphql.as_(oms_accounts.staff).query(CANCEL, {"id": order["id"]}))["cancelOrder"]
    assert canceled["userErrors"] == [], canceled
    await run_jobs(oms_app)
    refunds = [Decimal(r.amount) for r in await Refund.filter(order_id=stored.id).order_by("id")]
    assert refunds == [Decimal("21.44"), Decimal("48.14")]


async def test_another_state_pays_its_own_rate(oms_graphql, store):
    new_york = {**CALIFORNIA, "city": "New York", "region": "NY", "postalCode": "10001"}
    quote = (await oms_graphql.query(PRICE, {"input": cart(new_york)}))["priceCart"]
    assert quote["userErrors"] == []
    # NY has no digital rate: its default (8.875 %) taxes the e-book too.
    # 59.97 * 8.875 % = 5.3223 -> 5.32; 4.99 -> 0.4429 -> 0.44; shipping 4.90 -> 0.4349 -> 0.43.
    assert [line["tax"]["amount"] for line in quote["lines"]] == ["5.32", "0.44"]
    assert (quote["taxTotal"]["amount"], quote["total"]["amount"]) == ("6.19", "76.05")


async def test_a_state_without_rates_pays_no_tax(oms_graphql, store):
    texas = {**CALIFORNIA, "city": "Austin", "region": "TX", "postalCode": "73301"}
    quote = (await oms_graphql.query(PRICE, {"input": cart(texas)}))["priceCart"]
    assert quote["userErrors"] == []
    assert (quote["taxTotal"]["amount"], quote["total"]["amount"], quote["taxLines"]) == ("0.00", "69.86", [])


async def test_a_fixed_amount_code_lowers_the_taxed_amount_and_the_refund(
    oms_app, oms_graphql, oms_http, oms_accounts, fake_stripe, store
):
    """Hand-computed: 10.00 off physical goods only, so all of it on the mugs: tax on 49.97 at
    7.25 % = 3.622825 -> 3.62; the e-book 0.00; shipping 0.36 as before: 3.98 added. Total
    59.97 + 4.99 + 4.90 - 10.00 + 3.98 = 63.84. One mug canceled: a third of what the mugs
    cost, tax included (49.97 + 3.62 = 53.59): 17.863 -> 17.86."""
    staff = oms_graphql.as_(oms_accounts.staff)
    created = await staff.query(
        "mutation($i: CreateDiscountCodeInput!) { createDiscountCode(input: $i) { userErrors { field code } } }",
        {"i": {"code": "TENOFF", "amount": "10", "productTypes": ["physical"]}},
    )
    assert created["createDiscountCode"]["userErrors"] == []
    data = {**cart(CALIFORNIA, "us-code"), "discountCodes": ["TENOFF"]}
    placed = (await oms_graphql.query(PLACE, {"input": data}))["placeOrder"]
    assert placed["userErrors"] == []
    order = placed["order"]
    assert [(line["sku"], line["tax"]["amount"], line["gross"]["amount"]) for line in order["lines"]] == [
        ("MUG", "3.62", "53.59"),
        ("EBOOK", "0.00", "4.99"),
    ]
    assert (order["taxTotal"]["amount"], order["total"]["amount"]) == ("3.98", "63.84")
    (intent,) = fake_stripe.requests_to("POST", "/v1/payment_intents")
    assert intent.params["amount"] == "6384"

    await pay_with_stripe(oms_app, oms_http, fake_stripe, order["number"])
    mug_id = next(line["id"] for line in order["lines"] if line["sku"] == "MUG")
    canceled = (await staff.query(CANCEL, {"id": order["id"], "lines": [{"lineId": mug_id, "quantity": 1}]}))
    assert canceled["cancelOrder"]["userErrors"] == []
    await run_jobs(oms_app)
    (refund,) = await Refund.filter(order_id=(await Order.get(number=order["number"])).id)
    assert Decimal(refund.amount) == Decimal("17.86")
