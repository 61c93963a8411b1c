"""bench/peer_load.js, the Node load generator of bench/peer.py's oms runs: it sends what the
httpx generator sends, byte for byte, counts a refused or failed order as an error and never
as a completion, and its completions are orders really placed (and paid) on a live server."""

from __future__ import annotations

import asyncio
import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from bench.common import MARK_PAID
from bench.peer_oms import OmsSide, load_config, node_load
from bench.place_orders import PLACE_ORDER, catalog_skus, setup_catalog
from tests.live_server import create_staff, fresh_database, live_server, migrate, sql_rows

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="needs Node (bench/peer_load.js)")

PLACED: dict = {"placeOrder": {"order": {"id": "T3JkZXI6MQ==", "number": 1}, "orderToken": "tok", "userErrors": []}}
PAID: dict = {"markOrderPaid": {"userErrors": []}}
USER_ERROR = [{"field": "lines", "code": "OUT_OF_STOCK", "message": "no"}]


class FakeOms:
    """A /graphql endpoint answering by the mutation's name; records every request."""

    def __init__(self, answers: dict[str, tuple[int, dict]]):
        self.answers = answers
        self.requests: list[tuple[dict[str, str], bytes]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as the agent expects

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                fake.requests.append((dict(self.headers.items()), body))
                name = "markOrderPaid" if "markOrderPaid" in json.loads(body)["query"] else "placeOrder"
                status, answer = fake.answers[name]
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FakeOms:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def bodies(self, name: str) -> list[tuple[dict[str, str], bytes]]:
        return [(h, b) for h, b in self.requests if (name == "markOrderPaid") == (b"markOrderPaid" in b)]


async def test_the_node_generator_sends_the_requests_the_httpx_one_sends(tmp_path):
    skus = catalog_skus(20)
    with FakeOms({"placeOrder": (200, {"data": PLACED}), "markOrderPaid": (200, {"data": PAID})}) as fake:
        config = load_config(fake.url, "staff-token", skus, 2, 0.3, True, "r1")
        result = await node_load(config, str(tmp_path / "load.json"))
    assert result["errors"] == 0, result["error_messages"]
    placed, paid = fake.bodies("placeOrder"), fake.bodies("markOrderPaid")
    assert result["count"] > 0 and len(result["latencies_ms"]) == result["count"]
    assert len(placed) == len(paid) == result["count"]
    python_variables = OmsSide("postgres://x/db", str(tmp_path), skus)._place_variables()
    for headers, body in placed:
        sent = json.loads(body)
        # httpx's json= encoding of the same request is the very same bytes
        assert httpx.Request("POST", fake.url, json=sent).content == body
        assert sent["query"] == PLACE_ORDER
        lines = sent["variables"]["input"]["lines"]
        assert [line["quantity"] for line in lines] == [1, 2]
        assert lines[0]["sku"] != lines[1]["sku"] and {lines[0]["sku"], lines[1]["sku"]} <= set(skus)
        assert list(sent["variables"]["input"]) == list(python_variables["input"])
        assert {
            k: v for k, v in sent["variables"]["input"].items() if k not in ("lines", "email", "idempotencyKey")
        } == {k: v for k, v in python_variables["input"].items() if k not in ("lines", "email", "idempotencyKey")}
        assert "authorization" not in {k.lower() for k in headers}
    keys = [json.loads(body)["variables"]["input"]["idempotencyKey"] for _, body in placed]
    assert len(set(keys)) == len(keys) and all(key.startswith("peer-r1-") for key in keys)
    for headers, body in paid:
        assert (
            body
            == httpx.Request(
                "POST", fake.url, json={"query": MARK_PAID, "variables": {"id": PLACED["placeOrder"]["order"]["id"]}}
            ).content
        )
        assert {k.lower(): v for k, v in headers.items()}["authorization"] == "Bearer staff-token"


@pytest.mark.parametrize(
    ("answers", "pay"),
    [
        pytest.param(
            {
                "placeOrder": (
                    200,
                    {"data": {"placeOrder": {"order": None, "orderToken": None, "userErrors": USER_ERROR}}},
                )
            },
            False,
            id="userErrors",
        ),
        pytest.param({"placeOrder": (200, {"data": None, "errors": [{"message": "boom"}]})}, False, id="errors"),
        pytest.param(
            {"placeOrder": (200, {"data": {"placeOrder": {"order": None, "orderToken": None, "userErrors": []}}})},
            False,
            id="no order",
        ),
        pytest.param({"placeOrder": (500, {"data": PLACED})}, False, id="HTTP 500"),
        pytest.param(
            {
                "placeOrder": (200, {"data": PLACED}),
                "markOrderPaid": (200, {"data": {"markOrderPaid": {"userErrors": USER_ERROR}}}),
            },
            True,
            id="markOrderPaid userErrors",
        ),
    ],
)
async def test_a_refused_or_failed_order_is_an_error_not_a_completion(tmp_path, answers, pay):
    with FakeOms(answers) as fake:
        config = load_config(fake.url, "staff-token", catalog_skus(20), 2, 0.3, pay, "r2")
        result = await node_load(config, str(tmp_path / "load.json"))
    assert result["count"] == 0 and result["latencies_ms"] == []
    assert result["errors"] >= 2 and len(result["error_messages"]) == result["errors"]
    assert result["p50_ms"] is None


async def test_every_completion_is_an_order_placed_and_paid_on_a_live_server(tmp_path):
    skus = catalog_skus(4)
    async with fresh_database(tmp_path) as url:
        await migrate(url)
        await asyncio.to_thread(create_staff, url)
        async with live_server(url, env={"OMS_RUN_WORKER": "false"}, log_dir=tmp_path) as server:
            async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
                staff = await setup_catalog(http, skus)
            config = load_config(server.url, staff, skus, 3, 1.0, True, "live")
            result = await node_load(config, str(tmp_path / "load.json"))
            assert result["errors"] == 0, result["error_messages"]
            assert result["count"] > 0
            rows = await sql_rows(url, 'SELECT payment_status, COUNT(*) FROM "order" GROUP BY payment_status')
    assert {str(status).lower(): int(n) for status, n in rows} == {"paid": result["count"]}
