"""``oms seed --orders N``: a realistic order history, fast (for benchmarks and demos).

Adds N orders to whatever is there (run it again to grow the history): dates over the last
two years, customers (one order in five from a guest), one to four lines of the installed
product types, the statuses and payment statuses a shop sees (mostly completed; some
expired, canceled, refunded, still processing), their payments, refunds, deliveries,
fulfillments with parcels, and the timeline. Everything is consistent the way oms writes
it: ``total = subtotal + shipping_total``, ``paid_at`` on paid orders, ``completed_at`` on
completed ones, numbers ``1000 + id``. The same seed on the same database gives the same
history (order tokens aside: they are random secrets, as always).

Rows go in with ``COPY`` on PostgreSQL (:mod:`oms.bulkinsert`), ``BATCH_ORDERS`` orders
per transaction. Never run it on a production database.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import secrets
import shutil
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from oms.accounts.models import Customer
from oms.accounts.passwords import hash_password
from oms.bulkhistory import History, OrderPlan, plan_order
from oms.bulkinsert import BulkWriter, Table
from oms.catalog import services as catalog
from oms.catalog.models import Product, Variant
from oms.clock import utcnow
from oms.config import Settings
from oms.fulfillment.models import Delivery, Fulfillment, FulfillmentLine
from oms.orders.models import Order, OrderEvent, OrderLine
from oms.payments.models import Payment, Refund
from oms.plugins import PluginHost
from oms.seed import DEMO_FILES, DEMO_PRODUCTS

BATCH_ORDERS = 5000
PRODUCTS_PER_TYPE = 6
BULK_SLUG_PREFIX = "bulk-"
CUSTOMER_DOMAIN = "bulk.example.com"
# The password of every seeded customer (sign in as customer1@bulk.example.com to look around).
CUSTOMER_PASSWORD = "bulk-customer-1"
STOCK = 10_000_000


@dataclasses.dataclass(frozen=True)
class BulkSeedResult:
    orders: int
    first_order_id: int
    last_order_id: int
    customers: int
    rows: int
    seconds: float


Progress = Callable[[int, int, float], None]


def stderr_progress(done: int, total: int, seconds: float) -> None:
    rate = done / seconds if seconds else 0.0
    print(f"\rseeded {done:,}/{total:,} orders ({seconds:.0f} s, {rate:,.0f}/s)", end="", file=sys.stderr, flush=True)
    if done >= total:
        print(file=sys.stderr, flush=True)


async def ensure_catalog(*, plugins: PluginHost, settings: Settings) -> list[Variant]:
    """The bulk catalog (``bulk-`` slugs): PRODUCTS_PER_TYPE products of each installed demo
    type, two or three variants each, created once."""
    if not await Product.filter(slug__startswith=BULK_SLUG_PREFIX).exists():
        rng = random.Random(7)
        for data in DEMO_PRODUCTS:
            if plugins.get_type(data.product_type) is None:
                continue
            template = data.variants[0]
            for k in range(1, PRODUCTS_PER_TYPE + 1):
                variants = [
                    catalog.VariantData(
                        sku=f"{template.sku}-{k:02d}{size}",
                        name=f"{data.name} #{k} {size}",
                        price=(template.price * Decimal(rng.choice(["0.5", "0.8", "1", "1.25", "2"]))).quantize(
                            Decimal("0.01")
                        ),
                        attributes=template.attributes,
                    )
                    for size in "SML"[: rng.choice([2, 3])]
                ]
                product = catalog.ProductData(
                    name=f"{data.name} #{k}",
                    slug=f"{BULK_SLUG_PREFIX}{data.slug}-{k}",
                    description=data.description,
                    product_type=data.product_type,
                    variants=variants,
                )
                await catalog.create_product(product, plugins=plugins, currency=settings.currency)
                type_ = plugins.get_type(data.product_type)
                if type_ is not None and type_.tracks_stock:
                    for variant in variants:
                        await catalog.set_stock(sku=variant.sku, quantity=STOCK, warehouse_code=None, plugins=plugins)
        media_root = Path(settings.media_root)
        for relative in DEMO_FILES:
            (media_root / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(__file__).parent / relative, media_root / relative)
    return (
        await Variant.filter(product__slug__startswith=BULK_SLUG_PREFIX).select_related("product").order_by("id").all()
    )


async def ensure_customers(count: int, writer: BulkWriter, now: dt.datetime) -> list[tuple[int, str, str]]:
    """At least ``count`` bulk customers: ``(id, email, name)``, oldest first."""
    existing = (
        await Customer.filter(email__endswith=f"@{CUSTOMER_DOMAIN}").order_by("id").values_list("id", "email", "name")
    )
    have = [(int(i), str(e), str(n or "")) for i, e, n in existing]
    if len(have) < count:
        password_hash = await hash_password(CUSTOMER_PASSWORD)
        table = Table.of(Customer, ["id", "email", "name", "password_hash", "created_at"], now=now)
        start = await writer.next_id(Customer)
        taken = {email for _, email, _ in have}
        rows = []
        number = len(have) + 1
        for i in range(count - len(have)):
            while f"customer{number}@{CUSTOMER_DOMAIN}" in taken:
                number += 1
            email = f"customer{number}@{CUSTOMER_DOMAIN}"
            name = f"Customer {number}"
            rows.append((start + i, email, name, password_hash, now - dt.timedelta(days=730)))
            have.append((start + i, email, name))
            number += 1
        for chunk in range(0, len(rows), 10_000):
            await writer.write([(table, rows[chunk : chunk + 10_000])])
        await writer.finish([Customer])
    return have


def _tables(now: dt.datetime) -> dict[str, Table]:
    return {
        "order": Table.of(Order, list(History.ORDER_COLUMNS), now=now),
        "line": Table.of(OrderLine, list(History.LINE_COLUMNS), now=now),
        "event": Table.of(OrderEvent, list(History.EVENT_COLUMNS), now=now),
        "payment": Table.of(Payment, list(History.PAYMENT_COLUMNS), now=now),
        "refund": Table.of(Refund, list(History.REFUND_COLUMNS), now=now),
        "delivery": Table.of(Delivery, list(History.DELIVERY_COLUMNS), now=now),
        "fulfillment": Table.of(Fulfillment, [*History.FULFILLMENT_COLUMNS, *_tracking()], now=now),
        "fulfillment_line": Table.of(FulfillmentLine, list(History.FULFILLMENT_LINE_COLUMNS), now=now),
    }


def _tracking() -> list[str]:
    """``tracking_number`` when the core Fulfillment has it (tracking-number search)."""
    return ["tracking_number"] if "tracking_number" in Fulfillment._meta.fields_db_projection else []


def _shipment_table(now: dt.datetime) -> Table | None:
    """The physical plugin's parcels, when it is installed (tracking numbers to search)."""
    from tortoise import Tortoise

    model = next((m for m in Tortoise.apps.get_models_iterable() if m._meta.db_table == "physical_shipment"), None)
    if model is None:
        return None
    return Table.of(model, list(History.SHIPMENT_COLUMNS), now=now)


