"""Discount code limits under real concurrency: a uvicorn server (two worker processes on
PostgreSQL, see tests/test_concurrency.py) and many clients placing orders at once.

- 50 placements with a code limited to 10 uses: exactly 10 orders, ``times_used`` 10,
  10 redemptions; every other client gets DISCOUNT_CODE_INVALID (never a 500).
- 20 placements by one email with a code limited to 1 use per customer: exactly one.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from oms import testing
from oms.testing import GraphQLClient
from tests.conftest import ADDRESS
from tests.live_server import STAFF_EMAIL, STAFF_PASSWORD, fresh_database, live_server, sql_rows

CLIENTS = 50
LIMIT = 10

LOGIN = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token userErrors { code } } }"
CREATE_PRODUCT = """
mutation($input: CreateProductInput!) { createProduct(input: $input) { product { id } userErrors { code message } } }
"""
SET_STOCK = "mutation($input: SetStockInput!) { setStock(input: $input) { userErrors { code message } } }"
CREATE_CODE = """
mutation($input: CreateDiscountCodeInput!) {
  createDiscountCode(input: $input) { discountCode { id } userErrors { field code message } }
}
"""
PLACE = """
mutation($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { number discountTotal { amount } } userErrors { field code message } }
}
"""


async def schema_and_staff(database_url: str) -> None:
    """The schema from the models (as ``oms_app`` makes it: the discount tables have no
    migration on this branch) and a superuser staff account."""
    from tortoise import Tortoise

    from oms.accounts.services import create_staff
    from oms.config import Settings
    from oms.db import tortoise_config
    from oms.migrate.isolation import isolated_tortoise
    from oms.plugins import PluginHost, plugin_model_modules

    settings = Settings(database_url=database_url, seed_demo=False)
    async with isolated_tortoise():
        await Tortoise.init(config=tortoise_config(settings, plugin_model_modules(PluginHost.load())))
        try:
            await Tortoise.generate_schemas()
            await create_staff(email=STAFF_EMAIL, password=STAFF_PASSWORD, superuser=True)
        finally:
            await Tortoise.close_connections()


class Shop:
    def __init__(self, url: str, http: httpx.AsyncClient, staff_token: str):
        self.url = url
        self.guest = GraphQLClient(http)
        self.staff = GraphQLClient(http).as_(staff_token)

    async def code(self, **fields: Any) -> None:
        data = await self.staff.query(CREATE_CODE, {"input": fields})
        assert data["createDiscountCode"]["userErrors"] == []

    async def place(self, code: str, email: str) -> dict[str, Any]:
        return await self.guest.execute(PLACE, {"input": {
            "lines": [{"sku": "MUG", "quantity": 1}], "email": email, "shippingAddress": ADDRESS,
            "shippingMethod": "standard", "idempotencyKey": uuid.uuid4().hex, "discountCodes": [code],
        }})

    async def scalar(self, query: str, *params: object) -> int:
        return int((await sql_rows(self.url, query, *params))[0][0])


@pytest.fixture
async def shop(tmp_path) -> AsyncIterator[Shop]:
    workers = 2 if testing.test_database_url() else 1
    async with fresh_database(tmp_path) as url:
        await schema_and_staff(url)
        async with live_server(url, workers=workers, env={"OMS_RUN_WORKER": "false"}, log_dir=tmp_path) as server:
            limits = httpx.Limits(max_connections=CLIENTS + 10, max_keepalive_connections=CLIENTS + 10)
            async with httpx.AsyncClient(base_url=server.url, limits=limits, timeout=httpx.Timeout(90.0)) as http:
                login = await GraphQLClient(http).query(LOGIN, {"e": STAFF_EMAIL, "p": STAFF_PASSWORD})
                shop = Shop(url, http, login["login"]["token"])
                created = await shop.staff.query(CREATE_PRODUCT, {"input": {
                    "name": "Mug", "slug": "mug", "productType": "physical",
                    "variants": [{"sku": "MUG", "price": "12.00", "attributes": {"weight_grams": 300}}],
                }})
                assert created["createProduct"]["userErrors"] == []
                stocked = await shop.staff.query(SET_STOCK, {"input": {"sku": "MUG", "quantity": 1000}})
                assert stocked["setStock"]["userErrors"] == []
                yield shop


def outcomes(responses: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """(order numbers placed, error codes of the refused); any top-level error fails."""
    placed, refused = [], []
    for response in responses:
        assert not response.get("errors"), response["errors"]
        payload = response["data"]["placeOrder"]
        if payload["order"] is not None:
            assert payload["userErrors"] == [] and payload["order"]["discountTotal"] == {"amount": "1.00"}
            placed.append(payload["order"]["number"])
        else:
            refused.extend(e["code"] for e in payload["userErrors"])
    return placed, refused


async def test_fifty_concurrent_placements_redeem_a_ten_use_code_exactly_ten_times(shop: Shop):
    await shop.code(code="TENUSES", amount="1.00", usageLimit=LIMIT)
    responses = await asyncio.gather(*(shop.place("TENUSES", f"buyer{i}@example.com") for i in range(CLIENTS)))
    placed, refused = outcomes(list(responses))
    assert len(placed) == LIMIT
    assert refused == ["DISCOUNT_CODE_INVALID"] * (CLIENTS - LIMIT)
    assert await shop.scalar("SELECT times_used FROM discount_code WHERE code_key = ?", "tenuses") == LIMIT
    assert await shop.scalar("SELECT COUNT(*) FROM discount_redemption") == LIMIT
    assert await shop.scalar('SELECT COUNT(*) FROM "order"') == LIMIT
    # No rolled-back placement left its stock reserved.
    assert await shop.scalar("SELECT SUM(reserved) FROM stock") == LIMIT


async def test_one_email_placing_at_once_gets_a_once_per_customer_code_once(shop: Shop):
    await shop.code(code="WELCOME", amount="1.00", usageLimitPerCustomer=1)
    responses = await asyncio.gather(*(shop.place("WELCOME", "same@example.com") for _ in range(20)))
    placed, refused = outcomes(list(responses))
    assert len(placed) == 1
    assert refused == ["DISCOUNT_CODE_INVALID"] * 19
    assert await shop.scalar("SELECT COUNT(*) FROM discount_redemption WHERE released_at IS NULL") == 1
