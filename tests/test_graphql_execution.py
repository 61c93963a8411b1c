"""The short paths of oms/graphql/execution.py answer exactly as graphql-core and Strawberry
do: values, nulls, errors, permission classes and resolve hooks of schema extensions."""

from __future__ import annotations

import enum
import gc
import weakref
from collections.abc import AsyncGenerator
from decimal import Decimal
from typing import Any

import strawberry
from graphql.pyutils import Undefined
from strawberry.extensions import SchemaExtension
from strawberry.permission import BasePermission

from oms.graphql.execution import OmsExecutionContext, use_lean_resolvers
from oms.graphql.lean import answers_without_info
from oms.graphql.plain_fields import plain_list


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
    long_way: list[Any] = []
    original = OmsExecutionContext.execute_field

    def counting(self: Any, parent_type: Any, source: Any, details: Any, path: Any, position: Any) -> Any:
        long_way.append(path.key)
        return original(self, parent_type, source, details, path, position)

    monkeypatch.setattr(OmsExecutionContext, "execute_field", counting)
    fast_data, _ = _answer(execution_context_class=OmsExecutionContext)
    assert fast_data["items"][0]["name"] == "a"
    # name colour price count note of each item, and the one good broken value, are answered
    # in the loop; the root field, shout (a resolver) and __typename (graphql-core's) are not
    # leaves read by attribute, and the two broken values go back to graphql-core's path,
    # whose error ends their item (no __typename after it).
    assert long_way == ["items", "shout", "__typename", "shout", "broken", "shout", "broken"]


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
    def where(self, at: strawberry.Info) -> str:  # the Info under another name
        return f"{at.field_name}/{at.python_name}/{at.path.prev.key}:{self.label}"

    @strawberry.field
    def broken(self, info: strawberry.Info) -> str:
        raise ValueError(f"broken {self.label} at {info.path.key}")

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


BOX_QUERY = '{ boxes { upper path where greet(name: "hi") secret later } }'


async def test_lean_resolvers_only_where_nothing_else_runs():
    plain = strawberry.Schema(query=BoxQuery)
    lean = strawberry.Schema(query=BoxQuery)
    # Box.upper and BoxQuery.boxes take only self, path, where and broken self and the
    # Info; greet, secret and later need more (an argument, a permission class, an await).
    assert use_lean_resolvers(lean._schema, lean) == 5
    fields, plain_fields = lean._schema.type_map["Box"].fields, plain._schema.type_map["Box"].fields
    for name in ("upper", "path", "where", "broken"):
        assert fields[name].resolve.__qualname__.startswith("_lean")
        assert fields[name].resolve is not plain_fields[name].resolve
    for name in ("greet", "secret", "later"):
        assert fields[name].resolve.__qualname__ == plain_fields[name].resolve.__qualname__
    plain_result, lean_result = await plain.execute(BOX_QUERY), await lean.execute(BOX_QUERY)
    assert lean_result.data == plain_result.data
    first = {"upper": "X", "path": "path:x", "where": "where/where/0:x", "greet": "hi x", "secret": None, "later": "x"}
    assert lean_result.data["boxes"][0] == first
    # The permission class still runs: the secret is refused, on both schemas alike.
    assert [e.message for e in lean_result.errors or []] == ["Not for you."] * 2
    assert [e.message for e in plain_result.errors or []] == ["Not for you."] * 2


async def test_a_lean_resolver_with_info_fails_as_strawberry_s_does():
    plain = strawberry.Schema(query=BoxQuery)
    lean = strawberry.Schema(query=BoxQuery, execution_context_class=OmsExecutionContext)
    use_lean_resolvers(lean._schema, lean)
    query = "{ boxes { upper broken } }"
    plain_result, lean_result = await plain.execute(query), await lean.execute(query)
    # broken is non-null in a non-null list of a non-null field: the error nulls the answer.
    assert lean_result.data is None and plain_result.data is None
    errors = [(e.message, e.path, e.locations) for e in lean_result.errors or []]
    assert errors == [(e.message, e.path, e.locations) for e in plain_result.errors or []]
    assert [error[:2] for error in errors] == [("broken x at broken", ["boxes", 0, "broken"])]


