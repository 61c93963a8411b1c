"""Per-request DataLoaders: relations load in one query per kind, never one per row."""

from __future__ import annotations

import asyncio
import dataclasses
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from oms.accounts.models import Customer
from oms.catalog.models import Product, Variant
from oms.fulfillment.models import Fulfillment, FulfillmentLine
from oms.inventory.services import available_quantities
from oms.orders.models import OrderEvent, OrderLine
from oms.orders.search import lines_of_orders
from oms.payments.models import Payment

K = TypeVar("K")


def _by_key(rows: Iterable[Any], attr: str) -> dict[Any, Any]:
    return {getattr(row, attr): row for row in rows}


def _grouped(rows: Iterable[Any], attr: str) -> dict[Any, list[Any]]:
    groups: dict[Any, list[Any]] = defaultdict(list)
    for row in rows:
        groups[getattr(row, attr)].append(row)
    return groups


async def load_each(loader: DataLoader[Any, Any], keys: Iterable[Any]) -> list[Any]:
    """``loader.load_many(keys)`` without ``asyncio.gather``: the same loads (the same batch
    and cache), then each awaited in turn. The batch answers them all at once, so only the
    first await waits; gather would add a callback and an event loop turn per key (~100
    for a page of orders). The first failure is raised, the others marked retrieved."""
    futures = [loader.load(key) for key in keys]
    try:
        return [await future for future in futures]
    except BaseException:
        for future in futures:
            if isinstance(future, asyncio.Future) and future.done() and not future.cancelled():
                future.exception()
        raise


def one_each(fetch: Callable[[list[Any]], Awaitable[Iterable[Any]]], attr: str = "id"):
    async def load(keys: list[Any]) -> list[Any]:
        found = _by_key(await fetch(keys), attr)
        return [found.get(key) for key in keys]

    return load


def many_each(fetch: Callable[[list[Any]], Awaitable[Iterable[Any]]], attr: str):
    async def load(keys: list[Any]) -> list[list[Any]]:
        groups = _grouped(await fetch(keys), attr)
        return [groups.get(key, []) for key in keys]

    return load


async def _available(keys: list[int]) -> list[int]:
    found = await available_quantities(keys)
    return [found.get(key, 0) for key in keys]


@dataclasses.dataclass
class Loaders:
    customer: DataLoader[int, Customer | None]
    product: DataLoader[int, Product | None]
    variants_by_product: DataLoader[int, list[Variant]]
    lines_by_order: DataLoader[int, list[OrderLine]]
    events_by_order: DataLoader[int, list[OrderEvent]]
    available_by_variant: DataLoader[int, int]
    payments_by_order: DataLoader[int, list[Payment]]
    fulfillments_by_order: DataLoader[int, list[Fulfillment]]
    lines_by_fulfillment: DataLoader[int, list[FulfillmentLine]]
    order_line: DataLoader[int, OrderLine | None]
    # Loaders made on demand by batched(), one per load function per request.
    _batched: dict[Callable[..., Any], DataLoader[Any, Any]] = dataclasses.field(default_factory=dict)

    def batched(
        self, load: Callable[[list[Any]], Awaitable[list[Any]]], *, cache_key_fn: Callable[[Any], Any] | None = None
    ) -> DataLoader[Any, Any]:
        """This request's DataLoader for ``load`` (a batch function: keys in, one answer per
        key out, in order), made on first use. Plugins batch their fields with it::

            rows = await info.context.loaders.batched(seats_left).load(variant_id)

        ``load`` must be one long-lived function (a module-level one): each distinct
        function gets its own loader. A new request (or operation) starts empty."""
        loader = self._batched.get(load)
        if loader is None:
            loader = self._batched[load] = DataLoader(load, cache_key_fn=cache_key_fn)
        return loader

    @classmethod
    def create(cls) -> Loaders:
        return cls(
            customer=DataLoader(one_each(lambda ids: Customer.filter(id__in=ids))),
            product=DataLoader(one_each(lambda ids: Product.filter(id__in=ids))),
            variants_by_product=DataLoader(
                many_each(lambda ids: Variant.filter(product_id__in=ids).order_by("id"), "product_id")
            ),
            lines_by_order=DataLoader(many_each(lines_of_orders, "order_id")),
            events_by_order=DataLoader(
                many_each(lambda ids: OrderEvent.filter(order_id__in=ids).order_by("id"), "order_id")
            ),
            available_by_variant=DataLoader(_available),
            payments_by_order=DataLoader(
                many_each(lambda ids: Payment.filter(order_id__in=ids).order_by("id"), "order_id")
            ),
            fulfillments_by_order=DataLoader(
                many_each(lambda ids: Fulfillment.filter(order_id__in=ids).order_by("id"), "order_id")
            ),
            lines_by_fulfillment=DataLoader(
                many_each(lambda ids: FulfillmentLine.filter(fulfillment_id__in=ids).order_by("id"), "fulfillment_id")
            ),
            order_line=DataLoader(one_each(lambda ids: OrderLine.filter(id__in=ids))),
        )
