"""Which fields of a schema are plain, for oms/graphql/execution.py's short paths: a plain
attribute (Strawberry's basic field) of a scalar or enum type (a leaf), an object reached
by a plain attribute or a lean resolver (oms/graphql/lean.py) whose type check is none or
Strawberry's own, or a list of such objects read without an info. Facts about a field,
found once and kept on the field (per schema)."""

from __future__ import annotations

from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
)
from graphql.type.scalars import serialize_id, serialize_int, serialize_string
from strawberry.schema.schema_converter import CustomGraphQLEnumType
from strawberry.types.field import StrawberryField

# Attributes of a GraphQLField that keep what was found for it (fields are unhashable; the
# answer lives and dies with the field, so with its schema).
LEAF = "_oms_plain_leaf"
OBJECT = "_oms_plain_object"
LIST = "_oms_plain_list"

# graphql-core's String and ID coercions, which give a str back as it is.
_TEXT_COERCIONS = (serialize_string, serialize_id)


class Leaf:
    """How to answer a plain leaf field: read the attribute, coerce it (a str of a String
    or ID field is its own coercion: ``text``; so is an int within 32 bits of an Int
    field: ``int``; ``own`` is that type, str or int, or None)."""

    __slots__ = ("name", "read", "coerce", "nullable", "text", "int", "own")

    def __init__(self, name: str, read: Any, coerce: Any, nullable: bool) -> None:
        self.name, self.read, self.coerce, self.nullable = name, read, coerce, nullable
        self.text = coerce in _TEXT_COERCIONS
        self.int = coerce is serialize_int
        self.own: type | None = str if self.text else int if self.int else None


def _basic_read(field: GraphQLField) -> tuple[Any, str] | None:
    """``(default_resolver, python_name)`` when Strawberry resolves ``field`` as a plain
    attribute (its basic-field resolver: ``StrawberryField.get_result`` with no resolver,
    i.e. ``default_resolver(source, python_name)``) and it takes no arguments."""
    if not getattr(field.resolve, "_is_default", False) or field.args:
        return None
    definition = (field.extensions or {}).get("strawberry-definition")
    if (
        not isinstance(definition, StrawberryField)
        or type(definition).get_result is not StrawberryField.get_result
        or definition.base_resolver is not None
        or not definition.python_name
    ):
        return None
    return definition.default_resolver, definition.python_name


def plain_leaf(field: GraphQLField) -> Leaf | None:
    """How to answer ``field`` when it is a plain attribute (:func:`_basic_read`) of a
    scalar or enum type."""
    basic = _basic_read(field)
    if basic is None:
        return None
    field_type, nullable = field.type, True
    if isinstance(field_type, GraphQLNonNull):
        field_type, nullable = field_type.of_type, False
    if not isinstance(field_type, GraphQLScalarType | GraphQLEnumType):
        return None
    read, name = basic
    return Leaf(name, read, _coercion(field_type), nullable)


def _coercion(field_type: GraphQLScalarType | GraphQLEnumType) -> Any:
    """The type's ``coerce_output_value``; for Strawberry's enum type, the same answers with
    each member's name found once (Strawberry's looks through the values for each member:
    ~4 property reads a field)."""
    general = field_type.coerce_output_value
    if type(field_type) is not CustomGraphQLEnumType:
        return general
    wrapped: Any = field_type.wrapped_cls
    names: dict[Any, str] = {}
    member: Any
    for member in wrapped:
        for name, value in field_type.values.items():
            if member.value == value.value:
                names[member] = name
                break

    def coerce(value: Any) -> Any:
        if type(value) is wrapped:
            name = names.get(value)
            if name is not None:
                return name
        return general(value)

    return coerce


def checked_object(return_type: GraphQLOutputType) -> GraphQLObjectType | None:
    """The object type of ``return_type`` (itself or non-null of it) when its type check is
    none or Strawberry's own (an isinstance that ignores info)."""
    if isinstance(return_type, GraphQLNonNull):
        return_type = return_type.of_type
    if not isinstance(return_type, GraphQLObjectType):
        return None
    check = return_type.is_type_of
    if check is not None and not getattr(check, "__qualname__", "").endswith("_get_is_type_of.<locals>.is_type_of"):
        return None
    return return_type


def plain_object(field: GraphQLField) -> tuple[GraphQLObjectType, Any] | None:
    """The object type of ``field`` and how to read it from its source, when that needs no
    info: a plain attribute (:func:`_basic_read`) or a lean resolver, and no arguments."""
    object_type = checked_object(field.type)
    if object_type is None or field.args:
        return None
    basic = _basic_read(field)
    if basic is not None:
        read, name = basic
        return object_type, lambda source: read(source, name)
    lean = getattr(field.resolve, "_oms_lean", None)
    return (object_type, lean) if lean is not None else None


def plain_list(field: GraphQLField) -> tuple[GraphQLObjectType, GraphQLOutputType, Any] | None:
    """For a field, without arguments, whose type is a list of objects (itself or non-null,
    of :func:`checked_object` items, non-null or not): the item's object type, the item
    type (for errors), and how to read the list without an info: a plain attribute or a
    resolver's ``_oms_without_info`` (oms/graphql/lean.py), which may answer Undefined."""
    if field.args:
        return None
    list_type = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
    if not isinstance(list_type, GraphQLList):
        return None
    item_type = list_type.of_type
    object_type = checked_object(item_type)
    if object_type is None:
        return None
    basic = _basic_read(field)
    if basic is not None:
        read, name = basic
        return object_type, item_type, lambda source: read(source, name)
    without_info = getattr(field.resolve, "_oms_without_info", None)
    return (object_type, item_type, without_info) if without_info is not None else None


def cached(field: GraphQLField, key: str, find: Any) -> Any:
    try:
        return field.__dict__[key]
    except KeyError:
        found = field.__dict__[key] = find(field)
        return found
