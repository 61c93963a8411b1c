"""``oms seed --orders N`` (issue 13 item 9): a consistent, deterministic order history,
written in bulk, that the API reads like any other."""

from __future__ import annotations

import collections
import datetime as dt
import os
import random
import subprocess
import sys
from decimal import Decimal

import pytest

from oms.accounts.models import Customer
from oms.bulkhistory import History, plan_order
from oms.bulkinsert import Table
from oms.bulkseed import CUSTOMER_DOMAIN, seed_orders
from oms.cli import build_parser
from oms.clock import utcnow
from oms.fulfillment.models import Delivery, Fulfillment, FulfillmentLine
from oms.orders.models import Order, OrderEvent, OrderLine
from oms.payments.models import Payment, Refund

ORDERS = 300
PAID = {"PAID", "PARTIALLY_REFUNDED", "REFUNDED"}
NOW = utcnow()


@pytest.fixture
async def seeded(oms_app):
    settings = oms_app.state.settings
    progress: list[tuple[int, int]] = []
    result = await seed_orders(
        ORDERS,
        plugins=oms_app.state.plugins,
        settings=settings,
        seed=3,
        now=NOW,
        progress=lambda done, total, seconds: progress.append((done, total)),
        batch_orders=128,
    )
    assert progress == [(128, ORDERS), (256, ORDERS), (ORDERS, ORDERS)]
    return result


async def test_the_history_is_consistent(seeded):
    orders = await Order.all().order_by("id")
    assert len(orders) == seeded.orders == ORDERS
    assert [o.id for o in orders] == list(range(seeded.first_order_id, seeded.last_order_id + 1))
    assert len({o.number for o in orders}) == ORDERS and all(o.number == str(1000 + o.id) for o in orders)
    lines = collections.defaultdict(list)
    for line in await OrderLine.all():
        lines[line.order_id].append(line)
    refunds = collections.defaultdict(Decimal)
    for refund in await Refund.all():
        refunds[refund.order_id] += refund.amount
    payments = {p.order_id: p for p in await Payment.all()}
    events = collections.defaultdict(set)
    for event in await OrderEvent.all():
        events[event.order_id].add(event.type)
    oldest = NOW - dt.timedelta(days=731)
    for order in orders:
        mine = lines[order.id]
        assert 1 <= len(mine) <= 4
        assert order.subtotal == sum((line.unit_price * line.quantity for line in mine), Decimal(0))
        assert order.total == order.subtotal + order.shipping_total
        assert (order.shipping_total > 0) == any(line.product_type == "physical" for line in mine)
        assert (order.shipping_address is not None) == any(line.product_type == "physical" for line in mine)
        assert oldest <= order.created_at <= NOW
        assert "order.placed" in events[order.id]
        # Statuses against dates.
        paid = order.payment_status.value in PAID
        assert (order.paid_at is not None) == paid, order.id
        if paid:
            assert order.created_at <= order.paid_at <= NOW and "order.paid" in events[order.id]
            assert payments[order.id].state.value == "SUCCEEDED" and payments[order.id].amount == order.total
        assert (order.completed_at is not None) == (order.status.value == "COMPLETED")
        if order.completed_at:
            assert order.paid_at <= order.completed_at <= NOW
            assert all(line.status.value == "DELIVERED" and line.quantity_fulfilled == line.quantity for line in mine)
        assert (order.canceled_at is not None) == (order.status.value in ("CANCELED", "EXPIRED"))
        if order.status.value in ("CANCELED", "EXPIRED"):
            assert all(line.status.value == "CANCELED" and line.quantity_canceled == line.quantity for line in mine)
        if order.status.value == "EXPIRED":
            assert order.payment_status.value == "VOIDED"
        if order.status.value == "PENDING_PAYMENT":
            assert order.payment_status.value == "PENDING" and NOW - order.created_at < dt.timedelta(minutes=30)
        # Refunds: the order's refunded total is what its refunds add up to.
        assert order.refunded_total == refunds.get(order.id, Decimal(0))
        if order.payment_status.value == "REFUNDED":
            assert order.refunded_total == order.total
        elif order.payment_status.value == "PARTIALLY_REFUNDED":
            assert 0 < order.refunded_total < order.total
        else:
            assert order.refunded_total == 0


