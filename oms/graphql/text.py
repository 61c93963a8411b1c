"""Text the database cannot store: NUL characters (PostgreSQL refuses them) and unpaired
surrogates (not UTF-8). Refused at the door, in variables and in query literals, as a
clear error instead of a failed statement."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graphql import GraphQLError, StringValueNode, ValidationRule

MESSAGE = "Text must be valid UTF-8 without NUL characters."


def is_storable(text: str) -> bool:
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def all_storable(value: Any) -> bool:
    """Whether every string (and key) in a decoded JSON value is storable."""
    return json_problem(value, max_depth=None) is None


TOO_DEEP = "JSON nested deeper than {} levels."


def json_problem(value: Any, max_depth: int | None) -> str | None:
    """What is wrong with a decoded JSON value, or None: lists and objects nested deeper
    than ``max_depth``, or a string (or key) that cannot be stored. Iterative, so a deep
    value cannot exhaust the interpreter's stack; linear in the size of the value (only
    containers go on the stack: a 1 MB list of numbers is one loop, not a million pushes)."""
    if isinstance(value, str):
        return None if is_storable(value) else MESSAGE
    if not isinstance(value, (dict, list)):
        return None
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if max_depth is not None and depth > max_depth:
            return TOO_DEEP.format(max_depth)
        if isinstance(item, dict):
            for key in item:
                if not is_storable(key):
                    return MESSAGE
            children: Iterable[Any] = item.values()
        else:
            children = item
        for child in children:
            kind = type(child)
            if kind is str:
                if not is_storable(child):
                    return MESSAGE
            elif kind is dict or kind is list:
                stack.append((child, depth + 1))
    return None


class StorableStringLiterals(ValidationRule):
    """A validation rule: string literals in the document must be storable."""

    def enter_string_value(self, node: StringValueNode, *_args: Any) -> None:
        if not is_storable(node.value):
            self.report_error(GraphQLError(MESSAGE, node, extensions={"code": "INVALID"}))
