"""Operation variables coerced by a plan per input type, graphql-core for the rest (issue 15).

graphql-core's ``get_variable_values`` makes each variable's signature from its definition
node, walks the value once for its depth and again to coerce it, asking ``is_non_null_type``,
``is_list_type``... at every node (~200 calls for placeOrder's input of 3 lines). Here the
signature is kept with the (cached, reused) definition node and each input type has a
coercer made once, doing what ``coerce_input_value`` does: the same leaf coercion, the same
defaults (graphql-core's own ``coerce_default_value``), the same output names and types.

The fast path answers only when every variable is given, has no default, and coerces
without a fault at a depth under ``MAX_DEPTH``. Anything else (a missing or defaulted
variable, a value of the wrong shape, a oneOf input, a deep value, more than ``MAX_DEPTH``
levels) goes to graphql-core's ``get_variable_values`` from the start, so every error and
message is graphql-core's (tests/test_variables.py compares the two).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from graphql import GraphQLError, GraphQLSchema, VariableDefinitionNode
from graphql.execution import executor, values
from graphql.execution.get_variable_signature import GraphQLVariableSignature, get_variable_signature
from graphql.pyutils import Undefined, is_iterable
from graphql.type import (
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    is_leaf_type,
    is_required_input_field,
)
from graphql.utilities.coerce_input_value import coerce_default_value

# Far below graphql-core's MAX_NESTING_DEPTH: deeper values take the library's path,
# which checks its limit and answers as it does.
MAX_DEPTH = 32


class _Fault(Exception):
    """The value is not one the fast path answers: graphql-core takes the request."""


_FAULT = _Fault()
_Coercer = Callable[[Any, int], Any]
# Each type keeps its coercer as this attribute: it lives and dies with the type (a
# schema's, or a variable's wrapper kept with its signature below).
_ATTRIBUTE = "_oms_coercer"
_SIGNATURES: dict[int, tuple[VariableDefinitionNode, GraphQLSchema, GraphQLVariableSignature | None]] = {}
_MAX_SIGNATURES = 1024


def get_variable_values(
    schema: GraphQLSchema,
    var_def_nodes: Collection[VariableDefinitionNode],
    inputs: dict[str, Any],
    max_errors: int | None = None,
    hide_suggestions: bool = False,
) -> values.VariableValuesOrErrors:
    """``graphql.execution.values.get_variable_values``, by plan when it can (see above)."""
    sources: dict[str, values.VariableValueSource] = {}
    coerced: dict[str, Any] = {}
    try:
        for node in var_def_nodes:
            signature = _signature(schema, node)
            if signature is None:
                raise _FAULT
            value = inputs.get(signature.name, Undefined)
            if value is Undefined:
                raise _FAULT
            sources[signature.name] = values.VariableValueSource(signature, value)
            coerced[signature.name] = coercer(signature.type)(value, 0)
    except _Fault:
        return values.get_variable_values(schema, var_def_nodes, inputs, max_errors, hide_suggestions)
    return values.VariableValues(sources, coerced)


def _signature(schema: GraphQLSchema, node: VariableDefinitionNode) -> GraphQLVariableSignature | None:
    """The node's signature as graphql-core makes it, kept while the node is (documents are
    cached, so the same nodes come back); None for one with a default or an error."""
    cached = _SIGNATURES.get(id(node))
    if cached is not None and cached[0] is node and cached[1] is schema:
        return cached[2]
    made = get_variable_signature(schema, node)
    signature = None if isinstance(made, GraphQLError) or made.default is not None else made
    if len(_SIGNATURES) >= _MAX_SIGNATURES:
        _SIGNATURES.clear()
    _SIGNATURES[id(node)] = (node, schema, signature)
    return signature


def coercer(type_: GraphQLInputType) -> _Coercer:
    """The coercer of ``type_``: ``coerce_input_value(value, type_)``, raising ``_Fault``
    where that returns ``Undefined`` (or where the fast path leaves the value to it)."""
    made = getattr(type_, _ATTRIBUTE, None)
    if made is None:
        made = _make(type_)
        setattr(type_, _ATTRIBUTE, made)
    return made


def _make(type_: GraphQLInputType) -> _Coercer:
    if isinstance(type_, GraphQLNonNull):
        inner = coercer(type_.of_type)

        def non_null(value: Any, depth: int) -> Any:
            if value is None or value is Undefined:
                raise _FAULT
            return inner(value, depth)

        return non_null
    nullable = _make_nullable(type_)

    def maybe_null(value: Any, depth: int) -> Any:
        if value is None or value is Undefined:
            return None
        return nullable(value, depth)

    return maybe_null


def _make_nullable(type_: GraphQLInputType) -> _Coercer:
    if isinstance(type_, GraphQLList):
        item_type = type_.of_type

        def a_list(value: Any, depth: int) -> Any:
            if depth >= MAX_DEPTH:
                raise _FAULT
            item = coercer(item_type)
            if not is_iterable(value):  # a list of one, as graphql-core accepts it
                return [item(value, depth + 1)]
            return [item(entry, depth + 1) for entry in value]

        return a_list
    if isinstance(type_, GraphQLInputObjectType):
        return _make_input_object(type_)
    if is_leaf_type(type_):
        coerce_leaf = type_.coerce_input_value

        def leaf(value: Any, depth: int) -> Any:
            try:
                result = coerce_leaf(value)
            except Exception:  # noqa: BLE001 -- graphql-core answers it, with its message
                raise _FAULT from None
            if result is Undefined:
                raise _FAULT
            return result

        return leaf

    def other(value: Any, depth: int) -> Any:
        raise _FAULT

    return other


def _make_input_object(type_: GraphQLInputObjectType) -> _Coercer:
    def input_object(value: Any, depth: int) -> Any:
        if depth >= MAX_DEPTH or not isinstance(value, dict) or type_.is_one_of:
            raise _FAULT
        fields = type_.fields
        for name, field_value in value.items():
            if name not in fields and field_value is not Undefined:
                raise _FAULT
        result: dict[str, Any] = {}
        for name, field in fields.items():
            field_value = value.get(name, Undefined)
            if field_value is Undefined:
                if is_required_input_field(field):
                    raise _FAULT
                default = coerce_default_value(field)
                if default is not Undefined:
                    result[field.out_name or name] = default
            else:
                result[field.out_name or name] = coercer(field.type)(field_value, depth + 1)
        return type_.out_type(result)

    return input_object


def install() -> None:
    """Make graphql-core's executor coerce variables here (idempotent)."""
    executor.get_variable_values = get_variable_values
