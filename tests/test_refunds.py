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


# -- refundOrder (GraphQL) ----------------------------------------------------------------

REFUND_ORDER = """
mutation($id: ID!, $amount: Decimal!, $reason: String!, $reference: String) {
  refundOrder(id: $id, amount: $amount, reason: $reason, reference: $reference) {
    order { paymentStatus refundedTotal { amount currency }
            refunds { id amount { amount currency } status reason externalId failureMessage } }
    userErrors { field code message }
  }
}
"""
ORDER_REFUNDS = """
query($token: String!) {
  order(token: $token) { paymentStatus refundedTotal { amount } refunds { status reason externalId }
                         events { type } }
}
"""


def order_gid(order: Order) -> str:
    from oms.graphql.common import to_global_id

    return to_global_id("Order", order.id)


class TestRefundOrder:
    async def test_staff_record_a_refund_made_elsewhere(self, oms_app, oms_graphql, oms_accounts, catalog):
        placed = await place_paid_order(oms_app, oms_graphql, [("MUG", 2)], shipping_method="standard")
        order = await Order.get(number=placed["order"]["number"])
        staff = oms_graphql.as_(oms_accounts.staff)
        answer = (await staff.query(REFUND_ORDER, {"id": order_gid(order), "amount": "4.50",
                                                   "reason": "Late delivery", "reference": "SEPA-991"}))["refundOrder"]
        assert answer["userErrors"] == []
        assert answer["order"]["paymentStatus"] == "PARTIALLY_REFUNDED"
        assert answer["order"]["refundedTotal"] == {"amount": "4.50", "currency": "USD"}
        [row] = answer["order"]["refunds"]
        assert (row["status"], row["reason"], row["externalId"]) == ("SUCCEEDED", "Late delivery", "SEPA-991")

        # The guest sees the refund, not the staff's bank reference.
        seen = (await oms_graphql.as_(None).query(ORDER_REFUNDS, {"token": placed["orderToken"]}))["order"]
        assert seen["refunds"] == [{"status": "SUCCEEDED", "reason": "Late delivery", "externalId": None}]
        assert {"refund.requested", "refund.succeeded"} <= {e["type"] for e in seen["events"]}

    async def test_more_than_paid_and_bad_input_are_user_errors(self, oms_app, oms_graphql, oms_accounts, catalog):
        placed = await place_paid_order(oms_app, oms_graphql, [("EBOOK", 1)])
        order = await Order.get(number=placed["order"]["number"])
        staff = oms_graphql.as_(oms_accounts.staff)

        async def errors(amount: str, reason: str = "goodwill") -> list[tuple]:
            data = await staff.query(REFUND_ORDER, {"id": order_gid(order), "amount": amount, "reason": reason})
            return [(e["code"], e["field"]) for e in data["refundOrder"]["userErrors"]]

        assert await errors("9.99") == []
        assert await errors("0.01") == [("REFUND_EXCEEDS_PAID", ["amount"])]
        assert await errors("0") == [("INVALID", ["amount"])]
        assert await errors("-3") == [("INVALID", ["amount"])]
        assert await errors("1.005") == [("INVALID", ["amount"])]
        assert await errors("1", reason="  ") == [("REQUIRED", ["reason"])]
        assert (await Order.get(id=order.id)).payment_status == PaymentStatus.REFUNDED

    async def test_only_staff_with_manage_payments_refund(self, oms_app, oms_graphql, oms_accounts, catalog):
        from oms.accounts import services as accounts
        from oms.accounts.permissions import Viewer

        placed = await place_paid_order(oms_app, oms_graphql, [("EBOOK", 1)], email="alice@example.com")
        order = await Order.get(number=placed["order"]["number"])
        clerk = await accounts.create_staff(email="clerk@example.com", password="clerk-pass-1",
                                            permissions=["MANAGE_ORDERS", "MANAGE_RETURNS"])
        cashier = await accounts.create_staff(email="cashier@example.com", password="cashier-pass-1",
                                              permissions=["MANAGE_PAYMENTS"])
        secret = oms_app.state.settings.secret_key
        tokens = {who: await accounts.issue_token(Viewer(staff=s), secret=secret, ttl_seconds=600)
                  for who, s in (("clerk", clerk), ("cashier", cashier))}
        variables = {"id": order_gid(order), "amount": "1.00", "reason": "goodwill"}
        for token in (None, oms_accounts.customer, tokens["clerk"]):
            data = await oms_graphql.as_(token).query(REFUND_ORDER, variables)
            assert [e["code"] for e in data["refundOrder"]["userErrors"]] == ["PERMISSION_DENIED"]
        assert not await Refund.exists(order_id=order.id)
        data = await oms_graphql.as_(tokens["cashier"]).query(REFUND_ORDER, variables)
        assert data["refundOrder"]["userErrors"] == []
        refunded = await Refund.get(order_id=order.id)
        assert refunded.actor == "cashier@example.com"

    async def test_an_order_paid_after_expiry_can_be_refunded(self, oms_app, oms_graphql, oms_accounts, catalog):
        from oms.orders.expiry import expire_order
        from oms.payments.recording import apply_success, order_total

        placed = await place_paid_order(oms_app, oms_graphql, [("MUG", 1)], shipping_method="standard", pay=False)
        order = await Order.get(number=placed["order"]["number"])
        await expire_order(order.id, plugins=oms_app.state.plugins)
        async with in_transaction():  # the payment arrives late (as a webhook would record it)
            locked = await Order.select_for_update().get(id=order.id)
            await apply_success(locked, gateway="manual", external_id="late-1", amount=order_total(locked),
                                actor="system")
        order = await Order.get(id=order.id)
        assert order.needs_review and order.status == "EXPIRED"

        staff = oms_graphql.as_(oms_accounts.staff)
        data = await staff.query(REFUND_ORDER, {"id": order_gid(order), "amount": str(order.total),
                                                "reason": "Paid after expiry"})
        assert data["refundOrder"]["userErrors"] == []
        assert data["refundOrder"]["order"]["refundedTotal"]["amount"] == str(order.total)
        assert [r["status"] for r in data["refundOrder"]["order"]["refunds"]] == ["SUCCEEDED"]
        # Nothing is left to refund; the payment status of an expired order stays VOIDED.
        data = await staff.query(REFUND_ORDER, {"id": order_gid(order), "amount": "0.01", "reason": "again"})
        assert [e["code"] for e in data["refundOrder"]["userErrors"]] == ["REFUND_EXCEEDS_PAID"]
        assert (await Order.get(id=order.id)).payment_status == PaymentStatus.VOIDED


