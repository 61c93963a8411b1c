"""Email templates: every message renders (text and HTML) for a real order of each type,
customer text is escaped in HTML, the store and plugins override templates, plugins add
content and their own messages (``oms_email_content``), and ``oms email preview``."""

from __future__ import annotations

import dataclasses
import email
import email.policy
import mailbox
import os
import subprocess
import sys
from pathlib import Path

import pytest

from oms import hookimpl
from oms.api import EmailAttachment, EmailContent
from oms.notifications.messages import ALL_MESSAGES
from oms.notifications.preview import preview
from oms.orders.events import record_event
from oms.orders.models import Order
from oms.settings_check import check_settings
from oms.testing import make_product, place_paid_order, run_jobs
from tests.test_email import all_types_catalog, ship_and_deliver


def use(oms_app, **changes) -> None:
    oms_app.state.settings = dataclasses.replace(oms_app.state.settings, **changes)


async def test_every_message_renders_for_an_order_of_each_type(oms_app, oms_graphql, oms_accounts, tmp_path):
    use(oms_app, store_name="Ada's Shop", store_address="1 Main St, Springfield",
        store_logo_url="https://shop.example/logo.png", support_email="help@shop.example",
        staff_email="staff@shop.example")
    slot = await all_types_catalog(oms_app, oms_graphql, tmp_path)
    placed = await place_paid_order(
        oms_app, oms_graphql,
        [("MUG", 2), ("EBOOK", 1), ("PLAN", 1), {"sku": "CALL", "quantity": 1, "options": {"slot": slot}}],
        shipping_method="standard",
    )
    await ship_and_deliver(oms_graphql.as_(oms_accounts.staff), placed["order"], 1)
    number = placed["order"]["number"]
    settings, plugins = oms_app.state.settings, oms_app.state.plugins

    for message in ALL_MESSAGES:
        [item] = await preview(number, message, settings=settings, plugins=plugins)
        rendered = item.rendered
        assert number in rendered.subject, message
        assert "\n" not in rendered.subject and "{{" not in rendered.text + rendered.html, message
        assert "1 Main St, Springfield" in rendered.text and "help@shop.example" in rendered.text, message
        assert rendered.html.startswith("<!DOCTYPE html>") and 'src="https://shop.example/logo.png"' in rendered.html
        assert "Ada&#39;s Shop" in rendered.html  # autoescaped
        assert item.recipient == ("staff@shop.example" if message.startswith("staff_") else "buyer@example.com")

    # Content that comes from the order and the plugins.
    [received] = await preview(number, "order.placed", settings=settings, plugins=plugins)
    assert "2 x Product MUG" not in received.rendered.text and "2 x Mug (MUG)  $24.00" in received.rendered.text
    assert "Ada Lovelace" in received.rendered.text and "12 Analytical St" in received.rendered.text
    [shipped] = await preview(number, "shipped", settings=settings, plugins=plugins)
    assert "is on its way with Manual." in shipped.rendered.text  # the carrier by name (oms_physical)
    assert "Still to come in a later parcel" in shipped.rendered.text  # 1 of 2 mugs shipped
    [download] = await preview(number, "download.granted", settings=settings, plugins=plugins)
    assert "/downloads/" in download.rendered.text and "book.pdf" in download.rendered.html
    [confirmed] = await preview(number, "booking.confirmed", settings=settings, plugins=plugins)
    assert [a.filename for a in confirmed.attachments] == ["invite.ics"]
    assert "Grete Hansen" in confirmed.rendered.text
    # The consultation plugin words the reminder itself (its templates/email/consultation/).
    from oms_consultation.models import Booking
    from oms_consultation.services import event_data

    booking = await Booking.get(order__number=number)
    await record_event(await Order.get(number=number), "booking.reminder", "Soon.", actor="consultation",
                       data=event_data(booking))
    [reminder] = await preview(number, "booking_reminder", settings=settings, plugins=plugins)
    assert "Your calendar invite, always up to date: http" in reminder.rendered.text
    assert reminder.rendered.subject.startswith("Reminder: Call ")


async def test_customer_text_is_escaped_in_html_and_plain_in_text(oms_app, oms_graphql):
    await make_product(oms_app, product_type="physical", sku="MUG", attributes={"weight_grams": 300}, stock=5,
                       name="Mug")
    address = {"name": "<b>Eve</b> & Co", "line1": "1 <script>alert(1)</script> Rd", "city": "Paris",
               "postalCode": "75001", "country": "FR"}
    placed = await place_paid_order(oms_app, oms_graphql, [("MUG", 1)], shipping_method="standard",
                                    shipping_address=address, pay=False)
    [item] = await preview(placed["order"]["number"], "order_received", settings=oms_app.state.settings,
                           plugins=oms_app.state.plugins)
    assert "<script>" not in item.rendered.html and "&lt;script&gt;alert(1)&lt;/script&gt;" in item.rendered.html
    assert "&lt;b&gt;Eve&lt;/b&gt; &amp; Co" in item.rendered.html
    assert "<b>Eve</b> & Co" in item.rendered.text and "&lt;" not in item.rendered.text


