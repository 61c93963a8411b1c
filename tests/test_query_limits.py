"""Query cost limits are linear in the document (oms/graphql/limits.py).

The attack: fragments that each spread the next one twice. Strawberry's depth and alias
limiters walked all 2^n expansions (n=22: 30 s; n=40: never), over POST, GET and the
websocket. Each fragment is now measured once; the figures are checked against a brute
force expansion on small documents, and the big ones are refused in milliseconds while
/healthz keeps answering on a real server.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time

import httpx
import pytest
from graphql import FieldNode, FragmentSpreadNode, get_introspection_query, parse
from httpx_ws import aconnect_ws

from oms.graphql.limits import CAP, Limits, cost_errors
from tests.live_server import fresh_database, live_server, migrate

LOOSE = Limits(max_depth=100, max_aliases=10**6, max_selections=10**9, max_field_pairs=10**9)


def doubling(n: int, body: str = "x: __typename") -> str:
    """Fragment F<i> spreads F<i+1> twice: 2^n fields once expanded, a few bytes each."""
    parts = ["query Q { ...F0 }"]
    parts += [f"fragment F{i} on Query {{ {body} ...F{i + 1} ...F{i + 1} }}" for i in range(n)]
    parts.append(f"fragment F{n} on Query {{ productTypes {{ name }} }}")
    return "\n".join(parts)


def expanded(document: str) -> tuple[int, int]:
    """(selections, aliases) by brute-force expansion: the reference for small documents."""
    doc = parse(document)
    fragments = {d.name.value: d for d in doc.definitions if d.kind == "fragment_definition"}
    selections = aliases = 0
    stack = [d.selection_set for d in doc.definitions if d.kind == "operation_definition"]
    while stack:
        for selection in stack.pop().selections:
            selections += 1
            if isinstance(selection, FragmentSpreadNode):
                stack.append(fragments[selection.name.value].selection_set)
                continue
            if isinstance(selection, FieldNode) and selection.alias:
                aliases += 1
            if selection.selection_set:
                stack.append(selection.selection_set)
    return selections, aliases


def messages(document: str, limits: Limits) -> list[str]:
    errors = cost_errors(parse(document), limits)
    assert all(error.extensions == {"code": "INVALID"} for error in errors)
    return [error.message for error in errors]


@pytest.mark.parametrize("n", [0, 1, 5, 9])
@pytest.mark.parametrize("body", ["x: __typename", "", "a: productTypes { b: name } ... on Query { c: __typename }"])
def test_memoised_counts_equal_the_expansion(n, body):
    selections, aliases = expanded(doubling(n, body))
    limits = dataclasses.replace(LOOSE, max_selections=selections - 1, max_aliases=max(aliases - 1, 0))

    found = messages(doubling(n, body), limits)

    assert f"The document selects {selections} fields once its fragments are expanded. Allowed: {selections - 1}" in found
    if aliases:
        assert f"{aliases} aliases found. Allowed: {aliases - 1}" in found
    # One more allowed of each: accepted.
    exact = dataclasses.replace(LOOSE, max_selections=selections, max_aliases=aliases)
    assert messages(doubling(n, body), exact) == []


def test_depth_counts_through_fragments_and_inline_fragments():
    # productTypes(0) > name... a field at depth d is d fields deep; Strawberry's count.
    document = """
    query Deep { products { ...P } }
    fragment P on ProductConnection { edges { node { ... on Product { variants { ...V } } } } }
    fragment V on Variant { product { name } }
    """
    # products 0, edges 1, node 2, variants 3, product 4, name 5
    assert messages(document, dataclasses.replace(LOOSE, max_depth=5)) == []
    assert messages(document, dataclasses.replace(LOOSE, max_depth=4)) == [
        "'Deep' exceeds maximum operation depth of 4"
    ]


def test_introspection_depth_is_not_counted_so_graphiql_works():
    limits = Limits(max_depth=12, max_aliases=30, max_selections=5000, max_field_pairs=2000)
    assert messages(get_introspection_query(descriptions=True), limits) == []


def test_doubling_documents_are_refused_without_expanding():
    limits = Limits(max_depth=12, max_aliases=30, max_selections=5000, max_field_pairs=2000)
    started = time.perf_counter()
    # Exact figures while they fit under the cap (2^40 - 1 aliases at n=40), then capped.
    assert f"{2**40 - 1} aliases found. Allowed: 30" in messages(doubling(40), limits)
    found = messages(doubling(190), limits)
    assert f"more than {CAP} aliases found. Allowed: 30" in found
    assert any(m.startswith(f"The document selects more than {CAP} fields") for m in found)
    # Generous: the old limiters never finished n=40.
    assert time.perf_counter() - started < 1.0


def test_a_fragment_cycle_is_refused_not_followed():
    document = "query { ...A } fragment A on Query { ...B __typename } fragment B on Query { ...A }"
    assert messages(document, LOOSE) == ["Cannot spread fragment 'A' within itself."]


def test_repeated_fields_are_refused_before_the_quadratic_overlap_rule():
    # graphql-core compares every pair of same-named fields: 400 copies took 1.2 s.
    document = "{" + " productTypes { name }" * 100 + "}"
    limits = dataclasses.replace(LOOSE, max_field_pairs=2000)
    # 100 productTypes: 4950 pairs; their 100 `name`s merge under one path: 4950 more.
    assert messages(document, limits) == [
        "The document repeats fields too often (9900 pairs of fields or fragments share a place "
        "and a name). Allowed: 2000"
    ]
    spreads = "query {" + "".join(f" ...F{i}" for i in range(80)) + "}" + "".join(
        f" fragment F{i} on Query {{ f{i}: __typename }}" for i in range(80)
    )
    # 80 fragments side by side: 3160 fragment pairs.
    assert messages(spreads, limits) == [
        "The document repeats fields too often (3160 pairs of fields or fragments share a place "
        "and a name). Allowed: 2000"
    ]
    assert messages("{ a: productTypes { name } b: productTypes { name plugin } }", limits) == []


# Through the real endpoint: POST, GET and the websocket give the same typed refusal.

DOUBLING_40 = doubling(40)


async def test_doubling_document_is_refused_over_post_and_get(oms_http):
    for response in (
        await oms_http.post("/graphql", json={"query": DOUBLING_40}),
        await oms_http.get("/graphql", params={"query": DOUBLING_40}),
    ):
        body = response.json()
        assert body["data"] is None
        codes = {error["extensions"]["code"] for error in body["errors"]}
        assert codes == {"INVALID"}
        assert any("aliases found" in error["message"] for error in body["errors"])


async def _healthz_latencies(url: str, stop: asyncio.Event) -> list[float]:
    """Poll /healthz until ``stop``; each answer's latency (a timeout counts as 10 s)."""
    latencies = []
    async with httpx.AsyncClient(base_url=url, timeout=10.0) as client:
        while not stop.is_set():
            started = time.perf_counter()
            try:
                response = await client.get("/healthz")
                assert response.status_code == 200
                latencies.append(time.perf_counter() - started)
            except httpx.TimeoutException:
                latencies.append(10.0)
            await asyncio.sleep(0.02)
    return latencies


