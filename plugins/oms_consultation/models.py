"""The consultation plugin's rows: a Booking per consultation line, and the SlotClaims
that make a consultant's time exclusive in the database."""

import enum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from oms.api.models import Fulfillment, Order, OrderLine


class BookingStatus(str, enum.Enum):
    HELD = "HELD"  # placed, awaiting payment: the slot is held like reserved stock
    CONFIRMED = "CONFIRMED"  # paid: the session will take place
    COMPLETED = "COMPLETED"
    CANCELED = "CANCELED"  # the slot is free again
    NO_SHOW = "NO_SHOW"  # the customer did not come; the time was held, so it counts as delivered


# Bookings that occupy their consultant's time (they have claims).
OCCUPYING = (BookingStatus.HELD, BookingStatus.CONFIRMED, BookingStatus.COMPLETED, BookingStatus.NO_SHOW)


class Booking(Model):
    """One session: a consultation order line's slot with one consultant.

    Written HELD when the order is placed, CONFIRMED when it is paid (with a Fulfillment
    of its own, so ``Fulfillment.details`` is this booking), then COMPLETED or NO_SHOW;
    CANCELED when the order is canceled or expires. Times are UTC; ``timezone`` is the
    consultant's, for display and the calendar invite. ``uid`` is random: the invite's
    stable UID, the ``{booking}`` of a meeting URL template and the nonce of the signed
    calendar URL.
    """

    id = fields.IntField(primary_key=True)
    uid = fields.CharField(max_length=32, unique=True)
    order: fields.ForeignKeyRelation["Order"] = fields.ForeignKeyField(
        "models.Order", related_name="bookings", on_delete=fields.CASCADE
    )
    order_line: fields.OneToOneRelation["OrderLine"] = fields.OneToOneField(
        "models.OrderLine", related_name="booking", on_delete=fields.CASCADE
    )
    fulfillment: fields.ForeignKeyNullableRelation["Fulfillment"] = fields.ForeignKeyField(
        "models.Fulfillment", related_name="bookings", null=True, on_delete=fields.SET_NULL
    )
    sku = fields.CharField(max_length=64)
    consultant = fields.CharField(max_length=200)
    # The calendar this booking is on (slots.consultant_key): shared by every product
    # naming the same consultant.
    consultant_key = fields.CharField(max_length=200)
    consultant_email = fields.CharField(max_length=254, null=True)
    timezone = fields.CharField(max_length=64)
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    # The 5-minute units the booking's claims cover: [unit_from, unit_to) is
    # [starts_at, ends_at + the variant's buffer) rounded outwards (slots.units). Kept as
    # integers so availableSlots reads the taken time without parsing dates.
    unit_from = fields.IntField()
    unit_to = fields.IntField()
    status = fields.CharEnumField(BookingStatus, max_length=16, default=BookingStatus.HELD)
    meeting_url = fields.CharField(max_length=1000, null=True)
    # The calendar invite's SEQUENCE: bumped whenever its time or status changes.
    sequence = fields.IntField(default=0)
    remind_at = fields.DatetimeField()
    reminded_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    confirmed_at = fields.DatetimeField(null=True)
    completed_at = fields.DatetimeField(null=True)
    canceled_at = fields.DatetimeField(null=True)

    order_id: int
    order_line_id: int
    fulfillment_id: int | None

    class Meta:
        table = "consultation_booking"
        # With the foreign keys: by order (a customer's bookings join it), by fulfillment
        # (Fulfillment.details).
        # (consultant_key, starts_at, id) and (starts_at, id): the staff agenda's keyset pages.
        indexes = (
            ("consultant_key", "unit_from"), ("status", "remind_at"), ("order",), ("fulfillment",),
            ("consultant_key", "starts_at", "id"), ("starts_at", "id"),
        )


class SlotClaim(Model):
    """One 5-minute unit of a consultant's time taken by a booking (see
    :func:`oms_consultation.slots.units`). The unique index over (consultant_key, unit)
    is what stops two concurrent orders from booking overlapping sessions: the second
    insert fails, on SQLite and PostgreSQL alike."""

    id = fields.BigIntField(primary_key=True)
    booking: fields.ForeignKeyRelation["Booking"] = fields.ForeignKeyField(
        "models.Booking", related_name="claims", on_delete=fields.CASCADE
    )
    consultant_key = fields.CharField(max_length=200)
    unit = fields.IntField()  # 5-minute units since 1970-01-01T00:00Z

    booking_id: int

    class Meta:
        table = "consultation_slot_claim"
        unique_together = (("consultant_key", "unit"),)
        indexes = (("booking",),)
