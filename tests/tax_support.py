"""Shared steps of the tax tests: rates through the API, an order paid through the fake
Stripe, a staff cancellation of some units (which refunds them)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from oms.payments.models import Payment
from oms.testing import run_jobs

SECRET = "whsec_test_secret"

CREATE_RATE = """
mutation($input: CreateTaxRateInput!) {
  createTaxRate(input: $input) { taxRate { id name country region taxClass rate } userErrors { field code message } }
}
"""
SET_PRODUCT_CLASS = """
mutation($id: ID!, $c: String) { setProductTaxClass(id: $id, taxClass: $c) { ok userErrors { field code } } }
"""
PRICE = """
query($input: CartInput!) {
  priceCart(input: $input) {
    lines { sku total { amount } tax { amount } taxRate gross { amount } net { amount } }
    subtotal { amount } shippingTotal { amount } taxTotal { amount } shippingTax { amount } total { amount }
    pricesIncludeTax shippingMethodRequired
    taxLines { name rate taxClass taxable { amount } tax { amount } }
    userErrors { field code message }
  }
}
"""
PLACE = """
mutation($input: PlaceOrderInput!) {
  placeOrder(input: $input) {
    order {
      id number total { amount currency } taxTotal { amount } shippingTax { amount } pricesIncludeTax
      lines { id sku tax { amount } taxRate gross { amount } net { amount } }
      taxLines { name rate taxClass taxable { amount } tax { amount } }
    }
    payment { amount { amount currency } }
    userErrors { field code message }
  }
}
"""
CANCEL = """
mutation($id: ID!, $lines: [CancelLineInput!]) {
  cancelOrder(id: $id, lines: $lines) { order { refundedTotal { amount } } userErrors { field code message } }
}
"""


def stripe_settings(settings: Any, fake_stripe: Any, **changes: Any) -> Any:
    return dataclasses.replace(
        settings,
        stripe_api_key="sk_test_oms",
        stripe_webhook_secret=SECRET,
        stripe_api_base=fake_stripe.url,
        **changes,
    )


async def create_rates(staff: Any, rates: list[dict[str, Any]]) -> None:
    for rate in rates:
        created = (await staff.query(CREATE_RATE, {"input": rate}))["createTaxRate"]
        assert created["userErrors"] == [], created


def amounts(rows: list[dict[str, Any]]) -> list[tuple]:
    """Tax lines as (name, rate, class, taxable, tax) with Decimals."""
    return [
        (r["name"], Decimal(r["rate"]), r["taxClass"], Decimal(r["taxable"]["amount"]), Decimal(r["tax"]["amount"]))
        for r in rows
    ]


async def pay_with_stripe(oms_app: Any, oms_http: Any, fake_stripe: Any, number: str) -> None:
    intent = (await Payment.get(order__number=number, gateway="stripe")).external_id
    fake_stripe.succeed(intent)
    body, header = fake_stripe.signed_event("payment_intent.succeeded", intent, SECRET)
    response = await oms_http.post(
        "/webhooks/stripe", content=body, headers={"Stripe-Signature": header, "Content-Type": "application/json"}
    )
    assert response.status_code == 200, response.text
    await run_jobs(oms_app)
