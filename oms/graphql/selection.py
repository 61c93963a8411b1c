"""What a query selects: lets a resolver skip work no client asked for (a count of a
million orders)."""

from __future__ import annotations

from typing import Any

from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField


def _selects(selections: list[Any], name: str) -> bool:
    for node in selections:
        if isinstance(node, SelectedField) and node.name == name:
            return True
        if isinstance(node, FragmentSpread | InlineFragment) and _selects(node.selections, name):
            return True
    return False


def selects(info: Any, name: str) -> bool:
    """Whether the field being resolved selects its sub-field ``name`` (GraphQL name),
    directly or through a fragment."""
    return any(_selects(field.selections, name) for field in info.selected_fields)
