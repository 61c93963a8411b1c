"""A repeated GraphQL document is parsed and checked once (oms/graphql/limits.py's
DocumentCache): the verdict is kept with it, a new document still meets every limit, and
the cache is bounded by entries and by bytes."""

from __future__ import annotations

import pytest
from graphql import parse

from oms.config import Settings
from oms.graphql import limits
from oms.graphql.limits import DocumentCache
from oms.graphql.schema import build_schema

DEEP = "{ " + "me { " * 14 + "email" + " }" * 14 + " }"


@pytest.fixture(scope="module")
def schema():
    return build_schema(Settings(seed_demo=False))


@pytest.fixture
def counted(monkeypatch):
    """How often the parser and the cost check ran."""
    calls = {"parse": 0, "cost": 0}
    real_parse, real_cost = limits.parse, limits.cost_errors

    def parse_counted(*args, **kwargs):
        calls["parse"] += 1
        return real_parse(*args, **kwargs)

    def cost_counted(*args, **kwargs):
        calls["cost"] += 1
        return real_cost(*args, **kwargs)

    monkeypatch.setattr(limits, "parse", parse_counted)
    monkeypatch.setattr(limits, "cost_errors", cost_counted)
    return calls


async def test_a_repeated_document_is_parsed_and_checked_once(schema, counted):
    query = "query Repeated { __typename }"
    results = [await schema.execute(query) for _ in range(3)]

    assert [(r.data, r.errors) for r in results] == [({"__typename": "Query"}, None)] * 3
    assert counted == {"parse": 1, "cost": 1}
    assert schema.documents.get(query) is not None


async def test_a_refused_document_is_refused_alike_from_the_cache(schema, counted):
    first, again = await schema.execute(DEEP), await schema.execute(DEEP)

    assert first.errors and [e.message for e in again.errors] == [e.message for e in first.errors]
    assert "exceeds maximum operation depth of 12" in first.errors[0].message
    assert first.data is None and again.data is None
    assert counted == {"parse": 1, "cost": 1}


async def test_a_new_document_meets_every_limit(schema, counted):
    assert not (await schema.execute("query Shallow { __typename }")).errors
    deeper = DEEP.replace("email", "email ")  # another text: not the cached verdict

    result = await schema.execute(deeper)

    assert result.errors and "exceeds maximum operation depth" in result.errors[0].message
    assert counted == {"parse": 2, "cost": 2}
    too_big = "{ __typename }" + " " * (Settings().max_query_bytes + 1)
    assert "larger than" in (await schema.execute(too_big)).errors[0].message
    assert schema.documents.get(too_big) is None


def test_the_cache_is_bounded_by_entries_and_bytes():
    cache = DocumentCache(max_entries=3, max_bytes=800)
    document = parse("{ __typename }")
    for i in range(5):
        cache.put(f"query Q{i} {{ __typename }}", document)
    assert len(cache) == 3
    assert cache.get("query Q0 { __typename }") is None and cache.get("query Q4 { __typename }") is not None

    cache.get("query Q2 { __typename }")  # used: kept over the older Q3
    cache.put("query Q5 { __typename }", document)
    assert cache.get("query Q2 { __typename }") is not None and cache.get("query Q3 { __typename }") is None

    by_bytes = DocumentCache(max_entries=100, max_bytes=800)
    for i in range(10):
        by_bytes.put(f"#{i} " + "{ __typename }" + " " * 81, document)  # 98 characters each
    assert by_bytes.size_bytes == 8 * 98 and len(by_bytes) == 8
    assert by_bytes.get("#1 { __typename }" + " " * 81) is None
    assert by_bytes.get("#9 { __typename }" + " " * 81) is not None
    long_text = "{ __typename }" + " " * 87  # over an eighth of the bytes: not kept
    by_bytes.put(long_text, document)
    assert by_bytes.get(long_text) is None and by_bytes.size_bytes == 8 * 98
