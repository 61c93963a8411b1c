"""The HTTP face: health, GraphiQL, request limits, and errors that never leak internals."""

import dataclasses

import pytest

from oms import hookimpl


async def test_healthz_reports_the_database(oms_http):
    response = await oms_http.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_graphiql_is_served_to_browsers(oms_http):
    response = await oms_http.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


async def test_get_query_works_for_plain_clients(oms_http):
    response = await oms_http.get("/graphql", params={"query": "{ productTypes { name } }"})
    assert response.status_code == 200
    names = {t["name"] for t in response.json()["data"]["productTypes"]}
    assert {"physical", "digital", "subscription", "consultation"} <= names


class TestLimits:
    @pytest.fixture
    def oms_settings(self, oms_settings):
        return dataclasses.replace(
            oms_settings, max_body_bytes=2000, max_query_depth=5, max_query_aliases=3, max_query_tokens=200
        )

    async def test_large_body_is_refused_with_413(self, oms_http):
        query = "{ productTypes { name } }" + " " * 3000
        response = await oms_http.post("/graphql", json={"query": query})
        assert response.status_code == 413
        assert response.json()["errors"][0]["extensions"] == {"code": "PAYLOAD_TOO_LARGE"}

    async def test_large_body_without_content_length_is_refused(self, oms_http):
        async def chunks():
            for _ in range(10):
                yield b" " * 500

        response = await oms_http.post(
            "/graphql", content=chunks(), headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 413

    async def test_only_staff_graphql_uploads_get_the_upload_limit(self, oms_http, oms_accounts):
        files = {"0": ("x.bin", b"x" * 5000, "application/octet-stream")}
        data = {"operations": '{"query": "{ productTypes { name } }"}', "map": "{}"}

        def bearer(token):
            return {"Authorization": f"Bearer {token}"}

        staff = bearer(oms_accounts.staff)
        # Anonymous, a forged token, a customer, or another path: the ordinary body limit.
        for headers in ({}, bearer("forged"), bearer(oms_accounts.customer)):
            assert (await oms_http.post("/graphql", data=data, files=files, headers=headers)).status_code == 413
        assert (await oms_http.post("/webhooks/stripe", data=data, files=files, headers=staff)).status_code == 413
        # Staff, to /graphql: the body gets through.
        assert (await oms_http.post("/graphql", data=data, files=files, headers=staff)).status_code == 200

    async def test_deep_query_is_refused(self, oms_graphql):
        deep = "{ products { edges { node { variants { product { variants { product { name } } } } } } } }"
        body = await oms_graphql.execute(deep)
        assert body["errors"] and "exceeds maximum operation depth" in body["errors"][0]["message"]
        assert body.get("data") is None

    async def test_many_aliases_are_refused(self, oms_graphql):
        body = await oms_graphql.execute("{ a: productTypes { name } b: productTypes { name } "
                                         "c: productTypes { name } d: productTypes { name } }")
        assert body["errors"] and "aliases" in body["errors"][0]["message"].lower()

    async def test_too_many_tokens_are_refused(self, oms_graphql):
        fields = " ".join("name" for _ in range(300))
        body = await oms_graphql.execute("{ productTypes { " + fields + " } }")
        assert body["errors"] and "token" in body["errors"][0]["message"].lower()

    async def test_a_query_within_limits_passes(self, oms_graphql):
        data = await oms_graphql.query("{ productTypes { name plugin } }")
        assert len(data["productTypes"]) >= 4


class BrokenShipping:
    """A plugin whose hook fails unexpectedly."""

    @hookimpl
    def oms_shipping_methods(self, cart):
        raise RuntimeError("secret internal detail: db password is hunter2")


class TestUnexpectedErrors:
    @pytest.fixture
    def oms_extra_plugins(self):
        return [BrokenShipping()]

    async def test_unexpected_failure_is_masked_and_still_http_200(self, oms_graphql, catalog):
        body = await oms_graphql.execute(
            "query($i: CartInput!) { priceCart(input: $i) { total { amount } } }",
            {"i": {"lines": [{"sku": "MUG", "quantity": 1}]}},
        )
        assert body["errors"][0]["message"] == "Unexpected error."
        assert "hunter2" not in str(body)
        assert "Traceback" not in str(body)


async def test_staff_only_query_error_carries_a_code(oms_graphql):
    body = await oms_graphql.execute("{ orders(first: 5) { totalCount } }")
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"


async def test_each_operation_gets_fresh_dataloaders(oms_app):
    """A websocket shares one context across operations; loaders must not carry stale rows."""
    from oms.graphql.context import Context
    from oms.graphql.schema import build_schema

    schema = build_schema(oms_app.state.settings)
    context = Context(request=None, settings=oms_app.state.settings, plugins=oms_app.state.plugins)
    seen = []
    for _ in range(2):
        result = await schema.execute("{ productTypes { name } }", context_value=context)
        assert result.errors is None
        seen.append(context.loaders)

    assert seen[0] is not seen[1]
