"""``bookings(filter:, first, after)``: the consultants' agenda for staff (MANAGE_FULFILLMENT)."""

from __future__ import annotations

import datetime as dt

import strawberry

from oms.api import Permission
from oms.api.graphql import Info, PageInfo, page_size, selects
from oms_consultation import agenda
from oms_consultation.graphql import Booking, BookingStatus


@strawberry.input
class BookingFilter:
    consultant: str | None = strawberry.field(
        default=None, description="A consultant's key, as in the variant's attributes."
    )
    from_: dt.datetime | None = strawberry.field(
        default=None, name="from", description="Sessions starting at or after this."
    )
    to: dt.datetime | None = strawberry.field(default=None, description="Sessions starting before this.")
    status: list[BookingStatus] | None = None

    def to_domain(self) -> agenda.BookingFilter:
        return agenda.BookingFilter(
            consultant=self.consultant, start_from=self.from_, start_to=self.to, status=self.status
        )


@strawberry.type
class BookingEdge:
    node: Booking
    cursor: str


@strawberry.type
class BookingConnection:
    edges: list[BookingEdge]
    page_info: PageInfo
    total_count: int


@strawberry.type
class AgendaQuery:
    @strawberry.field(
        description="Staff: consultation bookings, soonest first, with their customer and order. "
        "totalCount counts every match: select it only when needed."
    )
    async def bookings(
        self, info: Info, filter: BookingFilter | None = None, first: int | None = None, after: str | None = None
    ) -> BookingConnection:
        info.context.require_permission(Permission.MANAGE_FULFILLMENT)
        page = await agenda.find_bookings(filter.to_domain() if filter else None, size=page_size(first), after=after)
        return BookingConnection(
            edges=[
                BookingEdge(node=Booking.from_model(booking), cursor=cursor)
                for booking, cursor in zip(page.items, page.cursors, strict=True)
            ],
            page_info=PageInfo(
                has_next_page=page.has_next,
                has_previous_page=page.has_previous,
                start_cursor=page.cursors[0] if page.cursors else None,
                end_cursor=page.cursors[-1] if page.cursors else None,
            ),
            total_count=await page.total() if selects(info, "totalCount") else 0,
        )
