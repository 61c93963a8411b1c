"""Malformed input, class by class: never a 500, never a masked "Unexpected error.".

A malformed body is a 400 with a GraphQL-style body (``errors[].extensions.code``); a
client mistake inside a well-formed request (a variable of the wrong type, a filter longer
than its column) is its proper error with code INVALID; a NUL in a path parameter is a
404. The websocket gets the same limits as HTTP (size, JSON, init timeout). A genuinely
unexpected error carries a request id that is also in the log and the X-Request-ID header.
"""

from __future__ import annotations

import asyncio
import json
import logging

import httpx
import pytest
from httpx_ws import WebSocketDisconnect, aconnect_ws

from oms import hookimpl
from tests.live_server import fresh_database, live_server, migrate

H = {"Content-Type": "application/json"}
PRICE = "query($i: CartInput!) { priceCart(input: $i) { userErrors { code } } }"
TYPES = '{"query": "{ productTypes { name } }"}'


def body_with(value: str, query: str = PRICE) -> bytes:
    """A JSON body whose ``variables.i`` is the raw JSON text ``value``."""
    return ('{"query": %s, "variables": {"i": %s}}' % (json.dumps(query), value)).encode()


def deep(levels: int) -> str:
    return "[" * levels + "]" * levels


def deep_options(levels: int) -> bytes:
    options = '{"a":' * levels + "1" + "}" * levels
    return body_with('{"lines": [{"sku": "CALL-60", "quantity": 1, "options": %s}]}' % options)


BAD_BODIES = {
    "list-of-nothing": b"[]",
    "number": b"1",
    "string": b'"x"',
    "null": b"null",
    "not-json": b"{nope",
    "invalid-utf8": b'{"query": "{ productTypes { name } }", "x": "\xff\xfe"}',
    "5000-digit-number": body_with("9" * 5000),
    "5000-digit-number-top": b'{"query": "{ productTypes { name } }", "n": ' + b"9" * 5000 + b"}",
    "nan": body_with("NaN"),
    "deep-variables": body_with(deep(100_000)),
    "deep-variables-just-over": body_with(deep(65)),
    "deep-options": deep_options(5000),
    "deep-options-500": deep_options(500),
    "variables-a-list": b'{"query": "{ productTypes { name } }", "variables": [1]}',
    "query-a-number": b'{"query": 5}',
    "no-query": b"{}",
    "nul-in-variables": json.dumps({"query": PRICE, "variables": {"i": "a\x00"}}).encode(),
}


def assert_refused(response: httpx.Response, status: int = 400) -> None:
    assert response.status_code == status, response.text[:300]
    body = response.json()
    assert set(body) == {"errors"}, body
    (error,) = body["errors"]
    assert error["message"] and error["message"] != "Unexpected error."
    assert error["extensions"]["code"] == "BAD_REQUEST"


@pytest.mark.parametrize("content", BAD_BODIES.values(), ids=BAD_BODIES.keys())
async def test_malformed_json_bodies_are_400_with_a_graphql_error(oms_http, content):
    assert_refused(await oms_http.post("/graphql", content=content, headers=H))


async def test_a_large_well_formed_body_is_served(oms_http):
    # Over 64 KB: decoded and checked in a worker thread, with the same answer.
    body = {"query": "{ productTypes { name } }", "variables": {"pad": ["x" * 100] * 3000}}
    response = await oms_http.post("/graphql", json=body)
    assert response.status_code == 200
    assert {"name": "digital"} in response.json()["data"]["productTypes"]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
