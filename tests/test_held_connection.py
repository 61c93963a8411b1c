"""oms.dbclients.HeldConnection: one pooled connection for a task's statements and its
transaction (placement's reads and write), the others' statements on their own."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from tortoise.connection import get_connection
from tortoise.transactions import in_transaction

from oms import sql
from oms.dbclients import HeldConnection, PostgresClient
from oms.testing import make_product
from tests.conftest import ADDRESS


class CountingPool:
    """The client's pool, counting acquires and releases (Tortoise's and asyncpg's calls)."""

    def __init__(self, pool: Any):
        self.pool = pool
        self.acquired = 0
        self.released = 0

    def acquire(self, **kwargs: Any) -> Any:
        self.acquired += 1
        return self.pool.acquire(**kwargs)

    async def release(self, connection: Any, **kwargs: Any) -> Any:
        self.released += 1
        return await self.pool.release(connection, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.pool, name)


async def pid() -> int:
    return (await sql.fetch("SELECT pg_backend_pid() AS pid"))[0]["pid"]


@pytest.fixture
async def pool(oms_app, monkeypatch):
    client = get_connection("default")
    if not isinstance(client, PostgresClient):
        pytest.skip("PostgreSQL only: SQLite has one connection")
    await sql.fetch("SELECT 1")  # the pool exists
    counting = CountingPool(client._pool)
    monkeypatch.setattr(client, "_pool", counting)
    return counting


async def test_statements_and_a_transaction_share_the_held_connection(pool):
    async with HeldConnection():
        first = await pid()
        assert await pid() == first
        async with in_transaction():
            assert await pid() == first
            await sql.fetch("CREATE TEMPORARY TABLE held_probe (n int) ON COMMIT DROP")
        assert await pid() == first
        assert (pool.acquired, pool.released) == (1, 0)
    assert (pool.acquired, pool.released) == (1, 1)
    # Without a hold each statement and the transaction take and give back their own.
    await pid()
    async with in_transaction():
        await pid()
    assert (pool.acquired, pool.released) == (3, 3)


async def test_a_failed_transaction_rolls_back_and_the_connection_goes_on(pool):
    await sql.fetch("CREATE TABLE held_rollback (n int)")
    with pytest.raises(RuntimeError):
        async with HeldConnection():
            with pytest.raises(LookupError):
                async with in_transaction():
                    await sql.fetch("INSERT INTO held_rollback VALUES (1)")
                    raise LookupError("in the transaction")
            assert (await sql.fetch("SELECT count(*) AS n FROM held_rollback"))[0]["n"] == 0
            async with in_transaction():
                await sql.fetch("INSERT INTO held_rollback VALUES (2)")
            raise RuntimeError("after the commit")
    assert [r["n"] for r in await sql.fetch("SELECT n FROM held_rollback")] == [2]
    assert (pool.acquired, pool.released) == (3, 3)  # the hold's pair, then the two statements'


async def test_other_tasks_take_their_own_connections(pool):
    async with HeldConnection():
        mine = await pid()
        theirs = await asyncio.gather(pid(), pid())
        assert mine not in theirs and theirs[0] != theirs[1]
        async with HeldConnection():  # nested: the outer one's connection
            assert await pid() == mine
    assert pool.acquired == pool.released == 3


async def test_sqlite_holds_nothing(oms_app):
    if isinstance(get_connection("default"), PostgresClient):
        pytest.skip("SQLite only")
    async with HeldConnection():
        assert (await sql.fetch("SELECT 1 AS one"))[0]["one"] == 1
        async with in_transaction():
            assert (await sql.fetch("SELECT 2 AS two"))[0]["two"] == 2


PLACE = """
mutation Place($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { number } userErrors { field code message } }
}
"""


async def test_a_placement_takes_one_pooled_connection(oms_app, oms_graphql, pool):
    for sku in ("MUG", "CUP"):
        await make_product(oms_app, product_type="physical", sku=sku, attributes={"weight_grams": 300}, stock=5)
    variables = {"input": {
        "lines": [{"sku": "MUG", "quantity": 2}, {"sku": "CUP", "quantity": 1}], "email": "ada@example.com",
        "shippingAddress": ADDRESS, "shippingMethod": "standard", "idempotencyKey": uuid.uuid4().hex,
    }}  # fmt: skip
    before = pool.acquired
    payload = (await oms_graphql.query(PLACE, variables))["placeOrder"]
    assert payload["userErrors"] == [] and payload["order"]["number"]
    # The key and the id, the variants, the zones and rates, and the transaction: one
    # connection (they took four); the same key again answers on one connection too.
    assert pool.acquired - before == 1 and pool.released == pool.acquired
    again = (await oms_graphql.query(PLACE, variables))["placeOrder"]
    assert again["userErrors"][0]["code"] == "ORDER_ALREADY_PLACED"
    assert pool.acquired - before == 2 and pool.released == pool.acquired
