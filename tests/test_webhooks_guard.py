"""The webhooks' SSRF guard: loopback, private, link-local, unique-local, multicast,
reserved and metadata addresses are refused without OMS_WEBHOOKS_ALLOW_PRIVATE, when the
URL is saved (literal addresses, localhost) and at delivery time on the RESOLVED address,
which the request is then pinned to (no second lookup that DNS rebinding could change)."""

from __future__ import annotations

import asyncio
import ipaddress
import socket

import pytest

from oms.errors import DomainError
from oms.testing import place_paid_order
from oms.webhooks import delivery as delivery_module
from oms.webhooks.guard import AddressRefused, check_url, refusal, resolve_public
from oms.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from oms.webhooks.signing import new_secret
from tests.webhook_receiver import Receiver

CREATE = """
mutation Create($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) { endpoint { id } secret userErrors { field code message } }
}
"""


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "127.8.9.1", "10.0.0.1", "172.16.3.4", "192.168.1.1", "169.254.169.254", "169.254.1.1",
     "100.64.0.1", "0.0.0.0", "224.0.0.1", "240.0.0.1", "255.255.255.255", "::1", "::", "fe80::1",
     "fc00::1", "fd00:ec2::254", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "2001:db8::1"],
)
def test_non_public_addresses_are_refused(address):
    assert refusal(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses_pass(address):
    assert refusal(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1/", "http://10.0.0.1/hook", "http://169.254.169.254/latest/meta-data/",
     "http://localhost:8080/", "http://api.localhost/", "http://[::1]/", "http://[fd00:ec2::254]/",
     "https://[::ffff:127.0.0.1]/"],
)
async def test_private_urls_are_refused_when_saved(oms_graphql, oms_accounts, url):
    answer = await oms_graphql.query(CREATE, {"input": {"url": url, "events": ["*"]}}, token=oms_accounts.staff)
    errors = answer["createWebhookEndpoint"]["userErrors"]
    assert [(e["code"], e["field"][-1]) for e in errors] == [("INVALID", "url")]
    assert "OMS_WEBHOOKS_ALLOW_PRIVATE" in errors[0]["message"]
    assert answer["createWebhookEndpoint"]["secret"] is None
    assert await WebhookEndpoint.all().count() == 0


def test_the_opt_in_allows_private_urls_and_names_are_left_to_delivery():
    assert check_url("http://127.0.0.1:9000/x", allow_private=True) == "http://127.0.0.1:9000/x"
    assert check_url(" https://hooks.example.com/oms ", allow_private=False) == "https://hooks.example.com/oms"
    with pytest.raises(DomainError):
        check_url("http://127.0.0.1:9000/x", allow_private=False)


async def test_a_name_resolving_to_loopback_is_refused_at_delivery(monkeypatch):
    with pytest.raises(AddressRefused, match="loopback"):
        await resolve_public("localhost", 80, allow_private=False)
    assert (await resolve_public("localhost", 80, allow_private=True)).is_loopback

    loop = asyncio.get_running_loop()

    async def mixed(host, port, **kwargs):  # one public and one private answer: refused
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in ("93.184.216.34", "10.0.0.5")]

    monkeypatch.setattr(loop, "getaddrinfo", mixed)
    with pytest.raises(AddressRefused, match="10.0.0.5"):
        await resolve_public("hooks.example.com", 443, allow_private=False)


async def test_a_delivery_to_a_name_that_now_resolves_to_loopback_is_not_sent(
    oms_app, oms_graphql, catalog
):
    """The URL passed when saved (a name), but at delivery it resolves to this machine."""
    receiver = Receiver().start()
    try:
        await WebhookEndpoint.create(
            url=f"http://localhost:{receiver.port}/hooks", events=["order.paid"], secret=new_secret()
        )
        await place_paid_order(oms_app, oms_graphql, [("EBOOK", 1)])
        delivery = await WebhookDelivery.get()
        assert delivery.status == DeliveryStatus.FAILED
        assert "refused: localhost resolves to" in delivery.last_error and delivery.response_code is None
        assert receiver.received == []
    finally:
        receiver.stop()


async def test_the_request_goes_to_the_checked_address(monkeypatch):
    """DNS rebinding: the name is resolved once, checked, and the connection made to that
    address (httpx never resolves the name again); Host keeps the name."""
    receiver = Receiver().start()
    answers: list[str] = []

    async def resolve_once(host, port, **kwargs):
        answers.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    try:
        monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", resolve_once)
        outcome = await delivery_module.send(
            f"http://hooks.rebind.test:{receiver.port}/hooks", {}, b"{}", allow_private=True
        )
        assert outcome.ok, outcome
        assert answers == ["hooks.rebind.test"]  # looked up once, by the guard
        assert receiver.received[-1].headers["host"] == f"hooks.rebind.test:{receiver.port}"
    finally:
        receiver.stop()
