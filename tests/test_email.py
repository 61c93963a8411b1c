"""Transactional email: which messages each step sends, to whom, once, through a real SMTP
server (aiosmtpd) -- and what happens when the server refuses or the worker dies mid-send."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import email.policy
from email.message import EmailMessage

import icalendar
import pytest
from aiosmtpd.controller import Controller

from oms.clock import utcnow
from oms.jobs.models import Job, JobStatus
from oms.notifications.models import SentEmail, SentEmailStatus
from oms.notifications.sending import EMAIL_JOB, resend_email
from oms.orders.events import record_event
from oms.orders.models import Order, OrderEvent
from oms.testing import make_product, place_paid_order, run_jobs
from tests.live_server import free_port

CONSULTANT = {"name": "Grete Hansen", "timezone": "Europe/Berlin",
              "availability": {day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}}


class Inbox:
    """An aiosmtpd handler keeping what it accepted; ``refuse`` answers 451 that many times."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.refuse = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            self.refuse -= 1
            return "451 4.3.0 Try again later"
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    def subjects(self, to: str | None = None) -> list[str]:
        return [m["Subject"] for m in self.messages if to is None or m["To"] == to]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


def use_smtp(oms_app, port: int, **more) -> None:
    oms_app.state.settings = dataclasses.replace(  # read by the job handlers run_jobs builds
        oms_app.state.settings, smtp_url=f"smtp://127.0.0.1:{port}", **more
    )


async def run_retries(oms_app, rounds: int = 15) -> None:
    """Run jobs, making retried ones due at once (the worker's backoff, fast-forwarded)."""
    for _ in range(rounds):
        await run_jobs(oms_app)
        waiting = Job.filter(status=JobStatus.QUEUED)
        if not await waiting.exists():
            return
        await waiting.update(run_at=utcnow() - dt.timedelta(seconds=1))
    raise AssertionError("jobs still queued")


def body(message: EmailMessage, subtype: str = "plain") -> str:
    part = message.get_body(preferencelist=(subtype,))
    assert part is not None
    return part.get_content()


async def mug(oms_app) -> None:
    await make_product(oms_app, product_type="physical", sku="MUG", attributes={"weight_grams": 300}, stock=5,
                       name="Mug")


async def all_types_catalog(oms_app, oms_graphql, tmp_path) -> str:
    """The four built-in types on sale; returns a free consultation slot."""
    from oms_digital.files import add_file

    await make_product(oms_app, product_type="physical", sku="MUG", price="12.00",
                       attributes={"weight_grams": 300}, stock=10, name="Mug")
    await make_product(oms_app, product_type="digital", sku="EBOOK", price="5.00", name="E-book")
    (tmp_path / "book.pdf").write_bytes(b"%PDF-1.4 book")
    await add_file("EBOOK", str(tmp_path / "book.pdf"), media_root=oms_app.state.settings.media_root)
    await make_product(oms_app, product_type="subscription", sku="PLAN", price="9.00",
                       attributes={"interval": "month"}, name="Plan")
    await make_product(oms_app, product_type="consultation", sku="CALL", price="90.00",
                       attributes={"duration_minutes": 60, "consultants": [CONSULTANT]}, name="Call")
    now = dt.datetime.now(dt.UTC)
    slots = (await oms_graphql.query(
        "query($f: DateTime!, $t: DateTime!) { availableSlots(sku: \"CALL\", from: $f, to: $t) { start } }",
        {"f": (now + dt.timedelta(days=2)).isoformat(), "t": (now + dt.timedelta(days=4)).isoformat()},
    ))["availableSlots"]
    return slots[0]["start"]


async def ship_and_deliver(staff, order: dict, quantity: int) -> None:
    mug_line = next(line["id"] for line in order["lines"] if line["sku"] == "MUG")
    shipped = (await staff.query(
        "mutation($i: CreateShipmentInput!) { createShipment(input: $i) { fulfillment { id } userErrors { code } } }",
        {"i": {"orderId": order["id"], "trackingNumber": "T-1", "lines": [{"lineId": mug_line, "quantity": quantity}]}},
    ))["createShipment"]
    assert shipped["userErrors"] == []
    delivered = (await staff.query(
        "mutation($id: ID!) { markShipmentDelivered(id: $id) { userErrors { code } } }",
        {"id": shipped["fulfillment"]["id"]}))["markShipmentDelivered"]
    assert delivered["userErrors"] == []


REFUND_SUBJECT = "Refund of $12.00 for order {number}"


