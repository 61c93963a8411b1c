"""Refunds (issue 11, parts 3 and 5): by hand with a reference, through Stripe (the real
`stripe` library against oms.fake_stripe) by an idempotent job, settled once by webhooks;
refundOrder for staff; the race of two refunds on PostgreSQL."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from tortoise.transactions import in_transaction

from oms.errors import DomainError, ErrorCode
from oms.jobs.models import Job
from oms.money import Money
from oms.orders.models import Order, OrderEvent
from oms.orders.status import PaymentStatus
from oms.payments.models import Payment, Refund, RefundStatus
from oms.payments.refunds import refundable, start_refund
from oms.testing import place_paid_order, run_jobs

STAFF = "staff@example.com"


async def refund(order_id: int, amount: str, *, reference: str | None = None, reason: str | None = "goodwill"):
    """start_refund as its callers use it: in a transaction, the order locked."""
    async with in_transaction():
        order = await Order.select_for_update().get(id=order_id)
        return await start_refund(order, Money(Decimal(amount), order.currency), reason=reason,
                                  actor=STAFF, reference=reference)


async def paid_mug_order(oms_app, oms_graphql, quantity: int = 2) -> Order:
    placed = await place_paid_order(oms_app, oms_graphql, [("MUG", quantity)], shipping_method="standard")
    return await Order.get(number=placed["order"]["number"])


# -- by hand (the manual gateway) ---------------------------------------------------------


class TestManual:
    async def test_a_partial_then_the_rest_moves_the_payment_status(self, oms_app, oms_graphql, catalog):
        order = await paid_mug_order(oms_app, oms_graphql)
        total = Decimal(order.total)
        assert (await refundable(order)).amount == total

        first = await refund(order.id, "5.00", reference="bank-77")
        assert (first.status, first.external_id) == (RefundStatus.SUCCEEDED, "bank-77")
        order = await Order.get(id=order.id)
        assert order.payment_status == PaymentStatus.PARTIALLY_REFUNDED
        assert Decimal(order.refunded_total) == Decimal("5.00")
        assert (await refundable(order)).amount == total - Decimal("5.00")

        await refund(order.id, str(total - Decimal("5.00")))  # no reference: by hand all the same
        order = await Order.get(id=order.id)
        assert order.payment_status == PaymentStatus.REFUNDED
        assert Decimal(order.refunded_total) == total
        types = [e.type for e in await OrderEvent.filter(order_id=order.id).order_by("id")]
        assert types.count("refund.requested") == 2 and types.count("refund.succeeded") == 2
        event = await OrderEvent.filter(order_id=order.id, type="refund.succeeded").first()
        assert event is not None and event.message == "Refund of 5.00 USD issued."
        assert event.data["refund_id"] == first.id
        assert not await Job.exists(kind="payment.refund")

    async def test_more_than_paid_is_refused(self, oms_app, oms_graphql, catalog):
        order = await paid_mug_order(oms_app, oms_graphql)
        await refund(order.id, "10.00")
        with pytest.raises(DomainError) as caught:
            await refund(order.id, str(Decimal(order.total) - Decimal("9.99")))
        assert caught.value.errors[0].code == ErrorCode.REFUND_EXCEEDS_PAID
        assert await Refund.filter(order_id=order.id).count() == 1

    @pytest.mark.parametrize("amount", [Money(Decimal("0"), "USD"), Money(Decimal("-1"), "USD"),
                                        Money(Decimal("1"), "EUR")])
    async def test_a_bad_amount_is_invalid(self, oms_app, oms_graphql, catalog, amount):
        order = await paid_mug_order(oms_app, oms_graphql)
        with pytest.raises(DomainError) as caught:
            async with in_transaction():
                locked = await Order.select_for_update().get(id=order.id)
                await start_refund(locked, amount, reason=None, actor=STAFF)
        assert (caught.value.errors[0].code, caught.value.errors[0].field) == (ErrorCode.INVALID, ("amount",))
        assert not await Refund.exists(order_id=order.id)

    async def test_an_unpaid_order_has_nothing_to_refund(self, oms_app, oms_graphql, catalog):
        placed = await place_paid_order(oms_app, oms_graphql, [("EBOOK", 1)], pay=False)
        with pytest.raises(DomainError) as caught:
            await refund((await Order.get(number=placed["order"]["number"])).id, "1.00")
        assert caught.value.errors[0].code == ErrorCode.REFUND_EXCEEDS_PAID


# -- through Stripe (the real `stripe` library against the fake) ---------------------------

SECRET = "whsec_test_secret"


@pytest.fixture
def stripe_settings(oms_settings, fake_stripe):
    return dataclasses.replace(oms_settings, stripe_api_key="sk_test_oms", stripe_webhook_secret=SECRET,
                               stripe_api_base=fake_stripe.url)


async def paid_by_stripe(oms_app, oms_http, oms_graphql, fake_stripe, skus=(("MUG", 2),)) -> Order:
    placed = await place_paid_order(oms_app, oms_graphql, list(skus), shipping_method="standard", pay=False)
    order = await Order.get(number=placed["order"]["number"])
    payment = await Payment.get(order_id=order.id, gateway="stripe")
    fake_stripe.succeed(payment.external_id)
    body, header = fake_stripe.signed_event("payment_intent.succeeded", payment.external_id, SECRET)
    response = await oms_http.post("/webhooks/stripe", content=body,
                                   headers={"Stripe-Signature": header, "Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    await run_jobs(oms_app)
    order = await Order.get(id=order.id)
    assert order.payment_status == PaymentStatus.PAID
    return order


class TestStripe:
    @pytest.fixture
    def oms_settings(self, stripe_settings):
        return stripe_settings

    async def test_a_refund_goes_through_the_job_to_stripe(self, oms_app, oms_http, oms_graphql, fake_stripe, catalog):
        order = await paid_by_stripe(oms_app, oms_http, oms_graphql, fake_stripe)
        created = await refund(order.id, "7.25", reason="requested_by_customer")
        assert created.status == RefundStatus.PENDING and created.external_id is None
        assert fake_stripe.refunds == {}  # nothing leaves before commit and the job
        await run_jobs(oms_app)

        [sent] = fake_stripe.requests_to("POST", "/v1/refunds")
        assert sent.idempotency_key.endswith(f"oms-refund-{created.id}")
        assert sent.params["amount"] == "725" and sent.params["metadata"]["oms_refund_id"] == str(created.id)
        [at_stripe] = fake_stripe.refunds.values()
        done = await Refund.get(id=created.id)
        assert (done.status, done.external_id) == (RefundStatus.SUCCEEDED, at_stripe["id"])
        order = await Order.get(id=order.id)
        assert order.payment_status == PaymentStatus.PARTIALLY_REFUNDED
        assert Decimal(order.refunded_total) == Decimal("7.25")

    async def test_a_job_killed_after_stripe_answered_refunds_once(
        self, oms_app, oms_http, oms_graphql, fake_stripe, catalog, monkeypatch
    ):
        from oms.payments import refunds as refunds_module

        order = await paid_by_stripe(oms_app, oms_http, oms_graphql, fake_stripe)
        created = await refund(order.id, "10.00")
        recorded = refunds_module.apply_refund_status

        async def killed(*args, **kwargs):
            raise RuntimeError("worker killed after Stripe answered")

        monkeypatch.setattr(refunds_module, "apply_refund_status", killed)
        await run_jobs(oms_app)
        assert len(fake_stripe.refunds) == 1  # Stripe refunded; oms never heard
        assert (await Refund.get(id=created.id)).status == RefundStatus.PENDING
        job = await Job.get(kind="payment.refund")
        assert job.status == "QUEUED" and job.attempts == 1

        monkeypatch.setattr(refunds_module, "apply_refund_status", recorded)
        await Job.filter(id=job.id).update(run_at=job.created_at)  # its backoff is over
        await run_jobs(oms_app)

        sent = fake_stripe.requests_to("POST", "/v1/refunds")
        assert len(sent) == 2 and sent[0].idempotency_key == sent[1].idempotency_key
        assert len(fake_stripe.refunds) == 1  # counted at Stripe: one refund
        [at_stripe] = fake_stripe.refunds.values()
        done = await Refund.get(id=created.id)
        assert (done.status, done.external_id) == (RefundStatus.SUCCEEDED, at_stripe["id"])
        assert await OrderEvent.filter(order_id=order.id, type="refund.succeeded").count() == 1

    async def test_a_refund_webhook_delivered_five_times_changes_state_once(
        self, oms_app, oms_http, oms_graphql, fake_stripe, catalog
    ):
        import asyncio

        order = await paid_by_stripe(oms_app, oms_http, oms_graphql, fake_stripe)
        fake_stripe.refunds_will("pending")
        created = await refund(order.id, str(order.total))
        await run_jobs(oms_app)
        pending = await Refund.get(id=created.id)
        assert pending.status == RefundStatus.PENDING and pending.external_id in fake_stripe.refunds

        fake_stripe.settle_refund(pending.external_id, "succeeded")
        body, header = fake_stripe.signed_event("refund.updated", pending.external_id, SECRET)
        answers = await asyncio.gather(*[post(oms_http, body, header) for _ in range(5)])
        assert [a.status_code for a in answers] == [200] * 5
        assert sorted(a.json()["outcome"] for a in answers) == ["duplicate"] * 4 + ["processed"]
        # Another event about the same refund (charge.refunded) finds it settled.
        body, header = fake_stripe.signed_event("charge.refunded", (await Payment.get(order_id=order.id)).external_id,
                                                SECRET)
        assert (await post(oms_http, body, header)).json()["outcome"] == "duplicate"

        assert (await Refund.get(id=created.id)).status == RefundStatus.SUCCEEDED
        assert await OrderEvent.filter(order_id=order.id, type="refund.succeeded").count() == 1
        order = await Order.get(id=order.id)
        assert order.payment_status == PaymentStatus.REFUNDED
        assert Decimal(order.refunded_total) == Decimal(order.total)

    async def test_a_failed_refund_is_failed_visible_to_staff_and_needs_review(
        self, oms_app, oms_http, oms_graphql, fake_stripe, catalog
    ):
        order = await paid_by_stripe(oms_app, oms_http, oms_graphql, fake_stripe)
        fake_stripe.refunds_will("pending")
        created = await refund(order.id, "20.00")
        await run_jobs(oms_app)
        external_id = (await Refund.get(id=created.id)).external_id
        fake_stripe.settle_refund(external_id, "failed", failure_reason="expired_or_canceled_card")
        body, header = fake_stripe.signed_event("refund.failed", external_id, SECRET)
        assert (await post(oms_http, body, header)).json()["outcome"] == "processed"

        failed = await Refund.get(id=created.id)
        assert failed.status == RefundStatus.FAILED
        assert failed.failure_message == "the card expired or was canceled"
        order = await Order.get(id=order.id)
        assert order.needs_review and order.payment_status == PaymentStatus.PAID
        assert Decimal(order.refunded_total) == 0
        event = await OrderEvent.get(order_id=order.id, type="refund.failed")
        assert event.data["staff_only"] is True and event.data["refund_id"] == created.id
        assert (await refundable(order)).amount == Decimal(order.total)  # may be tried again

    async def test_a_refund_stripe_refuses_fails_at_once(self, oms_app, oms_http, oms_graphql, fake_stripe, catalog):
        order = await paid_by_stripe(oms_app, oms_http, oms_graphql, fake_stripe)
        fake_stripe.fail_next(400, code="charge_disputed", message="The charge is disputed.", path="/v1/refunds")
        created = await refund(order.id, "5.00")
        await run_jobs(oms_app)
        failed = await Refund.get(id=created.id)
        assert (failed.status, failed.failure_message) == (RefundStatus.FAILED, "The charge is disputed.")
        assert (await Order.get(id=order.id)).needs_review

    async def test_an_outage_is_retried_with_the_same_key(self, oms_app, oms_http, oms_graphql, fake_stripe, catalog):
        order = await paid_by_stripe(oms_app, oms_http, oms_graphql, fake_stripe)
        fake_stripe.fail_next(503, times=3, path="/v1/refunds")  # the library's own retries, then ours
        created = await refund(order.id, "5.00")
        await run_jobs(oms_app)
        assert (await Refund.get(id=created.id)).status == RefundStatus.PENDING
        job = await Job.get(kind="payment.refund")
        await Job.filter(id=job.id).update(run_at=job.created_at)
        await run_jobs(oms_app)
        assert (await Refund.get(id=created.id)).status == RefundStatus.SUCCEEDED
        keys = {r.idempotency_key for r in fake_stripe.requests_to("POST", "/v1/refunds")}
        assert len(keys) == 1 and len(fake_stripe.refunds) == 1


async def post(oms_http, body: bytes, header: str):
    return await oms_http.post("/webhooks/stripe", content=body,
                               headers={"Stripe-Signature": header, "Content-Type": "application/json"})
