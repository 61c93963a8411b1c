"""Resolvers called without Strawberry's per-call wrapper, where nothing in it applies.

Strawberry wraps every resolver: per call it builds an Info, converts the arguments
(``get_arguments``), chains the field's extensions and, when the schema has exception
handlers, catches. For a synchronous resolver with no arguments, no field extension (a
permission class is one) and no exception handler, all that comes down to calling the
function with ``self`` and, when it asks for it, the Info. :func:`use_lean_resolvers`
gives such fields a resolver that does just that, once, when the schema is built:

- taking only ``self`` (``Order.total``, ``OrderLine.unitPrice``): ``func(source)``; the
  execution context (oms/graphql/execution.py) reads the object such a resolver returns
  without a ResolveInfo (``_oms_lean``);
- taking ``self`` and the Info (``Order.lines``, once per order of a page): ``func(source,
  info=Info(...))``, the Info made as Strawberry makes it (the schema's ``info_class``
  around graphql-core's ResolveInfo and the field). When the resolver is marked with
  :func:`answers_without_info` (``Order.lines`` for a page that loaded the lines), the
  execution context first asks its ``read(source)`` (``_oms_without_info``) and calls the
  resolver with an Info only when that answers Undefined.

This is the seam with oms/graphql/execution.py: here which resolver a field gets (at
schema build), there how graphql-core walks the answer (per request).
tests/test_graphql_execution.py compares answers and errors with Strawberry's own.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLObjectType, GraphQLSchema
from strawberry.types.field import StrawberryField


def answers_without_info(read: Any) -> Any:
    """Mark a resolver taking ``self`` and the Info whose answer for some sources needs no
    Info: ``read(source)`` gives that answer, or Undefined when the Info is needed (having
    done nothing: the resolver is then called as usual). ``read`` must answer as the
    resolver would. Put it under ``@strawberry.field``."""

    def mark(func: Any) -> Any:
        func._oms_without_info = read
        return func

    return mark


def _function(resolver: Any) -> Any:
    # The function itself: StrawberryResolver.__call__ only checks it is callable.
    return resolver.wrapped_func if callable(resolver.wrapped_func) else resolver


def _lean(resolver: Any) -> Any:
    func = _function(resolver)

    def resolve(source: Any, info: Any) -> Any:
        return func(source)

    resolve._oms_lean = func  # type: ignore[attr-defined]  # for execution._plain_object
    return resolve


def _lean_with_info(resolver: Any, field: StrawberryField, info_class: Any) -> Any:
    func = _function(resolver)
    name = resolver.info_parameter.name

    def resolve(source: Any, info: Any) -> Any:
        return func(source, **{name: info_class(_raw_info=info, _field=field)})

    without_info = getattr(func, "_oms_without_info", None)
    if without_info is not None:
        resolve._oms_without_info = without_info  # type: ignore[attr-defined]  # for execution
    return resolve


def use_lean_resolvers(schema: GraphQLSchema, strawberry_schema: Any) -> int:
    """Give each field whose resolver takes ``self`` and at most the Info (no root, no
    parent, no arguments, no field extension such as a permission class, synchronous) a
    resolver that calls it directly (see the module). Nothing changes when the schema has
    exception handlers (they wrap every resolver). Returns how many fields it changed."""
    if getattr(strawberry_schema, "exception_handlers", ()):
        return 0
    info_class = strawberry_schema.config.info_class
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
                or resolver.root_parameter is not None
                or resolver.parent_parameter is not None
            ):
                continue
            if resolver.info_parameter is None:
                graphql_field.resolve = _lean(resolver)
            else:
                graphql_field.resolve = _lean_with_info(resolver, field, info_class)
            changed += 1
    return changed