async def test_a_realistic_mix(seeded):
    statuses = collections.Counter(await Order.all().values_list("status", flat=True))
    payment_statuses = collections.Counter(await Order.all().values_list("payment_status", flat=True))
    assert statuses["COMPLETED"] > ORDERS * 0.6
    assert statuses["EXPIRED"] + statuses["CANCELED"] > 0
    assert payment_statuses["PAID"] > ORDERS / 2 and payment_statuses["VOIDED"] > 0
    assert payment_statuses["PARTIALLY_REFUNDED"] + payment_statuses["REFUNDED"] > 0
    types = set(await OrderLine.all().values_list("product_type", flat=True))
    assert types == {"physical", "digital", "subscription", "consultation"}
    with_customer = await Order.filter(customer_id__isnull=False).count()
    assert 0.6 * ORDERS < with_customer < 0.95 * ORDERS
    assert await Customer.filter(email__endswith=f"@{CUSTOMER_DOMAIN}").count() == seeded.customers
    several = await Order.all().values_list("id", flat=True)
    per_order = collections.Counter(await OrderLine.all().values_list("order_id", flat=True))
    assert any(per_order[i] > 1 for i in several)
    created = sorted(await Order.all().values_list("created_at", flat=True))
    assert created[-1] - created[0] > dt.timedelta(days=700)


async def test_fulfillments_match_delivered_units(seeded):
    delivered_lines = await OrderLine.filter(status="DELIVERED")
    assert delivered_lines
    units = collections.Counter()
    for fl in await FulfillmentLine.all():
        units[fl.order_line_id] += fl.quantity
    for line in delivered_lines:
        assert units[line.id] == line.quantity_fulfilled == line.quantity
    for fulfillment in await Fulfillment.filter(status="DELIVERED"):
        assert fulfillment.delivered_at is not None
    paid_orders = await Order.filter(paid_at__isnull=False, status__not="CANCELED").count()
    assert len(set(await Delivery.all().values_list("order_id", flat=True))) == paid_orders
    from oms_physical.models import Shipment

    shipments = await Shipment.all().select_related("fulfillment")
    assert shipments and all(s.fulfillment.product_type == "physical" for s in shipments)
    assert len({s.tracking_number for s in shipments}) == len(shipments)


async def test_the_api_reads_the_seeded_orders(seeded, oms_graphql, oms_accounts):
    staff = oms_graphql.as_(oms_accounts.staff)
    query = """query { orders(first: 100) { totalCount edges { node {
        number status paymentStatus total { amount } subtotal { amount } paidAt
        lines { sku quantity status } } } } }"""
    data = (await staff.query(query))["orders"]
    assert data["totalCount"] == ORDERS
    by_number = {o.number: o for o in await Order.all()}
    for edge in data["edges"]:
        node = edge["node"]
        order = by_number[node["number"]]
        assert Decimal(node["total"]["amount"]) == order.total
        assert node["status"] == order.status.value and (node["paidAt"] is not None) == (order.paid_at is not None)


async def test_seeding_again_adds_to_the_history(seeded, oms_app):
    again = await seed_orders(50, plugins=oms_app.state.plugins, settings=oms_app.state.settings, seed=3)
    assert again.first_order_id == seeded.last_order_id + 1
    assert await Order.all().count() == ORDERS + 50
    assert len(set(await Order.all().values_list("number", flat=True))) == ORDERS + 50
    # The catalog and customers are reused, not created twice.
    assert again.customers == seeded.customers
    # The ids Tortoise hands out next follow the seeded ones (PostgreSQL's sequences moved).
    placed = await Customer.create(email="new@example.com", password_hash="x")
    assert placed.id > max(await Customer.exclude(id=placed.id).values_list("id", flat=True))