def test_the_oms_schema_uses_them():
    from oms.graphql.schema import schema

    fields = schema._schema.type_map["Order"].fields
    assert fields["total"].resolve.__qualname__.startswith("_lean.")
    # lines and needsReview take the Info (the loaders, the viewer): called with it, as
    # Strawberry calls them; customer is async: Strawberry's own resolver, unchanged.
    assert fields["lines"].resolve.__qualname__.startswith("_lean_with_info.")
    # ... but a page's prefetched lines are read without it (plain_list, below).
    assert plain_list(fields["lines"]) is not None
    assert fields["needsReview"].resolve.__qualname__.startswith("_lean_with_info.")
    assert not fields["customer"].resolve.__qualname__.startswith("_lean")


# Objects: reached by a plain attribute, by a resolver taking only self, in lists; with
# nulls where null is not allowed, exceptions, async fields inside them, an interface
# (Strawberry's generated type check) and a type with its own type check.


@strawberry.interface
class Named:
    label: str


@strawberry.type
class Price:
    amount: Decimal
    currency: str


@strawberry.type
class Part(Named):
    size: int | None
    price: Price  # a plain attribute of an object type
    maybe: Price | None

    @strawberry.field
    def doubled(self) -> Price:  # a resolver taking only self
        return Price(amount=self.price.amount * 2, currency=self.price.currency)

    @strawberry.field
    def failing(self) -> Price:
        raise ValueError(f"no price for {self.label}")

    @strawberry.field
    def failing_nullable(self) -> Price | None:
        raise ValueError(f"no price yet for {self.label}")

    @strawberry.field
    async def later(self) -> Price:
        return self.price


@strawberry.type
class Checked:
    value: int

    @classmethod
    def is_type_of(cls, obj: Any, info: Any) -> bool:
        return isinstance(obj, cls) and obj.value >= 0


@strawberry.type
class Shelf:
    parts: list[Part]
    maybe_parts: list[Part | None] | None
    checked: list[Checked | None]
    first: Part
    lonely: Part | None
    wrong_parts: list[Part | None] = strawberry.field(default_factory=list)

    @strawberry.field
    def soon(self) -> list[Price | None]:  # an awaitable item in a list
        async def later() -> Price:
            return Price(amount=Decimal("4"), currency="EUR")

        return [Price(amount=Decimal("3"), currency="EUR"), later(), None]  # type: ignore[list-item]


def _part(label: str, size: int | None = 1, price: Any = None) -> Part:
    price = Price(amount=Decimal("1.25"), currency="EUR") if price is None else price
    return Part(label=label, size=size, price=price, maybe=None)


def _shelf_of_parts() -> Shelf:
    return Shelf(
        parts=[_part("a"), _part("b", size=None)],
        maybe_parts=[_part("c"), None, _part("d", price=Price(amount=None, currency="EUR"))],  # type: ignore[arg-type]
        checked=[Checked(value=1), Checked(value=-1)],
        first=_part("e"),
        lonely=None,
        wrong_parts=[_part("g"), Price(amount=Decimal(1), currency="EUR")],  # type: ignore[list-item]
    )


@strawberry.type
class ShelfQuery:
    @strawberry.field
    def shelf(self) -> Shelf:
        return _shelf_of_parts()

    @strawberry.field
    def maybe_shelf(self) -> Shelf | None:
        return _shelf_of_parts()

    @strawberry.field
    def broken_shelf(self) -> Shelf | None:
        # A non-null object field holding None: the shelf is nulled with one error.
        return Shelf(parts=[], maybe_parts=None, checked=[], first=None, lonely=None)  # type: ignore[arg-type]

    @strawberry.field
    def broken_parts(self) -> Shelf | None:
        # A list of non-null parts holding None: the shelf is nulled.
        return Shelf(parts=[None], maybe_parts=None, checked=[], first=_part("f"), lonely=None)  # type: ignore[list-item]


SHELF_QUERY = """
fragment P on Part { label size price { amount currency } maybe { amount } doubled { amount } }
{
  shelf {
    parts { ...P later { amount } ... on Named { label } __typename }
    maybeParts { ...P renamed: price { c: currency } }
    failing: maybeParts { label failingNullable { amount } }
    checked { value }
    first { label price @include(if: true) { amount } doubled @skip(if: true) { amount } }
    lonely { label }
    wrongParts { label }
    soon { amount }
  }
  brokenShelf { first { label } }
  brokenParts { parts { label } first { label } }
  alsoBroken: maybeShelf { first { failing { amount } } }
}
"""


