"""The short paths of oms/graphql/execution.py answer exactly as graphql-core and Strawberry
do: values, nulls, errors, permission classes and resolve hooks of schema extensions."""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import Any

import strawberry
from strawberry.extensions import SchemaExtension
from strawberry.permission import BasePermission

from oms.graphql import execution
from oms.graphql.execution import OmsExecutionContext, use_lean_resolvers


@strawberry.enum
class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.type
class Item:
    name: str
    colour: Colour
    price: Decimal
    count: int
    note: str | None
    broken: str  # a value of the wrong type or None, for the error paths

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()


ITEMS = [
    Item(name="a", colour=Colour.RED, price=Decimal("1.50"), count=1, note=None, broken="fine"),
    Item(name="b", colour=Colour.BLUE, price=Decimal("2"), count=2, note="n", broken=None),  # type: ignore[arg-type]
    Item(name="c", colour=Colour.RED, price=Decimal("3"), count=3, note=None, broken=["x"]),  # type: ignore[arg-type]
]


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item | None]:
        return list(ITEMS)


QUERY = "{ items { name colour price count note shout broken __typename } }"


def _answer(**kwargs: Any) -> tuple[Any, list[tuple[str, Any]]]:
    result = strawberry.Schema(query=Query, **kwargs).execute_sync(QUERY)
    return result.data, sorted((error.message, error.path) for error in result.errors or [])


def test_same_answer_and_errors_as_graphql_core():
    plain_data, plain_errors = _answer()
    fast_data, fast_errors = _answer(execution_context_class=OmsExecutionContext)
    assert fast_data == plain_data
    assert fast_errors == plain_errors
    # The checks are about something: a value, a null, and both error kinds are there.
    assert fast_data["items"][0] == {
        "name": "a", "colour": "RED", "price": "1.50", "count": 1, "note": None, "shout": "A",
        "broken": "fine", "__typename": "Item",
    }  # fmt: skip
    assert fast_data["items"][1] is None and fast_data["items"][2] is None  # non-null broken: item nulled
    assert [path for _, path in fast_errors] == [["items", 1, "broken"], ["items", 2, "broken"]]


def test_plain_leaves_take_the_short_path(monkeypatch):
    taken = []
    original = execution._leaf_value

    def counting(*args: Any) -> Any:
        value = original(*args)
        taken.append(value)
        return value

    monkeypatch.setattr(execution, "_leaf_value", counting)
    _answer(execution_context_class=OmsExecutionContext)
    # name colour price count note broken of each item (shout has a resolver, __typename is
    # graphql-core's); the two broken values go back to graphql-core's path (Undefined).
    assert len(taken) == 3 * 6
    assert sum(value is execution.Undefined for value in taken) == 2


def test_a_resolve_hook_still_sees_every_field():
    seen: list[str] = []

    class Spy(SchemaExtension):
        def resolve(self, _next, root, info, *args, **kwargs):
            seen.append(info.field_name)
            return _next(root, info, *args, **kwargs)

    plain_data, _ = _answer(extensions=[Spy])
    plain_seen = sorted(seen)
    seen.clear()
    fast_data, _ = _answer(extensions=[Spy], execution_context_class=OmsExecutionContext)
    assert fast_data == plain_data
    assert sorted(seen) == plain_seen
    assert seen.count("name") == 3


class Never(BasePermission):
    message = "Not for you."

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        return False


@strawberry.type
class Box:
    label: str

    @strawberry.field
    def upper(self) -> str:
        return self.label.upper()

    @strawberry.field
    def path(self, info: strawberry.Info) -> str:
        return f"{info.path.key}:{self.label}"

    @strawberry.field
    def greet(self, name: str) -> str:
        return f"{name} {self.label}"

    @strawberry.field(permission_classes=[Never])
    def secret(self) -> str | None:
        return "hidden " + self.label

    @strawberry.field
    async def later(self) -> str:
        return self.label


@strawberry.type
class BoxQuery:
    @strawberry.field
    def boxes(self) -> list[Box]:
        return [Box(label="x"), Box(label="y")]


BOX_QUERY = '{ boxes { upper path greet(name: "hi") secret later } }'


async def test_lean_resolvers_only_where_nothing_else_runs():
    plain = strawberry.Schema(query=BoxQuery)
    lean = strawberry.Schema(query=BoxQuery)
    # Box.upper and BoxQuery.boxes take only self; path, greet, secret and later need more.
    assert use_lean_resolvers(lean._schema, lean) == 2
    fields = lean._schema.type_map["Box"].fields
    assert fields["upper"].resolve is not plain._schema.type_map["Box"].fields["upper"].resolve
    for name in ("path", "greet", "secret", "later"):
        assert fields[name].resolve.__qualname__ == plain._schema.type_map["Box"].fields[name].resolve.__qualname__
    plain_result, lean_result = await plain.execute(BOX_QUERY), await lean.execute(BOX_QUERY)
    assert lean_result.data == plain_result.data
    first = {"upper": "X", "path": "path:x", "greet": "hi x", "secret": None, "later": "x"}
    assert lean_result.data["boxes"][0] == first
    # The permission class still runs: the secret is refused, on both schemas alike.
    assert [e.message for e in lean_result.errors or []] == ["Not for you."] * 2
    assert [e.message for e in plain_result.errors or []] == ["Not for you."] * 2


def test_the_oms_schema_uses_them():
    from oms.graphql.schema import schema

    fields = schema._schema.type_map["Order"].fields
    assert fields["total"].resolve.__qualname__.startswith("_lean")
    # needsReview reads the viewer (info): Strawberry's own resolver, unchanged.
    assert not fields["needsReview"].resolve.__qualname__.startswith("_lean")
