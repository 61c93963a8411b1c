"""An endpoint disabled automatically after failing too long mails staff (OMS_STAFF_EMAIL)
once, through a real SMTP server (aiosmtpd), from a job queued in the disabling's
transaction; without OMS_STAFF_EMAIL it is only logged and shown."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging

import pytest

from oms.clock import utcnow
from oms.jobs.models import Job, JobStatus
from oms.testing import place_paid_order, run_jobs
from oms.webhooks import delivery as delivery_module
from oms.webhooks.models import WebhookDelivery, WebhookEndpoint
from oms.webhooks.services import ENDPOINT_DISABLED_JOB
from tests.test_email import body, smtp, use_smtp  # noqa: F401  (smtp: the aiosmtpd fixture)
from tests.test_webhooks import UPDATE, create_endpoint, pass_time
from tests.webhook_receiver import Receiver

STAFF_EMAIL = "ops@shop.example"


@pytest.fixture
def oms_settings(oms_settings):
    return dataclasses.replace(oms_settings, webhooks_allow_private=True)


@pytest.fixture
def receiver():
    receiver = Receiver()
    receiver.status = 500
    receiver.start()
    yield receiver
    receiver.stop()


async def failing_for_long(oms_app, oms_graphql, oms_accounts, receiver) -> dict:
    """An endpoint whose deliveries have failed for 21 hours; the next failure disables it."""
    created = await create_endpoint(oms_graphql, oms_accounts.staff, receiver.url, ["order.paid"])
    await place_paid_order(oms_app, oms_graphql, [("EBOOK", 1)])
    await WebhookEndpoint.filter().update(failing_since=utcnow() - dt.timedelta(hours=21))
    return created


async def test_staff_are_mailed_once_when_an_endpoint_is_disabled(
    oms_app, oms_graphql, oms_accounts, catalog, receiver, smtp  # noqa: F811
):
    inbox, port = smtp
    use_smtp(oms_app, port, staff_email=STAFF_EMAIL)
    created = await failing_for_long(oms_app, oms_graphql, oms_accounts, receiver)

    await pass_time(oms_app)  # the failing attempt disables it and queues the mail
    await run_jobs(oms_app)
    await pass_time(oms_app)  # disabled: no more attempts, no second mail

    endpoint = await WebhookEndpoint.get()
    assert endpoint.active is False
    subject = f"[{oms_app.state.settings.store_name}] Webhook endpoint disabled: {receiver.url}"
    assert inbox.subjects(to=STAFF_EMAIL) == [subject]
    (message,) = [m for m in inbox.messages if m["To"] == STAFF_EMAIL]
    text = body(message)
    assert receiver.url in text and endpoint.disabled_reason in text
    assert created["secret"] not in text and created["secret"] not in body(message, "html")
    assert await Job.filter(kind=ENDPOINT_DISABLED_JOB, status=JobStatus.DONE).count() == 1


async def test_without_a_staff_address_it_is_only_logged_and_shown(
    oms_app, oms_graphql, oms_accounts, catalog, receiver, smtp, caplog  # noqa: F811
):
    caplog.set_level(logging.INFO, logger="oms.mail")
    inbox, port = smtp
    use_smtp(oms_app, port, staff_email=None)
    await failing_for_long(oms_app, oms_graphql, oms_accounts, receiver)

    await pass_time(oms_app)
    await run_jobs(oms_app)

    assert (await WebhookEndpoint.get()).active is False
    assert not [s for s in inbox.subjects() if "Webhook" in s]  # the customer's mails only
    assert await Job.filter(kind=ENDPOINT_DISABLED_JOB, status=JobStatus.DONE).count() == 1
    assert "no OMS_STAFF_EMAIL, not mailed" in caplog.text


async def test_an_endpoint_enabled_again_before_the_mail_goes_is_not_mailed_about(
    oms_app, oms_graphql, oms_accounts, catalog, receiver, smtp  # noqa: F811
):
    inbox, port = smtp
    use_smtp(oms_app, port, staff_email=STAFF_EMAIL)
    created = await failing_for_long(oms_app, oms_graphql, oms_accounts, receiver)
    await WebhookDelivery.all().update(next_attempt_at=utcnow())
    # The delivery job's work, without running the jobs it queues: it fails and disables.
    await delivery_module.attempt((await WebhookDelivery.get()).id, allow_private=True)
    assert (await WebhookEndpoint.get()).active is False
    mail_jobs = Job.filter(kind=ENDPOINT_DISABLED_JOB)
    assert await mail_jobs.count() == 1

    receiver.status = 200
    await oms_graphql.query(UPDATE, {"id": created["endpoint"]["id"], "input": {"active": True}},
                            token=oms_accounts.staff)
    await run_jobs(oms_app)

    assert inbox.subjects(to=STAFF_EMAIL) == []
    assert await mail_jobs.filter(status=JobStatus.DONE).count() == 1