async def _shelf(**kwargs: Any) -> tuple[Any, list[tuple[str, Any]]]:
    schema = strawberry.Schema(query=ShelfQuery, **kwargs)
    if kwargs.get("execution_context_class"):
        use_lean_resolvers(schema._schema, schema)
    result = await schema.execute(SHELF_QUERY)
    return result.data, sorted((error.message, error.path) for error in result.errors or [])


async def test_objects_same_answer_and_errors_as_graphql_core(monkeypatch):
    plain_data, plain_errors = await _shelf()
    long_way: list[str] = []
    original = OmsExecutionContext.complete_object_value

    def counting(self: Any, return_type: Any, *args: Any) -> Any:
        long_way.append(return_type.name)
        return original(self, return_type, *args)

    monkeypatch.setattr(OmsExecutionContext, "complete_object_value", counting)
    fast_data, fast_errors = await _shelf(execution_context_class=OmsExecutionContext)
    assert fast_data == plain_data
    assert fast_errors == plain_errors
    # The checks are about something: values, nulls and every kind of error are there.
    shelf = fast_data["shelf"]
    assert shelf["parts"][0] == {
        "label": "a", "size": 1, "price": {"amount": "1.25", "currency": "EUR"}, "maybe": None,
        "doubled": {"amount": "2.50"}, "later": {"amount": "1.25"}, "__typename": "Part",
    }  # fmt: skip
    assert shelf["parts"][1]["size"] is None
    assert shelf["maybeParts"][1] is None and shelf["maybeParts"][2] is None  # null amount: part nulled
    assert shelf["failing"][0] == {"label": "c", "failingNullable": None}
    assert shelf["checked"] == [{"value": 1}, None]  # Checked's own type check refused -1
    assert shelf["first"] == {"label": "e", "price": {"amount": "1.25"}}
    assert shelf["lonely"] is None
    assert shelf["wrongParts"] == [{"label": "g"}, None]  # a Price is no Part
    assert shelf["soon"] == [{"amount": "3"}, {"amount": "4"}, None]
    assert fast_data["brokenShelf"] is None and fast_data["brokenParts"] is None
    assert fast_data["alsoBroken"] is None
    assert sorted(path for _, path in fast_errors) == sorted(
        [
            ["alsoBroken", "first", "failing"],
            ["brokenParts", "parts", 0],
            ["brokenShelf", "first"],
            ["shelf", "checked", 1],
            ["shelf", "wrongParts", 1],
            ["shelf", "failing", 0, "failingNullable"],
            ["shelf", "failing", 2, "failingNullable"],
            ["shelf", "maybeParts", 2, "price", "amount"],
        ]
    )
    # Every object took a short path but those of a type with its own type check and the
    # Price where a Part belongs (graphql-core reports it).
    assert sorted(long_way) == ["Checked", "Checked", "Part"]


async def test_plain_object_fields_are_completed_in_the_loop_over_fields(monkeypatch):
    """Objects reached by a plain attribute or a self-only resolver inside an object are
    completed from the per-request plan of its fields (``_complete_child``), not through
    ``execute_field``; the answers above are compared with graphql-core's."""
    children: list[str] = []
    original = OmsExecutionContext._complete_child

    def counting(self: Any, child: Any, source: Any, field_details_list: Any, path: Any) -> Any:
        children.append(field_details_list[0].node.name.value)
        return original(self, child, source, field_details_list, path)

    monkeypatch.setattr(OmsExecutionContext, "_complete_child", counting)
    data, _ = await _shelf(execution_context_class=OmsExecutionContext)
    assert data["shelf"]["parts"][0]["doubled"] == {"amount": "2.50"}
    # price, maybe and doubled of the two parts, of the three maybeParts (price twice: once
    # renamed), first's price, failingNullable of the three, alsoBroken's first and failing.
    assert len(children) >= 2 * 3 + 3 * 4
    assert {"price", "doubled", "maybe", "failing"} <= set(children)


# A list field whose resolver takes the Info but can answer some sources without it
# (Order.lines of a page that loaded the lines): read without an Info when it can.

