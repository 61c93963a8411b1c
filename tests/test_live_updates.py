"""Subscription.orderUpdated: live order updates over graphql-transport-ws.

In-process (the app's own event loop, a real websocket through httpx-ws) on SQLite, and
on PostgreSQL with OMS_TEST_DATABASE_URL (then the LISTEN/NOTIFY broker carries them);
Redis pub/sub when a ``redis-server`` is installed; and across processes on PostgreSQL:
two uvicorn servers and an ``oms worker`` (skipped on SQLite).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import shutil
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from httpx_ws import aconnect_ws
from httpx_ws.transport import ASGIWebSocketTransport
from tortoise.transactions import in_transaction

from oms import testing
from oms.live.hub import LiveHub
from oms.oncommit import on_commit
from oms.orders.models import Order
from oms.payments.services import mark_order_paid
from oms.testing import make_product, place_paid_order, run_jobs

ROOT = Path(__file__).resolve().parents[1]

ORDER_UPDATED = """subscription($id: ID, $token: String) {
  orderUpdated(id: $id, token: $token) { id number status paymentStatus }
}"""
LOGOUT = "mutation { logout { ok userErrors { code } } }"
LOGIN = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token userErrors { code } } }"


# -- the pieces ---------------------------------------------------------------------------------


async def test_changes_coalesce_in_a_subscribers_mailbox():
    hub = LiveHub()
    with hub.subscribe(7) as slow, hub.subscribe(7) as other, hub.subscribe(8) as elsewhere:
        for _ in range(1000):  # never waits, whatever the subscribers do
            assert hub.dispatch(7) == 2
        assert await slow.next_change(timeout=1) is True
        assert await slow.next_change(timeout=0.05) is False  # 1000 changes, one wake-up
        assert await other.next_change(timeout=1) is True
        assert await elsewhere.next_change(timeout=0.05) is False
        hub.dispatch_all()
        assert await elsewhere.next_change(timeout=1) is True
    assert hub.count() == 0 and hub.dispatch(7) == 0


async def test_subscribers_woken_by_one_change_share_one_read():
    hub = LiveHub()
    loads = []

    async def load():
        loads.append(len(loads) + 1)
        await asyncio.sleep(0.05)
        return f"state {len(loads)}"

    with hub.subscribe(7), hub.subscribe(7):
        hub.dispatch(7)
        assert await asyncio.gather(*(hub.read(7, load) for _ in range(50))) == ["state 1"] * 50
        assert await hub.read(7, load) == "state 1"  # no change since: the same read
        first = asyncio.ensure_future(hub.read(7, load))
        await asyncio.sleep(0.01)
        hub.dispatch(7)  # a change while a read is under way: later callers read again
        assert await hub.read(7, load) == "state 2"
        assert await first == "state 1"
    assert loads == [1, 2]


async def test_on_commit_runs_after_commit_and_never_after_a_rollback(oms_app):
    calls: list[str] = []
    async with in_transaction():
        on_commit(lambda: calls.append("committed"))
        async with in_transaction():  # a savepoint hands its callbacks to the transaction
            on_commit(lambda: calls.append("nested"))
        assert calls == []
    assert calls == ["committed", "nested"]

    with pytest.raises(RuntimeError):
        async with in_transaction():
            on_commit(lambda: calls.append("rolled back"))
            raise RuntimeError("undo")
    on_commit(lambda: calls.append("no transaction"))  # autocommit: at once
    assert calls == ["committed", "nested", "no transaction"]

    # A savepoint rolled back drops its callbacks (a deeper one's with it); the rest run.
    async with in_transaction():
        on_commit(lambda: calls.append("outer"))
        with pytest.raises(RuntimeError):
            async with in_transaction():
                on_commit(lambda: calls.append("undone savepoint"))
                async with in_transaction():
                    on_commit(lambda: calls.append("inside the undone savepoint"))
                raise RuntimeError("undo the savepoint")
        async with in_transaction():
            on_commit(lambda: calls.append("kept savepoint"))
    assert calls[3:] == ["outer", "kept savepoint"]


# -- in-process, through a real websocket -------------------------------------------------------


@dataclasses.dataclass
class Socket:
    ws: object
    n: int = 0

    async def subscribe(self, variables: dict) -> str:
        self.n += 1
        await self.ws.send_json(
            {"id": str(self.n), "type": "subscribe", "payload": {"query": ORDER_UPDATED, "variables": variables}}
        )
        return str(self.n)

    async def receive(self, timeout: float = 10) -> dict:
        return await asyncio.wait_for(self.ws.receive_json(), timeout)

    async def nothing_within(self, seconds: float) -> bool:
        try:
            message = await asyncio.wait_for(self.ws.receive_json(), seconds)
        except TimeoutError:
            return True
        raise AssertionError(f"unexpected message {message}")

    async def error_codes(self, operation: str) -> list[str]:
        """The codes of the errors that end ``operation`` (then ``complete``)."""
        message = await self.receive()
        assert message["id"] == operation, message
        if message["type"] == "error":
            return [e.get("extensions", {}).get("code") for e in message["payload"]]
        assert message["type"] == "next" and message["payload"].get("errors"), message
        assert await self.receive() == {"id": operation, "type": "complete"}
        return [e["extensions"]["code"] for e in message["payload"]["errors"]]


@contextlib.asynccontextmanager
async def socket(oms_app, token: str | None = None) -> AsyncIterator[Socket]:
    async with ASGIWebSocketTransport(app=oms_app) as transport:
        async with httpx.AsyncClient(transport=transport, base_url="http://oms.test") as client:
            async with aconnect_ws("/graphql", client, subprotocols=["graphql-transport-ws"]) as ws:
                payload = {"Authorization": f"Bearer {token}"} if token else {}
                await ws.send_json({"type": "connection_init", "payload": payload})
                assert (await asyncio.wait_for(ws.receive_json(), 10))["type"] == "connection_ack"
                yield Socket(ws)


async def until_subscribed(oms_app, order_id: int, count: int = 1) -> None:
    hub = oms_app.state.live_hub
    deadline = time.monotonic() + 10
    while hub.count(order_id) < count:
        assert time.monotonic() < deadline, f"{hub.count(order_id)} of {count} subscriptions registered"
        await asyncio.sleep(0.01)


@pytest.fixture
async def plan(oms_app):
    await make_product(oms_app, product_type="subscription", sku="PLAN", price="9.00",
                       attributes={"interval": "month"})


async def place(oms_app, graphql) -> tuple[Order, str]:
    placed = await place_paid_order(oms_app, graphql, [("PLAN", 1)], pay=False)
    return await Order.get(number=placed["order"]["number"]), placed["orderToken"]


def global_id(order: Order) -> str:
    from oms.graphql.common import to_global_id

    return to_global_id("Order", order.id)


async def test_a_customer_follows_their_order_to_completion(oms_app, oms_graphql, oms_accounts, plan):
    order, _ = await place(oms_app, oms_graphql.as_(oms_accounts.customer))
    async with socket(oms_app, oms_accounts.customer) as ws:
        op = await ws.subscribe({"id": global_id(order)})
        await until_subscribed(oms_app, order.id)
        assert await ws.nothing_within(0.3)  # nothing is pushed until it changes

        await mark_order_paid(order, reference=None, actor="staff@example.com")
        paid = await ws.receive()
        assert paid["id"] == op and paid["type"] == "next", paid
        assert paid["payload"]["data"]["orderUpdated"]["paymentStatus"] == "PAID"

        await run_jobs(oms_app)  # the subscription is activated: the order completes
        seen = []
        while not seen or seen[-1] != "COMPLETED":
            seen.append((await ws.receive())["payload"]["data"]["orderUpdated"]["status"])
        assert seen[-1] == "COMPLETED"


async def test_a_guest_follows_with_the_token_and_not_with_another_orders(oms_app, oms_graphql, plan):
    order, token = await place(oms_app, oms_graphql)
    other, other_token = await place(oms_app, oms_graphql)
    async with socket(oms_app) as ws:
        assert await ws.error_codes(await ws.subscribe({"id": global_id(order), "token": other_token})) == [
            "NOT_FOUND"
        ]
        assert await ws.error_codes(await ws.subscribe({"id": global_id(order)})) == ["NOT_FOUND"]
        assert await ws.error_codes(await ws.subscribe({})) == ["REQUIRED"]

        op = await ws.subscribe({"token": token})
        await until_subscribed(oms_app, order.id)
        await mark_order_paid(other, reference=None, actor="staff@example.com")
        await mark_order_paid(order, reference=None, actor="staff@example.com")
        pushed = await ws.receive()
        assert pushed["id"] == op
        assert pushed["payload"]["data"]["orderUpdated"]["number"] == order.number  # not the other's
        assert await ws.nothing_within(0.3)


async def test_customers_follow_only_their_own_orders_and_staff_any(oms_app, oms_graphql, oms_accounts, plan):
    order, _ = await place(oms_app, oms_graphql.as_(oms_accounts.customer))
    async with socket(oms_app, oms_accounts.other_customer) as ws:
        assert await ws.error_codes(await ws.subscribe({"id": global_id(order)})) == ["NOT_FOUND"]
    async with socket(oms_app, oms_accounts.staff) as ws:
        op = await ws.subscribe({"id": global_id(order)})
        await until_subscribed(oms_app, order.id)
        await mark_order_paid(order, reference=None, actor="staff@example.com")
        assert (await ws.receive())["id"] == op


async def test_logout_stops_the_subscription_at_the_next_change(oms_app, oms_graphql, plan):
    login = (await oms_graphql.query(LOGIN, {"e": "carol@example.com", "p": "x"}))["login"]
    assert login["userErrors"]  # no such account yet
    from oms.accounts.services import register_customer

    await register_customer(email="carol@example.com", password="carol-pass-1")
    token = (await oms_graphql.query(LOGIN, {"e": "carol@example.com", "p": "carol-pass-1"}))["login"]["token"]
    order, _ = await place(oms_app, oms_graphql.as_(token))
    async with socket(oms_app, token) as ws:
        op = await ws.subscribe({"id": global_id(order)})
        await until_subscribed(oms_app, order.id)
        await oms_graphql.as_(token).query(LOGOUT)  # over HTTP, elsewhere

        await mark_order_paid(order, reference=None, actor="staff@example.com")
        assert await ws.error_codes(op) == ["UNAUTHENTICATED"]
        await until_subscribed(oms_app, order.id, count=0)


async def test_a_connection_holds_a_limited_number_of_subscriptions(oms_app, oms_graphql, plan):
    order, token = await place(oms_app, oms_graphql)
    limit = oms_app.state.settings.live_max_subscriptions_per_connection
    async with socket(oms_app) as ws:
        for _ in range(limit):
            await ws.subscribe({"token": token})
        await until_subscribed(oms_app, order.id, count=limit)
        over = await ws.subscribe({"token": token})
        message = await ws.receive()
        assert message["id"] == over and message["payload"]["errors"][0]["extensions"]["code"] == "INVALID"
        assert f"At most {limit} live subscriptions per connection" in message["payload"]["errors"][0]["message"]
        await ws.ws.send_json({"id": "1", "type": "complete"})  # closing one makes room
        await until_subscribed(oms_app, order.id, count=limit - 1)
        await ws.subscribe({"token": token})
        await until_subscribed(oms_app, order.id, count=limit)
    async with socket(oms_app) as other:  # the cap is per connection
        await other.subscribe({"token": token})
        await until_subscribed(oms_app, order.id, count=1)


async def test_a_rolled_back_change_pushes_nothing(oms_app, oms_graphql, plan):
    from oms.orders.events import record_event

    order, token = await place(oms_app, oms_graphql)
    async with socket(oms_app) as ws:
        await ws.subscribe({"token": token})
        await until_subscribed(oms_app, order.id)
        with pytest.raises(RuntimeError):
            async with in_transaction():
                await record_event(order, "order.note", "never", actor="test")
                raise RuntimeError("undo")
        assert await ws.nothing_within(0.5)


# -- Redis pub/sub ------------------------------------------------------------------------------


@pytest.fixture
def redis_url(tmp_path):
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("no redis-server installed")
    from tests.live_server import free_port

    port = free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        import redis

        client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=1)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)
        client.close()
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture
def oms_settings(request, oms_database_url, tmp_path):
    from oms.config import Settings

    settings = Settings(
        database_url=oms_database_url, secret_key="test-secret-" + "x" * 32, media_root=str(tmp_path / "media"),
        mail_dir=str(tmp_path / "maildir"), seed_demo=False, run_worker=False,
    )
    if "redis_url" in request.fixturenames:
        settings = dataclasses.replace(settings, redis_url=request.getfixturevalue("redis_url"))
    return settings


async def test_redis_carries_changes_after_commit(redis_url, oms_app, oms_graphql, plan):
    from oms.live.publish import current_broker

    assert current_broker().name == "redis"
    order, token = await place(oms_app, oms_graphql)
    async with socket(oms_app) as ws:
        op = await ws.subscribe({"token": token})
        await until_subscribed(oms_app, order.id)
        await mark_order_paid(order, reference=None, actor="staff@example.com")
        pushed = await ws.receive()
        assert pushed["id"] == op and pushed["payload"]["data"]["orderUpdated"]["paymentStatus"] == "PAID"
    await oms_app.state.rate_limiter.aclose()  # the token lookups' counters are in Redis too


# -- across processes (PostgreSQL) --------------------------------------------------------------

on_postgres_only = pytest.mark.skipif(
    testing.test_database_url() is None, reason="live updates across processes need PostgreSQL"
)

PLACE = """mutation($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { id number } orderToken userErrors { code message } } }"""
CREATE_PRODUCT = """mutation($input: CreateProductInput!) { createProduct(input: $input) { userErrors { code } } }"""
MARK_PAID = "mutation($id: ID!) { markOrderPaid(id: $id) { userErrors { code message } } }"


async def gql(url: str, query: str, variables: dict | None = None, token: str | None = None) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        response = await http.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)
    body = response.json()
    assert response.status_code == 200 and not body.get("errors"), body
    return body["data"]


class RemoteSocket:
    """graphql-transport-ws on a live server, with the ``websockets`` library."""

    def __init__(self, ws):
        self.ws = ws
        self.n = 0

    async def subscribe(self, variables: dict) -> str:
        self.n += 1
        await self.ws.send(json.dumps(
            {"id": str(self.n), "type": "subscribe", "payload": {"query": ORDER_UPDATED, "variables": variables}}
        ))
        return str(self.n)

    async def receive(self, timeout: float = 10) -> dict:
        return json.loads(await asyncio.wait_for(self.ws.recv(), timeout))


@contextlib.asynccontextmanager
async def remote_socket(url: str, token: str | None = None) -> AsyncIterator[RemoteSocket]:
    import websockets

    async with websockets.connect(url.replace("http", "ws", 1) + "/graphql", subprotocols=["graphql-transport-ws"],
                                  open_timeout=10) as ws:
        await ws.send(json.dumps({"type": "connection_init",
                                  "payload": {"Authorization": f"Bearer {token}"} if token else {}}))
        assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "connection_ack"
        yield RemoteSocket(ws)


async def notify(database_url: str, order_id: int) -> None:
    """What a committed change sends: lets a test see that a subscription is registered."""
    import asyncpg

    conn = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
    try:
        await conn.execute("SELECT pg_notify('oms_order_updated', $1)", str(order_id))
    finally:
        await conn.close()


async def until_listening(socket: RemoteSocket, database_url: str, order_id: int, op: str) -> None:
    """NOTIFY until the subscription answers (its order re-read, unchanged)."""
    deadline = time.monotonic() + 30
    while True:
        await notify(database_url, order_id)
        try:
            message = await socket.receive(timeout=0.5)
        except TimeoutError:
            assert time.monotonic() < deadline, "the subscription never answered"
            continue
        assert message["id"] == op and message["type"] == "next", message
        return


@on_postgres_only
async def test_changes_reach_subscribers_on_other_processes_within_a_second(tmp_path):
    from tests.live_server import STAFF_EMAIL, STAFF_PASSWORD, create_staff, fresh_database, live_server, migrate
    from tests.test_worker_processes import worker_env

    async with fresh_database(tmp_path) as db:
        await migrate(db)
        create_staff(db)
        env = {"OMS_RUN_WORKER": "false"}
        async with live_server(db, env=env, log_dir=tmp_path) as a, live_server(db, env=env, log_dir=tmp_path) as b:
            staff = (await gql(b.url, LOGIN, {"e": STAFF_EMAIL, "p": STAFF_PASSWORD}))["login"]["token"]
            product = {"name": "Plan", "productType": "subscription",
                       "variants": [{"sku": "PLAN", "price": "9.00", "attributes": {"interval": "month"}}]}
            assert (await gql(b.url, CREATE_PRODUCT, {"input": product}, staff))["createProduct"]["userErrors"] == []

            async def place_remote() -> tuple[dict, str]:
                data = (await gql(b.url, PLACE, {"input": {
                    "lines": [{"sku": "PLAN", "quantity": 1}], "email": "guest@example.com",
                    "idempotencyKey": f"k{time.monotonic_ns()}"}}))["placeOrder"]
                assert data["userErrors"] == [], data
                return data["order"], data["orderToken"]

            order, token = await place_remote()
            _, other_token = await place_remote()
            order_id = await _pk(db, order["number"])

            async with remote_socket(a.url) as guest:
                # Another order's token does not open this one.
                refused = await guest.subscribe({"id": order["id"], "token": other_token})
                message = await guest.receive()
                assert message["id"] == refused
                assert message["payload"]["errors"][0]["extensions"]["code"] == "NOT_FOUND"
                assert await guest.receive() == {"id": refused, "type": "complete"}

                op = await guest.subscribe({"id": order["id"], "token": token})
                await until_listening(guest, db, order_id, op)

                # Made through process B, pushed by process A.
                started = time.monotonic()
                paid = (await gql(b.url, MARK_PAID, {"id": order["id"]}, staff))["markOrderPaid"]
                assert paid["userErrors"] == []
                pushed = await guest.receive(timeout=5)
                latency = time.monotonic() - started
                assert pushed["id"] == op
                assert pushed["payload"]["data"]["orderUpdated"]["paymentStatus"] == "PAID"
                assert latency < 1.0, f"pushed after {latency:.3f} s"

                # Made by an `oms worker` process: the subscription is activated, the order completes.
                log = open(tmp_path / "worker.log", "wb")
                worker = subprocess.Popen(
                    [sys.executable, "-m", "oms.cli", "worker"], env=worker_env(db), stdout=log,
                    stderr=subprocess.STDOUT, cwd=tmp_path, start_new_session=True,
                )
                try:
                    status = None
                    while status != "COMPLETED":
                        status = (await guest.receive(timeout=30))["payload"]["data"]["orderUpdated"]["status"]
                finally:
                    from tests.live_server import _stop

                    await asyncio.to_thread(_stop, worker)
                    log.close()


@on_postgres_only
async def test_a_customers_subscription_on_another_process_stops_at_logout(tmp_path):
    from tests.live_server import STAFF_EMAIL, STAFF_PASSWORD, create_staff, fresh_database, live_server, migrate

    register = """mutation($input: RegisterInput!) { register(input: $input) { token userErrors { code } } }"""
    async with fresh_database(tmp_path) as db:
        await migrate(db)
        create_staff(db)
        env = {"OMS_RUN_WORKER": "false"}
        async with live_server(db, env=env, log_dir=tmp_path) as a, live_server(db, env=env, log_dir=tmp_path) as b:
            staff = (await gql(b.url, LOGIN, {"e": STAFF_EMAIL, "p": STAFF_PASSWORD}))["login"]["token"]
            product = {"name": "Plan", "productType": "subscription",
                       "variants": [{"sku": "PLAN", "price": "9.00", "attributes": {"interval": "month"}}]}
            await gql(b.url, CREATE_PRODUCT, {"input": product}, staff)
            customer = (await gql(b.url, register, {"input": {
                "email": "dora@example.com", "password": "dora-pass-12"}}))["register"]["token"]
            data = (await gql(b.url, PLACE, {"input": {
                "lines": [{"sku": "PLAN", "quantity": 1}], "email": "dora@example.com", "idempotencyKey": "dora-1"}},
                customer))["placeOrder"]
            order = data["order"]
            order_id = await _pk(db, order["number"])

            async with remote_socket(a.url, customer) as ws:
                op = await ws.subscribe({"id": order["id"]})
                await until_listening(ws, db, order_id, op)
                assert (await gql(b.url, LOGOUT, token=customer))["logout"]["userErrors"] == []
                await gql(b.url, MARK_PAID, {"id": order["id"]}, staff)
                message = await ws.receive(timeout=5)
                assert message["id"] == op
                assert [e["extensions"]["code"] for e in message["payload"]["errors"]] == ["UNAUTHENTICATED"]
                assert await ws.receive() == {"id": op, "type": "complete"}


async def _pk(database_url: str, number: str) -> int:
    from tests.live_server import sql_rows

    return (await sql_rows(database_url, 'SELECT id FROM "order" WHERE number = ?', number))[0][0]