async def test_unsupported_content_types_are_400_with_a_graphql_error(oms_http, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    assert_refused(await oms_http.post("/graphql", content=TYPES.encode(), headers=headers))


MULTIPART = {
    "map-a-list": {"operations": TYPES, "map": "[]"},
    "map-a-string": {"operations": TYPES, "map": '"0"'},
    "map-paths-not-a-list": {"operations": TYPES, "map": '{"0": "variables.f"}'},
    "map-names-a-missing-file": {"operations": TYPES, "map": '{"9": ["variables.f"]}'},
    "map-path-into-nothing": {"operations": TYPES, "map": '{"0": ["variables.a.b.c"]}'},
    "map-path-index-not-a-number": {
        "operations": '{"query": "{ productTypes { name } }", "variables": {"f": [null]}}',
        "map": '{"0": ["variables.f.x"]}',
    },
    "map-not-json": {"operations": TYPES, "map": "{"},
    "operations-not-json": {"operations": "nope", "map": "{}"},
    "operations-a-number": {"operations": "1", "map": "{}"},
    "operations-deep": {"operations": deep(1000), "map": "{}"},
}


@pytest.mark.parametrize("form", MULTIPART.values(), ids=MULTIPART.keys())
async def test_malformed_multipart_requests_are_400(oms_http, oms_accounts, form):
    files = {"0": ("x.bin", b"x", "application/octet-stream")}
    headers = {"Authorization": f"Bearer {oms_accounts.staff}"}
    assert_refused(await oms_http.post("/graphql", data=form, files=files, headers=headers))


GET_PARAMS = {
    "variables-not-json": {"query": "{ productTypes { name } }", "variables": "[1"},
    "variables-a-list": {"query": "{ productTypes { name } }", "variables": "[]"},
    "variables-deep": {"query": "{ productTypes { name } }", "variables": deep(5000)},
    "variables-long-number": {"query": "{ productTypes { name } }", "variables": '{"a": %s}' % ("9" * 5000)},
}


@pytest.mark.parametrize("params", GET_PARAMS.values(), ids=GET_PARAMS.keys())
async def test_malformed_get_requests_are_400(oms_http, params):
    assert_refused(await oms_http.get("/graphql", params=params))


WRONG_VARIABLES = {
    "int-given-a-string": ("query($n: Int) { products(first: $n) { totalCount } }", {"n": "ten"}),
    "int-given-a-huge-int": ("query($n: Int) { products(first: $n) { totalCount } }", {"n": 10**30}),
    "int-given-a-float": ("query($n: Int) { products(first: $n) { totalCount } }", {"n": 1.5}),
    "id-given-an-object": ("query($id: ID!) { node(id: $id) { id } }", {"id": {"a": 1}}),
    "id-given-a-list": ("query($id: ID!) { node(id: $id) { id } }", {"id": [1]}),
    "required-missing": ("query($id: ID!) { node(id: $id) { id } }", {}),
    "input-given-a-string": (PRICE, {"i": "cart"}),
    "list-given-an-object": (PRICE, {"i": {"lines": {"sku": "MUG"}}}),
    "string-given-an-object": (PRICE, {"i": {"lines": [{"sku": {"a": 1}, "quantity": 1}]}}),
    "unknown-input-field": (PRICE, {"i": {"lines": [], "bogus": 1}}),
    "enum-unknown": (
        "query($s: [OrderStatus!]) { orders(filter: {status: $s}) { totalCount } }", {"s": ["NOPE"]},
    ),
    "datetime-malformed": (
        "query($d: DateTime) { orders(filter: {createdAfter: $d}) { totalCount } }", {"d": "yesterday"},
    ),
    "products-search-too-long": (
        "query($s: String) { products(search: $s) { totalCount } }", {"s": "x" * 100_000},
    ),
    "products-type-too-long": (
        "query($s: String) { products(productType: $s) { totalCount } }", {"s": "x" * 65},
    ),
    "orders-email-too-long": (
        "query($s: String) { orders(filter: {email: $s}) { totalCount } }", {"s": "x" * 5000},
    ),
    "orders-search-too-long": (
        "query($s: String) { orders(filter: {search: $s}) { totalCount } }", {"s": "x" * 5000},
    ),
    "orders-type-too-long": (
        "query($s: String) { orders(filter: {productType: $s}) { totalCount } }", {"s": "x" * 65},
    ),
}


@pytest.mark.parametrize(("query", "variables"), WRONG_VARIABLES.values(), ids=WRONG_VARIABLES.keys())
async def test_client_mistakes_get_their_own_error_not_a_masked_one(oms_http, oms_accounts, catalog, query, variables):
    headers = {"Authorization": f"Bearer {oms_accounts.staff}"}
    response = await oms_http.post("/graphql", json={"query": query, "variables": variables}, headers=headers)

    assert response.status_code == 200
    errors = response.json()["errors"]
    assert errors and all(e["message"] != "Unexpected error." for e in errors), errors
    assert all(e["extensions"]["code"] == "INVALID" for e in errors), errors
    assert all(len(e["message"]) < 500 for e in errors), "the message echoes the value"


@pytest.mark.parametrize("term", ["x" * 33, "#" + "1" * 40, "y" * 70, "z" * 254])
async def test_long_search_terms_within_the_limit_just_search(oms_graphql, oms_accounts, catalog, term):
    # Longer than an order number (32) or a sku (64): no exact match, and no error.
    data = await oms_graphql.as_(oms_accounts.staff).query(
        "query($s: String) { orders(filter: {search: $s}) { totalCount } products(search: $s) { totalCount } }",
        {"s": term},
    )
    assert data == {"orders": {"totalCount": 0}, "products": {"totalCount": 0}}


PATHS_WITH_NUL = ["/downloads/a%00b", "/entitlements/a%00b", "/bookings/a%00b/invite.ics", "/shipments/label/a%00b"]


@pytest.mark.parametrize("path", PATHS_WITH_NUL)
async def test_a_nul_in_a_path_parameter_is_not_found(oms_http, path):
    # On PostgreSQL a NUL in a query fails the statement: it must never get that far.
    response = await oms_http.get(path)
    assert response.status_code == 404


class BrokenShipping:
    @hookimpl
    def oms_shipping_methods(self, cart):
        raise RuntimeError("internal detail")


class TestUnexpectedErrors:
    @pytest.fixture
    def oms_extra_plugins(self):
        return [BrokenShipping()]

    async def test_an_unexpected_error_carries_the_request_id_of_the_log_and_header(self, oms_http, catalog, caplog):
        with caplog.at_level(logging.ERROR, logger="oms.graphql"):
            response = await oms_http.post("/graphql", json={
                "query": "query($i: CartInput!) { priceCart(input: $i) { total { amount } } }",
                "variables": {"i": {"lines": [{"sku": "MUG", "quantity": 1}]}},
            })

        (error,) = response.json()["errors"]
        assert error["message"] == "Unexpected error."
        assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
        request_id = error["extensions"]["requestId"]
        assert response.headers["X-Request-ID"] == request_id
        logged = [r for r in caplog.records if r.name == "oms.graphql"]
        assert len(logged) == 1, "logged once"
        assert request_id in logged[0].getMessage()
        assert logged[0].exc_info and "internal detail" in str(logged[0].exc_info[1])

    async def test_the_id_the_client_sent_is_used(self, oms_http, catalog):
        # The request-id middleware (oms/logs.py) keeps a sane X-Request-ID of the client's.
        response = await oms_http.post("/graphql", headers={"X-Request-ID": "req-123"}, json={
            "query": "query($i: CartInput!) { priceCart(input: $i) { total { amount } } }",
            "variables": {"i": {"lines": [{"sku": "MUG", "quantity": 1}]}},
        })
        assert response.json()["errors"][0]["extensions"]["requestId"] == "req-123"
        assert response.headers["x-request-id"] == "req-123"


# The websocket: same limits as HTTP, on a real server.

WS_SETTINGS = {"OMS_MAX_WS_MESSAGE_BYTES": "100000", "OMS_WS_INIT_TIMEOUT_SECONDS": "1"}


def _leaves(error: BaseException) -> list[BaseException]:
    if isinstance(error, BaseExceptionGroup):
        return [leaf for inner in error.exceptions for leaf in _leaves(inner)]
    return [error]


async def _ws_closed_with(client: httpx.AsyncClient, messages: list[str], *, protocol="graphql-transport-ws") -> int | None:
    """Send ``messages``, then read until the server closes: its close code, or None if
    it is still open after 3 s."""
    try:
        async with aconnect_ws("/graphql", client, subprotocols=[protocol]) as ws:
            for message in messages:
                await ws.send_text(message)
            while True:
                await ws.receive(timeout=3)
    except BaseException as error:  # httpx-ws wraps what its reader saw in a group
        for leaf in _leaves(error):
            if isinstance(leaf, WebSocketDisconnect):
                return leaf.code
            if isinstance(leaf, TimeoutError):
                return None
        raise


async def test_websocket_limits_on_a_live_server(tmp_path):
    init = json.dumps({"type": "connection_init"})

    def subscribe(variables_json: str) -> str:
        return '{"id": "1", "type": "subscribe", "payload": {"query": "{ productTypes { name } }", "variables": %s}}' % variables_json

    async with fresh_database(tmp_path) as url:
        await migrate(url)
        async with live_server(url, log_dir=tmp_path, env=WS_SETTINGS) as server:
            async with httpx.AsyncClient(base_url=server.url, timeout=10.0) as client:
                # Over the message size: 1009 (message too big), before decoding.
                big = subscribe('{"x": "%s"}' % ("y" * 200_000))
                assert await _ws_closed_with(client, [init, big]) == 1009
                assert await _ws_closed_with(client, [init, big], protocol="graphql-ws") == 1009
                # Malformed JSON of each class: 4400 (graphql-transport-ws's bad message).
                malformed = (
                    subscribe(deep(1000)), subscribe("9" * 5000), subscribe("NaN"), subscribe("[]"),
                    "[]", "1", "{nope", '{"type": 1}', '{"type": "subscribe", "id": "1", "payload": []}',
                    '{"type": "subscribe", "id": 5, "payload": {"query": "{ productTypes { name } }"}}',
                )
                for bad in malformed:
                    assert await _ws_closed_with(client, [init, bad]) == 4400, bad[:60]
                # The legacy protocol ignores what it cannot read (and does not crash).
                legacy = await asyncio.gather(*(
                    _ws_closed_with(client, [init, bad], protocol="graphql-ws") for bad in malformed
                ))
                assert legacy == [None] * len(malformed)
                # No connection_init in time: 4408, in both protocols.
                assert await _ws_closed_with(client, []) == 4408
                assert await _ws_closed_with(client, [], protocol="graphql-ws") == 4408
                # A good operation still works on the same server.
                async with aconnect_ws("/graphql", client, subprotocols=["graphql-transport-ws"]) as ws:
                    await ws.send_text(init)
                    assert (await ws.receive_json(timeout=5))["type"] == "connection_ack"
                    await ws.send_text(subscribe("{}"))
                    answer = await ws.receive_json(timeout=5)
                    assert answer["type"] == "next" and answer["payload"]["data"]["productTypes"], answer
                    assert (await ws.receive_json(timeout=5)) == {"id": "1", "type": "complete"}
                    # Under the limit but long (decoded in a worker thread): served too.
                    await ws.send_text(subscribe('{"pad": "%s"}' % ("p" * 80_000)).replace('"1"', '"2"', 1))
                    answer = await ws.receive_json(timeout=5)
                    assert answer["type"] == "next" and answer["id"] == "2", answer
                assert (await client.get("/healthz")).status_code == 200
            assert "Traceback" not in server.log(), server.log()[-3000:]


async def test_no_5xx_over_http_on_a_live_server(tmp_path):
    """The same bodies against a real uvicorn (its own parsing and limits in front)."""
    async with fresh_database(tmp_path) as url:
        await migrate(url)
        async with live_server(url, log_dir=tmp_path) as server:
            async with httpx.AsyncClient(base_url=server.url, timeout=10.0) as client:
                responses = await asyncio.gather(*(
                    client.post("/graphql", content=content, headers=H) for content in BAD_BODIES.values()
                ))
                for name, response in zip(BAD_BODIES, responses):
                    assert response.status_code == 400, (name, response.text[:200])
                for path in PATHS_WITH_NUL:
                    assert (await client.get(path)).status_code == 404, path
            assert "Traceback" not in server.log(), server.log()[-3000:]
