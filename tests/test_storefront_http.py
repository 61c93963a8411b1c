"""Storefront client habits over HTTP: automatic persisted queries (the wire protocol of
Apollo Client's persisted-queries link and urql's persisted exchange), gzip of large
GraphQL answers only, and public caching headers on anonymous catalog GETs."""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import json

import httpx
import pytest
import pytest_asyncio

from oms.graphql.persisted import PersistedQueries

TYPES = "query Types { productTypes { name plugin } }"
NOT_FOUND = {"errors": [{"message": "PersistedQueryNotFound", "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}]}


def sha(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


def apq(digest: str, version: int = 1) -> dict:
    return {"persistedQuery": {"version": version, "sha256Hash": digest}}


def get_params(digest: str, **extra: str) -> dict:
    """What Apollo's link sends with useGETForHashedQueries."""
    return {"extensions": json.dumps(apq(digest)), **extra}


def with_settings(**changes):
    @pytest.fixture
    def oms_settings(self, oms_settings):
        return dataclasses.replace(oms_settings, **changes)

    return oms_settings


@pytest_asyncio.fixture
async def raw_http(oms_app):
    """A client sending only the Accept-Encoding a test gives (aiter_raw shows the wire)."""
    transport = httpx.ASGITransport(app=oms_app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://oms.test", headers={"Accept-Encoding": "identity"}
    ) as client:
        yield client


# --- automatic persisted queries ---


async def test_unknown_hash_is_not_found_with_200_so_clients_retry(oms_http):
    for response in (
        await oms_http.post("/graphql", json={"extensions": apq(sha(TYPES)), "operationName": "Types"}),
        await oms_http.get("/graphql", params=get_params(sha(TYPES), operationName="Types")),
    ):
        assert response.status_code == 200
        assert response.json() == NOT_FOUND
        assert response.headers["cache-control"] == "private, no-cache, must-revalidate"


async def test_query_with_hash_is_stored_then_hash_alone_runs_over_post_and_get(oms_http):
    digest = sha(TYPES)
    assert (await oms_http.post("/graphql", json={"extensions": apq(digest)})).json() == NOT_FOUND
    first = await oms_http.post("/graphql", json={"query": TYPES, "extensions": apq(digest)})
    assert first.status_code == 200
    names = {t["name"] for t in first.json()["data"]["productTypes"]}
    assert {"physical", "digital"} <= names
    again = await oms_http.post("/graphql", json={"extensions": apq(digest), "operationName": "Types"})
    assert again.json() == first.json()
    # Upper-case hex names the same document.
    upper = await oms_http.post("/graphql", json={"extensions": apq(digest.upper())})
    assert upper.json() == first.json()
    over_get = await oms_http.get("/graphql", params=get_params(digest, operationName="Types"))
    assert over_get.status_code == 200
    assert over_get.json() == first.json()


async def test_persisted_query_takes_variables(oms_http):
    query = "query P($slug: String) { product(slug: $slug) { name } }"
    digest = sha(query)
    stored = await oms_http.post(
        "/graphql", json={"query": query, "variables": {"slug": "nope"}, "extensions": apq(digest)}
    )
    assert stored.json() == {"data": {"product": None}}
    response = await oms_http.get("/graphql", params=get_params(digest, variables=json.dumps({"slug": "still-nope"})))
    assert response.json() == {"data": {"product": None}}


async def test_hash_mismatch_is_refused_and_not_stored(oms_http):
    wrong = sha("{ __typename }")
    response = await oms_http.post("/graphql", json={"query": TYPES, "extensions": apq(wrong)})
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {"message": "provided sha does not match query", "extensions": {"code": "PERSISTED_QUERY_HASH_MISMATCH"}}
        ]
    }
    assert (await oms_http.post("/graphql", json={"extensions": apq(wrong)})).json() == NOT_FOUND


@pytest.mark.parametrize(
    ("extensions", "message"),
    [
        (apq(sha(TYPES), version=2), "Unsupported persisted query version"),
        ({"persistedQuery": "x"}, "extensions.persistedQuery must be an object."),
        ({"persistedQuery": {"version": 1, "sha256Hash": "zz" * 32}}, "must be a SHA-256 digest"),
        ({"persistedQuery": {"version": 1, "sha256Hash": 12}}, "must be a SHA-256 digest"),
        ({"persistedQuery": {"version": 1}}, "must be a SHA-256 digest"),
    ],
)
async def test_bad_persisted_query_extension_is_a_400(oms_http, extensions, message):
    response = await oms_http.post("/graphql", json={"query": TYPES, "extensions": extensions})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert message in error["message"]
    assert error["extensions"]["code"] == "BAD_REQUEST"


async def test_mutation_persisted_over_post_is_not_run_over_get(oms_http):
    query = "mutation M { logout }"
    digest = sha(query)
    await oms_http.post("/graphql", json={"query": query, "extensions": apq(digest)})
    response = await oms_http.get("/graphql", params=get_params(digest))
    assert response.status_code == 405 or response.json().get("errors")
    assert "data" not in response.json() or not response.json()["data"]


class TestLimitsApplyToPersistedDocuments:
    oms_settings = with_settings(max_query_depth=2, max_query_bytes=300)

    async def test_too_deep_document_is_refused_each_time(self, oms_http):
        deep = "{ products { edges { node { variants { sku } } } } }"
        digest = sha(deep)
        for body in ({"query": deep, "extensions": apq(digest)}, {"extensions": apq(digest)}):
            response = await oms_http.post("/graphql", json=body)
            errors = response.json()["errors"]
            assert "exceeds maximum operation depth of 2" in errors[0]["message"]
            assert "data" not in response.json() or response.json()["data"] is None

    async def test_too_large_document_is_not_stored(self, oms_http):
        big = "{ __typename " + " ".join(f"a{i}: __typename" for i in range(40)) + " }"
        assert len(big) > 300
        digest = sha(big)
        response = await oms_http.post("/graphql", json={"query": big, "extensions": apq(digest)})
        assert "larger than 300 bytes" in response.json()["errors"][0]["message"]
        assert (await oms_http.post("/graphql", json={"extensions": apq(digest)})).json() == NOT_FOUND


class TestPersistedQueriesOff:
    oms_settings = with_settings(persisted_queries=False)

    async def test_apq_request_is_told_not_supported(self, oms_http):
        for body in ({"extensions": apq(sha(TYPES))}, {"query": TYPES, "extensions": apq(sha(TYPES))}):
            response = await oms_http.post("/graphql", json=body)
            assert response.status_code == 200
            assert response.json() == {
                "errors": [
                    {"message": "PersistedQueryNotSupported", "extensions": {"code": "PERSISTED_QUERY_NOT_SUPPORTED"}}
                ]
            }
        plain = await oms_http.post("/graphql", json={"query": TYPES})
        assert plain.json()["data"]["productTypes"]


def test_store_is_an_lru_bounded_by_entries_and_bytes():
    store = PersistedQueries(max_entries=3, max_bytes=100)
    for name in "abc":
        store.put(name, name * 10)
    assert store.get("a") == "a" * 10  # a is now the most recent
    store.put("d", "d" * 10)
    assert store.get("b") is None and store.get("a") is not None and len(store) == 3
    store.put("e", "e" * 80)  # 10 + 10 + 10 + 80 > 100: the oldest go
    assert store.size_bytes <= 100 and store.get("e") == "e" * 80
    assert store.get("c") is None
    store.put("huge", "x" * 101)  # larger than the whole store: not kept
    assert store.get("huge") is None and store.get("e") is not None


# --- compression ---

BIG = "{ productTypes { name plugin requiresShipping tracksStock optionsSchema attributesSchema } }"


async def test_large_graphql_answer_is_gzipped_when_accepted(raw_http):
    async with raw_http.stream(
        "POST", "/graphql", json={"query": BIG}, headers={"Accept-Encoding": "gzip"}
    ) as response:
        raw = b"".join([chunk async for chunk in response.aiter_raw()])
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in response.headers["vary"].lower()
    body = json.loads(gzip.decompress(raw))
    assert body["data"]["productTypes"]
    assert len(raw) < len(json.dumps(body))


async def test_small_or_unaccepted_answers_are_not_compressed(raw_http):
    small = await raw_http.post("/graphql", json={"query": "{ __typename }"}, headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in small.headers
    assert small.json() == {"data": {"__typename": "Query"}}
    identity = await raw_http.post("/graphql", json={"query": BIG}, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in identity.headers
    assert identity.json()["data"]["productTypes"]


async def test_other_routes_are_not_compressed(raw_http):
    # GraphiQL's script is large, but static files (and downloads, CSV) are left alone.
    response = await raw_http.get("/static/graphiql/index.html", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert len(response.content) > 1000
    assert "content-encoding" not in response.headers


class TestCompressionOff:
    oms_settings = with_settings(gzip_min_bytes=0)

    async def test_nothing_is_compressed(self, raw_http):
        response = await raw_http.post("/graphql", json={"query": BIG}, headers={"Accept-Encoding": "gzip"})
        assert "content-encoding" not in response.headers


# --- public caching of catalog GETs ---

CATALOG = "query Catalog { productTypes { name } products(first: 5) { edges { node { name } } } }"


async def test_catalog_get_is_not_cacheable_by_default(oms_http):
    response = await oms_http.get("/graphql", params={"query": CATALOG})
    assert response.status_code == 200
    assert "public" not in response.headers.get("cache-control", "")
    assert "etag" not in response.headers


class TestCatalogCache:
    oms_settings = with_settings(catalog_cache_seconds=60)

    async def test_anonymous_catalog_get_is_public_with_etag_and_304(self, oms_http):
        response = await oms_http.get("/graphql", params={"query": CATALOG})
        assert response.status_code == 200
        assert response.headers["cache-control"] == "public, max-age=60"
        assert "authorization" in response.headers["vary"].lower()
        etag = response.headers["etag"]
        again = await oms_http.get("/graphql", params={"query": CATALOG}, headers={"If-None-Match": etag})
        assert again.status_code == 304
        assert again.content == b""
        assert again.headers["etag"] == etag
        other = await oms_http.get("/graphql", params={"query": CATALOG}, headers={"If-None-Match": 'W/"other"'})
        assert other.status_code == 200 and other.json() == response.json()

    async def test_persisted_catalog_get_is_cacheable(self, oms_http):
        digest = sha(CATALOG)
        await oms_http.post("/graphql", json={"query": CATALOG, "extensions": apq(digest)})
        response = await oms_http.get("/graphql", params=get_params(digest))
        assert response.json()["data"]["productTypes"]
        assert response.headers["cache-control"] == "public, max-age=60"

    @pytest.mark.parametrize(
        "query",
        [
            "{ me { email } }",
            "{ productTypes { name } me { email } }",
            '{ order(token: "x") { id } }',
            "{ products(first: -1) { edges { node { name } } } }",  # an answer with errors
            "{ ...F } fragment F on Query { productTypes { name } }",
            "query A { productTypes { name } } query B { me { email } }",
        ],
    )
    async def test_other_gets_are_not_cacheable(self, oms_http, query):
        params = {"query": query}
        if "query B" in query:
            params["operationName"] = "B"
        response = await oms_http.get("/graphql", params=params)
        assert "public" not in response.headers.get("cache-control", "")
        assert "etag" not in response.headers

    async def test_requests_with_a_token_or_post_are_not_cacheable(self, oms_http, oms_accounts):
        with_token = await oms_http.get(
            "/graphql", params={"query": CATALOG}, headers={"Authorization": f"Bearer {oms_accounts.customer}"}
        )
        assert with_token.json()["data"]["productTypes"]
        assert "public" not in with_token.headers.get("cache-control", "")
        posted = await oms_http.post("/graphql", json={"query": CATALOG})
        assert posted.json()["data"]["productTypes"]
        assert "public" not in posted.headers.get("cache-control", "")