CALLED_WITH_INFO: list[str] = []


def _held(drawer: Drawer) -> Any:
    return drawer.held if drawer.held is not None else Undefined


@strawberry.type
class Drawer:
    name: str
    held: strawberry.Private[list[Part] | None] = None

    @strawberry.field
    @answers_without_info(_held)
    def parts(self, info: strawberry.Info) -> list[Part]:
        CALLED_WITH_INFO.append(self.name)
        held = _held(self)
        return held if held is not Undefined else [_part(f"{self.name} {info.field_name}")]


@strawberry.type
class Cabinet:
    drawers: list[Drawer]
    broken: Drawer | None  # a None among non-null parts: nulled
    wrong: Drawer | None  # a Price among parts: graphql-core reports it


@strawberry.type
class DrawerQuery:
    @strawberry.field
    def cabinet(self) -> Cabinet:
        return Cabinet(
            drawers=[Drawer(name="full", held=[_part("a"), _part("b", size=None)]), Drawer(name="empty")],
            broken=Drawer(name="broken", held=[_part("c"), None]),  # type: ignore[list-item]
            wrong=Drawer(name="wrong", held=[Price(amount=Decimal(1), currency="EUR")]),  # type: ignore[list-item]
        )


async def test_a_list_answered_without_the_info(monkeypatch):
    query = """{ cabinet { drawers { name parts { label size price { amount } later { amount } } }
      broken { parts { label } } wrong { parts { label } } } }"""
    plain = strawberry.Schema(query=DrawerQuery)
    CALLED_WITH_INFO.clear()
    plain_result = await plain.execute(query)
    assert sorted(CALLED_WITH_INFO) == ["broken", "empty", "full", "wrong"]
    lists: list[Any] = []
    original = OmsExecutionContext._complete_list_child

    def counting(self: Any, child: Any, source: Any, *args: Any) -> Any:
        name = getattr(source, "name", "cabinet")
        lists.append(name)  # before: a non-null list's error is raised out of it
        result = original(self, child, source, *args)
        if result is Undefined:
            lists.append(f"{name}: with the Info")
        return result

    monkeypatch.setattr(OmsExecutionContext, "_complete_list_child", counting)
    lean = strawberry.Schema(query=DrawerQuery, execution_context_class=OmsExecutionContext)
    use_lean_resolvers(lean._schema, lean)
    CALLED_WITH_INFO.clear()
    lean_result = await lean.execute(query)
    assert lean_result.data == plain_result.data
    errors = [(e.message, e.path, e.locations) for e in lean_result.errors or []]
    assert errors == [(e.message, e.path, e.locations) for e in plain_result.errors or []]
    # The checks are about something: both drawers, an async field in a part, both errors.
    cabinet = lean_result.data["cabinet"]
    assert cabinet["drawers"] == [
        {"name": "full", "parts": [
            {"label": "a", "size": 1, "price": {"amount": "1.25"}, "later": {"amount": "1.25"}},
            {"label": "b", "size": None, "price": {"amount": "1.25"}, "later": {"amount": "1.25"}},
        ]},
        {"name": "empty", "parts": [
            {"label": "empty parts", "size": 1, "price": {"amount": "1.25"}, "later": {"amount": "1.25"}},
        ]},
    ]  # fmt: skip
    assert cabinet["broken"] is None and cabinet["wrong"] is None
    assert sorted(error[1] for error in errors) == [["cabinet", "broken", "parts", 1], ["cabinet", "wrong", "parts", 0]]
    # Only the drawer without held parts called the resolver, with its Info.
    assert CALLED_WITH_INFO == ["empty"]
    # Cabinet.drawers (a plain attribute) and each drawer's parts took the list path.
    assert sorted(lists) == ["broken", "cabinet", "empty", "empty: with the Info", "full", "wrong"]


def _coerced(coerce: Any, value: Any) -> Any:
    try:
        return coerce(value)
    except Exception as error:  # the same refusal, whichever path
        return type(error), str(error)


