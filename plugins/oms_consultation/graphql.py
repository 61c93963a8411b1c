"""The consultation plugin's part of the GraphQL schema: ``availableSlots``, the
``Booking`` member of ``FulfillmentDetails`` (also listed by ``me { bookings }``), and
the ``rescheduleBooking`` / ``completeBooking`` / ``markBookingNoShow`` mutations.

Like every resolver: parse the input, check who asks, call one service, map a
DomainError to ``userErrors``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from oms.api import DomainError, ErrorCode, Permission, Viewer, access
from oms.api.graphql import (
    FULFILLMENT_STATUS_DESCRIPTION,
    FulfillmentStatus,
    Info,
    Node,
    Order,
    UserError,
    fulfillment_status_of,
    mutation,
    parse_id,
    to_global_id,
)
from oms.api.models import Fulfillment as FulfillmentModel
from oms.api.models import Order as OrderModel
from oms_consultation import calendar, services
from oms_consultation.models import Booking as BookingModel
from oms_consultation.models import BookingStatus as DomainBookingStatus

# strawberry.enum registers the class as a GraphQL enum and returns it; the alias is what
# mypy reads as a type (a call's result is only a variable to it).
strawberry.enum(DomainBookingStatus, name="BookingStatus")
BookingStatus = DomainBookingStatus


@strawberry.type(description="A consultation session: the consultation plugin's fulfillment details.")
class Booking(Node):
    model: strawberry.Private[BookingModel]
    id: strawberry.ID
    status: BookingStatus
    sku: str
    consultant: str
    start: dt.datetime
    end: dt.datetime
    timezone: str = strawberry.field(description="The consultant's time zone (IANA name).")
    meeting_url: str | None = strawberry.field(
        description="Where to join; set when the booking is confirmed, if the product has a meeting URL template."
    )

    @classmethod
    def from_model(cls, booking: BookingModel) -> Booking:
        return cls(
            model=booking,
            id=to_global_id("Booking", booking.id),
            status=booking.status,
            sku=booking.sku,
            consultant=booking.consultant,
            start=booking.starts_at,
            end=booking.ends_at,
            timezone=booking.timezone,
            meeting_url=booking.meeting_url,
        )

    @strawberry.field(description=FULFILLMENT_STATUS_DESCRIPTION)
    async def fulfillment_status(self, info: Info) -> FulfillmentStatus:
        return await fulfillment_status_of(info, self.model.fulfillment_id)

    @classmethod
    async def from_fulfillments(cls, fulfillments: list[FulfillmentModel]) -> list[Booking | None]:
        """The details of a page of fulfillments: one query for all their bookings."""
        ours = [f.id for f in fulfillments if f.product_type == services.TYPE_NAME]
        rows = await BookingModel.filter(fulfillment_id__in=ours) if ours else []
        found = {row.fulfillment_id: cls.from_model(row) for row in rows}
        return [found.get(f.id) for f in fulfillments]

    @classmethod
    async def from_fulfillment(cls, fulfillment: FulfillmentModel) -> Booking | None:
        return (await cls.from_fulfillments([fulfillment]))[0]

    @classmethod
    async def resolve_node(cls, info: Info, pk: int) -> Booking | None:
        """``node(id:)``: for whoever may see the booking's order."""
        booking = await BookingModel.get_or_none(id=pk).select_related("order")
        if booking is None or not access.can_access(info.context.viewer, booking.order):
            return None
        return cls.from_model(booking)

    @strawberry.field(description="URL of the .ics calendar invite (signed; always the latest version).")
    def calendar_url(self, info: Info) -> str:
        return calendar.calendar_url(self.model, info.context.settings)

    @strawberry.field(description="The order the session was bought with.")
    async def order(self, info: Info) -> Order:
        return Order.from_model(await info.context.loaders.batched(_orders_by_id).load(self.model.order_id))

    @strawberry.field(description="Who booked: the order's email and customer name.")
    async def customer(self, info: Info) -> BookingCustomer:
        order = await info.context.loaders.batched(_orders_by_id).load(self.model.order_id)
        return BookingCustomer(email=order.email, name=order.customer_name)


@strawberry.type(description="Who booked a session.")
class BookingCustomer:
    email: str
    name: str | None


async def _orders_by_id(order_ids: list[int]) -> list[OrderModel]:
    """Batch function of ``Booking.order`` / ``Booking.customer``: one query for a page."""
    found = {order.id: order for order in await OrderModel.filter(id__in=order_ids)}
    return [found[pk] for pk in order_ids]


