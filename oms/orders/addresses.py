"""Postal addresses: checked and normalized before they are stored on an order."""

from __future__ import annotations

from typing import Any

from oms.errors import ErrorCode, FieldError

_REQUIRED = ("name", "line1", "city", "postal_code", "country")
_OPTIONAL = ("line2", "region", "phone")
_GRAPHQL_NAMES = {"postal_code": "postalCode"}


def check_address(address: dict[str, Any], field: list[str]) -> tuple[dict[str, str | None], list[FieldError]]:
    """Return the normalized address and the errors found (field paths in API names)."""
    errors = []
    clean: dict[str, str | None] = {}
    for key in _REQUIRED + _OPTIONAL:
        value = address.get(key)
        value = value.strip() if isinstance(value, str) else None
        path = [*field, _GRAPHQL_NAMES.get(key, key)]
        if key in _REQUIRED and not value:
            errors.append(FieldError(ErrorCode.REQUIRED, "This field is required.", path))
        elif value and len(value) > 200:
            errors.append(FieldError(ErrorCode.INVALID, "At most 200 characters.", path))
        clean[key] = value or None
    country = clean.get("country")
    if country:
        country = country.upper()
        if len(country) != 2 or not country.isascii() or not country.isalpha():
            errors.append(
                FieldError(
                    ErrorCode.INVALID,
                    "Use the two-letter ISO 3166 country code, e.g. DE or US.",
                    [*field, "country"],
                )
            )
        clean["country"] = country
    return clean, errors
