"""oms.orders.rows: models made from a statement's rows are the models Tortoise makes."""

from __future__ import annotations

import datetime as dt

import pytest
from tortoise.connection import get_connection
from tortoise.exceptions import FieldError

from oms.orders import rows as rows_module
from oms.orders import search
from oms.orders.models import Order, OrderLine
from oms.orders.rows import models_from_rows
from tests.test_order_search import orders  # noqa: F401  (the fixture: five placed orders)


def _state(models: list) -> list[list[tuple[str, object]]]:
    """Each model's attributes, in the order they were set (types and time zones too)."""
    return [
        [(key, type(value), value, getattr(value, "tzinfo", None)) for key, value in vars(model).items()]
        for model in models
    ]


async def _rows(sql: str, values: list | None = None) -> list:
    _, rows = await get_connection("default").execute_query(sql, values)
    return rows


def _postgres() -> bool:
    return get_connection("default").capabilities.dialect == "postgres"


@pytest.mark.usefixtures("orders")
async def test_orders_and_lines_are_those_of_init_from_db():
    # Nulls (no billing address, not paid, no note), JSON, decimals, enums, datetimes.
    await Order.filter(id=(await Order.all().first()).id).update(paid_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    for model in (Order, OrderLine):
        rows = await _rows(f'SELECT * FROM "{model._meta.db_table}" ORDER BY "id"')
        assert len(rows) >= 5
        made = models_from_rows(model, rows)
        expected = [model._init_from_db(**row) for row in rows]
        assert _state(made) == _state(expected)
        assert [type(m) for m in made] == [model] * len(rows)
        assert all(m._saved_in_db and not m._partial for m in made)
        # On PostgreSQL (asyncpg's records) the short way is taken, not _init_from_db.
        if _postgres():
            assert rows_module._plan(model, tuple(rows[0].keys())) is not None
    assert models_from_rows(Order, []) == []


@pytest.mark.usefixtures("orders")
async def test_the_page_and_its_lines_are_the_orms():
    page = await search.find_orders(None, first=3)
    expected = await Order.all().order_by("-id").limit(3)
    assert _state(page.items) == _state(expected)
    later = await search.find_orders(None, first=10, after=page.cursors[-1])
    assert _state(later.items) == _state(await Order.filter(id__lt=page.items[-1].id).order_by("-id"))
    ids = [order.id for order in expected]
    lines = await search.lines_of_orders(ids)
    assert _state(lines) == _state(await OrderLine.filter(order_id__in=ids).order_by("order_id", "position"))
    # The models work as models: saved, reloaded, equal.
    order = page.items[0]
    order.note = "checked"
    await order.save(update_fields=["note"])
    assert (await Order.get(id=order.id)).note == "checked"


@pytest.mark.usefixtures("orders")
async def test_other_layouts_and_odd_values_go_to_init_from_db():
    partial = await _rows('SELECT "id", "number", "status" FROM "order" ORDER BY "id"')
    assert _state(models_from_rows(Order, partial)) == _state([Order._init_from_db(**row) for row in partial])
    assert all(m._partial for m in models_from_rows(Order, partial))
    extra = await _rows('SELECT *, 1 AS "one" FROM "order_line" ORDER BY "id"')
    assert _state(models_from_rows(OrderLine, extra)) == _state([OrderLine._init_from_db(**row) for row in extra])
    if not _postgres():
        return
    # A status the enum does not hold, a naive datetime: the fields' own conversions.
    unknown = await _rows('SELECT * FROM "order" ORDER BY "id"')
    columns = list(unknown[0].keys())
    odd = await _rows(
        "SELECT " + ", ".join(
            "'NOPE' AS \"status\"" if c == "status" else f'"{c}"' for c in columns
        ) + ' FROM "order" ORDER BY "id" LIMIT 1'
    )
    with pytest.raises(ValueError):
        Order._init_from_db(**odd[0])
    with pytest.raises(ValueError):
        models_from_rows(Order, odd)
    naive = await _rows(
        "SELECT " + ", ".join(
            'CAST("created_at" AS timestamp) AS "created_at"' if c == "created_at" else f'"{c}"' for c in columns
        ) + ' FROM "order" ORDER BY "id"'
    )
    assert naive[0]["created_at"].tzinfo is None
    assert _state(models_from_rows(Order, naive)) == _state([Order._init_from_db(**row) for row in naive])
    bad_json = await _rows(
        "SELECT " + ", ".join(
            "'{' AS \"tax_lines\"" if c == "tax_lines" else f'"{c}"' for c in columns
        ) + ' FROM "order" ORDER BY "id" LIMIT 1'
    )
    with pytest.raises(FieldError):
        models_from_rows(Order, bad_json)


ADDRESS_FIELDS = "name line1 line2 city postalCode region country phone"
EVERY_FIELD = f"""
  id number status paymentStatus email currency note createdAt updatedAt paidAt completedAt
  canceledAt needsReview pricesIncludeTax
  subtotal {{ amount currency }} shippingTotal {{ amount }} total {{ amount currency }}
  discountTotal {{ amount }} shippingDiscount {{ amount }} refundedTotal {{ amount }}
  taxTotal {{ amount }} shippingTax {{ amount }}
  taxLines {{ name rate taxClass taxable {{ amount }} tax {{ amount }} }}
  shippingAddress {{ {ADDRESS_FIELDS} }} billingAddress {{ {ADDRESS_FIELDS} }}
  shippingMethod {{ code name price {{ amount }} }}
  lines {{ id sku name productType options quantity quantityFulfilled quantityCanceled
    quantityReturned quantityToFulfill status unitPrice {{ amount currency }} total {{ amount }}
    discount {{ amount }} tax {{ amount }} taxRate gross {{ amount }} net {{ amount }} }}
"""


async def test_the_page_answers_every_field_as_the_orm_s_order_does(orders, oms_graphql):  # noqa: F811
    """The page's orders (models from records on PostgreSQL) answer every field of Order,
    lines included, as ``order(id:)`` does with the ORM's own model of the order (its lines
    come through the same loader in both: they are compared with the ORM's above)."""
    staff = oms_graphql.as_(orders["staff"])
    page = await staff.query(f"{{ orders(first: 10) {{ edges {{ node {{ {EVERY_FIELD} }} }} }} }}")
    nodes = [edge["node"] for edge in page["orders"]["edges"]]
    assert len(nodes) == 5
    for node in nodes:
        one = await staff.query(f'{{ order(id: "{node["id"]}") {{ {EVERY_FIELD} }} }}')
        assert one["order"] == node
    # The comparison is about something: addresses, a shipping method, lines, amounts.
    assert any(node["shippingAddress"] and node["shippingMethod"] for node in nodes)
    assert any(node["billingAddress"] for node in nodes) and any(not node["billingAddress"] for node in nodes)
    assert sum(len(node["lines"]) for node in nodes) == 6
