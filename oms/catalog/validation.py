"""JSON-schema checks of plugin-owned data (variant attributes, line options)."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from typing import Any

from jsonschema import Draft202012Validator

from oms.errors import ErrorCode, FieldError


@functools.lru_cache(maxsize=256)
def _validator(schema_json: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads(schema_json), format_checker=Draft202012Validator.FORMAT_CHECKER)


def validate_json(schema: Mapping[str, Any] | None, instance: Any, field: Sequence[str | int]) -> list[FieldError]:
    """Errors of ``instance`` against ``schema``, each with its full field path.

    A ``None`` schema accepts only nothing: ``None`` or an empty object.
    """
    if schema is None:
        if instance in (None, {}):
            return []
        return [FieldError(ErrorCode.INVALID, "This product type takes no options.", field)]
    validator = _validator(json.dumps(schema, sort_keys=True))
    errors = []
    for error in sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path)):
        path = [*field, *error.absolute_path]
        code = ErrorCode.INVALID
        if error.validator == "required":
            # jsonschema reports a missing key at its parent; point at the key itself.
            code = ErrorCode.REQUIRED
            path.extend(_missing_key(error))
        errors.append(FieldError(code, _message(error), path))
    return errors


def _missing_key(error: Any) -> list[str]:
    """The key a ``required`` error is about (jsonschema names it only in the message)."""
    for key in error.validator_value:
        if error.message == f"{key!r} is a required property":
            return [key]
    return []


def _message(error: Any) -> str:
    # jsonschema messages quote the whole instance; keep them short for API clients.
    message = error.message
    return message if len(message) <= 200 else message[:197] + "..."
