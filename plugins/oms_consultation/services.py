"""Bookings: held at placement, confirmed on payment, moved, completed, canceled.

A consultant's time is made exclusive by :class:`~oms_consultation.models.SlotClaim`
rows (one per 5-minute unit, unique per consultant) written in the same transaction as
the booking: two orders for one slot can both pass every check in Python, but only one
of their inserts commits. Every operation takes an optional ``now`` so tests can pin the
clock, and writes its step on the order's timeline.
"""

from __future__ import annotations

import datetime as dt
import secrets
import zoneinfo
from collections.abc import Sequence

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from oms.api import (
    DomainError,
    ErrorCode,
    FulfillmentStatus,
    PluginSetting,
    SettingsDeclaration,
    fulfillment,
    record_event,
    utcnow,
)
from oms.api.models import Fulfillment, Order, OrderLine, Variant
from oms_consultation import slots
from oms_consultation.models import OCCUPYING, Booking, BookingStatus, SlotClaim

TYPE_NAME = "consultation"
ACTOR = "consultation"
SETTINGS_PREFIX = "consultation"
DEFAULT_RETURN_HOURS = 24


def _hours(text: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise ValueError("give a whole number of hours, 0 or more") from None
    if not 0 <= value <= 24 * 365:
        raise ValueError("give a whole number of hours, 0 or more")
    return value


SETTINGS = SettingsDeclaration(SETTINGS_PREFIX, [
    PluginSetting("return_hours", _hours, default=DEFAULT_RETURN_HOURS,
                  help="a booked session may be returned up to this many hours before it starts"),
])


def as_utc(moment: dt.datetime, field: Sequence[str]) -> dt.datetime:
    """An aware instant in UTC; INVALID for a naive one or one outside the calendar."""
    if moment.tzinfo is None:
        raise DomainError.of(ErrorCode.INVALID, "Give a date-time with a UTC offset.", field)
    try:
        return moment.astimezone(dt.UTC)
    except OverflowError:
        raise DomainError.of(ErrorCode.INVALID, "This date is out of range.", field) from None


def when(booking: Booking) -> str:
    """The session's start as its consultant reads it: "Sun 31 Oct 2027 09:00 CET (Europe/Berlin)"."""
    local = booking.starts_at.astimezone(zoneinfo.ZoneInfo(booking.timezone))
    return f"{local:%a %d %b %Y %H:%M} {local.tzname()} ({booking.timezone})"


async def consultation_variant(sku: str, field: Sequence[str] = ("sku",)) -> Variant:
    variant = await Variant.get_or_none(sku=sku.strip()).select_related("product")
    if variant is None:
        raise DomainError.of(ErrorCode.NOT_FOUND, f"No variant with sku {sku!r}.", field)
    if variant.product.product_type != TYPE_NAME:
        raise DomainError.of(
            ErrorCode.INVALID, f"{variant.sku} is a {variant.product.product_type} product, not a consultation.", field
        )
    return variant


# -- availability ---------------------------------------------------------------------------------


async def available_slots(
    sku: str, start: dt.datetime, end: dt.datetime, *, consultant: str | None = None, now: dt.datetime | None = None
) -> list[slots.Slot]:
    """Free slots of a consultation variant starting in ``[start, end)``: on its grid,
    within notice and horizon, touching no booking of the consultant (from any product).
    Two queries whatever the range or the number of consultants: the variant, then the
    bookings of all its consultants around the range."""
    now = now or utcnow()
    lo, hi = as_utc(start, ["from"]), as_utc(end, ["to"])
    if hi <= lo:
        raise DomainError.of(ErrorCode.INVALID, "`to` must be after `from`.", ["to"])
    if hi - lo > dt.timedelta(days=slots.MAX_RANGE_DAYS):
        raise DomainError.of(
            ErrorCode.INVALID, f"Ask for at most {slots.MAX_RANGE_DAYS} days of slots at a time.", ["to"]
        )
    variant = await consultation_variant(sku)
    policy = slots.Policy.of(variant.attributes)
    candidates = slots.consultants(variant.attributes)
    if consultant is not None:
        key = slots.consultant_key(consultant)
        candidates = [c for c in candidates if c.key == key]
        if not candidates:
            raise DomainError.of(ErrorCode.INVALID, f"No consultant named {consultant!r}.", ["consultant"])
    earliest, latest = policy.window(now)
    lo, hi = max(lo, earliest), min(hi, latest)
    if lo >= hi:
        return []
    # Bookings that can touch a slot starting in [lo, hi): their units overlap the units
    # of [lo, hi + duration + buffer).
    span = slots.units(lo, hi + policy.step)
    rows = await Booking.filter(
        consultant_key__in=[c.key for c in candidates],
        status__in=list(OCCUPYING),
        unit_from__lt=span.stop,
        unit_to__gt=span.start,
    ).values_list("consultant_key", "unit_from", "unit_to")
    occupied: dict[str, set[int]] = {}
    for key, unit_from, unit_to in rows:
        occupied.setdefault(key, set()).update(range(unit_from, unit_to))
    return slots.free_slots(candidates, policy, lo, hi, now=now, occupied=occupied)


# -- hold, confirm, cancel (the hooks) ------------------------------------------------------------


async def _claim(order: Order, line: OrderLine, policy: slots.Policy, slot: slots.Slot) -> Booking | None:
    """Write the booking and its claims in a savepoint; None when a unit is taken (the
    savepoint is rolled back, the caller's transaction goes on)."""
    taken = slots.slot_units(slot, policy)
    try:
        async with in_transaction():
            booking = await Booking.create(
                uid=secrets.token_urlsafe(16),
                order_id=order.id,
                order_line_id=line.id,
                sku=line.sku,
                consultant=slot.consultant.name,
                consultant_key=slot.consultant.key,
                consultant_email=slot.consultant.email,
                timezone=slot.consultant.timezone,
                starts_at=slot.start,
                ends_at=slot.end,
                unit_from=taken.start,
                unit_to=taken.stop,
                remind_at=slot.start - policy.reminder,
            )
            await SlotClaim.bulk_create([
                SlotClaim(booking_id=booking.id, consultant_key=slot.consultant.key, unit=unit) for unit in taken
            ])
    except IntegrityError:
        return None
    return booking


async def hold_slots(order: Order, lines: list[OrderLine], *, now: dt.datetime | None = None) -> list[Booking]:
    """``oms_hold``: hold each line's slot for the order (a HELD booking and its claims),
    in the placement's transaction. A line naming no consultant gets the first listed
    one who has the slot free. SLOT_UNAVAILABLE (``["lines", position, "options",
    "slot"]``) when the slot is not one ``availableSlots`` offers or is taken."""
    now = now or utcnow()
    # Keyed by id; a line whose variant is gone (variant_id None) finds none.
    variants: dict[int | None, Variant] = {
        v.id: v for v in await Variant.filter(id__in=[line.variant_id for line in lines if line.variant_id])
    }
    plans = []
    for line in lines:
        field: list[str | int] = ["lines", line.position, "options", "slot"]
        variant = variants.get(line.variant_id)
        start = slots.parse_slot((line.options or {}).get("slot", ""))
        if variant is None or start is None:
            raise DomainError.of(ErrorCode.SLOT_UNAVAILABLE, "This slot is not offered.", field)
        policy = slots.Policy.of(variant.attributes)
        named = (line.options or {}).get("consultant")
        offered = [
            slot
            for consultant in slots.consultants(variant.attributes)
            if named is None or consultant.key == slots.consultant_key(named)
            if (slot := slots.offered_by(consultant, policy, start, now=now)) is not None
        ]
        if not offered:
            raise DomainError.of(ErrorCode.SLOT_UNAVAILABLE, "No session starts at this time.", field)
        plans.append((line, policy, offered, field))
    # The same order of inserts in every transaction: concurrent carts wait, never deadlock.
    plans.sort(key=lambda plan: (plan[2][0].start, plan[2][0].consultant.key, plan[0].position))
    bookings = []
    for line, policy, offered, field in plans:
        for slot in offered:
            booking = await _claim(order, line, policy, slot)
            if booking is not None:
                break
        else:
            raise DomainError.of(
                ErrorCode.SLOT_UNAVAILABLE, "This slot has just been taken; choose another.", field
            )
        bookings.append(booking)
        await record_event(
            order, "booking.held", f"{line.name}: {when(booking)} with {booking.consultant}, held until payment.",
            actor=ACTOR, data=event_data(booking),
        )
    return bookings


def event_data(booking: Booking, **extra) -> dict:
    return {
        "booking_id": booking.id, "sku": booking.sku, "consultant": booking.consultant,
        "start": booking.starts_at.isoformat(), "end": booking.ends_at.isoformat(), **extra,
    }


def meeting_url(template: str | None, booking: Booking) -> str | None:
    """The template with ``{booking}`` replaced by the booking's random uid, or None."""
    return template.replace("{booking}", booking.uid) if template else None


async def confirm_bookings(order: Order, lines: list[OrderLine], *, now: dt.datetime | None = None) -> None:
    """``oms_deliver``: each paid line's booking is CONFIRMED, with its meeting URL and a
    Fulfillment of its own (IN_PROGRESS until the session is completed). Lines already in
    a fulfillment are skipped, so a second run does nothing. Raises (the delivery job
    retries, then shows the failure to staff) when a line has no live booking."""
    now = now or utcnow()
    locked = await fulfillment.lock_for_delivery(order.id)
    if locked is None:  # delivered and complete already
        return
    bookings = {b.order_line_id: b for b in await Booking.filter(order_line_id__in=[line.id for line in lines])}
    # Keyed by id; a line whose variant is gone (variant_id None) finds none.
    variants: dict[int | None, Variant] = {
        v.id: v for v in await Variant.filter(id__in=[line.variant_id for line in lines if line.variant_id])
    }
    for line in lines:
        units = fulfillment.remaining(line)
        if units <= 0:
            continue
        booking = bookings.get(line.id)
        if booking is None or booking.status != BookingStatus.HELD:
            state = booking.status.value if booking else "missing"
            raise RuntimeError(f"{line.sku}: the booking of this paid line is {state}; reschedule it and retry.")
        variant = variants.get(line.variant_id)
        template = (variant.attributes if variant else {}).get("meeting_url_template")
        record = await fulfillment.create_fulfillment(
            locked, TYPE_NAME, {line.id: units}, status=FulfillmentStatus.IN_PROGRESS
        )
        booking.status, booking.fulfillment_id = BookingStatus.CONFIRMED, record.id
        booking.meeting_url, booking.confirmed_at = meeting_url(template, booking), now
        booking.sequence += 1
        await booking.save(
            update_fields=["status", "fulfillment_id", "meeting_url", "confirmed_at", "sequence", "updated_at"]
        )
        await record_event(
            locked, "booking.confirmed", f"{line.name} confirmed: {when(booking)} with {booking.consultant}.",
            actor=ACTOR, data=event_data(booking, fulfillment_id=record.id),
        )


async def cancel_bookings(
    order: Order, lines: list[OrderLine], reason: str, *, quantities: dict[int, int] | None = None,
    now: dt.datetime | None = None,
) -> int:
    """``oms_reverse``: cancel the live (held or confirmed) bookings of ``lines`` (those
    ``quantities`` names at least one unit of: a line books one session) and free their
    slots; sessions that took place are left alone. The count."""
    now = now or utcnow()
    line_ids = [line.id for line in lines if quantities is None or quantities.get(line.id, line.quantity) > 0]
    if not line_ids:
        return 0
    live = await Booking.filter(
        order_line_id__in=line_ids, status__in=[BookingStatus.HELD, BookingStatus.CONFIRMED]
    )
    if not live:
        return 0
    ids = [booking.id for booking in live]
    await SlotClaim.filter(booking_id__in=ids).delete()
    await Booking.filter(id__in=ids).update(
        status=BookingStatus.CANCELED, canceled_at=now, updated_at=now, sequence=F("sequence") + 1
    )
    for booking in live:
        await record_event(
            order, "booking.canceled", f"Booking of {when(booking)} with {booking.consultant} canceled ({reason}); "
            "the slot is free again.", actor=ACTOR, data=event_data(booking, reason=reason),
        )
    return len(live)


async def return_policy(line: OrderLine, *, return_hours: int, now: dt.datetime | None = None) -> str | None:
    """``oms_return_policy``: a booked session may be returned (canceled for a refund) up to
    ``return_hours`` before it starts; never once it was held or missed."""
    now = now or utcnow()
    booking = await Booking.get_or_none(order_line_id=line.id)
    if booking is None or booking.status == BookingStatus.CANCELED:
        return None  # nothing booked any more: nothing to refuse
    if booking.status == BookingStatus.COMPLETED:
        return "This session has already taken place, so it cannot be returned."
    if booking.status == BookingStatus.NO_SHOW:
        return "This session was missed, so it cannot be returned."
    if booking.starts_at <= now:
        return "This session has already started, so it cannot be returned."
    if booking.starts_at - dt.timedelta(hours=return_hours) <= now:
        return (f"Sessions can be returned up to {return_hours} hours before they start; "
                f"this one starts on {when(booking)}.")
    return None


# -- staff and customer actions -------------------------------------------------------------------


async def get_booking(booking_id: int) -> Booking:
    """The booking with its order; NOT_FOUND (field ``id``) otherwise."""
    booking = await Booking.get_or_none(id=booking_id).select_related("order")
    if booking is None:
        raise DomainError.of(ErrorCode.NOT_FOUND, "Booking not found.", ["id"])
    return booking


async def _lock(booking_id: int) -> tuple[Order, Booking]:
    """Lock the booking's order (every change to a booking holds it), then read the
    booking afresh. Caller's transaction."""
    found = await get_booking(booking_id)
    order = await Order.select_for_update().get(id=found.order_id)
    return order, await Booking.get(id=booking_id)


async def reschedule_booking(
    booking_id: int, start: dt.datetime, *, actor: str, by_staff: bool = False, now: dt.datetime | None = None
) -> Booking:
    """Move a held or confirmed booking to another slot of its consultant, in one
    transaction: its claims are deleted and the new ones inserted, so a taken slot
    (SLOT_UNAVAILABLE) rolls everything back and the booking keeps its time. The new slot
    must be one ``availableSlots`` offers. Customers may move a booking until the
    variant's ``reschedule_notice_hours`` (default 24) before it starts; staff until it
    starts. Moving to the current start changes nothing."""
    now = now or utcnow()
    start = as_utc(start, ["start"])
    try:
        async with in_transaction():
            order, booking = await _lock(booking_id)
            if booking.status not in (BookingStatus.HELD, BookingStatus.CONFIRMED):
                raise DomainError.of(
                    ErrorCode.INVALID_TRANSITION, f"A {booking.status.value} booking cannot be moved.", ["id"]
                )
            if start == booking.starts_at:
                return booking
            line = await OrderLine.get(id=booking.order_line_id)
            variant = await Variant.get_or_none(id=line.variant_id) if line.variant_id else None
            if variant is None:
                raise DomainError.of(ErrorCode.INVALID, "This consultation is no longer sold.", ["id"])
            policy = slots.Policy.of(variant.attributes)
            notice = dt.timedelta(0) if by_staff else policy.reschedule_notice
            if now > booking.starts_at - notice:
                hours = int(notice.total_seconds() // 3600)
                raise DomainError.of(
                    ErrorCode.INVALID_TRANSITION,
                    f"A booking can be moved until {hours} hours before it starts; ask the store.",
                    ["id"],
                )
            consultant = next(
                (c for c in slots.consultants(variant.attributes) if c.key == booking.consultant_key), None
            )
            slot = slots.offered_by(consultant, policy, start, now=now) if consultant else None
            if slot is None:
                raise DomainError.of(
                    ErrorCode.SLOT_UNAVAILABLE, f"{booking.consultant} has no session starting then.", ["start"]
                )
            before = booking.starts_at
            await SlotClaim.filter(booking_id=booking.id).delete()
            taken = slots.slot_units(slot, policy)
            await SlotClaim.bulk_create([
                SlotClaim(booking_id=booking.id, consultant_key=booking.consultant_key, unit=unit) for unit in taken
            ])
            booking.starts_at, booking.ends_at = slot.start, slot.end
            booking.unit_from, booking.unit_to = taken.start, taken.stop
            booking.remind_at, booking.reminded_at = slot.start - policy.reminder, None
            booking.sequence += 1
            await booking.save(update_fields=[
                "starts_at", "ends_at", "unit_from", "unit_to", "remind_at", "reminded_at", "sequence", "updated_at"
            ])
            await record_event(
                order, "booking.rescheduled", f"Booking with {booking.consultant} moved to {when(booking)}.",
                actor=actor, data=event_data(booking, previous_start=before.isoformat()),
            )
    except IntegrityError:
        raise DomainError.of(ErrorCode.SLOT_UNAVAILABLE, "This slot is taken; choose another.", ["start"]) from None
    return booking


async def _finish(
    booking_id: int, status: BookingStatus, event: str, message: str, *, actor: str, now: dt.datetime | None
) -> Booking:
    """Staff close a confirmed booking whose session has begun: the booking takes
    ``status`` and its fulfillment is delivered, so the order can complete."""
    now = now or utcnow()
    async with in_transaction():
        found = await get_booking(booking_id)
        if found.status != BookingStatus.CONFIRMED:
            raise DomainError.of(
                ErrorCode.INVALID_TRANSITION, f"This booking is {found.status.value}, not CONFIRMED.", ["id"]
            )
        order = await fulfillment.lock_fulfillable_order(found.order_id)
        booking = await Booking.get(id=booking_id)
        if booking.status != BookingStatus.CONFIRMED or booking.fulfillment_id is None:
            raise DomainError.of(ErrorCode.INVALID_TRANSITION, "This booking just changed; try again.", ["id"])
        if now < booking.starts_at:
            raise DomainError.of(ErrorCode.INVALID_TRANSITION, "The session has not started yet.", ["id"])
        record = await Fulfillment.get(id=booking.fulfillment_id)
        booking.status, booking.completed_at = status, now
        await booking.save(update_fields=["status", "completed_at", "updated_at"])
        await record_event(order, event, f"{message} ({when(booking)}, {booking.consultant}).", actor=actor,
                           data=event_data(booking, fulfillment_id=record.id))
        await fulfillment.mark_delivered(order, record, actor=actor)
    return booking


async def complete_booking(booking_id: int, *, actor: str, now: dt.datetime | None = None) -> Booking:
    """The session took place: COMPLETED, and its line DELIVERED."""
    return await _finish(booking_id, BookingStatus.COMPLETED, "booking.completed", "Session held",
                         actor=actor, now=now)


async def mark_no_show(booking_id: int, *, actor: str, now: dt.datetime | None = None) -> Booking:
    """The customer did not come: NO_SHOW. The consultant's time was held for them, so the
    line counts as DELIVERED (no refund is implied; staff may still refund by hand)."""
    return await _finish(booking_id, BookingStatus.NO_SHOW, "booking.no_show", "The customer did not attend",
                         actor=actor, now=now)


async def customer_bookings(customer_id: int) -> list[Booking]:
    """A customer's bookings of every state, soonest first."""
    return await Booking.filter(order__customer_id=customer_id).order_by("starts_at", "id")
