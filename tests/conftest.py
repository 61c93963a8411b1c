"""Helpers shared by the core's tests; the fixtures themselves live in oms.testing."""

from __future__ import annotations

import pytest

from oms.testing import make_product

ADDRESS = {
    "name": "Ada Lovelace",
    "line1": "12 Analytical St",
    "city": "London",
    "postalCode": "N1 9GU",
    "country": "GB",
}

PLACE_ORDER = """
mutation Place($input: PlaceOrderInput!) {
  placeOrder(input: $input) {
    order { id number status paymentStatus email total { amount currency }
            lines { sku quantity status productType unitPrice { amount } } }
    orderToken
    userErrors { field code message }
  }
}
"""


@pytest.fixture
async def catalog(oms_app):
    """One product of each built-in type; the physical one with 50 units."""
    await make_product(oms_app, product_type="physical", sku="MUG", price="12.50",
                       attributes={"weight_grams": 350}, stock=50)
    await make_product(oms_app, product_type="digital", sku="EBOOK", price="9.99",
                       attributes={"file_name": "book.pdf", "file": "books/book.pdf"})
    await make_product(oms_app, product_type="subscription", sku="PLAN-M", price="15.00",
                       attributes={"interval": "month"})
    await make_product(oms_app, product_type="consultation", sku="CALL-60", price="120.00",
                       attributes={"duration_minutes": 60, "consultants": [
                           {"name": "Grace", "timezone": "Europe/Berlin",
                            "availability": {"mon": [["09:00", "17:00"]]}}]})