def _history(seed: int) -> History:
    variants = [
        (1, "MUG-01S", "Mug S", "physical", Decimal("14.00")),
        (2, "EBOOK-01S", "Ebook S", "digital", Decimal("9.00")),
        (3, "PLAN-01S", "Plan S", "subscription", Decimal("19.00")),
        (4, "CONSULT-01S", "Consult S", "consultation", Decimal("120.00")),
    ]
    customers = [(i, f"c{i}@x.example", f"C {i}") for i in range(1, 30)]
    ids = dict.fromkeys(
        ["order", "line", "event", "payment", "refund", "delivery", "fulfillment", "fulfillment_line", "shipment"], 1
    )
    return History(
        rng=random.Random(f"{seed}:1"),
        now=NOW,
        currency="USD",
        variants=variants,
        customers=customers,
        ids=ids,
        span=dt.timedelta(days=730),
        count=200,
    )


def _rows(seed: int) -> list:
    history = _history(seed)
    plans = [plan_order(history, i, token="t") for i in range(200)]
    return [plan.rows for plan in plans]


def test_the_same_seed_gives_the_same_history():
    assert _rows(5) == _rows(5)
    assert _rows(5) != _rows(6)


def test_unnamed_columns_get_the_models_defaults(oms_app):
    columns = [c for c in History.ORDER_COLUMNS if c not in ("refunded_total", "needs_review", "note")]
    table = Table.of(Order, columns, now=NOW)
    extras = dict(zip(table.columns[len(columns) :], table.extra_values, strict=True))
    # The three left out get their defaults; so do the columns the seeder never names (taxes,
    # discounts: the models' defaults say "none").
    assert {k: extras[k] for k in ("refunded_total", "needs_review", "note")} == {
        "refunded_total": Decimal(0), "needs_review": False, "note": None}
    assert {"tax_total": Decimal(0), "discount_total": Decimal(0)}.items() <= extras.items()
    with pytest.raises(ValueError, match="email"):
        Table.of(Order, [c for c in History.ORDER_COLUMNS if c != "email"], now=NOW)
    with pytest.raises(ValueError, match="no column"):
        Table.of(Order, ["id", "nope"], now=NOW)


def test_the_command_line():
    parser = build_parser()
    assert parser.parse_args(["seed"]).orders is None
    args = parser.parse_args(["seed", "--orders", "1000", "--seed", "9"])
    assert (args.orders, args.seed) == (1000, 9)


def test_fulfillments_carry_the_tracking_number_when_the_column_exists():
    history = _history(5)
    history.fulfillment_tracking = True
    rows = [row for i in range(100) for row in plan_order(history, i, token="t").rows["fulfillment"]]
    assert rows and all(len(row) == len(History.FULFILLMENT_COLUMNS) + 1 for row in rows)
    physical = [row for row in rows if row[2] == "physical"]
    assert physical and all(row[-1] == f"1ZBULK{row[0]:010d}" for row in physical)
    assert all(row[-1] is None for row in rows if row[2] != "physical")


def test_oms_seed_orders_on_the_command_line(oms_database_url, tmp_path):
    env = {
        **os.environ,
        "OMS_DATABASE_URL": oms_database_url,
        "OMS_SECRET_KEY": "cli-test-secret-" + "k" * 32,
        "OMS_MEDIA_ROOT": str(tmp_path / "media"),
    }

    def oms(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "oms.cli", *args], env=env, capture_output=True, text=True, timeout=300
        )

    assert oms("migrate").returncode == 0
    result = oms("seed", "--orders", "120", "--seed", "2")
    assert result.returncode == 0, result.stderr
    assert "Seeded 120 orders (ids 1-120)" in result.stdout
    assert "seeded 120/120 orders" in result.stderr  # progress goes to stderr
    refused = oms("seed", "--orders", "0")
    assert refused.returncode == 2 and "--orders must be at least 1" in refused.stderr
    # Plain `oms seed` is unchanged: it seeds only an empty database.
    plain = oms("seed")
    assert plain.returncode == 0 and "nothing seeded" in plain.stdout
