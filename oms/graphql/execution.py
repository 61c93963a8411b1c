"""Shorter paths through graphql-core and Strawberry for the commonest fields: a plain
attribute of a scalar or enum type, and a resolver that takes only ``self``.

A page of 100 orders with their lines is ~1,500 fields, ~1,200 of them leaves such as
``number`` or ``sku`` that Strawberry resolves as ``getattr(source, name)`` (a "basic"
field: no resolver, no permission class, no field extension). For each, graphql-core
still builds a ResolveInfo, then walks ``complete_value`` (non-null, list, leaf) to reach
the scalar's ``coerce_output_value``. Here such a field is answered with the same two
calls, the resolver and the coercion, and nothing else.

Whatever is unusual takes graphql-core's own path, unchanged: a field with a resolver or
arguments, a resolve middleware (a schema extension with a ``resolve`` hook), a value that
is null where null is not allowed, an exception, an awaitable, or a value the scalar
refuses. That path calls the resolver again (a getattr: no side effect) and reports the
error exactly as before.

A resolver that takes only ``self`` (``Order.total``) is called directly by graphql-core
(:func:`use_lean_resolvers`), without Strawberry's per-call wrapper: nothing in that
wrapper applies to it (no Info, no arguments, no field extension).
"""

from __future__ import annotations

from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
)
from graphql.pyutils import Path, Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.field import StrawberryField

# The attribute of a GraphQLField that keeps what _plain_leaf found for it (fields are
# unhashable; the answer lives and dies with the field, so with its schema).
_LEAF = "_oms_plain_leaf"


def _plain_leaf(field: GraphQLField) -> tuple[GraphQLScalarType | GraphQLEnumType, bool] | None:
    """The leaf type of ``field`` and whether it may be null, when Strawberry resolves it
    as a plain attribute (its basic-field resolver) and it takes no arguments."""
    if not getattr(field.resolve, "_is_default", False) or field.args:
        return None
    field_type, nullable = field.type, True
    if isinstance(field_type, GraphQLNonNull):
        field_type, nullable = field_type.of_type, False
    if isinstance(field_type, GraphQLScalarType | GraphQLEnumType):
        return field_type, nullable
    return None


class OmsExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context with the plain-leaf path (see the module)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manager = self.middleware_manager
        # Strawberry passes a manager always; it wraps resolvers only when an extension
        # has a ``resolve`` hook, and then every field takes the usual path.
        self._plain_leaves = not (manager is not None and getattr(manager, "_middleware_resolvers", None))

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Path,
        position_context: Any,
    ) -> Any:
        field = parent_type.fields.get(field_details_list[0].node.name.value)
        if field is not None and self._plain_leaves:
            try:
                leaf = field.__dict__[_LEAF]
            except KeyError:
                leaf = field.__dict__[_LEAF] = _plain_leaf(field)
            if leaf is not None:
                value = _leaf_value(field, leaf, source, self.is_awaitable)
                if value is not Undefined:
                    return value
        return super().execute_field(parent_type, source, field_details_list, path, position_context)


def _leaf_value(
    field: GraphQLField, leaf: tuple[GraphQLScalarType | GraphQLEnumType, bool], source: Any, is_awaitable: Any
) -> Any:
    """The completed value of a plain leaf field, or Undefined to take the usual path."""
    leaf_type, nullable = leaf
    try:
        value = field.resolve(source, None)  # type: ignore[misc]  # a basic field's resolver ignores info
    except Exception:
        return Undefined
    if value is None:
        return None if nullable else Undefined
    if isinstance(value, Exception) or is_awaitable(value):
        return Undefined
    try:
        coerced = leaf_type.coerce_output_value(value)
    except Exception:
        return Undefined
    return Undefined if coerced is None else coerced


def _lean(resolver: Any) -> Any:
    def resolve(source: Any, info: Any) -> Any:
        return resolver(source)

    return resolve


def use_lean_resolvers(schema: GraphQLSchema, strawberry_schema: Any) -> int:
    """Give each field whose resolver takes only ``self`` (no info, no root, no arguments,
    no field extension such as a permission class, synchronous) a resolver that calls it
    directly: Strawberry's wrapper would build an Info, convert no arguments and chain no
    extensions for it on every call (``Order.total``, ``OrderLine.unitPrice``...).
    Nothing changes when the schema has exception handlers (they wrap every resolver).
    Returns how many fields it changed."""
    if getattr(strawberry_schema, "exception_handlers", ()):
        return 0
    changed = 0
    for name, graphql_type in schema.type_map.items():
        if name.startswith("__") or not isinstance(graphql_type, GraphQLObjectType):
            continue
        for graphql_field in graphql_type.fields.values():
            field = (graphql_field.extensions or {}).get("strawberry-definition")
            resolver = getattr(field, "base_resolver", None)
            if (
                not isinstance(field, StrawberryField)
                or resolver is None
                or field.extensions
                or field.arguments
                or graphql_field.args
                or resolver.is_async
                or resolver.self_parameter is None
                or resolver.info_parameter is not None
                or resolver.root_parameter is not None
                or resolver.parent_parameter is not None
            ):
                continue
            graphql_field.resolve = _lean(resolver)
            changed += 1
    return changed
