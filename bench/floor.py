"""The raw floor for placeOrder: the least SQL a correct placement needs, in asyncpg.

NOT oms. This is the reference ``bench/peer.py`` divides oms's placeOrder/s by (issue 15,
"placeOrder ≥ 0.3x the raw floor"): what a placement would cost with no HTTP, no GraphQL,
no ORM and no plugins, on the same PostgreSQL, the same workload (2 lines of qty 1 and 2
from 20 products, a guest email, an address, a shipping method) and the same N clients.

Its own scratch database and three tables (stock, order, line). One placement, on a pooled
connection, in one transaction, is 6 round trips for 2 lines (4 + 1 per line)::

    BEGIN
    UPDATE floor_stock SET quantity = quantity - $qty WHERE sku = $sku AND quantity >= $qty
      RETURNING price                                   -- per line, in sku order: no oversell,
                                                        -- no deadlock between two carts
    INSERT INTO floor_order (...) VALUES (...) ON CONFLICT (idempotency_key) DO NOTHING
      RETURNING id                                      -- idempotency: a replayed key rolls
                                                        -- back and answers the first order
    INSERT INTO floor_line SELECT $order, * FROM unnest(...)   -- all lines, one statement
    COMMIT

The pool's reset on release is a no-op (as oms's pool, oms/dbclients.py), so it costs no
round trip. ``check`` verifies what the runs did: stock moved by exactly the units ordered,
and a replayed key gives the first order back without touching stock.
"""

from __future__ import annotations

import json
import random
from decimal import Decimal

import asyncpg

SCHEMA = """
CREATE TABLE floor_stock (sku text PRIMARY KEY, price numeric(12, 2) NOT NULL,
  quantity integer NOT NULL CHECK (quantity >= 0));
CREATE TABLE floor_order (id bigserial PRIMARY KEY, idempotency_key text NOT NULL UNIQUE,
  email text NOT NULL, shipping_address jsonb NOT NULL, shipping_method text NOT NULL,
  subtotal numeric(12, 2) NOT NULL, shipping_total numeric(12, 2) NOT NULL,
  total numeric(12, 2) NOT NULL, status text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE floor_line (order_id bigint NOT NULL REFERENCES floor_order (id), position integer NOT NULL,
  sku text NOT NULL, quantity integer NOT NULL, unit_price numeric(12, 2) NOT NULL,
  PRIMARY KEY (order_id, position));
"""
RESERVE = "UPDATE floor_stock SET quantity = quantity - $2 WHERE sku = $1 AND quantity >= $2 RETURNING price"
INSERT_ORDER = """INSERT INTO floor_order (idempotency_key, email, shipping_address, shipping_method,
  subtotal, shipping_total, total, status) VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, 'PENDING_PAYMENT')
  ON CONFLICT (idempotency_key) DO NOTHING RETURNING id"""
INSERT_LINES = """INSERT INTO floor_line (order_id, position, sku, quantity, unit_price)
  SELECT $1, l.position, l.sku, l.quantity, l.price
  FROM unnest($2::int[], $3::text[], $4::int[], $5::numeric[]) AS l(position, sku, quantity, price)"""
EXISTING = "SELECT id FROM floor_order WHERE idempotency_key = $1"
STOCK = 100_000_000
SHIPPING = Decimal("4.90")
ADDRESS = json.dumps({"name": "Ada Lovelace", "line1": "12 Analytical St", "city": "London",
                      "postal_code": "N1 9GU", "country": "GB"})


class OutOfStock(Exception):
    pass


class _Replayed(Exception):
    """The key was used before: roll back this attempt's reservations."""


async def _keep_session(conn: asyncpg.Connection) -> None:
    """No reset round trip on release (nothing session-level to undo)."""


async def create_schema(dsn: str, skus: list[str], prices: list[str]) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(SCHEMA)
        await conn.executemany("INSERT INTO floor_stock VALUES ($1, $2, $3)",
                               [(sku, Decimal(prices[i % len(prices)]), STOCK) for i, sku in enumerate(skus)])
    finally:
        await conn.close()


def create_pool(dsn: str, size: int) -> asyncpg.Pool:
    return asyncpg.create_pool(dsn, min_size=size, max_size=size, reset=_keep_session)


async def place(pool: asyncpg.Pool, key: str, email: str, lines: list[tuple[str, int]]) -> int:
    """Place ``lines`` (sku, quantity) once per ``key``; the order's id."""
    lines = sorted(lines)
    async with pool.acquire() as conn:
        try:
            async with conn.transaction():
                prices = []
                for sku, quantity in lines:
                    price = await conn.fetchval(RESERVE, sku, quantity)
                    if price is None:
                        raise OutOfStock(sku)
                    prices.append(price)
                subtotal = sum((p * q for p, (_, q) in zip(prices, lines, strict=True)), Decimal(0))
                order_id = await conn.fetchval(INSERT_ORDER, key, email, ADDRESS, "standard",
                                               subtotal, SHIPPING, subtotal + SHIPPING)
                if order_id is None:
                    raise _Replayed
                await conn.execute(INSERT_LINES, order_id, list(range(len(lines))), [s for s, _ in lines],
                                   [q for _, q in lines], prices)
                return order_id
        except _Replayed:
            return await conn.fetchval(EXISTING, key)


def cart(skus: list[str]) -> list[tuple[str, int]]:
    """The peer workload's cart: two different products, quantities 1 and 2."""
    first, second = random.sample(skus, 2)
    return [(first, 1), (second, 2)]


async def check(dsn: str) -> str:
    """What the runs did is consistent; raises otherwise. A one-line summary."""
    conn = await asyncpg.connect(dsn)
    try:
        moved = await conn.fetchval(f"SELECT coalesce(sum({STOCK} - quantity), 0) FROM floor_stock")
        ordered = await conn.fetchval("SELECT coalesce(sum(quantity), 0) FROM floor_line")
        orders = await conn.fetchval("SELECT count(*) FROM floor_order")
        if moved != ordered:
            raise RuntimeError(f"floor: stock moved by {moved} units, lines hold {ordered}")
    finally:
        await conn.close()
    async with create_pool(dsn, 1) as pool:
        skus = [sku for sku, in await pool.fetch("SELECT sku FROM floor_stock LIMIT 2")]
        lines = [(skus[0], 1), (skus[1], 2)]
        first = await place(pool, "floor-check", "check@example.com", lines)
        again = await place(pool, "floor-check", "check@example.com", lines)
        after = await pool.fetchval(f"SELECT sum({STOCK} - quantity) FROM floor_stock")
        if first != again or after != moved + 3:
            raise RuntimeError(f"floor: replay gave order {again} (first {first}), stock moved {after - moved}")
    return (f"floor checked: {orders} orders, stock moved by exactly the {ordered} units ordered;"
            " a replayed key returned its order")
