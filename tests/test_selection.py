"""oms.graphql.selection: what a field's query selects, through fragments."""

from __future__ import annotations

import strawberry

from oms.graphql.selection import selects, selects_path

SEEN: dict[str, bool] = {}


@strawberry.type
class Leaf:
    name: str


@strawberry.type
class Inner:
    leaf: Leaf
    other: int


@strawberry.type
class Outer:
    inner: Inner
    count: int


@strawberry.type
class Query:
    @strawberry.field
    def outer(self, info: strawberry.Info) -> Outer:
        SEEN["count"] = selects(info, "count")
        SEEN["inner.leaf"] = selects_path(info, "inner", "leaf")
        SEEN["inner.leaf.name"] = selects_path(info, "inner", "leaf", "name")
        SEEN["inner.missing"] = selects_path(info, "inner", "missing")
        return Outer(inner=Inner(leaf=Leaf(name="x"), other=1), count=2)


schema = strawberry.Schema(query=Query)


def _seen(query: str) -> dict[str, bool]:
    SEEN.clear()
    result = schema.execute_sync(query)
    assert result.errors is None
    return dict(SEEN)


def test_direct_selection():
    assert _seen("{ outer { count inner { leaf { name } } } }") == {
        "count": True, "inner.leaf": True, "inner.leaf.name": True, "inner.missing": False,
    }  # fmt: skip


def test_not_selected():
    assert _seen("{ outer { inner { other } } }") == {
        "count": False, "inner.leaf": False, "inner.leaf.name": False, "inner.missing": False,
    }  # fmt: skip


def test_through_fragments_at_each_step():
    query = """{ outer { ...O } }
      fragment O on Outer { inner { ... on Inner { ...I } } }
      fragment I on Inner { leaf { name } }"""
    assert _seen(query) == {"count": False, "inner.leaf": True, "inner.leaf.name": True, "inner.missing": False}
