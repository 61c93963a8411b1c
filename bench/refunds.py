"""Benchmark refundOrder and refundReturn: latency over HTTP against a real uvicorn on
PostgreSQL, and the SQL statements one refund costs (the request, and for Stripe the
``payment.refund`` job).

    .venv/bin/python bench/refunds.py                 # 100 refunds of each kind, ~2 minutes
    .venv/bin/python bench/refunds.py --refunds 300

Creates a fresh PostgreSQL database on the server of ``--database-url`` (default env
OMS_TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres; dropped at the
end), with the schema made from the models (``generate_schemas``: the refund table has no
migration until the integrator generates it), and a local fake Stripe
(:mod:`oms.fake_stripe`) as the gateway.

Setup (not timed), in this process through the ASGI app: a staff account, a digital
product at 40.00, ``--refunds + --warmup`` orders paid through Stripe (the fake's
PaymentIntent succeeds, its signed webhook pays the order) and as many marked paid by
hand (``mark_order_paid``); then as many again of each kind for refundReturn, a separate
pool so refundOrder's figures stay comparable; their jobs run (the digital delivery: one
DownloadGrant per line, never used, so the digital return policy allows the return).
Each order of the second pool then gets a return of its line, requested and approved
(:func:`oms.orders.returns.request_return`, :func:`~oms.orders.returns.approve_return`:
the download is revoked and the unit counts as returned), so refundReturn may refund it.

Statements (in this process, every round trip asyncpg makes, counted by
bench/sqltap.py; BEGIN/COMMIT and savepoints included): one refundOrder request on an
order paid by hand (the refund succeeds at once), one on an order paid through Stripe
(the refund is PENDING and its job enqueued), and that job (``run_refund``: the Stripe call,
then recording its answer); then one refundReturn request (no amount: the default, the
returned unit's price) of each kind.

Timed, on one uvicorn process of the same database with ``OMS_RUN_WORKER=false``, one
httpx client, one request at a time: a trivial query (baseline), then refundOrder of 30 %
on each order paid by hand, and on each paid through Stripe, then refundReturn (no amount)
of each order's approved return, by hand and through Stripe. p50/p90/p99 (nearest rank).
See docs/performance.md ("Refunds").
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import dataclasses
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests.live_server and bench.* when run as a script

import httpx  # noqa: E402

from bench.common import LOGIN, gql, ok, percentile  # noqa: E402
from bench.sqltap import StatementTap  # noqa: E402
from oms.testing import create_postgres_database, drop_postgres_database  # noqa: E402
from tests.live_server import SECRET_KEY, STAFF_EMAIL, STAFF_PASSWORD, live_server  # noqa: E402

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"
WEBHOOK_SECRET = "whsec_bench"
PLACE = """mutation($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { id number } userErrors { field code message } } }"""
REFUND = """mutation($id: ID!, $amount: Decimal!, $reason: String!) {
  refundOrder(id: $id, amount: $amount, reason: $reason) {
    order { paymentStatus refundedTotal { amount } refunds { status } } userErrors { code message } } }"""
REFUND_RETURN = """mutation($id: ID!) {
  refundReturn(id: $id) {
    return { status refund { status amount { amount } } order { paymentStatus refundedTotal { amount } } }
    userErrors { code message } } }"""
TRIVIAL = "{ productTypes { name } }"


@dataclasses.dataclass
class Orders:
    by_hand: list[str]  # global ids
    by_stripe: list[str]
    returns_by_hand: list[str] = dataclasses.field(default_factory=list)  # approved returns' global ids
    returns_by_stripe: list[str] = dataclasses.field(default_factory=list)


def fmt(values: list[float]) -> str:
    return "  ".join(f"p{p} {percentile(values, p):6.1f}" for p in (50, 90, 99)) + " ms"


def kinds(statements: list[str]) -> str:
    counted = collections.Counter(s.split()[0].upper() if s.split() else "?" for s in statements)
    return ", ".join(f"{n} {k}" for k, n in counted.most_common())


async def setup_and_count(url: str, fake, count: int, tmp: str) -> tuple[Orders, dict[str, list[str]]]:
    from tortoise import Tortoise

    from oms.accounts import services as accounts
    from oms.app import create_app
    from oms.config import Settings
    from oms.graphql.common import to_global_id
    from oms.orders import returns
    from oms.orders.models import Order, OrderLine
    from oms.payments.models import Payment, Refund
    from oms.payments.refunds import run_refund
    from oms.payments.services import mark_order_paid
    from oms.testing import make_product, run_jobs
    from oms_digital.models import DownloadGrant

    settings = Settings(database_url=url, secret_key=SECRET_KEY, seed_demo=False, run_worker=False,
                        media_root=os.path.join(tmp, "media"), mail_dir=os.path.join(tmp, "mail"),
                        stripe_api_key="sk_test_bench", stripe_webhook_secret=WEBHOOK_SECRET,
                        stripe_api_base=fake.url)
    app = create_app(settings)
    orders = Orders([], [])
    counted: dict[str, list[str]] = {}
    async with app.router.lifespan_context(app):
        await Tortoise.generate_schemas()
        await accounts.create_staff(email=STAFF_EMAIL, password=STAFF_PASSWORD, superuser=True)
        await make_product(app, product_type="digital", sku="BENCH-BOOK", price="40.00",
                           attributes={"file_name": "book.pdf", "file": "books/book.pdf"})
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://oms.bench") as http:
            to_return: dict[str, list[str]] = {"by hand": [], "through Stripe": []}  # order numbers
            for i in range(4 * count):
                placed = ok((await gql(http, PLACE, {"input": {
                    "lines": [{"sku": "BENCH-BOOK", "quantity": 1}], "email": f"buyer{i}@example.com",
                    "idempotencyKey": f"bench-refunds-{uuid.uuid4().hex}"}}))["placeOrder"], "placeOrder")["order"]
                returned = i >= 2 * count  # the second pool: refunded through refundReturn
                if i % 2:
                    order = await Order.get(number=placed["number"])
                    await mark_order_paid(order, reference=None, actor=STAFF_EMAIL)
                    if returned:
                        to_return["by hand"].append(placed["number"])
                    else:
                        orders.by_hand.append(placed["id"])
                    continue
                intent = (await Payment.get(order__number=placed["number"], gateway="stripe")).external_id
                fake.succeed(intent)
                body, header = fake.signed_event("payment_intent.succeeded", intent, WEBHOOK_SECRET)
                answer = await http.post("/webhooks/stripe", content=body,
                                         headers={"Stripe-Signature": header, "Content-Type": "application/json"})
                assert answer.status_code == 200, answer.text
                if returned:
                    to_return["through Stripe"].append(placed["number"])
                else:
                    orders.by_stripe.append(placed["id"])
            await run_jobs(app, rounds=1000)

            plugins = app.state.plugins
            for kind, numbers in to_return.items():
                ids = orders.returns_by_hand if kind == "by hand" else orders.returns_by_stripe
                for number in numbers:
                    order = await Order.get(number=number)
                    line = await OrderLine.get(order_id=order.id)
                    # The delivery job ran: the line is delivered, its download granted and never used.
                    assert await DownloadGrant.exists(order_line_id=line.id, download_count=0), number
                    rma = await returns.request_return(
                        order, [returns.ReturnLineRequest(line_id=line.id, quantity=1)],
                        reason="bench", actor=STAFF_EMAIL, plugins=plugins)
                    rma = await returns.approve_return(rma.id, actor=STAFF_EMAIL, plugins=plugins)
                    ids.append(to_global_id("Return", rma.id))
            await run_jobs(app, rounds=1000)

            token = (await gql(http, LOGIN, {"e": STAFF_EMAIL, "p": STAFF_PASSWORD}))["login"]["token"]
            tap = StatementTap()
            with tap.installed():
                for kind, ids in (("refundOrder, paid by hand", orders.by_hand),
                                  ("refundOrder, paid through Stripe", orders.by_stripe)):
                    async with tap.recording() as statements:
                        ok((await gql(http, REFUND, {"id": ids.pop(), "amount": "12.00", "reason": "bench"},
                                      token))["refundOrder"], kind)
                    counted[kind] = list(statements)
                refund = await Refund.filter(status="PENDING").first()
                assert refund is not None
                async with tap.recording() as statements:
                    await run_refund(refund.id, gateway=app.state.gateway)
                counted["payment.refund job (Stripe call + answer)"] = list(statements)
                assert (await Refund.get(id=refund.id)).status == "SUCCEEDED"
                for kind, ids, status in (("refundReturn, paid by hand", orders.returns_by_hand, "SUCCEEDED"),
                                          ("refundReturn, paid through Stripe", orders.returns_by_stripe, "PENDING")):
                    async with tap.recording() as statements:
                        payload = ok((await gql(http, REFUND_RETURN, {"id": ids.pop()}, token))["refundReturn"], kind)
                    counted[kind] = list(statements)
                    assert payload["return"]["status"] == "REFUNDED", payload
                    assert payload["return"]["refund"]["status"] == status, payload
    return orders, counted


async def timed_phase(http: httpx.AsyncClient, token: str, ids: list[str],
                      mutation: str = "refundOrder") -> list[float]:
    latencies = []
    for global_id in ids:
        if mutation == "refundOrder":
            query, variables = REFUND, {"id": global_id, "amount": "12.00", "reason": "bench"}
        else:  # refundReturn of an approved return, no amount: the default
            query, variables = REFUND_RETURN, {"id": global_id}
        began = time.perf_counter()
        data = await gql(http, query, variables, token)
        latencies.append(time.perf_counter() - began)
        ok(data[mutation], mutation)
    return latencies


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("OMS_TEST_DATABASE_URL") or DEFAULT_PG)
    parser.add_argument("--refunds", type=int, default=100, help="timed refunds of each kind")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--show-statements", action="store_true")
    args = parser.parse_args()

    import stripe

    from oms.fake_stripe import FakeStripe

    stripe.enable_telemetry = False
    url = await create_postgres_database(args.database_url)
    try:
        with FakeStripe() as fake, tempfile.TemporaryDirectory(prefix="oms-bench-refunds-") as tmp:
            orders, counted = await setup_and_count(url, fake, args.refunds + args.warmup + 1, tmp)
            print("PostgreSQL, statements (round trips) per refund, in-process:")
            for kind, statements in counted.items():
                print(f"  {kind:42s} {len(statements):3d}  ({kinds(statements)})")
                if args.show_statements:
                    for statement in statements:
                        print("      " + " ".join(statement.split())[:160])
            env = {"OMS_RUN_WORKER": "false", "OMS_STRIPE_API_KEY": "sk_test_bench",
                   "OMS_STRIPE_API_BASE": fake.url, "OMS_STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET}
            async with live_server(url, workers=1, env=env, log_dir=tmp) as server:
                async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
                    token = (await gql(http, LOGIN, {"e": STAFF_EMAIL, "p": STAFF_PASSWORD}))["login"]["token"]
                    baseline = []
                    for _ in range(args.refunds):
                        began = time.perf_counter()
                        await gql(http, TRIVIAL, None, token)
                        baseline.append(time.perf_counter() - began)
                    results = {}
                    for mutation, kind, ids in (
                        ("refundOrder", "by hand", orders.by_hand),
                        ("refundOrder", "through Stripe", orders.by_stripe),
                        ("refundReturn", "by hand", orders.returns_by_hand),
                        ("refundReturn", "through Stripe", orders.returns_by_stripe),
                    ):
                        await timed_phase(http, token, ids[:args.warmup], mutation)
                        results[f"{mutation}, paid {kind}"] = await timed_phase(
                            http, token, ids[args.warmup:][:args.refunds], mutation)
            print(f"\nuvicorn, 1 process, one request at a time ({args.refunds} each):")
            print(f"  {'baseline { productTypes }':33s} {fmt(baseline)}")
            for kind, latencies in results.items():
                print(f"  {kind:33s} {fmt(latencies)}")
    finally:
        await drop_postgres_database(args.database_url, url)


if __name__ == "__main__":
    asyncio.run(main())
