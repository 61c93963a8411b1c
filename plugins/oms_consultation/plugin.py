"""Consultations: a session with a consultant, booked into a time slot.

What this plugin does, hook by hook:

- ``oms_product_types``: the ``consultation`` type. Variant attributes give the session
  (``duration_minutes``, ``buffer_minutes``), the booking window (``horizon_days``,
  ``min_notice_hours``), the policy (``reschedule_notice_hours``, ``reminder_hours``),
  an optional ``meeting_url_template`` and the consultants with their time zone, weekly
  hours and days off. A line's options name the slot (and maybe the consultant).
- ``oms_validate_line``: the slot must be one ``availableSlots`` offers (grid, notice,
  horizon); whether it is free is decided when it is held.
- ``oms_hold``: placing the order holds the slot: a HELD Booking and its SlotClaims,
  unique per consultant and 5-minute unit, so concurrent orders cannot both take it.
- ``oms_deliver``: payment confirms the booking (meeting URL, a Fulfillment of its own).
- ``oms_settings``: ``OMS_CONSULTATION_RETURN_HOURS`` (24): the return deadline.
- ``oms_return_policy``: a session may be returned up to that many hours before it
  starts; never once it was held or missed.
- ``oms_reverse``: cancel, expiry or return cancels the booking and frees the slot.
- ``oms_graphql_types`` / ``oms_graphql_fields``: ``Booking`` details, ``availableSlots``,
  ``rescheduleBooking``, ``completeBooking``, ``markBookingNoShow``, ``me { bookings }``.
- ``oms_routes``: ``GET /bookings/{token}/invite.ics``, the calendar invite.
- ``oms_periodic_jobs``: ``consultation.reminders`` writes ``booking.reminder`` events.
- ``oms_email_content``: the session in the booking emails, with the calendar invite attached.

A consultant's calendar is keyed by the normalized name (``slots.consultant_key``): two
products naming "Grete Hansen" share her time, whichever is booked.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from oms.api import ErrorCode, FieldError, PeriodicJob, PluginHost, ProductType, SettingsDeclaration, hookimpl, utcnow
from oms_consultation import emails, reminders, services, slots
from oms_consultation.agenda_graphql import AgendaQuery
from oms_consultation.graphql import Booking, ConsultationMe, ConsultationMutation, ConsultationOrder, ConsultationQuery
from oms_consultation.routes import calendar_routes

REMINDER_PERIOD_SECONDS = 300

TYPE_NAME = "consultation"

_TIME = {"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]$"}

ATTRIBUTES_SCHEMA = {
    "type": "object",
    "properties": {
        "duration_minutes": {"type": "integer", "minimum": 5, "maximum": 8 * 60},
        "buffer_minutes": {"type": "integer", "minimum": 0, "maximum": 240},
        "horizon_days": {"type": "integer", "minimum": 1, "maximum": 365},
        "min_notice_hours": {"type": "integer", "minimum": 0, "maximum": 24 * 30},
        # Customers may move a booking until this long before it starts (default 24).
        "reschedule_notice_hours": {"type": "integer", "minimum": 0, "maximum": 24 * 30},
        # booking.reminder this long before the session (default 24; 0: none).
        "reminder_hours": {"type": "integer", "minimum": 0, "maximum": 24 * 30},
        # Where to meet: "{booking}" is replaced by the booking's random uid. Not public.
        "meeting_url_template": {"type": "string", "minLength": 1, "maxLength": 500},
        "consultants": {
            "type": "array",
            "minItems": 1,
            "maxItems": 100,
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "minLength": 1, "maxLength": 200},
                    "timezone": {"type": "string", "minLength": 1, "maxLength": 64},
                    # The calendar invite's ORGANIZER (public, like the rest of a consultant).
                    "email": {"type": "string", "minLength": 3, "maxLength": 254},
                    "availability": {
                        "type": "object",
                        "propertyNames": {"enum": list(slots.WEEKDAYS)},
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
        "reschedule_notice_hours",
        "consultants",
    ),
    description="A session with a consultant, booked into a time slot.",
    tax_class="services",
)


@hookimpl
def oms_settings() -> SettingsDeclaration:
    return services.SETTINGS


@hookimpl
def oms_product_types() -> list[ProductType]:
    return [CONSULTATION]


@hookimpl
def oms_models() -> list[str]:
    return ["oms_consultation.models"]


@hookimpl
def oms_migrations() -> str:
    return "oms_consultation"  # oms_consultation/migrations/


@hookimpl
def oms_validate_variant(product_type: str, sku: str, attributes: dict) -> list[FieldError]:
    errors = []
    template = attributes.get("meeting_url_template")
    if template is not None and not template.startswith(("https://", "http://")):
        errors.append(
            FieldError(ErrorCode.INVALID, "The meeting URL must start with https://.", ["meeting_url_template"])
        )
    keys: set[str] = set()
    for i, consultant in enumerate(attributes.get("consultants", [])):
        key = slots.consultant_key(consultant["name"])
        if key in keys:
            # One name is one calendar: two entries would share it and confuse everyone.
            errors.append(FieldError(ErrorCode.INVALID, "Two consultants have this name.", ["consultants", i, "name"]))
        keys.add(key)
        for j, day in enumerate(consultant.get("exceptions", [])):
            try:
                dt.date.fromisoformat(day)
            except ValueError:
                errors.append(FieldError(
                    ErrorCode.INVALID, "Give days off as YYYY-MM-DD.", ["consultants", i, "exceptions", j]
                ))
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


parse_slot = slots.parse_slot


@hookimpl
def oms_validate_line(product_type, variant, quantity: int, options) -> list[FieldError]:
    errors = []
    if quantity != 1:
        errors.append(FieldError(ErrorCode.INVALID, "Book one session per line.", ["quantity"]))
    slot = slots.parse_slot(options["slot"])
    if slot is None:
        errors.append(
            FieldError(
                ErrorCode.INVALID,
                "The slot must be an ISO 8601 date-time with a UTC offset.",
                ["options", "slot"],
            )
        )
        return errors
    candidates = slots.consultants(variant.attributes)
    named = options.get("consultant")
    if named is not None:
        candidates = [c for c in candidates if c.key == slots.consultant_key(named)]
        if not candidates:
            errors.append(
                FieldError(ErrorCode.INVALID, f"No consultant named {named!r}.", ["options", "consultant"])
            )
            return errors
    policy = slots.Policy.of(variant.attributes)
    now = utcnow()
    earliest, latest = policy.window(now)
    if slot < earliest:
        message = "The slot is too soon or in the past."
    elif slot >= latest:
        message = f"Sessions can be booked up to {policy.horizon.days} days ahead."
    elif not any(slots.offered_by(c, policy, slot, now=now) for c in candidates):
        message = "No session starts at this time; choose one of availableSlots."
    else:
        return errors
    errors.append(FieldError(ErrorCode.SLOT_UNAVAILABLE, message, ["options", "slot"]))
    return errors


@hookimpl
async def oms_hold(order, lines) -> None:
    await services.hold_slots(order, lines)


@hookimpl
async def oms_deliver(order, lines) -> None:
    await services.confirm_bookings(order, lines)


@hookimpl
async def oms_reverse(order, lines, reason, quantities) -> None:
    await services.cancel_bookings(order, lines, reason, quantities=quantities)


@hookimpl
async def oms_return_policy(order, line, quantity: int, plugins: PluginHost) -> str | None:
    hours = plugins.settings_for(services.SETTINGS_PREFIX)["return_hours"]
    return await services.return_policy(line, return_hours=hours)


@hookimpl
def oms_routes(settings):
    return calendar_routes(settings)


@hookimpl
def oms_graphql_types() -> list[type]:
    return [Booking]


@hookimpl
def oms_graphql_fields():
    return {
        "Query": [ConsultationQuery, AgendaQuery], "Mutation": [ConsultationMutation], "Me": [ConsultationMe],
        "Order": [ConsultationOrder],
    }


@hookimpl
def oms_periodic_jobs() -> list[PeriodicJob]:
    async def remind() -> None:
        await reminders.send_reminders()

    return [PeriodicJob(name="consultation.reminders", every_seconds=REMINDER_PERIOD_SECONDS, run=remind)]


@hookimpl
async def oms_email_content(event, message, settings):
    return await emails.email_content(event, message, settings)
