"""Shorter paths through graphql-core and Strawberry for the commonest fields: a plain
attribute of a scalar or enum type, an object reached by a plain attribute or a resolver
that takes only ``self``, and the objects of a list.

A page of 100 orders with their lines is ~1,500 fields, ~1,200 of them leaves such as
``number`` or ``sku`` that Strawberry resolves as ``getattr(source, name)`` (a "basic"
field: no resolver, no permission class, no field extension). For each, graphql-core
still makes a Path, calls ``execute_field``, builds a ResolveInfo, then walks
``complete_value`` (non-null, list, leaf) to reach the scalar's ``coerce_output_value``.
Here ``execute_fields`` answers such a field with the attribute read and the coercion
only. The page's ~630 objects (edges, nodes, ``Money``, lines) are completed without a
ResolveInfo where none is needed and without graphql-core's ``complete_value`` walk:
each grouped field set gets a plan once per request (for each field: a plain leaf, a
plain object with its own sub-plan, or neither), and an object inside an object, or an
item of a plain list of objects, runs its sub-plan from the loop over its parent's
fields, without an ``execute_field`` call, a plan lookup or a sub-selection lookup per
object. Which fields are plain is found once per field: oms/graphql/plain_fields.py.

Whatever is unusual takes graphql-core's own path, unchanged: a field with arguments or
a resolver that needs more than ``self``, a resolve middleware (a schema extension with a
``resolve`` hook), a value that is null where null is not allowed, an exception, an
awaitable, a value the scalar refuses, an object whose type check is not Strawberry's
own. For a leaf that path calls the basic resolver again (a getattr: no side effect) and
reports the error exactly as before; for an object the value already resolved is handed
to graphql-core's completion (the resolver is not called twice). Errors are reported
with graphql-core's own ``handle_field_error``. tests/test_graphql_execution.py compares
the answers and errors of both paths.

A resolver that takes only ``self`` (``Order.total``), or ``self`` and the Info, is
called directly by graphql-core, without Strawberry's per-call wrapper: oms/graphql/lean.py
(:func:`use_lean_resolvers`, re-exported here) gives the fields those resolvers when the
schema is built; this module reads what the ``self``-only ones return without a ResolveInfo.

Relied on, beyond graphql-core's documented API (pinned by the tests): the methods
``execute_fields``, ``execute_field``, ``complete_value``, ``collect_subfields``,
``execute_collected_subfields``, ``handle_field_error``, ``complete_awaitable_value``,
``complete_list_value``, ``complete_list_item_value``, ``complete_awaitable_list_item_value``,
``get_stream_usage``, ``settle_in_background``, ``build_response`` and the attribute
``async_helpers`` (bound methods of the context) of its ExecutionContext (3.3); of
Strawberry (0.341), the marker ``_is_default`` on a basic field's resolver, a resolver's
``wrapped_func`` and the qualified name of the type check it generates for types with
interfaces.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from graphql import ExecutionResult, GraphQLField, GraphQLObjectType, GraphQLOutputType
from graphql.pyutils import Path, Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from oms.graphql.lean import use_lean_resolvers
from oms.graphql.plain_fields import LEAF, LIST, OBJECT, cached, checked_object, plain_leaf, plain_list, plain_object
from oms.graphql.plain_values import COMPLETED as _COMPLETED
from oms.graphql.plain_values import PLAIN_VALUES as _PLAIN_VALUES
from oms.graphql.plain_values import Child as _Child
from oms.graphql.plain_values import ListChild as _ListChild
from oms.graphql.plain_values import gather_fields as _gather_fields
from oms.graphql.plain_values import gather_items as _gather_items
from oms.graphql.plain_values import is_inert as _is_inert
from oms.graphql.plain_values import leaf_value as _leaf_value

__all__ = ["OmsExecutionContext", "use_lean_resolvers"]


class OmsExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context with the short paths (see the module)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manager = self.middleware_manager
        # Strawberry passes a manager always; it wraps resolvers only when an extension
        # has a ``resolve`` hook, and then every field takes the usual path.
        self._short_paths = not (manager is not None and getattr(manager, "_middleware_resolvers", None))
        # (parent type, id of a grouped field set) -> (the set, kept alive so its id is not
        # reused; each field's response name, details, Leaf or None, _Child or None).
        self._plans: dict[tuple[GraphQLObjectType, int], tuple[Any, list[tuple[str, Any, Any, Any]]]] = {}
        # A return type -> its object type for complete_value (None: not one to shorten).
        self._object_types: dict[GraphQLOutputType, Any] = {}
        # Types whose values are neither awaitable nor exceptions (found once per request;
        # both are properties of the type, but for generators, which are never added).
        self._inert: set[type] = set(_PLAIN_VALUES)

    def build_response(self, data: Any) -> Any:
        """graphql-core's answer; then, once an answer is whole (not incremental), the cycle
        ``self.async_helpers`` -> its bound methods -> ``self`` is broken, so reference counting
        frees this request's context, loaders and the models they cached as soon as the request
        ends, instead of a young collection every few pages walking them (docs/performance.md,
        "listcpu6"). A subscription's events run on copies of its context, each broken alone."""
        response = super().build_response(data)
        if type(response) is ExecutionResult:
            self.__dict__.pop("async_helpers", None)
        return response

    def _plan(self, parent_type: GraphQLObjectType, grouped_field_set: Any) -> list[tuple[str, Any, Any, Any]]:
        key = (parent_type, id(grouped_field_set))
        known = self._plans.get(key)
        if known is not None:
            return known[1]
        plan = []
        for response_name, field_details_list in grouped_field_set.items():
            field = parent_type.fields.get(field_details_list[0].node.name.value)
            leaf = cached(field, LEAF, plain_leaf) if field is not None else None
            child = None
            if field is not None and leaf is None:
                plain = cached(field, OBJECT, plain_object)
                if plain is not None:
                    child = _Child(field, parent_type, *plain)
                else:
                    items = cached(field, LIST, plain_list)
                    if items is not None:
                        child = _ListChild(field, parent_type, *items)
            plan.append((response_name, field_details_list, leaf, child))
        self._plans[key] = (grouped_field_set, plan)
        return plan

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: Any,
        position_context: Any,
    ) -> Any:
        """graphql-core's ``execute_fields``, with plain leaves answered in the loop and
        plain objects completed from it (:meth:`_execute_plan`)."""
        if not self._short_paths:
            return super().execute_fields(parent_type, source_value, path, grouped_field_set, position_context)
        return self._execute_plan(
            parent_type, self._plan(parent_type, grouped_field_set), source_value, path, position_context
        )

    def _execute_plan(
        self,
        parent_type: GraphQLObjectType,
        plan: list[Any],
        source_value: Any,
        path: Path | None,
        position_context: Any,
    ) -> Any:
        """The loop of ``execute_fields`` over the plan of a grouped field set."""
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        inert = self._inert
        awaitable_fields: list[str] = []
        try:
            for response_name, field_details_list, leaf, child in plan:
                if leaf is not None:
                    # The read inlined; a value that is its own answer (``Leaf.own``) needs
                    # no call: ~1,300 of a page's ~1,800 leaves.
                    try:
                        value = leaf.read(source_value, leaf.name)
                    except Exception:
                        value = Undefined  # graphql-core's path reports it
                    else:
                        if type(value) is not leaf.own or (leaf.int and not -2147483648 <= value <= 2147483647):
                            value = _leaf_value(leaf, value, is_awaitable, inert)
                    if value is not Undefined:
                        results[response_name] = value
                        continue
                elif child is not None and position_context is None:
                    field_path = Path(path, response_name, parent_type.name)
                    if type(child) is _ListChild:
                        result = self._complete_list_child(child, source_value, field_details_list, field_path)
                        if result is Undefined:  # the list needs the resolver, with its Info
                            result = self.execute_field(parent_type, source_value, field_details_list, field_path, None)
                    else:
                        result = self._complete_child(child, source_value, field_details_list, field_path)
                    results[response_name] = result
                    if type(result) not in _COMPLETED and is_awaitable(result):
                        awaitable_fields.append(response_name)
                    continue
                result = self.execute_field(
                    parent_type,
                    source_value,
                    field_details_list,
                    Path(path, response_name, parent_type.name),
                    position_context,
                )
                if result is not Undefined:
                    results[response_name] = result
                    if type(result) not in _COMPLETED and is_awaitable(result):
                        awaitable_fields.append(response_name)
        except Exception:
            if awaitable_fields:
                self.settle_in_background([results[field] for field in awaitable_fields])
            raise
        if not awaitable_fields:
            return results
        return _gather_fields(results, awaitable_fields)

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Path,
        position_context: Any,
    ) -> Any:
        field = parent_type.fields.get(field_details_list[0].node.name.value)
        if field is None or not self._short_paths:
            return super().execute_field(parent_type, source, field_details_list, path, position_context)
        plain = cached(field, OBJECT, plain_object)
        if plain is None:
            return super().execute_field(parent_type, source, field_details_list, path, position_context)
        object_type, read = plain
        return_type = field.type
        try:
            value = read(source)
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None
        check = object_type.is_type_of
        if (
            value is None
            or isinstance(value, Exception)
            or self.is_awaitable(value)
            or (check is not None and check(value, None) is not True)
        ):
            return self._complete_resolved(field, parent_type, field_details_list, path, value, position_context)
        try:
            grouped_field_set, new_defer_usages, _ = self.collect_subfields(object_type, field_details_list)
            completed = self.execute_collected_subfields(
                object_type, value, path, grouped_field_set, new_defer_usages, position_context
            )
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None
        if type(completed) is not dict and self.is_awaitable(completed):
            return self._await_completed(completed, return_type, field_details_list, path)
        return completed

    def _complete_child(self, child: _Child, source: Any, field_details_list: Any, path: Path) -> Any:
        """What ``execute_field`` does for a plain object field (below), with the field, its
        reading and its sub-selection found once per grouped field set, not per source."""
        field = child.field
        try:
            value = child.read(source)
        except Exception as raw_error:
            self.handle_field_error(raw_error, field.type, field_details_list, path)
            return None
        check = child.check
        if (
            value is None
            or (type(value) not in self._inert and not _is_inert(value, self.is_awaitable, self._inert))
            or (check is not None and check(value, None) is not True)
        ):
            return self._complete_resolved(field, child.parent_type, field_details_list, path, value, None)
        try:
            plan = child.plan
            if plan is None:
                plan = self._child_plan(child, field_details_list)
            if plan is False:
                completed = self._complete_deferred(child, value, field_details_list, path)
            else:
                completed = self._execute_plan(child.object_type, plan, value, path, None)
        except Exception as raw_error:
            self.handle_field_error(raw_error, field.type, field_details_list, path)
            return None
        if type(completed) is not dict and self.is_awaitable(completed):
            return self._await_completed(completed, field.type, field_details_list, path)
        return completed

    def _complete_list_child(self, child: _ListChild, source: Any, field_details_list: Any, path: Path) -> Any:
        """What ``execute_field`` and ``complete_list_value`` do for a plain list field, when
        its reading answers a Python list of objects of the type, not streamed: each item's
        sub-plan is run from here. Undefined when the reading needs the Info (the caller
        then takes ``execute_field``); any other value goes to graphql-core's completion."""
        field = child.field
        try:
            value = child.read(source)
        except Exception as raw_error:
            self.handle_field_error(raw_error, field.type, field_details_list, path)
            return None
        if value is Undefined:
            return Undefined
        check, is_awaitable, inert = child.check, self.is_awaitable, self._inert
        completed: list[Any] = []
        awaitable_indices: list[int] = []
        try:
            plain = type(value) is list and self.get_stream_usage(field_details_list, path) is None
            if plain:
                for item in value:  # a loop, not all(...): no generator resumed per item
                    if (
                        item is None
                        or (type(item) not in inert and not _is_inert(item, is_awaitable, inert))
                        or (check is not None and check(item, None) is not True)
                    ):
                        plain = False
                        break
            if not plain:
                return self._complete_resolved(field, child.parent_type, field_details_list, path, value, None)
            plan = child.plan
            if plan is None:
                plan = self._child_plan(child, field_details_list)
            for index, item in enumerate(value):
                item_path = path.add_key(index, None)
                try:
                    if plan is False:
                        item_value = self._complete_deferred(child, item, field_details_list, item_path)
                    else:
                        item_value = self._execute_plan(child.object_type, plan, item, item_path, None)
                except Exception as raw_error:
                    self.handle_field_error(raw_error, child.item_type, field_details_list, item_path)
                    item_value = None
                if type(item_value) is not dict and is_awaitable(item_value):
                    completed.append(self._await_completed(item_value, child.item_type, field_details_list, item_path))
                    awaitable_indices.append(index)
                else:
                    completed.append(item_value)
        except Exception as raw_error:
            if awaitable_indices:
                self.settle_in_background([completed[index] for index in awaitable_indices])
            self.handle_field_error(raw_error, field.type, field_details_list, path)
            return None
        if not awaitable_indices:
            return completed
        return self._await_completed(_gather_items(completed, awaitable_indices), field.type, field_details_list, path)

    def _child_plan(self, child: _Child, field_details_list: Any) -> Any:
        """The plan of a child's sub-selection, made on its first use (``child.plan`` None) and
        kept on the child for the request; False when the sub-selection has deferred parts."""
        grouped_field_set, new_defer_usages, _ = self.collect_subfields(child.object_type, field_details_list)
        plan = child.plan = False if new_defer_usages else self._plan(child.object_type, grouped_field_set)
        return plan

    def _complete_deferred(self, child: _Child, value: Any, field_details_list: Any, path: Path) -> Any:
        """A child's object whose sub-selection has deferred parts: graphql-core's own way."""
        grouped_field_set, new_defer_usages, _ = self.collect_subfields(child.object_type, field_details_list)
        return self.execute_collected_subfields(
            child.object_type, value, path, grouped_field_set, new_defer_usages, None
        )

    def _complete_resolved(
        self,
        field: GraphQLField,
        parent_type: GraphQLObjectType,
        field_details_list: Any,
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        """graphql-core's ``execute_field`` after its resolver call, for a value resolved."""
        return_type = field.type
        info = self.build_resolve_info(field, [details.node for details in field_details_list], parent_type, path)
        try:
            if self.is_awaitable(result):
                return self.complete_awaitable_value(
                    return_type, field_details_list, info, path, result, position_context
                )
            completed = self.complete_value(return_type, field_details_list, info, path, result, position_context)
            if self.is_awaitable(completed):
                return self._await_completed(completed, return_type, field_details_list, path)
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None
        return completed

    async def _await_completed(
        self, completed: Awaitable[Any], return_type: GraphQLOutputType, field_details_list: Any, path: Path
    ) -> Any:
        try:
            return await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None

    def _object_type_of(self, return_type: GraphQLOutputType) -> GraphQLObjectType | None:
        object_type = self._object_types.get(return_type, Undefined)
        if object_type is Undefined:
            object_type = self._object_types[return_type] = checked_object(return_type)
        return object_type

    def complete_list_value(
        self,
        return_type: Any,
        field_details_list: Any,
        info: Any,
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        """graphql-core's completion of a list (``complete_iterable_value``) for a plain
        Python list of objects not streamed: each item that is an object of the type goes
        straight to its sub-selection; any other item (null, an exception, an awaitable,
        another type) is completed by graphql-core's own item completion."""
        item_type = return_type.of_type
        object_type = self._object_type_of(item_type) if self._short_paths else None
        if object_type is None or type(result) is not list or self.get_stream_usage(field_details_list, path):
            return super().complete_list_value(return_type, field_details_list, info, path, result, position_context)
        grouped_field_set, new_defer_usages, _ = self.collect_subfields(object_type, field_details_list)
        plan = self._plan(object_type, grouped_field_set) if not new_defer_usages and position_context is None else None
        check = object_type.is_type_of
        is_awaitable = self.is_awaitable
        inert = self._inert
        completed: list[Any] = []
        awaitable_indices: list[int] = []
        index = 0
        try:
            for index, item in enumerate(result):
                item_path = path.add_key(index, None)
                if type(item) not in inert and is_awaitable(item):
                    completed.append(
                        self.complete_awaitable_list_item_value(
                            item, item_type, field_details_list, info, item_path, position_context
                        )
                    )
                    awaitable_indices.append(index)
                    continue
                if item is None or isinstance(item, Exception) or (check is not None and check(item, info) is not True):
                    if self.complete_list_item_value(
                        item, completed, item_type, field_details_list, info, item_path, position_context
                    ):
                        awaitable_indices.append(index)
                    continue
                try:
                    if plan is not None:
                        value = self._execute_plan(object_type, plan, item, item_path, None)
                    else:
                        value = self.execute_collected_subfields(
                            object_type, item, item_path, grouped_field_set, new_defer_usages, position_context
                        )
                except Exception as raw_error:
                    self.handle_field_error(raw_error, item_type, field_details_list, item_path)
                    value = None
                if type(value) is not dict and is_awaitable(value):
                    completed.append(self._await_completed(value, item_type, field_details_list, item_path))
                    awaitable_indices.append(index)
                else:
                    completed.append(value)
        except Exception:
            pending = [completed[i] for i in awaitable_indices]
            pending.extend(item for item in result[index + 1 :] if is_awaitable(item))
            if pending:
                self.settle_in_background(pending)
            raise
        if not awaitable_indices:
            return completed
        return _gather_items(completed, awaitable_indices)

    def complete_value(
        self,
        return_type: GraphQLOutputType,
        field_details_list: Any,
        info: Any,
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        """An object (a list's item, most often) goes straight to its sub-selection."""
        if self._short_paths and result is not None and result is not Undefined and not isinstance(result, Exception):
            object_type = self._object_type_of(return_type)
            if object_type is not None:
                check = object_type.is_type_of
                if check is None or check(result, info) is True:
                    grouped_field_set, new_defer_usages, _ = self.collect_subfields(object_type, field_details_list)
                    return self.execute_collected_subfields(
                        object_type, result, path, grouped_field_set, new_defer_usages, position_context
                    )
        return super().complete_value(return_type, field_details_list, info, path, result, position_context)
