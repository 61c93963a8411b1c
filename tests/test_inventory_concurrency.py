"""Stock adjustments racing placements: on hand never drops below reserved.

On PostgreSQL (OMS_TEST_DATABASE_URL) the requests run at once on separate pooled
connections; on SQLite they are serialized, and the results must be just as exact.
"""

from __future__ import annotations

import asyncio
import uuid

from oms.inventory.models import Stock, StockAdjustment
from oms.testing import make_product
from tests.conftest import ADDRESS

STOCK = 20
PLACEMENTS = 20
REMOVALS = 20

PLACE = """
mutation Place($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { number } userErrors { field code message } }
}
"""
ADJUST = """
mutation Adjust($input: AdjustStockInput!) {
  adjustStock(input: $input) { variant { sku } userErrors { field code message } }
}
"""


async def test_concurrent_removals_and_placements_never_take_on_hand_below_reserved(
    oms_app, oms_graphql, oms_accounts
):
    await make_product(oms_app, product_type="physical", sku="MUG", attributes={"weight_grams": 300}, stock=STOCK)
    staff = oms_graphql.as_(oms_accounts.staff)
    samples: list[tuple[int, int]] = []
    done = asyncio.Event()

    async def watch() -> None:
        while not done.is_set():
            stock = await Stock.get(variant__sku="MUG")
            samples.append((stock.quantity, stock.reserved))
            await asyncio.sleep(0.005)

    async def place() -> dict:
        return await oms_graphql.execute(PLACE, {"input": {
            "lines": [{"sku": "MUG", "quantity": 1}], "email": "buyer@example.com",
            "shippingAddress": ADDRESS, "shippingMethod": "standard", "idempotencyKey": uuid.uuid4().hex,
        }})

    async def remove() -> dict:
        return await staff.execute(ADJUST, {"input": {"sku": "MUG", "delta": -1, "reason": "shrinkage"}})

    watcher = asyncio.create_task(watch())
    calls = [place() for _ in range(PLACEMENTS)] + [remove() for _ in range(REMOVALS)]
    # Interleaved, so placements and removals start side by side.
    calls[::2], calls[1::2] = calls[:PLACEMENTS], calls[PLACEMENTS:]
    results = await asyncio.gather(*calls)
    done.set()
    await watcher

    assert [r.get("errors") for r in results] == [None] * len(results)
    placed = [r["data"]["placeOrder"] for r in results if "placeOrder" in r["data"]]
    removed = [r["data"]["adjustStock"] for r in results if "adjustStock" in r["data"]]
    placed_ok = sum(1 for p in placed if not p["userErrors"])
    removed_ok = sum(1 for a in removed if not a["userErrors"])
    # Every refusal is the typed one, and only once no unit was left to take.
    assert {e["code"] for p in placed for e in p["userErrors"]} <= {"OUT_OF_STOCK"}
    assert {(e["code"], tuple(e["field"])) for a in removed for e in a["userErrors"]} <= {("INVALID", ("delta",))}
    assert placed_ok + removed_ok == STOCK
    stock = await Stock.get(variant__sku="MUG")
    assert (stock.quantity, stock.reserved) == (STOCK - removed_ok, placed_ok)
    assert await StockAdjustment.filter(reason="shrinkage").count() == removed_ok
    trail = await StockAdjustment.filter(reason="shrinkage").order_by("id").values_list("quantity_after", flat=True)
    assert sorted(trail, reverse=True) == list(range(STOCK - 1, STOCK - 1 - removed_ok, -1))
    assert samples and all(quantity >= reserved for quantity, reserved in samples)
