"""Benchmark live order updates across processes: push latency p50/p99 with 1,000 open
subscriptions (``Subscription.orderUpdated``) on PostgreSQL LISTEN/NOTIFY.

Two uvicorn servers (A and B, one process each, no job worker) on a fresh PostgreSQL
database. ``--subscriptions`` guest subscriptions (default 1,000) are opened on A over
``--connections`` websockets (default 50, so 20 each: the per-connection cap), spread
over ``--orders`` orders (default 100, 10 subscribers each). Then the orders are marked
paid through B one after another; for each, the time from sending ``markOrderPaid`` to B
until each of its subscribers on A has the push is one sample (so it includes B's
mutation, its commit, PostgreSQL's NOTIFY, A's re-read of the order and the websocket).
Printed: p50/p99/max of the pushes, and of the mutation alone for comparison.

    .venv/bin/python bench/live_updates.py [--database-url postgres://...]

See docs/performance.md ("Live updates").
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests.live_server when run as a script

import httpx  # noqa: E402
import websockets  # noqa: E402

from bench.common import CREATE_PRODUCT, LOGIN, MARK_PAID, gql, ok, percentile  # noqa: E402
from oms.testing import create_postgres_database, drop_postgres_database  # noqa: E402
from tests.live_server import STAFF_EMAIL, STAFF_PASSWORD, create_staff, live_server, migrate  # noqa: E402

PLACE = """mutation($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { id number } orderToken userErrors { code message } } }"""
SUBSCRIBE = "subscription($token: String) { orderUpdated(token: $token) { id status paymentStatus } }"


class Connection:
    """One websocket on A with its subscriptions; records when each push arrives."""

    def __init__(self, ws):
        self.ws = ws
        self.n = 0
        self.order_of: dict[str, str] = {}  # operation id -> order id
        self.arrivals: list[tuple[str, str, float, dict]] = []  # (order id, operation, time, payload)
        self.answered: set[str] = set()  # operations that had a push
        self.failed: list[tuple[str, str]] = []  # (operation, error code) ended by an error
        self.tokens: dict[str, str] = {}  # operation id -> order token
        self.reader: asyncio.Task | None = None

    async def subscribe(self, order_id: str, token: str) -> None:
        self.n += 1
        op = str(self.n)
        self.order_of[op] = order_id
        self.tokens[op] = token
        await self.ws.send(json.dumps({"id": op, "type": "subscribe",
                                       "payload": {"query": SUBSCRIBE, "variables": {"token": token}}}))

    async def read(self) -> None:
        async for raw in self.ws:
            message = json.loads(raw)
            kind, op = message.get("type"), message.get("id")
            errors = message.get("payload", {}).get("errors") if kind == "next" else message.get("payload")
            if kind == "next" and not errors:
                self.arrivals.append((self.order_of[op], op, time.perf_counter(), message["payload"]))
                self.answered.add(op)
            elif kind in ("next", "error"):  # e.g. SERVICE_UNAVAILABLE: the client subscribes again
                code = (errors or [{}])[0].get("extensions", {}).get("code", "?")
                self.failed.append((op, code))

    async def resubscribe_failed(self) -> list[str]:
        failed, self.failed = self.failed, []
        for op, _ in failed:
            await self.subscribe(self.order_of[op], self.tokens[op])
        return [code for _, code in failed]


async def open_connection(url: str) -> Connection:
    ws = await websockets.connect(url.replace("http", "ws", 1) + "/graphql", subprotocols=["graphql-transport-ws"],
                                  open_timeout=30, max_queue=None)
    await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
    ack = json.loads(await asyncio.wait_for(ws.recv(), 30))
    if ack["type"] != "connection_ack":
        raise RuntimeError(ack)
    connection = Connection(ws)
    connection.reader = asyncio.create_task(connection.read())
    return connection


async def notify(database_url: str, order_pks: list[int]) -> None:
    import asyncpg

    conn = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
    try:
        for pk in order_pks:
            await conn.execute("SELECT pg_notify('oms_order_updated', $1)", str(pk))
    finally:
        await conn.close()


async def run(args: argparse.Namespace) -> None:
    db = await create_postgres_database(args.database_url)
    try:
        await migrate(db)
        create_staff(db)
        env = {"OMS_RUN_WORKER": "false", "OMS_RATE_LIMITS": "false"}
        log_dir = os.environ.get("BENCH_LOG_DIR")
        async with live_server(db, env=env, log_dir=log_dir) as a, live_server(db, env=env, log_dir=log_dir) as b:
            async with httpx.AsyncClient(base_url=b.url, timeout=60) as http:
                staff = (await gql(http, LOGIN, {"e": STAFF_EMAIL, "p": STAFF_PASSWORD}))["login"]["token"]
                product = {"name": "Plan", "productType": "subscription",
                           "variants": [{"sku": "PLAN", "price": "9.00", "attributes": {"interval": "month"}}]}
                ok((await gql(http, CREATE_PRODUCT, {"input": product}, staff))["createProduct"], "createProduct")
                orders = []
                for n in range(args.orders):
                    placed = ok((await gql(http, PLACE, {"input": {
                        "lines": [{"sku": "PLAN", "quantity": 1}], "email": f"guest{n}@example.com",
                        "idempotencyKey": f"bench-live-{n}"}}))["placeOrder"], "placeOrder")
                    orders.append((placed["order"]["id"], placed["order"]["number"], placed["orderToken"]))
                from tests.live_server import sql_rows

                pk_of = dict(await sql_rows(db, 'SELECT number, id FROM "order"'))

                per_order = args.subscriptions // args.orders
                connections = [await open_connection(a.url) for _ in range(args.connections)]
                slots = [(order_id, token) for order_id, _, token in orders for _ in range(per_order)]
                for i, (order_id, token) in enumerate(slots):
                    await connections[i % len(connections)].subscribe(order_id, token)
                    if i % 100 == 99:
                        await asyncio.sleep(0.5)  # a storefront's visitors do not all arrive in one instant
                print(f"{len(slots)} subscriptions on A over {len(connections)} websockets, "
                      f"{per_order} per order, {len(orders)} orders")

                # Every subscription registered: NOTIFY (no change) until each has answered.
                deadline = time.monotonic() + 120
                retried: list[str] = []
                while sum(len(c.answered) for c in connections) < len(slots):
                    for c in connections:
                        retried += await c.resubscribe_failed()
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"only {sum(len(c.answered) for c in connections)} subscriptions answered")
                    await notify(db, [pk_of[number] for _, number, _ in orders])
                    await asyncio.sleep(1.0)
                await asyncio.sleep(2.0)  # the last of those pushes are in
                if retried:
                    print(f"{len(retried)} subscriptions refused at first and made again: {sorted(set(retried))}")
                for c in connections:
                    c.arrivals.clear()

                pushes: list[float] = []
                mutations: list[float] = []
                for order_id, number, _ in orders:
                    started = time.perf_counter()
                    ok((await gql(http, MARK_PAID, {"id": order_id}, staff))["markOrderPaid"], "markOrderPaid")
                    mutations.append(time.perf_counter() - started)
                    wait_until = time.monotonic() + 10
                    while True:
                        first: dict[tuple[int, str], float] = {}  # per subscription, its first PAID push
                        for c in connections:
                            for o, op, t, p in c.arrivals:
                                if o == order_id and p["data"]["orderUpdated"]["paymentStatus"] == "PAID":
                                    first.setdefault((id(c), op), t)
                        got = list(first.values())
                        if len(got) >= per_order or time.monotonic() > wait_until:
                            break
                        await asyncio.sleep(0.002)
                    if len(got) < per_order:
                        print(a.log()[-5000:])
                        raise RuntimeError(f"order {number}: {len(got)} of {per_order} pushes within 10 s")
                    pushes.extend(t - started for t in got)
                    await asyncio.sleep(args.gap)

                for c in connections:
                    if c.reader is not None:
                        c.reader.cancel()
                    await c.ws.close()
                print(f"\npush latency across processes, {len(pushes)} pushes, {len(slots)} open subscriptions:")
                print(f"  push (B's mutation sent -> A's subscriber has it): p50 {percentile(pushes, 50):.1f} ms  "
                      f"p99 {percentile(pushes, 99):.1f} ms  max {max(pushes) * 1000:.1f} ms")
                print(f"  markOrderPaid on B alone:                           p50 {percentile(mutations, 50):.1f} ms  "
                      f"p99 {percentile(mutations, 99):.1f} ms")
    finally:
        await drop_postgres_database(args.database_url, db)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("OMS_TEST_DATABASE_URL")
                        or "postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--subscriptions", type=int, default=1000)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--orders", type=int, default=100)
    parser.add_argument("--gap", type=float, default=0.02, help="seconds between two changes")
    args = parser.parse_args()
    if args.subscriptions > args.connections * 20:
        parser.error("at most 20 subscriptions per connection (OMS_LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION)")
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
