"""A guest who repeats a placement gets nothing of the order in the answer; the order's
link goes by email to the address it was placed with (oms/orders/recovery.py)."""

from __future__ import annotations

import dataclasses
import logging
import mailbox
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from oms.orders.models import OrderEvent
from oms.testing import run_jobs
from tests.conftest import PLACE_ORDER
from tests.live_server import free_port
from tests.test_orders_graphql import order_input, place_guest


async def _replay(gql, key="key-1", email="guest@example.com") -> dict:
    data = await gql.query(PLACE_ORDER, {"input": order_input(key, email=email)})
    return data["placeOrder"]


def _maildir(oms_app) -> list:
    """The order-link mails in the maildir (the order's own mails, e.g. "Order 1001
    received", are tests/test_email.py's)."""
    path = Path(oms_app.state.settings.mail_dir)
    messages = list(mailbox.Maildir(path, create=False)) if path.exists() else []
    return [m for m in messages if m["Subject"].startswith("Your order ")]


async def test_a_replay_mails_the_order_token_to_the_buyer_once(oms_app, oms_graphql, catalog, caplog):
    caplog.set_level(logging.INFO, logger="oms.mail")
    placed = await place_guest(oms_graphql, "key-1")

    for _ in range(3):  # a client retrying, or a stranger trying
        payload = await _replay(oms_graphql)
        assert payload["orderToken"] is None and payload["order"] is None
    await run_jobs(oms_app)

    messages = _maildir(oms_app)
    assert len(messages) == 1  # not one per replay: the buyer's inbox is not flooded
    assert messages[0]["To"] == "guest@example.com"
    body = messages[0].get_payload(decode=True).decode()
    assert placed["orderToken"] in body and placed["order"]["number"] in messages[0]["Subject"]
    assert "sent to guest@example.com through the maildir" in caplog.text  # the log says where it went
    sent = await OrderEvent.filter(type="email.sent").values_list("message", flat=True)
    assert [m for m in sent if "'Your order " in m] == [f"Email 'Your order {placed['order']['number']}' sent to guest@example.com."]


async def test_the_mailed_token_reads_the_order(oms_app, oms_graphql, catalog):
    placed = await place_guest(oms_graphql, "key-1")
    await _replay(oms_graphql)
    await run_jobs(oms_app)

    body = _maildir(oms_app)[0].get_payload(decode=True).decode()
    token = next(word for word in body.split() if word == placed["orderToken"])
    data = await oms_graphql.query("query($t: String) { order(token: $t) { id } }", {"t": token})

    assert data["order"]["id"] == placed["order"]["id"]


async def test_the_mail_links_to_the_storefront_when_it_is_configured(oms_app, oms_graphql, catalog):
    oms_app.state.settings = dataclasses.replace(  # read by the job handlers built below
        oms_app.state.settings, storefront_order_url="https://shop.example/orders/{token}"
    )
    placed = await place_guest(oms_graphql, "key-1")
    await _replay(oms_graphql)
    await run_jobs(oms_app)

    body = _maildir(oms_app)[0].get_payload(decode=True).decode()
    assert f"https://shop.example/orders/{placed['orderToken']}" in body


class _Inbox:
    def __init__(self):
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server():
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


async def test_with_smtp_configured_the_mail_goes_to_the_smtp_server(oms_app, oms_graphql, catalog, smtp_server):
    inbox, port = smtp_server
    oms_app.state.settings = dataclasses.replace(oms_app.state.settings, smtp_url=f"smtp://127.0.0.1:{port}")
    placed = await place_guest(oms_graphql, "key-1")
    await _replay(oms_graphql)
    await run_jobs(oms_app)

    links = [m for m in inbox.messages if b"Subject: Your order " in m.content]
    assert [m.rcpt_tos for m in links] == [["guest@example.com"]]
    assert placed["orderToken"].encode() in links[0].content
    assert _maildir(oms_app) == []
