"""Outbound webhooks against a real HTTP receiver (uvicorn on a loopback port, so these
tests set OMS_WEBHOOKS_ALLOW_PRIVATE): Standard Webhooks signatures checked with the
``standardwebhooks`` library, a receiver down then up, order per order, automatic
disabling, redelivery, the secret shown once, permissions."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from oms.accounts import services as accounts
from oms.accounts.permissions import Viewer
from oms.clock import utcnow
from oms.jobs.models import Job, JobStatus
from oms.orders.events import notify_observers
from oms.orders.models import Order, OrderEvent
from oms.testing import place_paid_order, run_jobs
from oms.webhooks import delivery as delivery_module
from oms.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from tests.webhook_receiver import Receiver

CREATE = """
mutation Create($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) {
    endpoint { id url events active }
    secret
    userErrors { field code message }
  }
}
"""
ENDPOINTS = """
{ webhookEndpoints { id url events active disabledReason
    deliveries(first: 100) { id eventType status responseCode attempts nextAttemptAt durationMs lastError } } }
"""
UPDATE = """
mutation Update($id: ID!, $input: UpdateWebhookEndpointInput!) {
  updateWebhookEndpoint(id: $id, input: $input) {
    endpoint { id url events active disabledReason }
    secret
    userErrors { field code message }
  }
}
"""
REDELIVER = "mutation R($id: ID!) { redeliverWebhook(id: $id) { ok userErrors { field code message } } }"
DELETE = "mutation D($id: ID!) { deleteWebhookEndpoint(id: $id) { ok userErrors { field code message } } }"


@pytest.fixture
def oms_settings(oms_settings):
    return dataclasses.replace(oms_settings, webhooks_allow_private=True)


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.stop()


async def create_endpoint(graphql, token, url, events=("*",)) -> dict:
    data = await graphql.query(CREATE, {"input": {"url": url, "events": list(events)}}, token=token)
    payload = data["createWebhookEndpoint"]
    assert payload["userErrors"] == []
    return payload


async def pass_time(oms_app) -> None:
    """Everything scheduled later (retries, waits) is due now, as if time had passed."""
    now = utcnow()
    await Job.filter(status=JobStatus.QUEUED).update(run_at=now)
    await WebhookDelivery.filter(next_attempt_at__isnull=False).update(next_attempt_at=now)
    await run_jobs(oms_app)


async def test_deliveries_are_signed_and_the_secret_is_shown_once(
    oms_app, oms_graphql, oms_accounts, catalog, receiver
):
    receiver.start()
    created = await create_endpoint(oms_graphql, oms_accounts.staff, receiver.url, ["order.placed", "order.paid"])
    secret = created["secret"]
    assert secret.startswith("whsec_") and len(secret) > 40

    placed = await place_paid_order(oms_app, oms_graphql, [("EBOOK", 1)])

    messages = receiver.received
    assert [m.message["type"] for m in messages] == ["order.placed", "order.paid"]
    for message in messages:
        assert Webhook(secret).verify(message.body, message.headers)["data"]["order_number"] == (
            placed["order"]["number"]
        )
        assert message.headers["webhook-signature"].startswith("v1,")
        with pytest.raises(WebhookVerificationError):
            Webhook("whsec_" + "A" * 43).verify(message.body, message.headers)
        tampered = message.body.replace(b"order.", b"order!")
        with pytest.raises(WebhookVerificationError):
            Webhook(secret).verify(tampered, message.headers)
    # One event, one webhook-id, stable across attempts.
    assert len({m.headers["webhook-id"] for m in messages}) == 2

    # The secret is in the create payload only: no field of the endpoint shows it.
    fields = await oms_graphql.query('{ __type(name: "WebhookEndpoint") { fields { name } } }')
    assert "secret" not in {f["name"] for f in fields["__type"]["fields"]}
    listed = (await oms_graphql.query(ENDPOINTS, token=oms_accounts.staff))["webhookEndpoints"]
    assert secret not in str(listed)
    assert [d["status"] for d in listed[0]["deliveries"]] == ["SUCCEEDED", "SUCCEEDED"]
    assert all(d["responseCode"] == 200 and d["attempts"] == 1 for d in listed[0]["deliveries"])
    # Updating shows no secret either.
    updated = await oms_graphql.query(
        UPDATE, {"id": created["endpoint"]["id"], "input": {"events": ["order.paid"]}}, token=oms_accounts.staff
    )
    assert updated["updateWebhookEndpoint"]["secret"] is None
    assert updated["updateWebhookEndpoint"]["endpoint"]["events"] == ["order.paid"]


async def test_a_receiver_down_then_up_gets_every_event_in_order_per_order(
    oms_app, oms_graphql, oms_accounts, catalog, receiver
):
    await create_endpoint(oms_graphql, oms_accounts.staff, receiver.url)
    for _ in range(3):
        await place_paid_order(oms_app, oms_graphql, [("EBOOK", 1)])
    assert receiver.received == []  # down: connections refused
    statuses = set(await WebhookDelivery.all().values_list("status", flat=True))
    assert DeliveryStatus.FAILED in statuses and DeliveryStatus.SUCCEEDED not in statuses

    receiver.start()
    for _ in range(30):
        # Time passes; the newest deliveries are attempted first, so only the
        # order-per-order rule can keep each order's events in order.
        unfinished = await WebhookDelivery.exclude(status=DeliveryStatus.SUCCEEDED).order_by("-id")
        if not unfinished:
            break
        await WebhookDelivery.filter(id__in=[d.id for d in unfinished]).update(next_attempt_at=utcnow())
        for delivery in unfinished:
            await delivery_module.attempt(delivery.id, allow_private=True)
        await pass_time(oms_app)
    assert not await WebhookDelivery.exclude(status=DeliveryStatus.SUCCEEDED).exists()

    received: dict[int, list[int]] = {}
    for message in receiver.messages():
        received.setdefault(message["data"]["order_id"], []).append(message["data"]["event_id"])
    orders = await Order.all().values_list("id", flat=True)
    assert sorted(received) == sorted(orders)
    for order_id, event_ids in received.items():
        expected = await OrderEvent.filter(order_id=order_id).order_by("id").values_list("id", flat=True)
        assert event_ids == list(expected)  # every event, once, in order
        assert len(expected) >= 3


async def test_an_endpoint_failing_for_long_is_disabled_and_staff_see_why(
    oms_app, oms_graphql, oms_accounts, catalog, receiver
):
    receiver.status = 500
    receiver.start()
    created = await create_endpoint(oms_graphql, oms_accounts.staff, receiver.url, ["order.paid"])
    await place_paid_order(oms_app, oms_graphql, [("EBOOK", 1)])
    endpoint = await WebhookEndpoint.get()
    assert endpoint.active and endpoint.failing_since is not None
    await WebhookEndpoint.filter(id=endpoint.id).update(failing_since=utcnow() - dt.timedelta(hours=21))

    await pass_time(oms_app)
    listed = (await oms_graphql.query(ENDPOINTS, token=oms_accounts.staff))["webhookEndpoints"][0]
    assert listed["active"] is False
    assert "every delivery failed" in listed["disabledReason"]
    assert listed["deliveries"][0]["responseCode"] == 500
    sent = len(receiver.received)
    await pass_time(oms_app)
    assert len(receiver.received) == sent  # disabled: nothing more is sent

    receiver.status = 200
    enabled = await oms_graphql.query(
        UPDATE, {"id": created["endpoint"]["id"], "input": {"active": True}}, token=oms_accounts.staff
    )
    assert enabled["updateWebhookEndpoint"]["endpoint"]["disabledReason"] is None
    await run_jobs(oms_app)
    delivery = await WebhookDelivery.get()
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.attempts == sent + 1


async def test_a_delivery_is_dead_after_its_last_attempt_and_the_next_one_goes(
    oms_app, oms_graphql, oms_accounts, catalog, receiver
):
    receiver.status = 503
    receiver.start()
    await create_endpoint(oms_graphql, oms_accounts.staff, receiver.url, ["order.placed", "order.paid"])
    await place_paid_order(oms_app, oms_graphql, [("EBOOK", 1)])
    first, second = await WebhookDelivery.all().order_by("event_id")
    assert (first.status, second.status) == (DeliveryStatus.FAILED, DeliveryStatus.PENDING)
    # Its last attempt fails too (503): DEAD, and the order's next event goes anyway.
    await WebhookDelivery.filter(id=first.id).update(attempts=delivery_module.MAX_ATTEMPTS - 1)
    await Job.filter(status=JobStatus.QUEUED).update(run_at=utcnow())
    await WebhookDelivery.filter(id=first.id).update(next_attempt_at=utcnow())
    await run_jobs(oms_app)
    first = await WebhookDelivery.get(id=first.id)
    assert first.status == DeliveryStatus.DEAD and first.next_attempt_at is None
    receiver.status = 200
    await pass_time(oms_app)
    assert (await WebhookDelivery.get(id=second.id)).status == DeliveryStatus.SUCCEEDED


async def test_redelivery_sends_the_same_message_again(oms_app, oms_graphql, oms_accounts, catalog, receiver):
    receiver.start()
    await create_endpoint(oms_graphql, oms_accounts.staff, receiver.url, ["order.paid"])
    await place_paid_order(oms_app, oms_graphql, [("EBOOK", 1)])
    listed = (await oms_graphql.query(ENDPOINTS, token=oms_accounts.staff))["webhookEndpoints"][0]
    delivery_id = listed["deliveries"][0]["id"]

    again = await oms_graphql.query(REDELIVER, {"id": delivery_id}, token=oms_accounts.staff)
    assert again["redeliverWebhook"] == {"ok": True, "userErrors": []}
    await run_jobs(oms_app)
    first, second = receiver.received
    assert first.headers["webhook-id"] == second.headers["webhook-id"] and first.body == second.body
    delivery = await WebhookDelivery.get()
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.attempts == 2

    unknown = await oms_graphql.query(REDELIVER, {"id": "bm9wZTox"}, token=oms_accounts.staff)
    assert unknown["redeliverWebhook"]["ok"] is False
    assert unknown["redeliverWebhook"]["userErrors"][0]["code"] == "INVALID"


async def test_a_repeated_order_event_job_adds_no_delivery(oms_app, oms_graphql, oms_accounts, catalog, receiver):
    receiver.start()
    await create_endpoint(oms_graphql, oms_accounts.staff, receiver.url, ["order.paid"])
    await place_paid_order(oms_app, oms_graphql, [("EBOOK", 1)])
    event = await OrderEvent.get(type="order.paid")
    await notify_observers(event.id, plugins=oms_app.state.plugins)
    await run_jobs(oms_app)
    assert await WebhookDelivery.all().count() == 1
    assert len(receiver.received) == 1


async def test_a_slow_or_chatty_receiver_is_bounded(oms_app, oms_graphql, oms_accounts, catalog, receiver, monkeypatch):
    receiver.body_bytes = 5_000_000  # read no further than 64 KiB
    receiver.start()
    await create_endpoint(oms_graphql, oms_accounts.staff, receiver.url, ["order.paid"])
    await place_paid_order(oms_app, oms_graphql, [("EBOOK", 1)])
    delivery = await WebhookDelivery.get()
    assert delivery.status == DeliveryStatus.SUCCEEDED

    monkeypatch.setattr(delivery_module, "TOTAL_TIMEOUT_SECONDS", 0.5)
    receiver.delay = 3
    await oms_graphql.query(REDELIVER, {"id": _gid(delivery.id)}, token=oms_accounts.staff)
    await run_jobs(oms_app)
    delivery = await WebhookDelivery.get()
    assert delivery.status == DeliveryStatus.FAILED and "no answer within 0.5 s" in delivery.last_error
    assert delivery.duration_ms < 2000


def _gid(pk: int) -> str:
    from oms.graphql.common import to_global_id

    return to_global_id("WebhookDelivery", pk)


async def test_staff_need_manage_webhooks(oms_app, oms_graphql, oms_accounts):
    clerk = await accounts.create_staff(
        email="clerk@example.com", password="clerk-pass-1", permissions=["MANAGE_ORDERS"]
    )
    clerk_token = await accounts.issue_token(
        Viewer(staff=clerk), secret=oms_app.state.settings.secret_key, ttl_seconds=600
    )
    for token in (clerk_token, oms_accounts.customer, None):
        refused = await oms_graphql.as_(token).query(
            CREATE, {"input": {"url": "https://hooks.example.com/oms", "events": ["*"]}}
        )
        assert refused["createWebhookEndpoint"]["userErrors"][0]["code"] == "PERMISSION_DENIED"
        listed = await oms_graphql.as_(token).execute(ENDPOINTS)
        assert listed["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    created = await create_endpoint(oms_graphql, oms_accounts.staff, "https://hooks.example.com/oms")
    endpoint_id = created["endpoint"]["id"]
    refused = await oms_graphql.as_(clerk_token).query(DELETE, {"id": endpoint_id})
    assert refused["deleteWebhookEndpoint"]["userErrors"][0]["code"] == "PERMISSION_DENIED"
    node = await oms_graphql.as_(clerk_token).query(
        "query N($id: ID!) { node(id: $id) { id } }", {"id": endpoint_id}
    )
    assert node["node"] is None
    assert await WebhookEndpoint.all().count() == 1

    deleted = await oms_graphql.query(DELETE, {"id": endpoint_id}, token=oms_accounts.staff)
    assert deleted["deleteWebhookEndpoint"] == {"ok": True, "userErrors": []}
    assert await WebhookEndpoint.all().count() == 0


async def test_endpoint_input_is_validated(oms_graphql, oms_accounts):
    cases = [
        ({"url": "ftp://hooks.example.com/", "events": ["*"]}, ["input", "url"]),
        ({"url": "not a url", "events": ["*"]}, ["input", "url"]),
        ({"url": "https://user:pw@hooks.example.com/", "events": ["*"]}, ["input", "url"]),
        ({"url": "https://hooks.example.com/", "events": []}, ["input", "events"]),
        ({"url": "https://hooks.example.com/", "events": ["order.teleported"]}, ["input", "events"]),
    ]
    for data, field in cases:
        answer = await oms_graphql.query(CREATE, {"input": data}, token=oms_accounts.staff)
        errors = answer["createWebhookEndpoint"]["userErrors"]
        assert [e["code"] for e in errors] == ["INVALID"], data
        assert errors[0]["field"][-1] == field[-1], data
    assert await WebhookEndpoint.all().count() == 0


async def test_two_workers_on_one_delivery_send_it_once(oms_app, oms_graphql, oms_accounts, catalog, receiver):
    """Jobs run at least once: two attempts of one delivery at the same moment (two
    workers) send one request; the other finds the delivery held and looks again later."""
    receiver.start()
    await create_endpoint(oms_graphql, oms_accounts.staff, receiver.url, ["order.placed", "order.paid"])
    await place_paid_order(oms_app, oms_graphql, [("EBOOK", 1)], pay=False)
    event = await OrderEvent.get(type="order.placed")
    await notify_observers(event.id, plugins=oms_app.state.plugins)  # the order.event job
    await Job.filter(kind="webhook.deliver").delete()  # the attempts below stand for its job
    receiver.delay = 0.5
    placed = await WebhookDelivery.get(event_type="order.placed")
    outcomes = await asyncio.gather(
        *(delivery_module.attempt(placed.id, allow_private=True) for _ in range(2))
    )
    assert sorted(outcomes) == ["held", "succeeded"]
    assert len(receiver.received) == 1
    placed = await WebhookDelivery.get(id=placed.id)
    assert placed.status == DeliveryStatus.SUCCEEDED and placed.attempts == 1
