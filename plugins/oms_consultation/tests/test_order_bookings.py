"""``Order.bookings``: the consultation plugin's field on the core Order type. A guest
holding the order's token sees the slot held for them before paying."""

from __future__ import annotations

from oms_consultation.tests.support import add_session, book, free_slots

ORDER_BOOKINGS = """
query($token: String) {
  order(token: $token) { paymentStatus bookings { status start consultant } }
}
"""
ORDERS_BOOKINGS = "{ orders(first: 10) { edges { node { bookings { status } } } } }"


async def test_a_guest_sees_the_held_booking_before_paying(oms_app, oms_graphql):
    await add_session(oms_app)
    slot = (await free_slots(oms_graphql))[0]
    placed = await book(oms_app, oms_graphql, slot["start"], pay=False)
    order = (await oms_graphql.query(ORDER_BOOKINGS, {"token": placed["orderToken"]}))["order"]
    assert order["paymentStatus"] != "PAID"
    assert order["bookings"] == [{"status": "HELD", "start": slot["start"], "consultant": slot["consultant"]}]


async def test_an_order_without_sessions_has_no_bookings_and_a_page_loads_them_at_once(
    oms_app, oms_graphql, oms_accounts
):
    from oms.testing import make_product, place_paid_order
    from oms_consultation.tests.support import sql_statements

    await make_product(oms_app, product_type="digital", sku="EBOOK")
    await place_paid_order(oms_app, oms_graphql, [("EBOOK", 1)], pay=False)
    await add_session(oms_app)
    for slot in (await free_slots(oms_graphql))[:3]:
        await book(oms_app, oms_graphql, slot["start"], pay=False)
    with sql_statements() as statements:
        edges = (await oms_graphql.as_(oms_accounts.staff).query(ORDERS_BOOKINGS))["orders"]["edges"]
    assert sorted(len(edge["node"]["bookings"]) for edge in edges) == [0, 1, 1, 1]
    assert sum('FROM "consultation_booking"' in s for s in statements) == 1  # one query for the page