@strawberry.type(description="A free consultation slot.")
class Slot:
    start: dt.datetime
    end: dt.datetime
    consultant: str
    timezone: str = strawberry.field(description="The consultant's time zone (IANA name).")


@strawberry.type
class BookingPayload:
    booking: Booking | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ConsultationQuery:
    @strawberry.field(
        description="Free consultation slots of a consultation variant starting in [from, to) (at most "
        "62 days), soonest first; `consultant` limits them to one consultant."
    )
    async def available_slots(
        self,
        sku: str,
        from_: Annotated[dt.datetime, strawberry.argument(name="from")],
        to: dt.datetime,
        consultant: str | None = None,
    ) -> list[Slot]:
        found = await services.available_slots(sku, from_, to, consultant=consultant)
        return [
            Slot(start=slot.start, end=slot.end, consultant=slot.consultant.name, timezone=slot.consultant.timezone)
            for slot in found
        ]


def _may_manage(viewer: Viewer) -> bool:
    return viewer.has(Permission.MANAGE_FULFILLMENT) or viewer.has(Permission.MANAGE_ORDERS)


@strawberry.type
class ConsultationMutation:
    @mutation(
        description="Move a booking to another free slot of its consultant: its customer, a guest with the "
        "order token, or staff. Customers may until the product's reschedule notice (default 24 hours) "
        "before the session; staff until it starts."
    )
    async def reschedule_booking(
        self, info: Info, id: strawberry.ID, start: dt.datetime, token: str | None = None
    ) -> BookingPayload:
        context = info.context
        if context.auth_error is not None:
            raise context.auth_error
        booking = await services.get_booking(parse_id(id, "Booking", ["id"]))
        staff = _may_manage(context.viewer)
        if not staff and not access.can_access(context.viewer, booking.order, token):
            # Someone else's booking looks like no booking at all.
            raise DomainError.of(ErrorCode.NOT_FOUND, "Booking not found.", ["id"])
        actor = booking.order.email if context.viewer.is_anonymous else context.viewer.actor
        moved = await services.reschedule_booking(booking.id, start, actor=actor, by_staff=staff)
        return BookingPayload(booking=Booking.from_model(moved))

    @mutation(description="Staff: the consultation took place; its line is delivered.")
    async def complete_booking(self, info: Info, id: strawberry.ID) -> BookingPayload:
        context = info.context
        context.require_permission(Permission.MANAGE_FULFILLMENT)
        booking = await services.complete_booking(parse_id(id, "Booking", ["id"]), actor=context.viewer.actor)
        return BookingPayload(booking=Booking.from_model(booking))

    @mutation(
        description="Staff: the customer did not attend. The time was held for them, so the line counts as "
        "delivered, as for completeBooking."
    )
    async def mark_booking_no_show(self, info: Info, id: strawberry.ID) -> BookingPayload:
        context = info.context
        context.require_permission(Permission.MANAGE_FULFILLMENT)
        booking = await services.mark_no_show(parse_id(id, "Booking", ["id"]), actor=context.viewer.actor)
        return BookingPayload(booking=Booking.from_model(booking))


@strawberry.type
class ConsultationMe:
    @strawberry.field(description="Your consultation bookings, of every status, soonest first.")
    async def bookings(self) -> list[Booking]:
        customer = self.viewer.customer  # type: ignore[attr-defined]  # Me's viewer
        if customer is None:
            return []
        return [Booking.from_model(booking) for booking in await services.customer_bookings(customer.id)]


async def _bookings_by_order(order_ids: list[int]) -> list[list[Booking]]:
    """Batch function of ``Order.bookings``: one query for a page of orders."""
    found: dict[int, list[Booking]] = {pk: [] for pk in order_ids}
    for booking in await BookingModel.filter(order_id__in=order_ids).order_by("starts_at", "id"):
        found[booking.order_id].append(Booking.from_model(booking))
    return [found[pk] for pk in order_ids]


@strawberry.type
class ConsultationOrder:
    """``Order.bookings``: whoever can see the order sees its bookings, held ones too (a
    guest sees the slot held for them before paying)."""

    @strawberry.field(description="The order's consultation bookings, of every status, soonest first.")
    async def bookings(self, info: Info) -> list[Booking]:
        order = self.model  # type: ignore[attr-defined]  # the core Order's row
        return await info.context.loaders.batched(_bookings_by_order).load(order.id)
