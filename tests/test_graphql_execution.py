"""The plain-leaf path of oms/graphql/execution.py answers exactly as graphql-core does:
values, nulls, errors, and resolve hooks of schema extensions."""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import Any

import strawberry
from strawberry.extensions import SchemaExtension

from oms.graphql import execution
from oms.graphql.execution import OmsExecutionContext


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