async def test_an_order_of_all_four_types_mails_each_step_once(
    oms_app, oms_graphql, oms_accounts, tmp_path, smtp
):
    inbox, port = smtp
    use_smtp(oms_app, port, staff_email="staff@shop.example", storefront_order_url="https://shop.example/o/{token}")
    slot = await all_types_catalog(oms_app, oms_graphql, tmp_path)
    placed = await place_paid_order(
        oms_app, oms_graphql,
        [("MUG", 2), ("EBOOK", 1), ("PLAN", 1), {"sku": "CALL", "quantity": 1, "options": {"slot": slot}}],
        shipping_method="standard", email="ada@example.com",
    )
    staff = oms_graphql.as_(oms_accounts.staff)
    await ship_and_deliver(staff, placed["order"], 2)
    # Partly returned: one of the two mugs comes back, is received and refunded.
    mug_line = next(line["id"] for line in placed["order"]["lines"] if line["sku"] == "MUG")
    asked = (await oms_graphql.query(
        "mutation($i: RequestReturnInput!) { requestReturn(input: $i) { return { id } userErrors { code } } }",
        {"i": {"orderId": placed["order"]["id"], "orderToken": placed["orderToken"],
               "lines": [{"lineId": mug_line, "quantity": 1, "reason": "Chipped"}]}}))["requestReturn"]
    assert asked["userErrors"] == []
    for step in ("approveReturn(id: $id)", "receiveReturn(id: $id, restock: true)", "refundReturn(id: $id)"):
        done = await staff.query("mutation($id: ID!) { %s { userErrors { code } } }" % step,
                                 {"id": asked["return"]["id"]})
        assert next(iter(done.values()))["userErrors"] == [], step
    await run_jobs(oms_app)
    await run_jobs(oms_app)  # an order.event job run again adds nothing

    number = placed["order"]["number"]
    assert sorted(inbox.subjects("ada@example.com")) == sorted([
        f"Order {number} received",
        f"Payment received for order {number}",
        f"Your download for order {number} is ready",
        f"Your subscription is active ({number})",
        f"Your booking is confirmed ({number})",
        f"Your order {number} has shipped",
        f"Your parcel for order {number} was delivered",
        f"Your return for order {number} was approved",
        f"We received your return for order {number}",
        REFUND_SUBJECT.format(number=number),
    ])
    assert inbox.subjects("staff@shop.example") == []  # nothing needed a person

    by_subject = {m["Subject"]: m for m in inbox.messages}
    received = by_subject[f"Order {number} received"]
    text = body(received)
    order = await Order.get(number=number)
    assert "2 x Mug (MUG)  $24.00" in text and f"Total:    ${order.total}" in text
    assert "Questions? Write to oms@localhost." in text
    assert f"https://shop.example/o/{placed['orderToken']}" in text  # a guest's link
    assert "<td>2 &times; Mug" in body(received, "html")

    download = body(by_subject[f"Your download for order {number} is ready"])
    assert "book.pdf" in download and "/downloads/" in download

    invite = next(part for part in by_subject[f"Your booking is confirmed ({number})"].iter_attachments())
    assert invite.get_content_type() == "text/calendar"
    calendar = icalendar.Calendar.from_ical(invite.get_content())
    event = calendar.walk("VEVENT")[0]
    assert str(event["status"]) == "CONFIRMED" and "Grete Hansen" in str(event["summary"])

    shipped = body(by_subject[f"Your order {number} has shipped"])
    assert "T-1" in shipped and "Still to come" not in shipped

    # Each one is on the timeline, for staff only; one SENT row each.
    sent_events = await OrderEvent.filter(order_id=order.id, type="email.sent").values_list("message", flat=True)
    assert f"Email 'Your order {number} has shipped' sent to ada@example.com." in sent_events
    assert len(sent_events) == len(inbox.messages)
    assert await SentEmail.filter(status=SentEmailStatus.SENT).count() == len(inbox.messages)
    ids = [m["Message-ID"] for m in inbox.messages]
    assert len(set(ids)) == len(ids)