def test_enum_leaves_coerce_as_strawberry_does():
    from graphql import GraphQLEnumType

    from oms.graphql.plain_fields import _coercion
    from oms.graphql.schema import schema

    enums = [
        t for t in schema._schema.type_map.values() if isinstance(t, GraphQLEnumType) and hasattr(t, "wrapped_cls")
    ]
    assert len(enums) >= 5  # OrderStatus, PaymentStatus, LineStatus, ErrorCode, ...
    members = 0
    for enum_type in enums:
        fast = _coercion(enum_type)
        assert fast is not enum_type.coerce_output_value  # the memoised one is in use
        for member in enum_type.wrapped_cls:
            members += 1
            assert fast(member) == enum_type.coerce_output_value(member)
        for other in (next(iter(enum_type.values.values())).value, "NOT A VALUE", 7, None):
            assert _coerced(fast, other) == _coerced(enum_type.coerce_output_value, other)
    assert members > 20


@strawberry.type
class Counter:
    value: int
    label: str
    ident: strawberry.ID


# Ints at and past the 32-bit bounds, a bool and a float given to an Int; str and non-str
# values of String and ID fields: the values the loop takes as they are, and their neighbours.
COUNTERS = [
    Counter(value=v, label=label, ident=ident)  # type: ignore[arg-type]
    for v, label, ident in [
        (0, "a", "x"),
        (2**31 - 1, "b", "y"),
        (2**31, "c", "z"),
        (-(2**31), 7, 8),
        (-(2**31) - 1, "d", "w"),
        (True, "e", "v"),
        (3.0, "f", "u"),
        (3.5, "g", "t"),
    ]
]


@strawberry.type
class CounterQuery:
    @strawberry.field
    def counters(self) -> list[Counter | None]:
        return list(COUNTERS)


def test_int_and_text_leaves_taken_as_they_are_answer_as_graphql_core():
    query = "{ counters { value label ident } }"
    answers = []
    for kwargs in ({}, {"execution_context_class": OmsExecutionContext}):
        result = strawberry.Schema(query=CounterQuery, **kwargs).execute_sync(query)  # type: ignore[arg-type]
        answers.append((result.data, sorted((e.message, e.path) for e in result.errors or [])))
    assert answers[0] == answers[1]
    data, errors = answers[1]
    assert data["counters"][1] == {"value": 2**31 - 1, "label": "b", "ident": "y"}
    assert data["counters"][3] == {"value": -(2**31), "label": "7", "ident": "8"}
    assert data["counters"][5]["value"] == 1 and type(data["counters"][5]["value"]) is int
    assert sorted(path for _, path in errors) == [
        ["counters", 2, "value"],
        ["counters", 4, "value"],
        ["counters", 7, "value"],
    ]


class _Context:
    """A request's context, to see when it is freed."""


def _context_freed_without_the_collector(operation: str, **kwargs: Any) -> tuple[bool, Any]:
    schema = strawberry.Schema(query=Query, execution_context_class=OmsExecutionContext, **kwargs)
    gc.collect()
    gc.disable()
    try:
        context = _Context()
        freed = weakref.ref(context)
        result = schema.execute_sync(operation, context_value=context)
        del context
        return freed() is None, result
    finally:
        gc.enable()


def test_a_request_s_context_is_freed_by_reference_counting():
    # graphql-core's context holds bound methods of itself (``async_helpers``): a cycle that kept
    # the request's context, loaders and cached models alive until a collection; broken once the
    # answer is built (OmsExecutionContext.build_response).
    freed, result = _context_freed_without_the_collector("{ items { name shout colour } }")
    assert freed
    assert result.data["items"][0] == {"name": "a", "shout": "A", "colour": "RED"} and not result.errors
    freed, result = _context_freed_without_the_collector("{ nope }")  # a validation error: never executed
    assert freed and result.errors


async def test_a_subscription_s_events_keep_their_context():
    @strawberry.type
    class Ticks:
        @strawberry.subscription
        async def tick(self, info: strawberry.Info) -> AsyncGenerator[str, None]:
            for n in range(3):
                yield f"{info.context['who']} {n}"

    schema = strawberry.Schema(query=Query, subscription=Ticks, execution_context_class=OmsExecutionContext)
    stream = await schema.subscribe("subscription { tick }", context_value={"who": "me"})
    answers = [event.data async for event in stream]  # type: ignore[union-attr]
    assert answers == [{"tick": "me 0"}, {"tick": "me 1"}, {"tick": "me 2"}]
