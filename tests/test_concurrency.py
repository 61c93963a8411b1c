"""Placing orders under real concurrency: a uvicorn server process, many HTTP clients at once.

The in-process test client runs one request at a time; these tests start the real server
(``uvicorn --factory oms.app:create_app``, see ``tests/live_server.py``) on a fresh,
migrated database and fire requests with ``asyncio.gather``. On PostgreSQL
(``OMS_TEST_DATABASE_URL``) the server runs two worker processes, so requests race in
separate processes and connections; on SQLite it is one process (writes are serialized
there, and the results must be just as exact).

What must hold whatever the interleaving:
- stock is never oversold: with 50 units, exactly 50 of 200 one-unit orders succeed, the
  rest get the OUT_OF_STOCK user error, and ``reserved`` ends at exactly 50, never above
  on hand at any moment;
- an idempotency key makes one order, however many requests carry it at once;
- concurrent multi-line orders never fail on a database-level conflict (e.g. a deadlock
  between two carts that hold the same variants in another order).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from oms.accounts.permissions import ANONYMOUS
from oms.orders.services import scoped_idempotency_key
from oms import testing
from oms.testing import GraphQLClient
from tests.conftest import ADDRESS
from tests.live_server import (
    STAFF_EMAIL,
    STAFF_PASSWORD,
    LiveServer,
    create_staff,
    fresh_database,
    live_server,
    migrate,
    sql_rows,
)

STOCK = 50
CLIENTS = 200
SAME_KEY_CLIENTS = 20

LOGIN = """
mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) { token userErrors { code message } }
}
"""
CREATE_PRODUCT = """
mutation Create($input: CreateProductInput!) {
  createProduct(input: $input) { product { id } userErrors { field code message } }
}
"""
SET_STOCK = """
mutation SetStock($input: SetStockInput!) {
  setStock(input: $input) { variant { sku quantityAvailable } userErrors { field code message } }
}
"""
PLACE_ORDER = """
mutation Place($input: PlaceOrderInput!) {
  placeOrder(input: $input) {
    order { id number lines { sku quantity } }
    orderToken
    userErrors { field code message }
  }
}
"""
AVAILABLE = """
query Available($slug: String!) { product(slug: $slug) { variants { sku quantityAvailable } } }
"""


class Shop:
    """A staff session on the live server, and a guest client able to fire many requests."""

    def __init__(self, server: LiveServer, http: httpx.AsyncClient, staff_token: str):
        self.server = server
        self.http = http
        self.guest = GraphQLClient(http)
        self.staff = GraphQLClient(http).as_(staff_token)

    async def physical_product(self, sku: str, stock: int) -> None:
        """A physical product with one variant ``sku`` and ``stock`` units, via the API."""
        data = await self.staff.query(
            CREATE_PRODUCT,
            {"input": {
                "name": f"Product {sku}", "slug": sku.lower(), "productType": "physical",
                "variants": [{"sku": sku, "price": "12.50", "attributes": {"weight_grams": 300}}],
            }},
        )
        assert data["createProduct"]["userErrors"] == []
        data = await self.staff.query(SET_STOCK, {"input": {"sku": sku, "quantity": stock}})
        assert data["setStock"]["userErrors"] == []
        assert data["setStock"]["variant"]["quantityAvailable"] == stock

    async def available(self, sku: str) -> int:
        data = await self.guest.query(AVAILABLE, {"slug": sku.lower()})
        return data["product"]["variants"][0]["quantityAvailable"]

    async def place(self, lines: list[tuple[str, int]], key: str, email: str) -> dict[str, Any]:
        """The whole placeOrder response (``data`` and any top-level ``errors``)."""
        return await self.guest.execute(
            PLACE_ORDER,
            {"input": {
                "lines": [{"sku": sku, "quantity": quantity} for sku, quantity in lines],
                "email": email,
                "shippingAddress": ADDRESS,
                "shippingMethod": "standard",
                "idempotencyKey": key,
            }},
        )

    async def stock(self, sku: str) -> tuple[int, int]:
        """(on hand, reserved) of ``sku`` as stored, summed over warehouses."""
        rows = await sql_rows(
            self.server.database_url,
            "SELECT COALESCE(SUM(s.quantity), 0), COALESCE(SUM(s.reserved), 0) FROM stock s"
            " JOIN variant v ON v.id = s.variant_id WHERE v.sku = ?",
            sku,
        )
        return int(rows[0][0]), int(rows[0][1])

    async def jobs_by_order(self) -> collections.Counter:
        """Outbox jobs per order id (from each job's payload)."""
        rows = await sql_rows(self.server.database_url, "SELECT payload FROM job")
        payloads = [json.loads(p) if isinstance(p, str) else p for (p,) in rows]
        return collections.Counter(payload.get("order_id") for payload in payloads)

    async def order_ids(self) -> set[int]:
        return {row[0] for row in await sql_rows(self.server.database_url, 'SELECT id FROM "order"')}

    async def count(self, table: str, where: str = "", *params: object) -> int:
        rows = await sql_rows(
            self.server.database_url, f'SELECT COUNT(*) FROM "{table}" {where}', *params
        )
        return int(rows[0][0])


@pytest.fixture
async def shop(tmp_path) -> AsyncIterator[Shop]:
    # Two worker processes on PostgreSQL: requests race across processes and connections.
    workers = 2 if testing.test_database_url() else 1
    async with fresh_database(tmp_path) as url:
        await migrate(url)
        await asyncio.to_thread(create_staff, url)
        # No background job worker: the rows these tests count are exactly what placing wrote.
        env = {"OMS_RUN_WORKER": "false"}
        async with live_server(url, workers=workers, env=env, log_dir=tmp_path) as server:
            limits = httpx.Limits(max_connections=CLIENTS + 50, max_keepalive_connections=CLIENTS + 50)
            async with httpx.AsyncClient(
                base_url=server.url, limits=limits, timeout=httpx.Timeout(90.0)
            ) as http:
                login = await GraphQLClient(http).query(
                    LOGIN, {"email": STAFF_EMAIL, "password": STAFF_PASSWORD}
                )
                assert login["login"]["userErrors"] == []
                yield Shop(server, http, login["login"]["token"])


async def _all(coroutines) -> list[Any]:
    """Run at once; fail with the first exception only after every request has finished."""
    results = await asyncio.gather(*coroutines, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results


@contextlib.asynccontextmanager
async def watching_stock(shop: Shop, sku: str) -> AsyncIterator[list[tuple[int, int]]]:
    """Sample (on hand, reserved) from the database until the block ends."""
    samples: list[tuple[int, int]] = []
    done = asyncio.Event()

    async def watch() -> None:
        while not done.is_set():
            samples.append(await shop.stock(sku))
            await asyncio.sleep(0.02)

    task = asyncio.create_task(watch())
    try:
        yield samples
    finally:
        done.set()
        await task


async def _assert_outbox_matches_orders(shop: Shop) -> None:
    """Every order has its jobs, the same number each, and no job outlived a rolled-back
    placement."""
    jobs = await shop.jobs_by_order()
    assert set(jobs) == await shop.order_ids()
    assert len(set(jobs.values())) == 1, jobs


def _codes(body: dict[str, Any]) -> list[str]:
    return [error["code"] for error in body["data"]["placeOrder"]["userErrors"]]


async def test_200_concurrent_orders_for_50_units_sell_exactly_50(shop: Shop):
    await shop.physical_product("LAST-50", STOCK)

    async with watching_stock(shop, "LAST-50") as samples:
        responses = await _all(
            shop.place([("LAST-50", 1)], f"storm-{i}-{uuid.uuid4().hex}", f"buyer{i}@example.com")
            for i in range(CLIENTS)
        )

    failed = [r for r in responses if r.get("errors")]
    assert not failed, f"{len(failed)} top-level errors; server log:\n{shop.server.exceptions()}"
    placed = [r["data"]["placeOrder"] for r in responses if r["data"]["placeOrder"]["order"]]
    refused = [r for r in responses if not r["data"]["placeOrder"]["order"]]
    assert len(placed) == STOCK
    assert all(p["userErrors"] == [] and p["orderToken"] for p in placed)
    assert collections.Counter(code for r in refused for code in _codes(r)) == {
        "OUT_OF_STOCK": CLIENTS - STOCK
    }
    assert len({p["order"]["id"] for p in placed}) == STOCK
    assert len({p["order"]["number"] for p in placed}) == STOCK

    # What is stored: every unit reserved once, no order without its lines, event and job.
    assert await shop.stock("LAST-50") == (STOCK, STOCK)
    assert await shop.available("LAST-50") == 0
    assert await shop.count("order") == STOCK
    assert await shop.count("order_line") == STOCK
    assert await shop.count("order_event", "WHERE type = ?", "order.placed") == STOCK
    await _assert_outbox_matches_orders(shop)
    # And at no moment in between was more reserved than on hand.
    assert samples, "the stock was never sampled"
    assert all(0 <= reserved <= quantity == STOCK for quantity, reserved in samples), samples


async def test_20_concurrent_requests_with_one_idempotency_key_make_one_order(shop: Shop):
    await shop.physical_product("ONCE", STOCK)

    responses = await _all(
        shop.place([("ONCE", 2)], "same-key-for-all", "once@example.com")
        for _ in range(SAME_KEY_CLIENTS)
    )

    failed = [r for r in responses if r.get("errors")]
    assert not failed, f"{len(failed)} top-level errors; server log:\n{shop.server.exceptions()}"
    # One request places the order and gets its token; the others are guest replays,
    # answered ORDER_ALREADY_PLACED without the order (its link goes by email).
    codes = sorted(tuple(_codes(r)) for r in responses)
    assert codes == [()] + [("ORDER_ALREADY_PLACED",)] * (SAME_KEY_CLIENTS - 1)
    placed = [r["data"]["placeOrder"] for r in responses if not _codes(r)]
    assert placed[0]["order"]["id"] and placed[0]["orderToken"]
    assert all(
        r["data"]["placeOrder"]["orderToken"] is None and r["data"]["placeOrder"]["order"] is None
        for r in responses if _codes(r)
    )
    assert await shop.count("order") == 1
    stored_key = scoped_idempotency_key("same-key-for-all", ANONYMOUS, "once@example.com")
    assert await shop.count("order", "WHERE idempotency_key = ?", stored_key) == 1
    assert await shop.count("order_line") == 1
    assert await shop.count("order_event", "WHERE type = ?", "order.placed") == 1
    # However many replays raced, one link mail was queued for the buyer.
    assert await shop.count("order_event", "WHERE type = ?", "order.link_requested") == 1
    assert await shop.count("job", "WHERE kind = ?", "order.send_link") == 1
    await _assert_outbox_matches_orders(shop)
    # The requests that lost the race reserved nothing that stayed reserved.
    assert await shop.stock("ONCE") == (STOCK, 2)
    assert await shop.available("ONCE") == STOCK - 2


async def _crossed_carts(shop: Shop, a: str, b: str, carts: int) -> list[Any]:
    """``carts`` carts at once of one unit of ``a`` and of ``b``, every other one in the
    opposite order, each with its own key and email."""
    return await _all(
        shop.place(
            [(a, 1), (b, 1)] if i % 2 else [(b, 1), (a, 1)], f"{a}-{i}-{uuid.uuid4().hex}", f"{a.lower()}{i}@example.com"
        )
        for i in range(carts)
    )


async def test_concurrent_carts_with_the_same_variants_in_opposite_order_all_succeed(shop: Shop):
    # Two carts holding A and B in opposite order lock the two stock rows in opposite
    # order; the reservation must not deadlock (or must recover) rather than fail the order.
    await shop.physical_product("PAIR-A", 1000)
    await shop.physical_product("PAIR-B", 1000)
    orders = 60

    responses = await _crossed_carts(shop, "PAIR-A", "PAIR-B", orders)

    failures = [r for r in responses if r.get("errors") or _codes(r)]
    assert not failures, (
        f"{len(failures)} of {orders} orders failed, e.g. {failures[0]}; server log:\n"
        f"{shop.server.exceptions()}"
    )
    assert await shop.count("order") == orders
    assert await shop.stock("PAIR-A") == (1000, orders)
    assert await shop.stock("PAIR-B") == (1000, orders)


async def test_concurrent_two_line_carts_sell_exactly_the_scarcer_stock(shop: Shop):
    # Multi-line carts reserve all their lines in one statement on PostgreSQL: the scarcer
    # variant decides, no unit of either is oversold, and a refused cart keeps nothing.
    await shop.physical_product("DUO-A", 30)
    await shop.physical_product("DUO-B", 20)
    carts = 60

    responses = await _crossed_carts(shop, "DUO-A", "DUO-B", carts)

    failed = [r for r in responses if r.get("errors")]
    assert not failed, f"{len(failed)} top-level errors; server log:\n{shop.server.exceptions()}"
    placed = [r for r in responses if r["data"]["placeOrder"]["order"]]
    refused = [r for r in responses if not r["data"]["placeOrder"]["order"]]
    assert len(placed) == 20
    assert collections.Counter(code for r in refused for code in _codes(r)) == {"OUT_OF_STOCK": carts - 20}
    assert await shop.stock("DUO-A") == (30, 20)
    assert await shop.stock("DUO-B") == (20, 20)
    assert await shop.count("order_line") == 40
    await _assert_outbox_matches_orders(shop)
