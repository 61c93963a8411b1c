"""A whole mail, byte for byte: rendered from the core's templates (amounts through Babel)
and composed (headers, alternative parts, attachments), its Date and MIME boundary fixed.
The expected bytes were written by the code before the worker's mail CPU was cut (issue 15):
a faster path must produce the very same message."""

from __future__ import annotations

import datetime as dt
import email.generator
from decimal import Decimal
from pathlib import Path

from oms.config import Settings
from oms.money import Money
from oms.plugin_types import EmailAttachment

BOUNDARY = "=====b====="
EXPECTED = Path(__file__).with_name("email_bytes_expected.eml")


def full_message() -> bytes:
    from unittest import mock

    from oms.notifications import sending
    from oms.notifications.rendering import Renderer

    settings = Settings(
        database_url="sqlite://:memory:",
        secret_key="test-secret-" + "x" * 32,
        mail_from="Zoë's Shöp <shop@example.com>",
        support_email="help@example.com",
        locale="de_DE",
        timezone="Europe/Berlin",
        currency="EUR",
    )
    line = {
        "id": 7,
        "sku": "MUG-1",
        "name": "Tasse « Zoë » " + "very long name " * 8,
        "product_type": "physical",
        "quantity": 3,
        "unit_price": Money(Decimal("12.50"), "EUR"),
        "total": Money(Decimal("37.50"), "EUR"),
        "options": {"colour": "blau"},
        "status": "open",
        "quantity_fulfilled": 0,
        "quantity_canceled": 0,
        "quantity_open": 3,
    }
    amount = Money(Decimal("1234.5"), "EUR")
    context = {
        "message": "payment_received",
        "recipient": "zoe@example.com",
        "store": {
            "name": "Zoë's Shöp",
            "address": "Straße 1\n10115 Berlin",
            "logo_url": None,
            "support_email": "help@example.com",
        },
        "order": {
            "id": 1,
            "number": "OMS-1001",
            "email": "zoe@example.com",
            "currency": "EUR",
            "status": "paid",
            "payment_status": "paid",
            "subtotal": amount,
            "shipping_total": Money(Decimal("4.9"), "EUR"),
            "total": amount,
            "discount_total": Money(Decimal("0"), "EUR"),
            "refunded_total": Money(Decimal("0"), "EUR"),
            "shipping_address": {
                "name": "Zoë <b>Müller</b>",
                "line1": "Hauptstraße 5",
                "city": "Köln",
                "postal_code": "50667",
                "country": "DE",
            },
            "billing_address": None,
            "shipping_method": "Standard",
            "created_at": dt.datetime(2026, 12, 7, 16, 40, tzinfo=dt.UTC),
            "guest": True,
        },
        "lines": [line, {**line, "id": 8, "sku": "TEE", "name": "T-Shirt", "quantity": 1}],
        "event": {
            "id": 3,
            "type": "order.paid",
            "message": "Paid.",
            "data": {"amount": "1234.50"},
            "created_at": dt.datetime(2026, 12, 7, 16, 41, tzinfo=dt.UTC),
        },
        "amount": amount,
        "order_url": "https://shop.example.com/orders/tok",
        "order_token": "tok",
        "shipped_lines": [],
        "still_to_come": [],
        "canceled_lines": [],
    }
    rendered = Renderer(settings, []).render("payment_received", context, product_type="physical")
    attachments = [
        EmailAttachment("invite.ics", "text/calendar", b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"),
        EmailAttachment("receipt.pdf", "application/pdf", bytes(range(256)) * 3),
    ]
    with (
        mock.patch.object(sending, "formatdate", return_value="Mon, 07 Dec 2026 16:41:00 -0000"),
        mock.patch.object(email.generator.Generator, "_make_boundary", classmethod(lambda cls, text=None: BOUNDARY)),
    ):
        message = sending.compose(
            settings,
            to="Zoë Müller <zoe@example.com>",
            rendered=rendered,
            message_id="<1.2@shop.example.com>",
            attachments=attachments,
        )
        return message.as_bytes()


def test_a_whole_mail_is_byte_for_byte_what_it_was():
    # Twice: the second mail shares the first one's parsed headers (oms.notifications.mail).
    assert full_message() == EXPECTED.read_bytes()
    assert full_message() == EXPECTED.read_bytes()


def test_mail_header_classes_are_made_once():
    from oms.notifications.mail import POLICY
    from oms.notifications.sending import compose  # noqa: F401  (builds with POLICY)

    assert POLICY.header_factory["Subject"] is POLICY.header_factory["subject"]
    assert POLICY.header_factory["To"] is not POLICY.header_factory["Subject"]
    # The store's address is parsed once; a customer's each time.
    assert POLICY.header_factory("From", "Shop <s@example.com>") is POLICY.header_factory(
        "From", "Shop <s@example.com>"
    )
    assert POLICY.header_factory("To", "a@example.com") is not POLICY.header_factory("To", "a@example.com")


def test_an_amount_is_formatted_by_babel_once(monkeypatch):
    from oms.notifications import rendering

    calls = []
    real = rendering.format_currency
    monkeypatch.setattr(rendering, "format_currency", lambda *a, **k: calls.append(a) or real(*a, **k))
    renderer = rendering.Renderer(Settings(database_url="sqlite://:memory:", locale="de_DE"), [])
    first = [
        renderer.money(Money(Decimal("12.50"), "EUR")),
        renderer.money(Decimal("12.5"), "EUR"),
        renderer.money("12.50"),
        renderer.money(3),
    ]
    again = [
        renderer.money(Money(Decimal("12.50"), "EUR")),
        renderer.money(Decimal("12.5"), "EUR"),
        renderer.money("12.50"),
        renderer.money(3),
    ]
    assert first == again == ["12,50\xa0€", "12,50\xa0€", "12,50\xa0$", "3,00\xa0$"]
    assert len(calls) == 4
