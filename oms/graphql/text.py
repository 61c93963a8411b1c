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
    if isinstance(value, str):
        return is_storable(value)
    if isinstance(value, dict):
        return all(all_storable(k) and all_storable(v) for k, v in value.items())
    if isinstance(value, list):
        return all(all_storable(item) for item in value)
    return True


class StorableStringLiterals(ValidationRule):
    """A validation rule: string literals in the document must be storable."""

    def enter_string_value(self, node: StringValueNode, *_args: Any) -> None:
        if not is_storable(node.value):
            self.report_error(GraphQLError(MESSAGE, node, extensions={"code": "INVALID"}))
