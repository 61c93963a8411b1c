"""Per-request DataLoaders: relations load in one query per kind, never one per row."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Generic, TypeVar, overload

from strawberry.dataloader import DataLoader

from oms.accounts.models import Customer
from oms.catalog.models import Product, Variant
from oms.fulfillment.models import Fulfillment, FulfillmentLine
from oms.inventory.services import available_quantities
from oms.orders.models import OrderEvent, OrderLine
from oms.orders.search import lines_of_orders
from oms.payments.models import Payment

K = TypeVar("K")
V = TypeVar("V")


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


class _Made(Generic[K, V]):
    """A :class:`Loaders` attribute: that operation's DataLoader for ``load``, made on first
    use and then kept in the instance's ``__dict__`` (where later lookups find it first)."""

    def __init__(self, load: Callable[[list[K]], Awaitable[list[V]]]):
        self.load = load

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, loaders: None, owner: type) -> _Made[K, V]: ...
    @overload
    def __get__(self, loaders: Loaders, owner: type) -> DataLoader[K, V]: ...
    def __get__(self, loaders: Loaders | None, owner: type) -> _Made[K, V] | DataLoader[K, V]:
        if loaders is None:
            return self
        loader = loaders.__dict__[self.name] = DataLoader(self.load)
        return loader


class Loaders:
    """One request's (one operation's) DataLoaders, each made on first use.

    :meth:`release` drops them all with what they cached: FreshLoaders calls it when the
    operation ends, so a request's rows, futures and loaders are freed by reference counting
    then, even while the context that holds these lives on (a websocket's)."""

    customer = _Made[int, Customer | None](_customers)
    product = _Made[int, Product | None](_products)
    variants_by_product = _Made[int, list[Variant]](_variants_by_product)
    lines_by_order = _Made[int, list[OrderLine]](_lines_by_order)
    events_by_order = _Made[int, list[OrderEvent]](_events_by_order)
    available_by_variant = _Made[int, int](_available)
    payments_by_order = _Made[int, list[Payment]](_payments_by_order)
    fulfillments_by_order = _Made[int, list[Fulfillment]](_fulfillments_by_order)
    lines_by_fulfillment = _Made[int, list[FulfillmentLine]](_lines_by_fulfillment)
    order_line = _Made[int, OrderLine | None](_order_lines)

    def __init__(self) -> None:
        # Loaders made by batched(), one per load function per operation.
        self._batched: dict[Callable[..., Any], DataLoader[Any, Any]] = {}

    @classmethod
    def create(cls) -> Loaders:
        return cls()

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
        self.__dict__.clear()
        self._batched = {}
