"""A request's DataLoaders and the rows they loaded are freed by reference counting when the
request ends, not left in reference cycles for the collector (docs/performance.md, "cycles").

`oms serve` runs the collector seldom (oms.serving.tune_gc): what a request leaves in cycles
stays in memory until a full collection. Here one request runs with the collector off and
``gc.DEBUG_SAVEALL``: a collection afterwards keeps in ``gc.garbage`` every object it found
unreachable, i.e. everything reference counting could not free."""

from __future__ import annotations

from typing import Any

from strawberry.dataloader import DataLoader
from tortoise.models import Model

from bench.cycles import probe
from oms.catalog.models import Variant
from oms.graphql.loaders import Loaders
from oms.testing import place_paid_order

ORDERS_PAGE = """query { orders(first: 10) { edges { node {
  number email customer { email } lines { sku quantity unitPrice { amount } } events { type } } } } }"""
PRODUCT_PAGE = """query { product(slug: "mug") { name variants { sku quantityAvailable } } }"""


async def _left_in_cycles(request: Any) -> list[Any]:
    # The context (its viewer's Staff row among the models) is freed too: graphql-core's
    # execution context, which refers to it, no longer refers to itself once its answer is
    # built (oms.graphql.execution.OmsExecutionContext.build_response).
    garbage = await probe(request)
    return [obj for obj in garbage if isinstance(obj, (DataLoader, Model))]


async def test_no_loader_or_row_of_a_request_is_left_in_a_cycle(oms_app, oms_graphql, oms_accounts, catalog):
    for n in range(3):
        await place_paid_order(oms_app, oms_graphql, [("MUG", 1)], email=f"c{n}@example.com",
                               shipping_method="standard", pay=False)
    staff = oms_graphql.as_(oms_accounts.staff)
    mug = await Variant.get(sku="MUG").prefetch_related("product")
    product_page = PRODUCT_PAGE.replace('"mug"', f'"{mug.product.slug}"')

    async def orders_page() -> None:
        data = await staff.query(ORDERS_PAGE)
        assert len(data["orders"]["edges"]) == 3 and data["orders"]["edges"][0]["node"]["lines"]

    async def product() -> None:
        data = await oms_graphql.query(product_page)
        assert data["product"]["variants"][0]["quantityAvailable"] == 47

    for request in (orders_page, product):
        await request()  # warm: what the first request makes once is not the point
        left = await _left_in_cycles(request)
        assert [type(obj).__name__ for obj in left] == [], request.__name__


async def test_released_loaders_start_empty():
    loaders = Loaders()
    first = loaders.customer
    assert loaders.customer is first
    batched = loaders.batched(_answer)
    assert loaders.batched(_answer) is batched
    loaders.release()
    assert loaders.customer is not first and loaders.batched(_answer) is not batched


async def _answer(keys: list[int]) -> list[int]:
    return keys