async def test_a_partial_shipment_says_what_is_still_to_come(oms_app, oms_graphql, oms_accounts, smtp):
    inbox, port = smtp
    use_smtp(oms_app, port)
    await make_product(oms_app, product_type="physical", sku="MUG", price="12.00",
                       attributes={"weight_grams": 300}, stock=10, name="Mug")
    placed = await place_paid_order(oms_app, oms_graphql, [("MUG", 3)], shipping_method="standard")
    await ship_and_deliver(oms_graphql.as_(oms_accounts.staff), placed["order"], 1)
    await run_jobs(oms_app)
    shipped = next(m for m in inbox.messages if "has shipped" in m["Subject"])
    text = body(shipped)
    assert "1 x Mug (MUG)" in text
    assert "Still to come in a later parcel:\n  2 x Mug (MUG)" in text.replace("\r\n", "\n")


async def test_smtp_refusing_for_a_while_delivers_after_retries(oms_app, oms_graphql, smtp):
    inbox, port = smtp
    use_smtp(oms_app, port)
    await mug(oms_app)
    inbox.refuse = 3  # 451 three times, then 250
    placed = await place_paid_order(oms_app, oms_graphql, [("MUG", 1)], shipping_method="standard", pay=False)
    await run_retries(oms_app)
    number = placed["order"]["number"]
    assert inbox.subjects() == [f"Order {number} received"]
    assert inbox.refuse == 0
    job = await Job.get(kind=EMAIL_JOB)
    assert job.status == JobStatus.DONE and job.attempts == 4 and "451" in (job.last_error or "")


async def test_a_mail_that_never_goes_out_is_shown_to_staff(oms_app, oms_graphql, smtp):
    inbox, port = smtp
    use_smtp(oms_app, port, staff_email="staff@shop.example")
    await mug(oms_app)
    inbox.refuse = 1000
    placed = await place_paid_order(oms_app, oms_graphql, [("MUG", 1)], shipping_method="standard", pay=False)
    await run_retries(oms_app, rounds=30)
    assert inbox.messages == []
    # The customer's mail died, then the staff alert about it (which raises no alert of its own).
    jobs = await Job.filter(kind=EMAIL_JOB).order_by("id")
    assert [(j.payload["message"], j.status) for j in jobs] == [
        ("order_received", JobStatus.DEAD), ("staff_email_failed", JobStatus.DEAD)]
    order = await Order.get(number=placed["order"]["number"])
    failed = await OrderEvent.filter(order_id=order.id, type="email.failed").order_by("id").first()
    assert "order_received" in failed.message and "buyer@example.com" in failed.message and "451" in failed.message
    assert failed.data["staff_only"] is True
    assert await OrderEvent.filter(order_id=order.id, type="email.failed").count() == 2
    assert not await SentEmail.exists()  # a definite failure leaves nothing claimed


async def test_a_worker_killed_after_the_server_accepted_does_not_send_again(
    oms_app, oms_graphql, smtp, monkeypatch
):
    import asyncio

    from oms.notifications import sending

    inbox, port = smtp
    use_smtp(oms_app, port)
    await mug(oms_app)

    async def die(*args, **kwargs):
        raise asyncio.CancelledError  # the process stops right after the server said 250

    monkeypatch.setattr(sending, "record_sent", die)
    placed = await place_paid_order(oms_app, oms_graphql, [("MUG", 1)], shipping_method="standard", pay=False)
    await run_jobs(oms_app)  # the worker sees the handler cancelled: a retry comes
    assert len(inbox.messages) == 1
    row = await SentEmail.get()
    assert row.status == SentEmailStatus.SENDING and row.message_id == inbox.messages[0]["Message-ID"]

    # The job is run again (its lease ran out): it does not resend, it tells staff.
    monkeypatch.undo()
    assert (await Job.get(kind=EMAIL_JOB)).status == JobStatus.QUEUED
    await run_retries(oms_app)
    assert len(inbox.messages) == 1
    row = await SentEmail.get()
    assert row.status == SentEmailStatus.UNCERTAIN
    order = await Order.get(number=placed["order"]["number"])
    note = await OrderEvent.get(order_id=order.id, type="email.uncertain")
    assert f"oms email resend {row.id}" in note.message and note.data["staff_only"] is True

    # Staff decide to resend: it goes out once more, with the same Message-ID.
    await resend_email(row.id)
    await run_retries(oms_app)
    assert len(inbox.messages) == 2
    assert inbox.messages[1]["Message-ID"] == inbox.messages[0]["Message-ID"]
    assert (await SentEmail.get()).status == SentEmailStatus.SENT