# -- two refunds racing (a live server; two worker processes on PostgreSQL) ----------------

ROUNDS = 3


async def test_two_concurrent_refunds_of_60_percent_one_exceeds(oms_app, oms_graphql, oms_settings, catalog, tmp_path):
    """Each of two staff clients refunds 60 % of the same order at the same moment, through
    a real server (on PostgreSQL two processes, two connections): exactly one succeeds, the
    other gets REFUND_EXCEEDS_PAID, and the money refunded never exceeds what was paid."""
    import asyncio

    import httpx

    from oms import testing
    from oms.accounts import services as accounts
    from tests.live_server import SECRET_KEY, live_server

    await accounts.create_staff(email="racer@example.com", password="racer-pass-1", permissions=["MANAGE_PAYMENTS"])
    orders = []
    for _ in range(ROUNDS):
        placed = await place_paid_order(oms_app, oms_graphql, [("MUG", 4)], shipping_method="standard")
        orders.append(await Order.get(number=placed["order"]["number"]))

    workers = 2 if testing.test_database_url() else 1
    async with live_server(oms_settings.database_url, workers=workers, log_dir=tmp_path,
                           env={"OMS_SECRET_KEY": SECRET_KEY}) as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
            login = await http.post("/graphql", json={"query": 'mutation { login(email: "racer@example.com", '
                                                                'password: "racer-pass-1") { token } }'})
            token = login.json()["data"]["login"]["token"]

            async def refund_60(order: Order) -> list[str]:
                amount = (Decimal(order.total) * Decimal("0.6")).quantize(Decimal("0.01"))
                response = await http.post(
                    "/graphql", headers={"Authorization": f"Bearer {token}"},
                    json={"query": REFUND_ORDER, "variables": {"id": order_gid(order), "amount": str(amount),
                                                               "reason": "race"}})
                assert response.status_code == 200, response.text
                body = response.json()
                assert not body.get("errors"), (body, server.exceptions())
                return [e["code"] for e in body["data"]["refundOrder"]["userErrors"]]

            for order in orders:
                answers = await asyncio.gather(refund_60(order), refund_60(order))
                assert sorted(answers) == [[], ["REFUND_EXCEEDS_PAID"]], answers

    for order in orders:
        order = await Order.get(id=order.id)
        [done] = await Refund.filter(order_id=order.id)
        assert done.status == RefundStatus.SUCCEEDED
        assert Decimal(order.refunded_total) == Decimal(done.amount) < Decimal(order.total)
        assert order.payment_status == PaymentStatus.PARTIALLY_REFUNDED