async def test_the_store_overrides_a_template_and_formats_for_its_locale(oms_app, oms_graphql, tmp_path):
    store = tmp_path / "store-templates" / "email"
    store.mkdir(parents=True)
    (store / "payment_received.txt").write_text(
        '{% extends "email/base.txt" %}{% block subject %}Danke! Bestellung {{ order.number }}{% endblock %}'
        "{% block body %}Wir haben {{ order.total|money }} am {{ order.created_at|date }} erhalten.{% endblock %}"
    )
    use(oms_app, templates_dir=str(tmp_path / "store-templates"), locale="de_DE", timezone="Europe/Berlin")
    await make_product(oms_app, product_type="physical", sku="MUG", attributes={"weight_grams": 300},
                       stock=5, price="1234.50")
    placed = await place_paid_order(oms_app, oms_graphql, [("MUG", 1)], shipping_method="standard")
    order = await Order.get(number=placed["order"]["number"])
    [item] = await preview(order.number, "order.paid", settings=oms_app.state.settings,
                           plugins=oms_app.state.plugins)
    assert item.rendered.subject == f"Danke! Bestellung {order.number}"
    assert "Wir haben 1.2" in item.rendered.text and "\xa0$ am " in item.rendered.text  # de_DE: 1.234,50 $
    # The HTML part was not overridden: the core's.
    assert "Payment received" in item.rendered.html


class Tickets:
    """A plugin that adds to a core message and mails about its own event."""

    @hookimpl
    def oms_email_content(self, order, event, message, settings):
        if message == "order_received":
            return EmailContent(context={"store": {"name": "Tickets & More", "support_email": "t@example.com"}},
                                attachments=[EmailAttachment("ticket.txt", "text/plain", b"TICKET-1")])
        if message is None and event.type == "ticket.issued":
            return EmailContent(messages=["ticket_issued"])
        return None


@pytest.mark.parametrize("oms_extra_plugins", [[Tickets()]], ids=["tickets"])
async def test_hook_oms_email_content(oms_app, oms_graphql, tmp_path):
    store = tmp_path / "t" / "email"
    store.mkdir(parents=True)
    (store / "ticket_issued.txt").write_text(
        '{% extends "email/base.txt" %}{% block subject %}Your ticket for {{ order.number }}{% endblock %}'
        "{% block body %}{{ event.message }}{% endblock %}")
    (store / "ticket_issued.html").write_text(
        '{% extends "email/base.html" %}{% block body %}<p>{{ event.message }}</p>{% endblock %}')
    use(oms_app, templates_dir=str(tmp_path / "t"))
    await make_product(oms_app, product_type="physical", sku="MUG", attributes={"weight_grams": 300}, stock=5)
    placed = await place_paid_order(oms_app, oms_graphql, [("MUG", 1)], shipping_method="standard", pay=False)
    order = await Order.get(number=placed["order"]["number"])
    await record_event(order, "ticket.issued", "Ticket TICKET-1 issued.", actor="tickets")
    await run_jobs(oms_app)

    maildir = mailbox.Maildir(oms_app.state.settings.mail_dir, create=False)
    parsed = [email.message_from_bytes(m.as_bytes(), policy=email.policy.default) for m in maildir]
    mails = {m["Subject"]: m for m in parsed}
    received = mails[f"Order {order.number} received"]
    assert "Tickets & More" in received.get_body(preferencelist=("plain",)).get_content()
    assert [(a.get_filename(), a.get_content()) for a in received.iter_attachments()] == [("ticket.txt", "TICKET-1")]
    own = mails[f"Your ticket for {order.number}"]
    assert "Ticket TICKET-1 issued." in own.get_body(preferencelist=("plain",)).get_content()


def test_mail_settings_are_checked():
    from oms.config import Settings

    for field, value, needle in [
        ("locale", "xx_NOPE", "OMS_LOCALE"), ("timezone", "Mars/Olympus", "OMS_TIMEZONE"),
        ("staff_email", "not an address", "OMS_STAFF_EMAIL"),
        ("store_logo_url", "ftp://x/logo.png", "OMS_STORE_LOGO_URL"),
        ("templates_dir", "/nonexistent/templates", "OMS_TEMPLATES_DIR"),
    ]:
        with pytest.raises(ValueError, match=needle):
            check_settings(Settings(**{field: value}))
    settings = Settings.from_env({"OMS_LOCALE": "fr_FR", "OMS_TIMEZONE": "Europe/Paris", "OMS_STORE_NAME": "Chez Ada"})
    assert (settings.locale, settings.timezone, settings.store_name) == ("fr_FR", "Europe/Paris", "Chez Ada")


def test_the_preview_command_is_wired(oms_database_url):
    env = {**os.environ, "OMS_DATABASE_URL": oms_database_url, "OMS_SECRET_KEY": "cli-test-secret-" + "k" * 32}
    run = [sys.executable, "-m", "oms.cli"]
    migrated = subprocess.run([*run, "migrate"], env=env, capture_output=True, text=True, timeout=120)
    assert migrated.returncode == 0, migrated.stderr
    missing = subprocess.run([*run, "email", "preview", "9999", "order.paid"], env=env, capture_output=True,
                             text=True, timeout=120)
    assert missing.returncode == 2 and "No order 9999" in missing.stderr
    helped = subprocess.run([*run, "email", "--help"], env=env, capture_output=True, text=True, timeout=120)
    assert "preview" in helped.stdout and "resend" in helped.stdout
    assert Path(__file__).exists()
