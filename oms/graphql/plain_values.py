"""Per-value parts of oms/graphql/execution.py's short paths: whether a value can be
taken as it is, a plain leaf's answer, a plain object field's per-request plan, and the
endings of graphql-core's loops when some of their values are awaitable."""

from __future__ import annotations

from types import GeneratorType
from typing import Any

from graphql import GraphQLField, GraphQLObjectType
from graphql.pyutils import Undefined, gather_with_cancel

from oms.graphql.plain_fields import Leaf

# Values that are never awaitable nor an Exception: no need to ask.
PLAIN_VALUES = frozenset({str, int, bool, float})
# What a completed field is when it is not awaitable: no need to ask either.
COMPLETED = frozenset({dict, list, type(None), *PLAIN_VALUES})


def is_inert(value: Any, is_awaitable: Any, inert: set[type]) -> bool:
    """Whether ``value`` is neither awaitable nor an exception; its type is remembered in
    ``inert`` when so (a generator's answer depends on its code: never remembered)."""
    kind = type(value)
    if kind in inert:
        return True
    if isinstance(value, Exception) or is_awaitable(value):
        return False
    if kind is not GeneratorType:
        inert.add(kind)
    return True


def leaf_value(leaf: Leaf, value: Any, is_awaitable: Any, inert: set[type]) -> Any:
    """The completed value of a plain leaf field whose attribute read gave ``value``, or
    Undefined to take the usual path."""
    if value is None:
        return None if leaf.nullable else Undefined
    if leaf.text and type(value) is str:
        return value
    if type(value) not in inert and not is_inert(value, is_awaitable, inert):
        return Undefined
    try:
        coerced = leaf.coerce(value)
    except Exception:
        return Undefined
    return Undefined if coerced is None else coerced


class Child:
    """A plain object field (:func:`oms.graphql.plain_fields.plain_object`) of one grouped
    field set, for one request: the plan of its sub-selection is made once (``plan``: None
    until then, False when it has deferred parts, which then go through
    ``execute_collected_subfields``)."""

    __slots__ = ("field", "parent_type", "object_type", "read", "check", "plan")

    def __init__(self, field: GraphQLField, parent_type: GraphQLObjectType, object_type: GraphQLObjectType, read: Any):
        self.field, self.parent_type, self.object_type, self.read = field, parent_type, object_type, read
        self.check: Any = object_type.is_type_of  # Strawberry's ignores the info: None is given
        self.plan: Any = None


class ListChild(Child):
    """A plain list field (:func:`oms.graphql.plain_fields.plain_list`) of one grouped
    field set: a list of objects read without an info; ``item_type`` for its items' errors."""

    __slots__ = ("item_type",)

    def __init__(
        self,
        field: GraphQLField,
        parent_type: GraphQLObjectType,
        object_type: GraphQLObjectType,
        item_type: Any,
        read: Any,
    ):
        super().__init__(field, parent_type, object_type, read)
        self.item_type = item_type


async def gather_items(completed: list[Any], awaitable_indices: list[int]) -> list[Any]:
    """graphql-core's ending of ``complete_iterable_value`` when some items are awaitable."""
    if len(awaitable_indices) == 1:
        index = awaitable_indices[0]
        completed[index] = await completed[index]
    else:
        awaited = await gather_with_cancel(*(completed[index] for index in awaitable_indices))
        for index, value in zip(awaitable_indices, awaited, strict=True):
            completed[index] = value
    return completed


async def gather_fields(results: dict[str, Any], awaitable_fields: list[str]) -> dict[str, Any]:
    """graphql-core's ending of ``execute_fields`` when some fields are awaitable."""
    if len(awaitable_fields) == 1:
        field = awaitable_fields[0]
        results[field] = await results[field]
    else:
        awaited = await gather_with_cancel(*(results[field] for field in awaitable_fields))
        results.update(zip(awaitable_fields, awaited, strict=True))
    return results