async def test_staff_hear_of_payments_to_review_and_failed_refunds(oms_app, oms_graphql, smtp):
    inbox, port = smtp
    use_smtp(oms_app, port, staff_email="staff@shop.example")
    await mug(oms_app)
    placed = await place_paid_order(oms_app, oms_graphql, [("MUG", 1)], shipping_method="standard", pay=False)
    order = await Order.get(number=placed["order"]["number"])
    await record_event(order, "payment.mismatch", "Received 1.00 USD but the order totals 10.00 USD.", actor="x",
                       data={"amount": "1.00", "currency": "USD"})
    await record_event(order, "refund.failed", "Refund of 5.00 USD failed: card expired.", actor="x",
                       data={"refund_id": 1}, staff_only=True)
    await record_event(order, "delivery.failed", "Delivering the physical lines failed after all retries: boom",
                       actor="system", data={"product_type": "physical"})
    await run_jobs(oms_app)
    number = order.number
    assert sorted(inbox.subjects("staff@shop.example")) == [
        f"[oms] Order {number} needs review: payment", f"[oms] Order {number}: a delivery failed",
        f"[oms] Order {number}: a refund failed"]
    alert = next(m for m in inbox.messages if "refund failed" in m["Subject"])
    assert "card expired" in body(alert)
    assert inbox.subjects("buyer@example.com") == [f"Order {number} received"]  # staff-only events: no mail


async def test_return_and_refund_events_mail_the_customer(oms_app, oms_graphql, smtp):
    inbox, port = smtp
    use_smtp(oms_app, port, locale="de_DE", timezone="Europe/Berlin")
    await mug(oms_app)
    placed = await place_paid_order(oms_app, oms_graphql, [("MUG", 1)], shipping_method="standard")
    order = await Order.get(number=placed["order"]["number"])
    for event_type in ("return.approved", "return.rejected", "return.received"):
        await record_event(order, event_type, f"Return {order.number}-R1: {event_type}.", actor="staff@example.com",
                           data={"return_id": 1, "reason": "Worn"})
    await record_event(order, "refund.succeeded", "Refund of 12.50 USD issued", actor="system",
                       data={"refund_id": 1, "amount": "12.50", "currency": "USD"})
    await run_jobs(oms_app)
    subjects = inbox.subjects()
    assert f"Your return for order {order.number} was approved" in subjects
    assert f"Your return for order {order.number} was not accepted" in subjects
    assert f"We received your return for order {order.number}" in subjects
    refund = next(m for m in inbox.messages if m["Subject"].startswith("Refund of"))
    assert refund["Subject"] == f"Refund of 12,50 $ for order {order.number}"  # de_DE formatting
    assert "Reason: Worn" in body(next(m for m in inbox.messages if "not accepted" in m["Subject"]))


async def test_a_rescheduled_booking_mails_the_updated_invite(oms_app, oms_graphql, smtp):
    from oms_consultation.models import Booking
    from oms_consultation.services import reschedule_booking

    inbox, port = smtp
    use_smtp(oms_app, port)
    await make_product(oms_app, product_type="consultation", sku="CALL", price="90.00",
                       attributes={"duration_minutes": 60, "consultants": [CONSULTANT]}, name="Call")
    now = dt.datetime.now(dt.UTC)
    slots = (await oms_graphql.query(
        "query($f: DateTime!, $t: DateTime!) { availableSlots(sku: \"CALL\", from: $f, to: $t) { start } }",
        {"f": (now + dt.timedelta(days=3)).isoformat(), "t": (now + dt.timedelta(days=5)).isoformat()},
    ))["availableSlots"]
    await place_paid_order(oms_app, oms_graphql, [{"sku": "CALL", "quantity": 1,
                                                   "options": {"slot": slots[0]["start"]}}])
    booking = await Booking.get()
    await reschedule_booking(booking.id, dt.datetime.fromisoformat(slots[3]["start"]), actor="staff@example.com",
                             by_staff=True)
    await run_jobs(oms_app)

    def invite(subject_start: str):
        message = next(m for m in inbox.messages if m["Subject"].startswith(subject_start))
        [part] = list(message.iter_attachments())
        assert part.get_content_type() == "text/calendar" and part.get_param("method") == "REQUEST"
        return icalendar.Calendar.from_ical(part.get_content()).walk("VEVENT")[0]

    confirmed, moved = invite("Your booking is confirmed"), invite("Your booking was moved")
    assert str(moved["uid"]) == str(confirmed["uid"])  # the same event in the calendar...
    assert int(moved["sequence"]) > int(confirmed["sequence"])  # ...replaced by the newer one
    assert moved.decoded("dtstart") == dt.datetime.fromisoformat(slots[3]["start"])
