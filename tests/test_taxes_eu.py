"""An EU-style store: prices include 20 % VAT, e-books pay a reduced 5.5 % (issue 14).

Hand-computed (each line's tax rounded half-up to the cent, tax = gross * r / (100 + r)):
3 mugs at 12.99 = 38.97, VAT 6.495 -> 6.50; 2 e-books at 9.99 = 19.98, VAT 1.0416 -> 1.04;
standard shipping 4.90 at the highest shipped rate (20 %): 0.8166 -> 0.82. Tax 8.36;
the total (what Stripe charges) is the gross 38.97 + 19.98 + 4.90 = 63.85.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from oms.orders.models import Order, OrderLine
from oms.payments.models import Refund
from oms.testing import make_product, run_jobs
from tests.conftest import ADDRESS
from tests.tax_support import (
    CANCEL,
    PLACE,
    PRICE,
    SET_PRODUCT_CLASS,
    amounts,
    create_rates,
    pay_with_stripe,
    stripe_settings,
)

FRANCE = {**ADDRESS, "city": "Paris", "postalCode": "75001", "country": "FR"}


@pytest.fixture
def oms_settings(oms_settings, fake_stripe):
    return stripe_settings(oms_settings, fake_stripe, currency="EUR", prices_include_tax=True, tax_country="FR")


@pytest.fixture
async def store(oms_app, oms_graphql, oms_accounts):
    staff = oms_graphql.as_(oms_accounts.staff)
    await create_rates(
        staff,
        [
            {"name": "TVA", "country": "FR", "rate": "20"},
            {"name": "TVA réduite", "country": "fr", "taxClass": "reduced", "rate": "5.5"},
            {"name": "MwSt", "country": "DE", "rate": "19"},
        ],
    )
    await make_product(oms_app, product_type="physical", sku="MUG", price="12.99",
                       attributes={"weight_grams": 350}, stock=50)
    ebook = await make_product(oms_app, product_type="digital", sku="EBOOK", price="9.99",
                               attributes={"file_name": "book.pdf", "file": "books/book.pdf"})
    from oms.graphql.common import to_global_id

    done = (await staff.query(SET_PRODUCT_CLASS, {"id": to_global_id("Product", ebook.id), "c": "reduced"}))
    assert done["setProductTaxClass"] == {"ok": True, "userErrors": []}


def cart(key: str | None = None) -> dict:
    data = {
        "lines": [{"sku": "MUG", "quantity": 3}, {"sku": "EBOOK", "quantity": 2}],
        "email": "client@example.fr",
        "shippingAddress": FRANCE,
        "shippingMethod": "standard",
    }
    if key:
        data["idempotencyKey"] = key
    return data


EXPECTED_TAX_LINES = [
    ("TVA", Decimal(20), None, Decimal("43.87"), Decimal("7.32")),
    ("TVA réduite", Decimal("5.5"), "reduced", Decimal("19.98"), Decimal("1.04")),
]


async def test_the_quote_shows_vat_inside_the_prices(oms_graphql, store):
    quote = (await oms_graphql.query(PRICE, {"input": cart()}))["priceCart"]
    assert quote["userErrors"] == []
    assert quote["pricesIncludeTax"] is True
    assert [(line["sku"], line["tax"]["amount"], Decimal(line["taxRate"])) for line in quote["lines"]] == [
        ("MUG", "6.50", Decimal(20)),
        ("EBOOK", "1.04", Decimal("5.5")),
    ]
    # Gross is the price (VAT inside); net is it less VAT.
    assert [(line["gross"]["amount"], line["net"]["amount"]) for line in quote["lines"]] == [
        ("38.97", "32.47"),
        ("19.98", "18.94"),
    ]
    assert quote["shippingTax"]["amount"] == "0.82"
    assert quote["taxTotal"]["amount"] == "8.36"
    # Prices include VAT: the total is the sum of the prices, nothing added.
    assert (quote["subtotal"]["amount"], quote["total"]["amount"]) == ("58.95", "63.85")
    assert amounts(quote["taxLines"]) == EXPECTED_TAX_LINES


async def test_a_mixed_order_stores_vat_and_stripe_charges_the_gross(
    oms_app, oms_graphql, oms_http, oms_accounts, fake_stripe, store
):
    placed = (await oms_graphql.query(PLACE, {"input": cart("eu-1")}))["placeOrder"]
    assert placed["userErrors"] == []
    order = placed["order"]
    assert order["total"] == {"amount": "63.85", "currency": "EUR"}
    assert (order["taxTotal"]["amount"], order["shippingTax"]["amount"], order["pricesIncludeTax"]) == (
        "8.36",
        "0.82",
        True,
    )
    assert [(line["sku"], line["tax"]["amount"]) for line in order["lines"]] == [("MUG", "6.50"), ("EBOOK", "1.04")]
    assert amounts(order["taxLines"]) == EXPECTED_TAX_LINES
    assert placed["payment"]["amount"] == {"amount": "63.85", "currency": "EUR"}
    (intent,) = fake_stripe.requests_to("POST", "/v1/payment_intents")
    assert (intent.params["amount"], intent.params["currency"]) == ("6385", "eur")

    stored = await Order.get(number=order["number"])
    assert (stored.tax_total, stored.shipping_tax, stored.prices_include_tax) == (
        Decimal("8.36"),
        Decimal("0.82"),
        True,
    )
    mug = await OrderLine.get(order_id=stored.id, sku="MUG")
    assert (mug.tax, mug.tax_rate, mug.tax_included) == (Decimal("6.50"), Decimal(20), True)

    # A canceled mug gives back its price, VAT included (the price contained it).
    await pay_with_stripe(oms_app, oms_http, fake_stripe, order["number"])
    mug_id = next(line["id"] for line in order["lines"] if line["sku"] == "MUG")
    canceled = (
        await oms_graphql.as_(oms_accounts.staff).query(
            CANCEL, {"id": order["id"], "lines": [{"lineId": mug_id, "quantity": 1}]}
        )
    )["cancelOrder"]
    assert canceled["userErrors"] == []
    await run_jobs(oms_app)  # the gateway's refund
    (refund,) = await Refund.filter(order_id=stored.id)
    assert Decimal(refund.amount) == Decimal("12.99")
    (sent,) = fake_stripe.requests_to("POST", "/v1/refunds")
    assert sent.params["amount"] == "1299"


async def test_the_billing_address_decides_without_a_shipping_address(oms_graphql, store):
    """A cart that ships nothing, billed in Germany: German VAT (the store's country is FR)."""
    data = {
        "lines": [{"sku": "EBOOK", "quantity": 1}],
        "email": "kunde@example.de",
        "billingAddress": {**ADDRESS, "city": "Berlin", "postalCode": "10115", "country": "DE"},
        "idempotencyKey": "eu-de",
    }
    placed = (await oms_graphql.query(PLACE, {"input": data}))["placeOrder"]
    assert placed["userErrors"] == []
    # 9.99 * 19 / 119 = 1.595 -> 1.60 (Germany has no reduced rate here: its default applies).
    assert placed["order"]["taxTotal"]["amount"] == "1.60"
    assert placed["order"]["total"]["amount"] == "9.99"



async def test_a_discount_code_is_taken_off_before_vat_and_refunds_the_discounted_price(
    oms_app, oms_graphql, oms_http, oms_accounts, fake_stripe, store
):
    """Hand-computed: 10 % off 58.95 is 5.90, shared by line totals to the cent: mugs 3.90,
    e-books 2.00 (the larger remainder takes the last cent). VAT on what is paid: mugs
    35.07 * 20 / 120 = 5.845 -> 5.85; e-books 17.98 * 5.5 / 105.5 = 0.937 -> 0.94; shipping
    0.82 as before: 7.61. Total 58.95 + 4.90 - 5.90 = 57.95. One mug canceled gives back a
    third of the 35.07 paid for three: 11.69."""
    staff = oms_graphql.as_(oms_accounts.staff)
    created = await staff.query(
        "mutation($i: CreateDiscountCodeInput!) { createDiscountCode(input: $i) { userErrors { field code } } }",
        {"i": {"code": "DIX", "percentage": "10"}},
    )
    assert created["createDiscountCode"]["userErrors"] == []
    placed = (await oms_graphql.query(PLACE, {"input": {**cart("eu-code"), "discountCodes": ["dix"]}}))["placeOrder"]
    assert placed["userErrors"] == []
    order = placed["order"]
    assert order["total"] == {"amount": "57.95", "currency": "EUR"}
    assert order["taxTotal"]["amount"] == "7.61" and order["shippingTax"]["amount"] == "0.82"
    assert [(line["sku"], line["tax"]["amount"], line["gross"]["amount"]) for line in order["lines"]] == [
        ("MUG", "5.85", "35.07"),
        ("EBOOK", "0.94", "17.98"),
    ]
    (intent,) = fake_stripe.requests_to("POST", "/v1/payment_intents")
    assert intent.params["amount"] == "5795"
    stored = await Order.get(number=order["number"])
    assert (stored.discount_total, stored.tax_total) == (Decimal("5.90"), Decimal("7.61"))

    await pay_with_stripe(oms_app, oms_http, fake_stripe, order["number"])
    mug_id = next(line["id"] for line in order["lines"] if line["sku"] == "MUG")
    canceled = (await staff.query(CANCEL, {"id": order["id"], "lines": [{"lineId": mug_id, "quantity": 1}]}))
    assert canceled["cancelOrder"]["userErrors"] == []
    await run_jobs(oms_app)
    (refund,) = await Refund.filter(order_id=stored.id)
    assert Decimal(refund.amount) == Decimal("11.69")
    (sent,) = fake_stripe.requests_to("POST", "/v1/refunds")
    assert sent.params["amount"] == "1169"
