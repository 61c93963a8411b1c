"""Consultations: a session with a consultant, booked into a slot at placement."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from oms import hookimpl
from oms.errors import ErrorCode, FieldError
from oms.plugin_types import ProductType

TYPE_NAME = "consultation"

_TIME = {"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]$"}
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

ATTRIBUTES_SCHEMA = {
    "type": "object",
    "properties": {
        "duration_minutes": {"type": "integer", "minimum": 5, "maximum": 8 * 60},
        "buffer_minutes": {"type": "integer", "minimum": 0, "maximum": 240},
        "horizon_days": {"type": "integer", "minimum": 1, "maximum": 365},
        "min_notice_hours": {"type": "integer", "minimum": 0, "maximum": 24 * 30},
        "consultants": {
            "type": "array",
            "minItems": 1,
            "maxItems": 100,
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "minLength": 1, "maxLength": 200},
                    "timezone": {"type": "string", "minLength": 1, "maxLength": 64},
                    "availability": {
                        "type": "object",
                        "propertyNames": {"enum": list(_WEEKDAYS)},
                        "additionalProperties": {
                            "type": "array",
                            "items": {
                                "type": "array",
                                "prefixItems": [_TIME, _TIME],
                                "minItems": 2,
                                "maxItems": 2,
                            },
                        },
                    },
                    "exceptions": {"type": "array", "items": {"type": "string", "format": "date"}},
                },
                "required": ["name", "timezone", "availability"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["duration_minutes", "consultants"],
    "additionalProperties": False,
}

OPTIONS_SCHEMA = {
    "type": "object",
    "properties": {
        "slot": {"type": "string", "minLength": 1, "maxLength": 64},
        "consultant": {"type": "string", "minLength": 1, "maxLength": 200},
    },
    "required": ["slot"],
    "additionalProperties": False,
}

CONSULTATION = ProductType(
    name=TYPE_NAME,
    options_schema=OPTIONS_SCHEMA,
    attributes_schema=ATTRIBUTES_SCHEMA,
    public_attributes=(
        "duration_minutes",
        "buffer_minutes",
        "horizon_days",
        "min_notice_hours",
        "consultants",
    ),
    description="A session with a consultant, booked into a time slot.",
)


@hookimpl
def oms_product_types() -> list[ProductType]:
    return [CONSULTATION]


@hookimpl
def oms_validate_variant(product_type: str, sku: str, attributes: dict) -> list[FieldError]:
    errors = []
    for i, consultant in enumerate(attributes.get("consultants", [])):
        try:
            zoneinfo.ZoneInfo(consultant["timezone"])
        # OSError: a key naming a folder of the tz database ("Europe") is no zone either.
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            errors.append(
                FieldError(
                    ErrorCode.INVALID,
                    f"Unknown time zone {consultant['timezone']!r}.",
                    ["consultants", i, "timezone"],
                )
            )
        for day, ranges in consultant.get("availability", {}).items():
            for j, (start, end) in enumerate(ranges):
                if start >= end:
                    errors.append(
                        FieldError(
                            ErrorCode.INVALID,
                            "An availability range must end after it starts.",
                            ["consultants", i, "availability", day, j],
                        )
                    )
    return errors


def parse_slot(value: str) -> dt.datetime | None:
    """An ISO 8601 instant with an offset, or None."""
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return None
    try:
        return parsed.astimezone(dt.UTC)
    except OverflowError:  # hours from the calendar's ends: clamp to its first or last instant
        edge = dt.datetime.min if parsed.year == 1 else dt.datetime.max
        return edge.replace(tzinfo=dt.UTC)


@hookimpl
def oms_validate_line(product_type, variant, quantity: int, options) -> list[FieldError]:
    errors = []
    if quantity != 1:
        errors.append(FieldError(ErrorCode.INVALID, "Book one session per line.", ["quantity"]))
    slot = parse_slot(options["slot"])
    if slot is None:
        errors.append(
            FieldError(
                ErrorCode.INVALID,
                "The slot must be an ISO 8601 date-time with a UTC offset.",
                ["options", "slot"],
            )
        )
        return errors
    notice = dt.timedelta(hours=variant.attributes.get("min_notice_hours", 0))
    if slot < dt.datetime.now(dt.UTC) + notice:
        errors.append(
            FieldError(
                ErrorCode.SLOT_UNAVAILABLE, "The slot is too soon or in the past.", ["options", "slot"]
            )
        )
    names = [c["name"] for c in variant.attributes.get("consultants", [])]
    consultant = options.get("consultant")
    if consultant is not None and consultant not in names:
        errors.append(
            FieldError(ErrorCode.INVALID, f"No consultant named {consultant!r}.", ["options", "consultant"])
        )
    return errors
