"""Query cost limits whose check is linear in the document.

Strawberry's ``QueryDepthLimiter`` and ``MaxAliasesLimiter`` follow every fragment spread
without memoising, so a few hundred bytes whose fragments each spread the next one twice
cost 2^n on the event loop. Here each fragment is measured ONCE, bottom-up over the
fragment dependency graph, and a spread adds the memoised figures of its fragment:

- **depth**: the nesting of fields, as Strawberry counts it (a top-level field is at
  depth 0; introspection fields such as ``__schema`` are not descended into, so GraphiQL
  keeps working);
- **aliases**: counted as expanded (an alias inside a fragment spread three times counts
  three times), summed over the operations of the document, as Strawberry did;
- **selections**: fields, spreads and inline fragments as expanded, summed over the
  operations; the figure is arithmetic on memoised counts, never an expansion, and every
  sum is capped so it cannot grow into a giant int;
- **field pairs**: graphql-core's ``OverlappingFieldsCanBeMergedRule`` compares every pair
  of fields that share a response name (and every pair of fragments spread in one
  selection set): quadratic, 1 s for ``{ a{x} a{x} ... }`` with 400 copies. Once the
  expanded document is known to be small (at most ``max_selections`` selections) it is
  walked once to count those pairs, and a document with too many is refused.

:class:`QueryCost` runs this check BEFORE graphql-core's rules (a failed check skips
them, so none of their own non-linear work is reached) and then graphql-core's rules. It
is a schema extension, so POST, GET and websocket operations all pass through it.

A document seen before skips all of that: :class:`DocumentCache` keeps, by query text,
the parsed document and the verdict of the checks (an LRU bounded by entries and by the
total length of the texts, one per schema). A new text is measured against every limit
before it is stored, and the verdict is deterministic for a text, the schema and the
rules, so a repeat is answered exactly as the first time, without parsing (a few hundred
microseconds for a large query), the cost walk or graphql-core's validation (whose cache
key, the document, was hashed node by node on every request).
"""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
)
from strawberry.extensions import SchemaExtension

# Every count stops growing here: a figure above any sane limit is "too many" anyway.
CAP = 1 << 40
# Documents longer than this are parsed and validated in a worker thread, so that the
# event loop keeps serving other requests meanwhile (the GIL is handed over every 5 ms).
THREAD_ABOVE = 8_000

INVALID = "INVALID"


@dataclasses.dataclass(frozen=True)
class Limits:
    max_depth: int
    max_aliases: int
    max_selections: int
    max_field_pairs: int


@dataclasses.dataclass
class _Cost:
    """The figures of one selection set (or fragment) with its spreads expanded."""

    depth: int = 0
    aliases: int = 0
    selections: int = 0


def _add(a: int, b: int) -> int:
    return min(a + b, CAP)


def _shown(count: int) -> str:
    return str(count) if count < CAP else f"more than {CAP}"


def _error(message: str, nodes: Any = None, code: str = INVALID) -> GraphQLError:
    return GraphQLError(message, nodes, extensions={"code": code})


def _spreads(selection_set: SelectionSetNode) -> Iterator[str]:
    """Names of the fragments spread anywhere in ``selection_set`` (not through spreads)."""
    stack = [selection_set]
    while stack:
        for selection in stack.pop().selections:
            if isinstance(selection, FragmentSpreadNode):
                yield selection.name.value
            elif isinstance(selection, (FieldNode, InlineFragmentNode)) and selection.selection_set is not None:
                stack.append(selection.selection_set)


def _cost(selection_set: SelectionSetNode, fragments: dict[str, _Cost]) -> _Cost:
    """The cost of ``selection_set`` given the memoised cost of every fragment it spreads
    (unknown fragments count as nothing: KnownFragmentNames reports them). Iterative, so
    a deeply nested definition cannot exhaust the interpreter's stack."""
    root = _Cost()
    # (selections left, their cost, the parent's cost, what nesting adds to the depth:
    # 1 under a field, 0 under an inline fragment, None under introspection)
    stack: list[tuple[Iterator[Any], _Cost, _Cost | None, int | None]] = [
        (iter(selection_set.selections), root, None, 0)
    ]
    while stack:
        selections, cost, parent, step = stack[-1]
        for selection in selections:
            cost.selections = _add(cost.selections, 1)
            if isinstance(selection, FragmentSpreadNode):
                known = fragments.get(selection.name.value)
                if known is not None:
                    cost.depth = max(cost.depth, known.depth)
                    cost.aliases = _add(cost.aliases, known.aliases)
                    cost.selections = _add(cost.selections, known.selections)
                continue
            if isinstance(selection, FieldNode):
                if selection.alias is not None:
                    cost.aliases = _add(cost.aliases, 1)
                if selection.selection_set is None:
                    continue
                # Introspection is not descended into for depth (its nesting is fixed by
                # the schema and GraphiQL's query is deep), but its selections count.
                child_step = None if selection.name.value.startswith("__") else 1
            else:
                child_step = 0
            stack.append((iter(selection.selection_set.selections), _Cost(), cost, child_step))
            break
        else:
            stack.pop()
            if parent is not None:
                if step is not None:
                    parent.depth = max(parent.depth, cost.depth + step)
                parent.aliases = _add(parent.aliases, cost.aliases)
                parent.selections = _add(parent.selections, cost.selections)
    return root


