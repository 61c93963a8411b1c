"""Text the database cannot store: NUL characters (PostgreSQL refuses them) and unpaired
surrogates (not UTF-8). Refused at the door, in variables and in query literals, as a
clear error instead of a failed statement."""

from __future__ import annotations

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
    value cannot exhaust the interpreter's stack; linear in the size of the value."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if not is_storable(item):
                return MESSAGE
        elif isinstance(item, (dict, list)):
            if max_depth is not None and depth > max_depth:
                return TOO_DEEP.format(max_depth)
            if isinstance(item, dict):
                for key, child in item.items():
                    if not is_storable(key):
                        return MESSAGE
                    stack.append((child, depth + 1))
            else:
                stack.extend((child, depth + 1) for child in item)
    return None


class StorableStringLiterals(ValidationRule):
    """A validation rule: string literals in the document must be storable."""

    def enter_string_value(self, node: StringValueNode, *_args: Any) -> None:
        if not is_storable(node.value):
            self.report_error(GraphQLError(MESSAGE, node, extensions={"code": "INVALID"}))
