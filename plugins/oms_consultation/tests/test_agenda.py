"""The staff agenda: ``bookings(filter:, first, after)`` with each booking's customer and order."""

from __future__ import annotations

import base64

import pytest

from oms_consultation.models import Booking, BookingStatus
from oms_consultation.tests.support import ADA, GRACE, add_session, book, free_slots

AGENDA = """
query Agenda($filter: BookingFilter, $first: Int, $after: String) {
  bookings(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { consultant start status customer { email name } order { number email } } }
  }
}
"""


@pytest.fixture
async def agenda(oms_app, oms_graphql, oms_accounts) -> dict:
    """Five sessions: Ada's 1st, 3rd and 5th slots, Grace's 2nd and 4th; the last unpaid."""
    await add_session(oms_app, consultants=[ADA, {**GRACE, "timezone": "Europe/Berlin"}])
    starts = [slot["start"] for slot in await free_slots(oms_graphql, consultant="Ada Lovelace")][:5]
    booked = []
    for i, start in enumerate(starts):
        who = "Ada Lovelace" if i % 2 == 0 else "Grace Hopper"
        placed = await book(oms_app, oms_graphql, start, pay=i < 4, email=f"client{i}@example.com")
        booked.append(placed["order"]["number"])
        booking = await Booking.get(order__number=placed["order"]["number"])
        if booking.consultant != who:  # Ada was free first: give the session to Grace
            await Booking.filter(id=booking.id).update(consultant=who, consultant_key=who.casefold())
    return {"starts": starts, "numbers": booked, "staff": oms_accounts.staff}


async def pages(gql, token, first: int, **filter_) -> list[dict]:
    nodes, after = [], None
    for _ in range(20):
        data = (await gql.as_(token).query(AGENDA, {"filter": filter_, "first": first, "after": after}))["bookings"]
        nodes += [edge["node"] for edge in data["edges"]]
        assert data["pageInfo"]["hasPreviousPage"] == (after is not None)
        if not data["pageInfo"]["hasNextPage"]:
            return nodes
        after = data["pageInfo"]["endCursor"]
    raise AssertionError("never ends")


async def test_staff_see_every_booking_soonest_first_with_customer_and_order(oms_graphql, agenda):
    for first in (1, 2, 10):
        nodes = await pages(oms_graphql, agenda["staff"], first)
        assert [n["order"]["number"] for n in nodes] == agenda["numbers"]
        assert [n["customer"]["email"] for n in nodes] == [f"client{i}@example.com" for i in range(5)]
        assert [n["start"] for n in nodes] == sorted(n["start"] for n in nodes)


@pytest.mark.parametrize(
    ("filter_", "indexes"),
    [
        pytest.param({"consultant": "Ada Lovelace"}, [0, 2, 4], id="consultant"),
        pytest.param({"consultant": "  grace   HOPPER"}, [1, 3], id="consultant-key"),
        pytest.param({"consultant": "Nobody"}, [], id="consultant-unknown"),
        pytest.param({"status": ["HELD"]}, [4], id="status"),
        pytest.param({"from": 1, "to": 3}, [1, 2], id="from-to"),
        pytest.param({"consultant": "Ada Lovelace", "from": 1}, [2, 4], id="combined"),
    ],
)
async def test_filters(oms_graphql, agenda, filter_, indexes):
    for bound in ("from", "to"):
        if bound in filter_:
            filter_[bound] = agenda["starts"][filter_[bound]]
    nodes = await pages(oms_graphql, agenda["staff"], 2, **filter_)
    assert [n["order"]["number"] for n in nodes] == [agenda["numbers"][i] for i in indexes]
    data = await oms_graphql.as_(agenda["staff"]).query(AGENDA, {"filter": filter_, "first": 1})
    assert data["bookings"]["totalCount"] == len(indexes)


async def test_customers_cannot_read_the_agenda(oms_graphql, oms_accounts, agenda):
    body = await oms_graphql.as_(oms_accounts.customer).execute(AGENDA)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["PERMISSION_DENIED"]
    assert (await oms_graphql.execute(AGENDA))["errors"]


@pytest.mark.parametrize(
    "after",
    [
        pytest.param("garbage!", id="garbage"),
        pytest.param(base64.urlsafe_b64encode(b'["b1","2026-01-01T00:00:00",1]').decode(), id="naive"),
        pytest.param(base64.urlsafe_b64encode(b'["o1","2026-01-01T00:00:00+00:00",1]').decode(), id="other"),
        pytest.param("A" * 1000, id="huge"),
    ],
)
async def test_bad_cursors_are_invalid(oms_graphql, agenda, after):
    body = await oms_graphql.as_(agenda["staff"]).execute(AGENDA, {"after": after})
    assert [e["extensions"]["code"] for e in body["errors"]] == ["INVALID"]


async def test_a_booking_listed_once_though_sessions_share_a_start(oms_graphql, agenda):
    first = await Booking.filter(status=BookingStatus.CONFIRMED).order_by("id").first()
    assert first is not None
    await Booking.all().update(starts_at=first.starts_at)
    nodes = await pages(oms_graphql, agenda["staff"], 2)
    assert sorted(n["order"]["number"] for n in nodes) == sorted(agenda["numbers"])
    assert [n["order"]["number"] for n in nodes] == agenda["numbers"]  # ties by id: placement order
