"""Per-request DataLoaders: relations load in one query per kind, never one per row."""

from __future__ import annotations

import asyncio
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


# The batch functions of the core loaders: made once, not per request (a request's loaders
# then hold no closures of their own).
_customers = one_each(lambda ids: Customer.filter(id__in=ids))
_products = one_each(lambda ids: Product.filter(id__in=ids))
_variants_by_product = many_each(lambda ids: Variant.filter(product_id__in=ids).order_by("id"), "product_id")
_lines_by_order = many_each(lines_of_orders, "order_id")
_events_by_order = many_each(lambda ids: OrderEvent.filter(order_id__in=ids).order_by("id"), "order_id")
_payments_by_order = many_each(lambda ids: Payment.filter(order_id__in=ids).order_by("id"), "order_id")
_fulfillments_by_order = many_each(lambda ids: Fulfillment.filter(order_id__in=ids).order_by("id"), "order_id")
_lines_by_fulfillment = many_each(
    lambda ids: FulfillmentLine.filter(fulfillment_id__in=ids).order_by("id"), "fulfillment_id"
)
_order_lines = one_each(lambda ids: OrderLine.filter(id__in=ids))


class Loaders:
    """One request's (one operation's) DataLoaders, each made on first use.

    :meth:`release` drops them all with what they cached: FreshLoaders calls it when the
    operation ends, so a request's rows, futures and loaders are freed by reference counting
    then, even if something else of the request (graphql-core's execution context, which
    refers to itself) waits for the collector with the context that holds these."""

    __slots__ = ("_made", "_batched")

    def __init__(self) -> None:
        # Name -> the DataLoader made for it this operation.
        self._made: dict[str, DataLoader[Any, Any]] = {}
        # Loaders made by batched(), one per load function per operation.
        self._batched: dict[Callable[..., Any], DataLoader[Any, Any]] = {}

    @classmethod
    def create(cls) -> Loaders:
        return cls()

    def _loader(self, name: str, load: Callable[[list[Any]], Awaitable[list[Any]]]) -> DataLoader[Any, Any]:
        loader = self._made.get(name)
        if loader is None:
            loader = self._made[name] = DataLoader(load)
        return loader

    @property
    def customer(self) -> DataLoader[int, Customer | None]:
        return self._loader("customer", _customers)

    @property
    def product(self) -> DataLoader[int, Product | None]:
        return self._loader("product", _products)

    @property
    def variants_by_product(self) -> DataLoader[int, list[Variant]]:
        return self._loader("variants_by_product", _variants_by_product)

    @property
    def lines_by_order(self) -> DataLoader[int, list[OrderLine]]:
        return self._loader("lines_by_order", _lines_by_order)

    @property
    def events_by_order(self) -> DataLoader[int, list[OrderEvent]]:
        return self._loader("events_by_order", _events_by_order)

    @property
    def available_by_variant(self) -> DataLoader[int, int]:
        return self._loader("available_by_variant", _available)

    @property
    def payments_by_order(self) -> DataLoader[int, list[Payment]]:
        return self._loader("payments_by_order", _payments_by_order)

    @property
    def fulfillments_by_order(self) -> DataLoader[int, list[Fulfillment]]:
        return self._loader("fulfillments_by_order", _fulfillments_by_order)

    @property
    def lines_by_fulfillment(self) -> DataLoader[int, list[FulfillmentLine]]:
        return self._loader("lines_by_fulfillment", _lines_by_fulfillment)

    @property
    def order_line(self) -> DataLoader[int, OrderLine | None]:
        return self._loader("order_line", _order_lines)

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

    def release(self) -> None:
        """Forget every loader made so far and what it cached; the next use makes new ones."""
        self._made = {}
        self._batched = {}