def _fragment_costs(
    definitions: dict[str, FragmentDefinitionNode],
) -> tuple[dict[str, _Cost], str | None]:
    """Each fragment's cost, computed once in dependency order (iterative depth-first
    post-order). Returns the costs and the name of a fragment that spreads itself
    (directly or not), if any."""
    costs: dict[str, _Cost] = {}
    cycle: str | None = None
    for root in definitions:
        if root in costs:
            continue
        path = [(root, _spreads(definitions[root].selection_set))]
        on_path = {root}
        while path:
            name, pending = path[-1]
            for spread in pending:
                if spread in on_path:
                    cycle = cycle or spread
                elif spread in definitions and spread not in costs:
                    path.append((spread, _spreads(definitions[spread].selection_set)))
                    on_path.add(spread)
                    break
            else:
                path.pop()
                on_path.discard(name)
                costs[name] = _cost(definitions[name].selection_set, costs)
    return costs, cycle


def _field_pairs(
    operations: Sequence[OperationDefinitionNode],
    fragments: dict[str, FragmentDefinitionNode],
    budget: int,
) -> int:
    """Pairs of fields graphql-core's overlap rule compares: fields that end up under one
    response path with one response name, plus pairs of fragments spread in one selection
    set. Walks the EXPANDED document, so call it only when that is known to be small
    (and free of fragment cycles); stops once ``budget`` selections were visited."""
    pairs = 0
    visited = 0
    next_node = 0
    seen: dict[tuple[int, str], tuple[int, int]] = {}  # (node, response name) -> (child, count)
    for operation in operations:
        next_node += 1
        stack = [(operation.selection_set, next_node)]
        while stack:
            selection_set, node = stack.pop()
            spreads = 0
            for selection in selection_set.selections:
                visited += 1
                if visited > budget:
                    return CAP
                if isinstance(selection, FieldNode):
                    key = (node, (selection.alias or selection.name).value)
                    child, count = seen.get(key, (0, 0))
                    if not child:
                        next_node += 1
                        child = next_node
                    pairs += count
                    seen[key] = (child, count + 1)
                    if selection.selection_set is not None:
                        stack.append((selection.selection_set, child))
                elif isinstance(selection, InlineFragmentNode):
                    stack.append((selection.selection_set, node))
                elif isinstance(selection, FragmentSpreadNode):  # the one other kind of selection
                    spreads += 1
                    fragment = fragments.get(selection.name.value)
                    if fragment is not None:
                        stack.append((fragment.selection_set, node))
            pairs += spreads * (spreads - 1) // 2
    return pairs


def cost_errors(document: DocumentNode, limits: Limits) -> list[GraphQLError]:
    """The limits ``document`` exceeds, as GraphQL errors with ``extensions.code``;
    linear in the size of the document."""
    definitions = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    fragments, cycle = _fragment_costs(definitions)
    if cycle is not None:
        # graphql-core's NoFragmentCycles says the same; refuse here so that none of the
        # other rules walks the cycle.
        return [_error(f"Cannot spread fragment '{cycle}' within itself.", definitions[cycle])]
    errors: list[GraphQLError] = []
    aliases = selections = 0
    for operation in operations:
        cost = _cost(operation.selection_set, fragments)
        if cost.depth > limits.max_depth:
            name = operation.name.value if operation.name else "anonymous"
            errors.append(_error(f"'{name}' exceeds maximum operation depth of {limits.max_depth}", operation))
        aliases = _add(aliases, cost.aliases)
        selections = _add(selections, cost.selections)
    if aliases > limits.max_aliases:
        errors.append(_error(f"{_shown(aliases)} aliases found. Allowed: {limits.max_aliases}"))
    if selections > limits.max_selections:
        errors.append(
            _error(
                f"The document selects {_shown(selections)} fields once its fragments are expanded. "
                f"Allowed: {limits.max_selections}"
            )
        )
    if errors:
        return errors
    pairs = _field_pairs(operations, definitions, limits.max_selections)
    if pairs > limits.max_field_pairs:
        errors.append(
            _error(
                f"The document repeats fields too often ({_shown(pairs)} pairs of fields or fragments "
                f"share a place and a name). Allowed: {limits.max_field_pairs}"
            )
        )
    return errors


