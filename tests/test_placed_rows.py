"""Placement on PostgreSQL makes the order's model and the INSERT's rows without
``Model.__init__`` (oms.orders.placed._new): they must be what ``Order(...)`` /
``OrderLine(...)`` and each field's ``to_db_value`` make."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from tortoise import fields
from tortoise.models import Model

from oms.catalog.models import Variant
from oms.orders import placed
from oms.orders.models import Order, OrderLine
from oms.orders.status import LineStatus, OrderStatus
from oms.testing import make_product

TIMES = {"created_at", "updated_at"}


def model_row(instance: Model, skip: str | None = None) -> dict[str, Any]:
    """The row as placement wrote it from a model before (each field's to_db_value)."""
    row = {}
    for name, column in instance._meta.fields_db_projection.items():
        if name == skip:
            continue
        field = instance._meta.fields_map[name]
        value = getattr(instance, name)
        row[column] = value if isinstance(field, fields.JSONField) else field.to_db_value(value, instance)
    return row


def state(instance: Model) -> dict[str, Any]:
    return {k: v for k, v in vars(instance).items() if k not in TIMES}


def order_values() -> dict[str, Any]:
    return dict(
        token="t" * 43,
        email="ada@example.com",
        customer=None,
        currency="EUR",
        subtotal=Decimal("12.5"),
        shipping_total=Decimal("4.90"),
        total=Decimal("17.4"),
        tax_total=Decimal("2.78"),
        shipping_tax=Decimal("0.78"),
        prices_include_tax=True,
        tax_lines=[{"name": "VAT", "rate": "19", "tax": "2.78"}],
        shipping_address={"name": "Ada", "country": "DE"},
        billing_address=None,
        shipping_method={"code": "standard", "name": "Standard", "price": "4.90"},
        note="ring twice",
        idempotency_key="k" * 64,
        cart_fingerprint="f" * 64,
        payment_due_at=dt.datetime(2026, 12, 7, 18, 0, tzinfo=dt.UTC),
        discount_total=Decimal("0"),
        shipping_discount=Decimal("0.00"),
        customer_name="Ada",
        customer_name_key="ada",
        id=7,
        number="1007",
    )


async def test_the_order_and_its_row_are_the_models(oms_app):
    values = order_values()
    model = Order(**values)
    expected = model_row(model)
    made, row = placed._new(Order, values)
    assert type(made) is Order and not made._saved_in_db
    assert state(made) == state(model)
    assert {k: v for k, v in row.items() if k not in TIMES} == {k: v for k, v in expected.items() if k not in TIMES}
    for column in TIMES:  # to_db_value fills them on the instance, as a save does
        assert isinstance(row[column], dt.datetime) and getattr(made, column) is not None
    assert row["status"] == OrderStatus.PENDING_PAYMENT.value and row["refunded_total"] == 0 and row["needs_review"] is False
    text = placed._json(row)
    assert json.loads(text) == json.loads(json.dumps(row, default=placed._json_default))


async def test_a_line_and_its_row_are_the_models(oms_app):
    await make_product(
        oms_app, product_type="physical", sku="MUG", price="12.50", attributes={"weight_grams": 350}, stock=5
    )
    variant = await Variant.get(sku="MUG")
    values = dict(
        position=0,
        variant=variant,
        sku="MUG",
        name="Mug",
        product_type="physical",
        options={"colour": "blue"},
        quantity=2,
        unit_price=Decimal("12.5"),
        currency="EUR",
        warehouse_id=None,
        discount=Decimal("0"),
        tax=Decimal("3.99"),
        tax_rate=Decimal("19"),
        tax_included=True,
        order_id=7,
    )
    model = OrderLine(**values)
    made, row = placed._new(OrderLine, values, skip="id")
    assert state(made) == state(model)
    assert made.variant_id == variant.id and made._variant is variant  # type: ignore[attr-defined]
    assert made.status == LineStatus.PENDING and made.quantity_allocated == 0
    assert row == model_row(model, skip="id")
    assert "id" not in row and row["variant_id"] == variant.id and row["status"] == LineStatus.PENDING.value


async def test_null_in_a_non_nullable_field_is_refused_as_by_the_model(oms_app):
    values = {**order_values(), "email": None}
    with pytest.raises(ValueError, match="email is non nullable"):
        Order(**values)
    with pytest.raises(ValueError, match="email is non nullable"):
        placed._new(Order, values)


async def test_values_of_another_type_are_converted_as_by_the_model(oms_app):
    values = {**order_values(), "id": "7", "note": 42, "needs_review": 1, "number": 1007}
    model = Order(**values)
    made, row = placed._new(Order, values)
    assert state(made) == state(model)
    assert made.id == 7 and made.note == "42" and made.needs_review is True and made.number == "1007"
    assert {k: v for k, v in row.items() if k not in TIMES} == {
        k: v for k, v in model_row(model).items() if k not in TIMES
    }


async def test_a_plain_value_skips_the_fields_conversions_but_not_a_validator(oms_app, monkeypatch):
    """Field's own to_python_value / to_db_value give back a str for a TextField
    unchanged, so _new does not call them (issue 15); a validator still runs."""
    values = {**order_values(), "note": "x"}
    field = Order._meta.fields_map["note"]
    calls: list[str] = []
    monkeypatch.setattr(field, "to_python_value", lambda value: calls.append("python") or value, raising=False)
    monkeypatch.setattr(field, "to_db_value", lambda value, instance: calls.append("db") or value, raising=False)
    made, row = placed._new(Order, values)
    assert calls == [] and made.note == "x" and row["note"] == "x"

    monkeypatch.undo()
    from tortoise.exceptions import ValidationError
    from tortoise.validators import MaxLengthValidator

    monkeypatch.setattr(field, "validators", [MaxLengthValidator(3)])
    with pytest.raises(ValidationError, match="note"):
        field.to_db_value("longer", Order)
    with pytest.raises(ValidationError, match="note"):
        placed._new(Order, {**values, "note": "longer"})
    assert placed._new(Order, {**values, "note": "ok"})[1]["note"] == "ok"
