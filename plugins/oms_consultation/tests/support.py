"""Products, queries and helpers shared by the consultation plugin's tests."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import uuid
from collections.abc import Iterator

from oms.testing import make_product, place_paid_order
from oms_consultation.slots import WEEKDAYS

NINE_TO_FIVE = {day: [["09:00", "17:00"]] for day in WEEKDAYS}
ADA = {"name": "Ada Lovelace", "timezone": "Europe/Berlin", "availability": NINE_TO_FIVE}
GRACE = {"name": "Grace Hopper", "timezone": "America/New_York", "availability": NINE_TO_FIVE}
SESSION = {
    "duration_minutes": 60,
    "buffer_minutes": 15,
    "horizon_days": 365,
    "min_notice_hours": 0,
    "meeting_url_template": "https://meet.example.com/{booking}",
    "consultants": [ADA],
}

AVAILABLE = """
query Slots($sku: String!, $from: DateTime!, $to: DateTime!, $consultant: String) {
  availableSlots(sku: $sku, from: $from, to: $to, consultant: $consultant) { start end consultant timezone }
}
"""

PLACE = """
mutation Place($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { id number status } orderToken userErrors { field code message } }
}
"""

BOOKING_FIELDS = "id status sku consultant start end timezone meetingUrl calendarUrl"

ORDER = f"""
query Order($id: ID, $token: String) {{
  order(id: $id, token: $token) {{
    status lines {{ status }}
    fulfillments {{ status details {{ __typename ... on Booking {{ {BOOKING_FIELDS} }} }} }}
  }}
}}
"""

MY_BOOKINGS = f"{{ me {{ bookings {{ {BOOKING_FIELDS} }} }} }}"

RESCHEDULE = f"""
mutation Move($id: ID!, $start: DateTime!, $token: String) {{
  rescheduleBooking(id: $id, start: $start, token: $token) {{
    booking {{ {BOOKING_FIELDS} }} userErrors {{ field code message }}
  }}
}}
"""

COMPLETE = f"""
mutation Complete($id: ID!) {{
  completeBooking(id: $id) {{ booking {{ {BOOKING_FIELDS} }} userErrors {{ field code message }} }}
}}
"""

NO_SHOW = f"""
mutation NoShow($id: ID!) {{
  markBookingNoShow(id: $id) {{ booking {{ {BOOKING_FIELDS} }} userErrors {{ field code message }} }}
}}
"""


def utc(*args: int) -> dt.datetime:
    # mypy cannot tell that *args (year to microsecond) stops before the tzinfo position.
    return dt.datetime(*args, tzinfo=dt.UTC)  # type: ignore[misc, arg-type]


def parse(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


async def add_session(oms_app, sku: str = "CALL", **changes) -> None:
    await make_product(oms_app, product_type="consultation", sku=sku, price="90.00",
                       attributes={**SESSION, **changes}, name=f"Session {sku}")


async def free_slots(graphql, sku: str = "CALL", *, days: int = 7, consultant: str | None = None,
                     start: dt.datetime | None = None) -> list[dict]:
    """availableSlots from ``start`` for ``days`` days. By default from 26 hours ahead: past
    the default 24 hours of reminders, so the jobs tests run write none by surprise."""
    start = start or dt.datetime.now(dt.UTC) + dt.timedelta(hours=26)
    variables = {"sku": sku, "from": start.isoformat(), "to": (start + dt.timedelta(days=days)).isoformat(),
                 "consultant": consultant}
    return (await graphql.query(AVAILABLE, variables))["availableSlots"]


def line(slot: str, sku: str = "CALL", consultant: str | None = None) -> dict:
    options = {"slot": slot} if consultant is None else {"slot": slot, "consultant": consultant}
    return {"sku": sku, "quantity": 1, "options": options}


async def place(graphql, *lines: dict, email: str = "buyer@example.com") -> dict:
    """placeOrder's payload, whatever the outcome."""
    data = {"lines": list(lines), "email": email, "idempotencyKey": uuid.uuid4().hex}
    return (await graphql.query(PLACE, {"input": data}))["placeOrder"]


async def book(oms_app, graphql, slot: str, *, sku: str = "CALL", pay: bool = True,
               email: str = "buyer@example.com") -> dict:
    """Place (and by default pay) an order for one session; placeOrder's payload."""
    return await place_paid_order(oms_app, graphql, [line(slot, sku)], pay=pay, email=email)


async def booking_of(graphql, placed: dict) -> dict:
    """The Booking details of a paid order, read with its token."""
    order = (await graphql.query(ORDER, {"token": placed["orderToken"]}))["order"]
    (fulfillment,) = order["fulfillments"]
    return fulfillment["details"]


@contextlib.contextmanager
def sql_statements() -> Iterator[list[str]]:
    """The SQL statements Tortoise sends while in the block (it logs each one at DEBUG)."""
    found: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            # Statements are logged as ("%s: %s", query, values); connection messages differ.
            if isinstance(record.args, tuple) and record.args and isinstance(record.args[0], str):
                found.append(record.args[0])

    logger = logging.getLogger("tortoise.db_client")
    handler, level = Collect(logging.DEBUG), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield found
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