class TestStripeEdges:
    @pytest.fixture
    def oms_settings(self, stripe_settings):
        return stripe_settings

    async def test_a_webhook_before_the_job_recorded_the_answer_settles_the_refund(
        self, oms_app, oms_http, oms_graphql, fake_stripe, catalog, monkeypatch
    ):
        """Stripe's refund.updated can come before the job has written the refund's id:
        the id oms put in the refund's metadata finds it, and the job's late answer is
        then a no-op."""
        from oms.payments import refunds as refunds_module

        order = await paid_by_stripe(oms_app, oms_http, oms_graphql, fake_stripe)
        created = await refund(order.id, "3.00")
        recorded = refunds_module.apply_refund_status
        delivered = []

        async def webhook_first(refund_id, status, **kwargs):
            if not delivered:  # the job's call (the webhook's own call goes straight through)
                [at_stripe] = fake_stripe.refunds
                body, header = fake_stripe.signed_event("refund.updated", at_stripe, SECRET)
                delivered.append("sent")
                delivered.append((await post(oms_http, body, header)).json()["outcome"])
            return await recorded(refund_id, status, **kwargs)

        monkeypatch.setattr(refunds_module, "apply_refund_status", webhook_first)
        await run_jobs(oms_app)
        assert delivered == ["sent", "processed"]
        done = await Refund.get(id=created.id)
        assert (done.status, done.external_id) == (RefundStatus.SUCCEEDED, next(iter(fake_stripe.refunds)))
        assert await OrderEvent.filter(order_id=order.id, type="refund.succeeded").count() == 1
        assert (await Job.get(kind="payment.refund")).status == "DONE"

    async def test_charge_refunded_without_its_refunds_listed_checks_the_pending_ones(
        self, oms_app, oms_http, oms_graphql, fake_stripe, catalog
    ):
        """Stripe lists a charge's refunds only when expanded: a bare charge.refunded has a
        job ask Stripe how the order's pending refunds stand (GET /v1/refunds/{id})."""
        import json

        from oms.fake_stripe import sign_event

        order = await paid_by_stripe(oms_app, oms_http, oms_graphql, fake_stripe)
        fake_stripe.refunds_will("pending")
        created = await refund(order.id, "8.00")
        await run_jobs(oms_app)
        external_id = (await Refund.get(id=created.id)).external_id
        fake_stripe.settle_refund(external_id, "succeeded")
        intent = (await Payment.get(order_id=order.id)).external_id
        event = fake_stripe.event("charge.refunded", intent)
        del event["data"]["object"]["refunds"]
        body = json.dumps(event).encode()
        assert (await post(oms_http, body, sign_event(body, SECRET))).json()["outcome"] == "processed"
        assert (await Refund.get(id=created.id)).status == RefundStatus.PENDING  # the job asks
        await run_jobs(oms_app)
        assert len(fake_stripe.requests_to("GET", f"/v1/refunds/{external_id}")) == 1
        assert (await Refund.get(id=created.id)).status == RefundStatus.SUCCEEDED
        assert (await Order.get(id=order.id)).payment_status == PaymentStatus.PARTIALLY_REFUNDED

    async def test_an_event_about_a_refund_of_another_payment_is_ignored(
        self, oms_app, oms_http, oms_graphql, fake_stripe, catalog
    ):
        first = await paid_by_stripe(oms_app, oms_http, oms_graphql, fake_stripe)
        fake_stripe.refunds_will("pending")
        mine = await refund(first.id, "3.00")
        await run_jobs(oms_app)
        # A refund made in Stripe's dashboard on another intent, claiming to be ours.
        other = await paid_by_stripe(oms_app, oms_http, oms_graphql, fake_stripe)
        intent = (await Payment.get(order_id=other.id)).external_id
        forged = fake_stripe.settle_refund((await Refund.get(id=mine.id)).external_id, "succeeded")
        forged.update(id="re_elsewhere", payment_intent=intent)
        fake_stripe.refunds["re_elsewhere"] = forged
        body, header = fake_stripe.signed_event("refund.updated", "re_elsewhere", SECRET)
        assert (await post(oms_http, body, header)).json()["outcome"] == "ignored"
        assert (await Refund.get(id=mine.id)).status == RefundStatus.PENDING

    async def test_a_refund_job_that_gives_up_fails_the_refund(self, oms_app, oms_http, oms_graphql, fake_stripe,
                                                               catalog):
        order = await paid_by_stripe(oms_app, oms_http, oms_graphql, fake_stripe)
        created = await refund(order.id, "3.00")
        await Job.filter(kind="payment.refund").update(max_attempts=1)
        fake_stripe.down()
        try:
            await run_jobs(oms_app)
        finally:
            fake_stripe.up()
        assert (await Job.get(kind="payment.refund")).status == "DEAD"
        failed = await Refund.get(id=created.id)
        assert failed.status == RefundStatus.FAILED and "could not be reached" in failed.failure_message
        assert (await Order.get(id=order.id)).needs_review
        assert fake_stripe.refunds == {}


