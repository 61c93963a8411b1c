"""The consultation plugin: consultants with time zones and hours; a line books one slot."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from oms.testing import make_product

CREATE_PRODUCT = """
mutation Create($input: CreateProductInput!) {
  createProduct(input: $input) { product { slug } userErrors { field code message } }
}
"""

PRICE_CART = """
query Price($input: CartInput!) {
  priceCart(input: $input) { total { amount } userErrors { field code message } }
}
"""

GRACE = {"name": "Grace", "timezone": "Europe/Berlin", "availability": {"mon": [["09:00", "17:00"]]}}
CALL = {"duration_minutes": 60, "min_notice_hours": 24, "consultants": [GRACE]}


def hours_from_now(hours: int) -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours)).isoformat()


def monday_at(hour: int, weeks: int = 1) -> str:
    """A Monday at ``hour`` in Berlin (Grace's grid: 09:00, 10:00... 16:00), at least two
    days and ``weeks`` weeks ahead, with its UTC offset."""
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    day = dt.datetime.now(berlin).date() + dt.timedelta(days=2)
    day += dt.timedelta(days=(7 - day.weekday()) % 7 + 7 * (weeks - 1))
    return dt.datetime.combine(day, dt.time(hour), tzinfo=berlin).isoformat()


async def create_call(graphql, attributes):
    variables = {"input": {"name": "Call", "productType": "consultation",
                           "variants": [{"sku": "CALL-60", "price": "120.00", "attributes": attributes}]}}
    return (await graphql.query(CREATE_PRODUCT, variables))["createProduct"]


@pytest.fixture
async def call(oms_app):
    await make_product(oms_app, product_type="consultation", sku="CALL-60", price="120.00", attributes=CALL)


async def price(graphql, options, quantity=1):
    cart = {"lines": [{"sku": "CALL-60", "quantity": quantity, "options": options}]}
    return (await graphql.query(PRICE_CART, {"input": cart}))["priceCart"]


async def test_attributes_are_validated(oms_graphql, oms_accounts):
    created = await create_call(oms_graphql.as_(oms_accounts.staff), CALL)
    assert created == {"product": {"slug": "call"}, "userErrors": []}


@pytest.mark.parametrize(
    "consultant, field",
    [
        ({**GRACE, "timezone": "Mars/Olympus"}, ["timezone"]),
        ({**GRACE, "timezone": "Europe"}, ["timezone"]),  # a folder of the tz database
        ({**GRACE, "availability": {"mon": [["17:00", "09:00"]]}}, ["availability", "mon", "0"]),
        ({**GRACE, "availability": {"mon": [["9:00", "17:00"]]}}, ["availability", "mon", "0", "0"]),
        ({**GRACE, "availability": {"someday": [["09:00", "17:00"]]}}, ["availability"]),
        ({**GRACE, "exceptions": ["2027-02-30"]}, ["exceptions", "0"]),
    ],
    ids=["unknown-zone", "zone-folder", "ends-before-start", "bad-time", "bad-weekday", "bad-day-off"],
)
async def test_bad_consultants_are_refused(oms_graphql, oms_accounts, consultant, field):
    created = await create_call(oms_graphql.as_(oms_accounts.staff), {**CALL, "consultants": [consultant]})
    assert created["product"] is None
    assert [(e["field"], e["code"]) for e in created["userErrors"]] == [
        (["variants", "0", "attributes", "consultants", "0", *field], "INVALID")
    ]


async def test_duration_is_required(oms_graphql, oms_accounts):
    created = await create_call(oms_graphql.as_(oms_accounts.staff), {"consultants": [GRACE]})
    assert [(e["field"], e["code"]) for e in created["userErrors"]] == [
        (["variants", "0", "attributes", "duration_minutes"], "REQUIRED")
    ]


async def test_a_future_slot_is_accepted(oms_graphql, call):
    quote = await price(oms_graphql, {"slot": monday_at(10), "consultant": "Grace"})
    assert quote == {"total": {"amount": "120.00"}, "userErrors": []}
    quote = await price(oms_graphql, {"slot": monday_at(16)})  # the last one; any consultant
    assert quote == {"total": {"amount": "120.00"}, "userErrors": []}


@pytest.mark.parametrize(
    "slot, message",
    [
        (monday_at(10).replace(":00:00", ":30:00"), "No session starts at this time; choose one of availableSlots."),
        (monday_at(17), "No session starts at this time; choose one of availableSlots."),
        (monday_at(10, weeks=10), "Sessions can be booked up to 60 days ahead."),
    ],
    ids=["off-the-grid", "after-hours", "past-the-horizon"],
)
async def test_slot_must_be_one_that_is_offered(oms_graphql, call, slot, message):
    quote = await price(oms_graphql, {"slot": slot})
    assert quote["userErrors"] == [{"field": ["lines", "0", "options", "slot"], "code": "SLOT_UNAVAILABLE",
                                    "message": message}]


async def test_slot_is_required(oms_graphql, call):
    quote = await price(oms_graphql, {"consultant": "Grace"})
    assert [(e["field"], e["code"]) for e in quote["userErrors"]] == [(["lines", "0", "options", "slot"], "REQUIRED")]


@pytest.mark.parametrize(
    "slot", ["next monday at ten", "2030-01-07T10:00:00", "2030-01-07"],
    ids=["not-a-date", "no-offset", "date-only"],
)
async def test_slot_must_be_iso_with_an_offset(oms_graphql, call, slot):
    quote = await price(oms_graphql, {"slot": slot})
    assert quote["userErrors"] == [{
        "field": ["lines", "0", "options", "slot"], "code": "INVALID",
        "message": "The slot must be an ISO 8601 date-time with a UTC offset.",
    }]


@pytest.mark.parametrize(
    "slot",
    [hours_from_now(-1), hours_from_now(2), "0001-01-01T00:30:00+01:00"],
    ids=["past", "inside-minimum-notice", "year-one"],
)
async def test_slot_must_be_in_the_future(oms_graphql, call, slot):
    quote = await price(oms_graphql, {"slot": slot})
    assert [(e["field"], e["code"]) for e in quote["userErrors"]] == [
        (["lines", "0", "options", "slot"], "SLOT_UNAVAILABLE")
    ]


async def test_one_session_per_line(oms_graphql, call):
    quote = await price(oms_graphql, {"slot": monday_at(10)}, quantity=2)
    assert quote["userErrors"] == [{"field": ["lines", "0", "quantity"], "code": "INVALID",
                                    "message": "Book one session per line."}]


async def test_consultant_must_be_one_of_the_variant(oms_graphql, call):
    quote = await price(oms_graphql, {"slot": hours_from_now(48), "consultant": "Linus"})
    assert quote["userErrors"] == [{"field": ["lines", "0", "options", "consultant"], "code": "INVALID",
                                    "message": "No consultant named 'Linus'."}]


async def test_two_consultants_of_one_name_are_refused(oms_graphql, oms_accounts):
    twins = {**CALL, "consultants": [GRACE, {**GRACE, "name": " grace "}]}
    created = await create_call(oms_graphql.as_(oms_accounts.staff), twins)
    assert [(e["field"], e["code"]) for e in created["userErrors"]] == [
        (["variants", "0", "attributes", "consultants", "1", "name"], "INVALID")
    ]


async def test_meeting_url_template_must_be_a_web_address(oms_graphql, oms_accounts):
    staff = oms_graphql.as_(oms_accounts.staff)
    bad = await create_call(staff, {**CALL, "meeting_url_template": "javascript:alert({booking})"})
    assert [(e["field"], e["code"]) for e in bad["userErrors"]] == [
        (["variants", "0", "attributes", "meeting_url_template"], "INVALID")
    ]
    good = await create_call(staff, {**CALL, "meeting_url_template": "https://meet.example.com/{booking}",
                                     "reschedule_notice_hours": 48, "reminder_hours": 2})
    assert good["userErrors"] == []
