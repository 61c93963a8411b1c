"""What a query selects: lets a resolver skip work no client asked for (a count of a
million orders), or do ahead, in one batch, work its children would otherwise do one by
one (the lines of a page of orders)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField


def _named(selections: Iterable[Any], name: str) -> Iterator[SelectedField]:
    """The fields called ``name`` among ``selections``, through fragments."""
    for node in selections:
        if isinstance(node, SelectedField):
            if node.name == name:
                yield node
        elif isinstance(node, FragmentSpread | InlineFragment):
            yield from _named(node.selections, name)


def selects(info: Any, name: str) -> bool:
    """Whether the field being resolved selects its sub-field ``name`` (GraphQL name),
    directly or through a fragment."""
    return selects_path(info, name)


def selects_path(info: Any, *path: str) -> bool:
    """Whether the field being resolved selects the sub-field at ``path`` (GraphQL names,
    e.g. ``"edges", "node", "lines"``), each step directly or through a fragment. The walk
    visits each selected field of the path at most once (the document's size is bounded
    by QueryCost before anything runs)."""
    level: list[SelectedField] = list(info.selected_fields)
    for name in path:
        level = [found for field in level for found in _named(field.selections, name)]
        if not level:
            return False
    return True
