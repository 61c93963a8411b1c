"""oms.testing's helpers for plugin authors: expiring an order, naming test databases."""

from __future__ import annotations

import pytest

from oms.inventory.models import Stock
from oms.orders.models import Order
from oms.testing import (
    create_postgres_database,
    drop_postgres_database,
    expire_order,
    make_product,
    place_paid_order,
)
from oms.testing import test_database_prefix as database_prefix  # aliased: not a test
from oms.testing import test_database_url as database_url
from tests.conftest import ADDRESS


async def test_expire_order_expires_an_unpaid_order_and_releases_its_stock(oms_app, oms_graphql):
    await make_product(oms_app, product_type="physical", sku="MUG", price="12.50",
                       attributes={"weight_grams": 350}, stock=5)
    placed = await place_paid_order(
        oms_app, oms_graphql, [("MUG", 2)], pay=False,
        shipping_address=ADDRESS, shipping_method="standard",
    )
    order = await Order.get(number=placed["order"]["number"])
    assert (await Stock.get()).reserved == 2

    assert await expire_order(oms_app, order.id) == 1

    await order.refresh_from_db()
    assert order.status.value == "EXPIRED"
    assert (await Stock.get()).reserved == 0


def test_a_bad_database_prefix_is_refused(monkeypatch):
    monkeypatch.setenv("OMS_TEST_DATABASE_PREFIX", "Bad-Name")
    with pytest.raises(ValueError, match="OMS_TEST_DATABASE_PREFIX"):
        database_prefix()


async def test_test_databases_take_the_chosen_prefix(monkeypatch):
    base = database_url()
    if base is None:
        pytest.skip("names PostgreSQL databases (OMS_TEST_DATABASE_URL)")
    monkeypatch.setenv("OMS_TEST_DATABASE_PREFIX", "tickets_ci")
    url = await create_postgres_database(base)
    try:
        assert url.rsplit("/", 1)[1].startswith("tickets_ci_")
    finally:
        await drop_postgres_database(base, url)