# -- the fake's refunds and the refund events as oms reads them -----------------------------


def test_refund_events_are_normalized(fake_stripe):
    from oms.payments.gateway import RefundUpdate
    from oms.payments.stripe_gateway import normalize_event

    intent = fake_stripe.payment_intents.setdefault("pi_x", {
        "id": "pi_x", "object": "payment_intent", "amount": 1000, "amount_received": 1000, "currency": "usd",
        "status": "succeeded", "latest_charge": "ch_x", "customer": None, "metadata": {"order_id": "7"},
        "payment_method": None})
    fake_stripe.refunds_will("pending")
    with fake_stripe._lock:
        pending = fake_stripe._create_refund({"payment_intent": intent["id"], "amount": "400",
                                              "metadata": {"oms_refund_id": "12"}})
    event = normalize_event(fake_stripe.event("refund.updated", pending["id"]))
    assert event.refunds == (RefundUpdate(pending["id"], "pending", "pi_x", 12, None),)
    fake_stripe.settle_refund(pending["id"], "failed", failure_reason="lost_or_stolen_card")
    event = normalize_event(fake_stripe.event("refund.failed", pending["id"]))
    assert event.refunds == (RefundUpdate(pending["id"], "failed", "pi_x", 12, "the card was reported lost or stolen"),)
    charge = fake_stripe.event("charge.refunded", "pi_x")["data"]["object"]
    assert (charge["object"], charge["amount_refunded"], charge["refunded"]) == ("charge", 0, False)
    assert normalize_event(fake_stripe.event("charge.refunded", "pi_x")).refunds[0].status == "failed"
    with pytest.raises(ValueError):
        fake_stripe.refunds_will("maybe")


async def test_the_fake_counts_pending_refunds_against_the_charge(fake_stripe):
    from oms.payments.gateway import PaymentGatewayError
    from oms.payments.stripe_gateway import StripeGateway

    gateway = StripeGateway("sk_test_x", api_base=fake_stripe.url, max_network_retries=0)
    try:
        with fake_stripe._lock:
            intent = fake_stripe._create_intent({"amount": "1000", "currency": "usd"})
            fake_stripe.succeed(intent["id"])
        fake_stripe.refunds_will("pending")
        first = await gateway.refund(intent["id"], Money(Decimal("6.00"), "USD"), idempotency_key="k1")
        assert first.status == "pending"
        again = await gateway.refund(intent["id"], Money(Decimal("6.00"), "USD"), idempotency_key="k1")
        assert again == first and len(fake_stripe.refunds) == 1  # the same key: replayed
        with pytest.raises(PaymentGatewayError) as refused:
            await gateway.refund(intent["id"], Money(Decimal("6.00"), "USD"), idempotency_key="k2")
        assert refused.value.code == "amount_too_large"
        fake_stripe.settle_refund(first.external_id, "failed")  # its money is back on the charge
        fake_stripe.refunds_will("succeeded")
        second = await gateway.refund(intent["id"], Money(Decimal("6.00"), "USD"), idempotency_key="k3")
        assert second.status == "succeeded"
    finally:
        await gateway.aclose()


async def test_the_testing_helper_refunds_and_runs_the_jobs(oms_app, oms_graphql, catalog):
    from oms.testing import refund_paid_order

    order = await paid_mug_order(oms_app, oms_graphql)
    [done] = await refund_paid_order(oms_app, order.id, "2.00", reference="cash")
    assert (done.status, done.external_id, Decimal(done.amount)) == (RefundStatus.SUCCEEDED, "cash", Decimal("2.00"))
    assert await Job.filter(kind="order.event", status="QUEUED").count() == 0
    with pytest.raises(DomainError):
        await refund_paid_order(oms_app, order.id, str(order.total))