async def _over_websocket(url: str, document: str) -> dict:
    async with httpx.AsyncClient(base_url=url, timeout=10.0) as client:
        async with aconnect_ws("/graphql", client, subprotocols=["graphql-transport-ws"]) as ws:
            await ws.send_json({"type": "connection_init"})
            assert (await ws.receive_json(timeout=10))["type"] == "connection_ack"
            await ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": document}})
            return await ws.receive_json(timeout=10)


async def test_live_server_refuses_the_doubling_document_and_keeps_answering(tmp_path):
    async with fresh_database(tmp_path) as url:
        await migrate(url)
        async with live_server(url, log_dir=tmp_path) as server:
            async with httpx.AsyncClient(base_url=server.url, timeout=10.0) as client:
                stop = asyncio.Event()
                poll = asyncio.create_task(_healthz_latencies(server.url, stop))
                try:
                    await asyncio.sleep(0.2)
                    post = await client.post("/graphql", json={"query": DOUBLING_40})
                    get = await client.get("/graphql", params={"query": DOUBLING_40})
                    ws = await _over_websocket(server.url, DOUBLING_40)
                    await asyncio.sleep(0.2)
                finally:
                    stop.set()
                    latencies = await poll
                for response in (post, get):
                    errors = response.json()["errors"]
                    assert {e["extensions"]["code"] for e in errors} == {"INVALID"}, errors
                assert ws["type"] == "error" and ws["id"] == "1", ws
                assert {e["extensions"]["code"] for e in ws["payload"]} == {"INVALID"}, ws
                assert latencies and max(latencies) < 1.0, latencies
                # The server is still alive and serving after all that.
                assert (await client.get("/healthz")).status_code == 200


class TestDocumentLength:
    """Parsing runs in Python at ~0.3 ms per KB: the document's length is bounded, and a
    long one is parsed and validated in a worker thread, off the event loop."""

    @pytest.fixture
    def oms_settings(self, oms_settings):
        return dataclasses.replace(oms_settings, max_query_bytes=20_000)

    async def test_a_document_over_the_length_limit_is_refused_before_parsing(self, oms_graphql):
        body = await oms_graphql.execute("{ productTypes { name } }" + " " * 20_000)
        assert body["data"] is None
        assert body["errors"] == [{
            "message": "The GraphQL document is larger than 20000 bytes.", "extensions": {"code": "INVALID"},
        }]

    async def test_a_long_document_within_the_limit_is_served(self, oms_graphql):
        # Longer than THREAD_ABOVE: parsed and validated in a worker thread.
        from oms.graphql.limits import THREAD_ABOVE

        document = "# " + "c" * (THREAD_ABOVE + 1000) + "\n{ productTypes { name } }"
        data = await oms_graphql.query(document)
        assert {"name": "digital"} in data["productTypes"]
        refused = await oms_graphql.execute(
            "# " + "c" * (THREAD_ABOVE + 1000) + "\n{" + " productTypes { name }" * 100 + "}"
        )
        assert "repeats fields too often" in refused["errors"][0]["message"]


async def test_deep_introspection_is_refused_but_graphiqls_query_is_served(oms_graphql):
    # Not depth-counted (GraphiQL's own query is deep); each `fields { type {` level
    # multiplies the answer instead, so graphql-core's introspection depth rule bounds it.
    deep = "{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }"
    body = await oms_graphql.execute(deep)
    assert body["data"] is None
    assert body["errors"][0]["message"] == "Maximum introspection depth exceeded"
    assert body["errors"][0]["extensions"]["code"] == "INVALID"

    data = await oms_graphql.query(get_introspection_query(descriptions=True))
    assert data["__schema"]["queryType"]["name"] == "Query"