@dataclasses.dataclass(eq=False)
class _Document:
    document: DocumentNode
    # The rules the verdict was reached with, and the verdict (None: not validated yet).
    rules: tuple = ()
    errors: list[GraphQLError] | None = None


class DocumentCache:
    """Parsed documents and their verdicts by query text: an LRU bounded by ``max_entries``
    and by the total length of the texts, ``max_bytes`` (a text longer than an eighth of
    that is not kept). The AST of a text is a few dozen times its length."""

    def __init__(self, *, max_entries: int = 256, max_bytes: int = 1_000_000):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, _Document] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def get(self, query: str) -> _Document | None:
        with self._lock:
            entry = self._entries.get(query)
            if entry is not None:
                self._entries.move_to_end(query)
            return entry

    def put(self, query: str, document: DocumentNode) -> _Document:
        entry = _Document(document)
        if len(query) > self.max_bytes // 8 or self.max_entries <= 0:
            return entry
        with self._lock:
            old = self._entries.pop(query, None)
            if old is not None:
                self._bytes -= len(query)
            self._entries[query] = entry
            self._bytes += len(query)
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                evicted, _ = self._entries.popitem(last=False)
                self._bytes -= len(evicted)
        return entry


class ParseWithinLimits(SchemaExtension):
    """Parse with a length and a token limit; a document already in ``documents`` is not
    parsed again, a long one is parsed in a worker thread. Replaces Strawberry's
    ``ParserCache`` and ``MaxTokensLimiter``."""

    def __init__(self, *, max_bytes: int, max_tokens: int, documents: DocumentCache | None = None):
        super().__init__()
        self.max_bytes = max_bytes
        self.max_tokens = max_tokens
        self.documents = documents if documents is not None else DocumentCache()

    async def on_parse(self) -> AsyncIterator[None]:
        context = self.execution_context
        query = context.query
        context.parse_options["max_tokens"] = self.max_tokens
        if isinstance(query, str) and context.graphql_document is None:
            # len() counts characters, at most the bytes: the exact byte count only
            # matters for the few documents near the limit.
            if len(query) > self.max_bytes and len(query.encode("utf-8", "surrogatepass")) > self.max_bytes:
                raise _error(f"The GraphQL document is larger than {self.max_bytes} bytes.")
            entry = self.documents.get(query)
            if entry is None:
                if len(query) > THREAD_ABOVE:
                    document = await asyncio.to_thread(parse, query, max_tokens=self.max_tokens)
                else:
                    document = parse(query, max_tokens=self.max_tokens)
                entry = self.documents.put(query, document)
            context.graphql_document = entry.document
        yield


class QueryCost(SchemaExtension):
    """Refuse a document over the cost limits before any other validation rule runs, then
    validate it with ``rules`` added to graphql-core's; the verdict is kept with the
    document in ``documents`` (see :class:`ParseWithinLimits`). Replaces Strawberry's
    ``AddValidationRules`` + ``ValidationCache``. A long document is checked in a worker
    thread."""

    def __init__(self, limits: Limits, rules: Sequence[type] = (), documents: DocumentCache | None = None):
        super().__init__()
        self.limits = limits
        self.rules = tuple(rules)
        self.documents = documents if documents is not None else DocumentCache()

    def _errors(self, document: DocumentNode, rules: tuple) -> list[GraphQLError]:
        errors = cost_errors(document, self.limits)
        if not errors:
            # Imported here: strawberry.schema.schema imports the extensions package.
            from strawberry.schema.schema import validate_document

            errors = validate_document(self.execution_context.schema._schema, document, rules)
        return errors

    async def on_validate(self) -> AsyncIterator[None]:
        context = self.execution_context
        document = context.graphql_document
        assert document is not None  # parsed before validation
        rules = context.validation_rules + self.rules
        query = context.query
        entry = self.documents.get(query) if isinstance(query, str) else None
        if entry is None or entry.document is not document:
            entry = None  # a document given by the caller, or one no longer kept
        if entry is not None and entry.errors is not None and entry.rules == rules:
            context.pre_execution_errors = entry.errors
        else:
            if len(query or "") > THREAD_ABOVE:
                errors = await asyncio.to_thread(self._errors, document, rules)
            else:
                errors = self._errors(document, rules)
            if entry is not None:
                entry.rules, entry.errors = rules, errors
            context.pre_execution_errors = errors
        yield
