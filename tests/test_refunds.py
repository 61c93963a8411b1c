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