async def seed_orders(
    count: int,
    *,
    plugins: PluginHost,
    settings: Settings,
    seed: int = 1,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
    batch_orders: int = BATCH_ORDERS,
) -> BulkSeedResult:
    """Add ``count`` orders (see the module); returns what was written."""
    if count < 1:
        raise ValueError("the number of orders must be at least 1")
    started = time.monotonic()
    now = now or utcnow()
    writer = BulkWriter()
    variants = await ensure_catalog(plugins=plugins, settings=settings)
    if not variants:
        raise ValueError("no installed product type to seed orders of (install the built-in plugins)")
    customers = await ensure_customers(max(20, count // 8), writer, now)
    tables = _tables(now)
    shipment_table = _shipment_table(now)
    first_id = await writer.next_id(Order)
    history = History(
        rng=random.Random(f"{seed}:{first_id}"),
        now=now,
        currency=settings.currency,
        variants=[(v.id, v.sku, f"{v.product.name} {v.name}", v.product.product_type, v.price) for v in variants],
        customers=customers,
        ids={
            "order": first_id,
            "line": await writer.next_id(OrderLine),
            "event": await writer.next_id(OrderEvent),
            "payment": await writer.next_id(Payment),
            "refund": await writer.next_id(Refund),
            "delivery": await writer.next_id(Delivery),
            "fulfillment": await writer.next_id(Fulfillment),
            "fulfillment_line": await writer.next_id(FulfillmentLine),
            "shipment": await writer.next_id(shipment_table.model) if shipment_table else 1,
        },
        span=dt.timedelta(days=730),
        count=count,
        fulfillment_tracking=bool(_tracking()),
    )
    done = 0
    while done < count:
        size = min(batch_orders, count - done)
        rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in [*tables, "shipment"]}
        for i in range(done, done + size):
            plan: OrderPlan = plan_order(history, i, token=secrets.token_urlsafe(32))
            for name, produced in plan.rows.items():
                rows[name].extend(produced)
        batch = [(tables[name], rows[name]) for name in tables]
        if shipment_table is not None:
            batch.append((shipment_table, rows["shipment"]))
        await writer.write(batch)
        done += size
        if progress is not None:
            progress(done, count, time.monotonic() - started)
    await writer.finish(
        [Order, OrderLine, OrderEvent, Payment, Refund, Delivery, Fulfillment, FulfillmentLine]
        + ([shipment_table.model] if shipment_table else [])
    )
    return BulkSeedResult(
        orders=count,
        first_order_id=first_id,
        last_order_id=first_id + count - 1,
        customers=len(customers),
        rows=writer.rows_written,
        seconds=time.monotonic() - started,
    )
