"""Browsers are let in on purpose: CORS for listed origins (HTTP and websocket), security
headers on every response, and production mode without GraphiQL and introspection."""

from __future__ import annotations

import contextlib
import dataclasses
import json
from collections.abc import AsyncIterator

import httpx
import pytest
import websockets

from oms.app import create_app
from oms.config import Settings
from tests.live_server import fresh_database, live_server, migrate

SHOP = "https://shop.example"
STRONG_KEY = "Zq3v-8Hk_Tn1xWp7Rb4Lm9Cs2Jd6Fg0Ye5Ua"


@contextlib.asynccontextmanager
async def client_for(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as client:
        yield client


async def test_preflight_from_a_listed_origin_is_answered(oms_settings):
    settings = dataclasses.replace(oms_settings, cors_origins=f"{SHOP}, http://localhost:5173")
    async with client_for(settings) as client:
        preflight = await client.options("/graphql", headers={
            "Origin": SHOP, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        })
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == SHOP
        allowed = preflight.headers["access-control-allow-headers"].lower()
        assert "authorization" in allowed and "content-type" in allowed
        assert "POST" in preflight.headers["access-control-allow-methods"]

        stranger = await client.options("/graphql", headers={
            "Origin": "https://evil.example", "Access-Control-Request-Method": "POST",
        })
        assert "access-control-allow-origin" not in stranger.headers

        answer = await client.post("/graphql", json={"query": "{ productTypes { name } }"}, headers={"Origin": SHOP})
        assert answer.status_code == 200 and answer.headers["access-control-allow-origin"] == SHOP
        foreign = await client.post("/graphql", json={"query": "{ productTypes { name } }"},
                                    headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in foreign.headers


async def test_without_cors_origins_no_origin_is_allowed(oms_http):
    preflight = await oms_http.options("/graphql", headers={"Origin": SHOP, "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers


async def test_security_headers_suit_each_route(oms_http):
    for path, headers in [
        ("/healthz", {}), ("/graphql?query={productTypes{name}}", {}), ("/nowhere", {}),
        ("/static/graphiql/graphiql.min.js", {}),
    ]:
        response = await oms_http.get(path, headers=headers)
        assert response.headers["x-content-type-options"] == "nosniff", path
        assert response.headers["referrer-policy"] == "no-referrer", path
        assert response.headers["x-frame-options"] == "DENY", path
        assert response.headers["content-security-policy"].startswith("default-src 'none'"), path
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], path
        assert "strict-transport-security" not in response.headers, path
    page = await oms_http.get("/graphql", headers={"Accept": "text/html"})
    csp = page.headers["content-security-policy"]
    assert page.status_code == 200 and "script-src 'self' 'sha256-" in csp and "connect-src 'self'" in csp
    assert "'unsafe-eval'" not in csp and "frame-ancestors 'none'" in csp


async def test_hsts_only_behind_https(oms_settings):
    settings = dataclasses.replace(oms_settings, public_url="https://api.shop.example")
    async with client_for(settings) as client:
        response = await client.get("/healthz")
    assert response.headers["strict-transport-security"].startswith("max-age=")


INTROSPECTION = {"query": "{ __schema { queryType { name } } }"}


async def test_production_turns_graphiql_and_introspection_off_unless_enabled(oms_settings):
    production = dataclasses.replace(oms_settings, env="production", secret_key=STRONG_KEY)
    async with client_for(production) as client:
        page = await client.get("/graphql", headers={"Accept": "text/html"})
        assert "graphiql" not in page.text.lower()
        body = (await client.post("/graphql", json=INTROSPECTION)).json()
        assert body.get("data") is None and "introspection" in body["errors"][0]["message"].lower()
        ordinary = (await client.post("/graphql", json={"query": "{ productTypes { name } }"})).json()
        assert ordinary["data"]["productTypes"]
    opened = dataclasses.replace(production, graphiql=True, introspection=True)
    async with client_for(opened) as client:
        assert "graphiql" in (await client.get("/graphql", headers={"Accept": "text/html"})).text.lower()
        assert (await client.post("/graphql", json=INTROSPECTION)).json()["data"]["__schema"]["queryType"]["name"] == "Query"
    async with client_for(oms_settings) as client:  # development: both on
        assert (await client.post("/graphql", json=INTROSPECTION)).json()["data"]


async def test_websockets_from_listed_origins_only(tmp_path):
    async with fresh_database(tmp_path) as url:
        await migrate(url)
        async with live_server(url, env={"OMS_CORS_ORIGINS": SHOP}, log_dir=tmp_path) as server:
            ws_url = server.url.replace("http://", "ws://") + "/graphql"
            async with websockets.connect(ws_url, origin=SHOP, subprotocols=["graphql-transport-ws"]) as ws:
                await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
                assert json.loads(await ws.recv())["type"] == "connection_ack"
            with pytest.raises(websockets.exceptions.InvalidStatus) as refused:
                async with websockets.connect(ws_url, origin="https://evil.example",
                                              subprotocols=["graphql-transport-ws"]):
                    pass
            assert refused.value.response.status_code == 403
