"""Tortoise models made from the rows of a hand-run statement, as Tortoise's own select
executor makes them, with less work per row.

A page of 100 orders with their lines makes ~270 models. Tortoise's executor calls
``Model._init_from_db(**row)`` per row: the row expanded into keyword arguments, four
attributes set through the model's ``__setattr__`` override, and per column a call of the
field's ``to_python_value``, which for a datetime asks the environment whether time zones
are in use, and for an enum goes through ``EnumType.__call__``. That was ~23 µs an order
and ~10 µs a line. :func:`models_from_rows` reads the row's columns by position with a
plan made once per model class and column layout, asks about time zones once per call,
and looks enum members up in their value map; a value of an unexpected kind (a naive
datetime, a string where a datetime is due, a value the enum does not hold) goes to the
field's own ``to_python_value``, so the models, their attributes and the order in which
they were set are those of ``_init_from_db`` (tests/test_order_rows.py compares them).

A row whose columns are not exactly the model's (a partial ``.only()`` select, an
annotation), or that is not an asyncpg record, is made by ``_init_from_db`` itself.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Sequence
from typing import Any, TypeVar

import asyncpg
from tortoise import timezone
from tortoise.fields.data import CharEnumFieldInstance, DatetimeField
from tortoise.models import Model

M = TypeVar("M", bound=Model)

# A column's conversion, by kind: native (as read), default (the field's type), datetime,
# enum, complex (the field's to_python_value).
_NATIVE, _DEFAULT, _DATETIME, _ENUM, _COMPLEX = range(5)
_HEADER = ("_partial", "_saved_in_db", "_custom_generated_pk", "_await_when_save")


class _Plan:
    """How to make a model from a row of one column layout: ``take`` picks the attributes'
    values from the row's (converted) values in the order ``_init_from_db`` sets them;
    ``conversions`` are (position, kind, field) of the columns that are not native."""

    __slots__ = ("attributes", "take", "conversions")

    def __init__(self, attributes: tuple[str, ...], positions: list[int], conversions: list[tuple[int, int, Any]]):
        self.attributes = attributes
        self.take = operator.itemgetter(*positions)
        self.conversions = conversions


# (model class, the row's column names) -> its plan, or None when the columns are not
# exactly the model's or the class has a descriptor where an attribute goes.
_PLANS: dict[tuple[type[Model], tuple[str, ...]], _Plan | None] = {}


def _kind(field: Any) -> int:
    method = type(field).to_python_value
    if method is DatetimeField.to_python_value:
        return _DATETIME
    if method is CharEnumFieldInstance.to_python_value:
        return _ENUM
    return _COMPLEX


def _descriptor(model: type[Model], name: str) -> bool:
    """Whether setting ``name`` on an instance goes through a descriptor of the class (then
    writing the instance's ``__dict__`` would not be what ``object.__setattr__`` does)."""
    for klass in model.__mro__:
        if name in klass.__dict__:
            found = type(klass.__dict__[name])
            return hasattr(found, "__set__") or hasattr(found, "__delete__")
    return False


def _make_plan(model: type[Model], columns: tuple[str, ...]) -> _Plan | None:
    meta = model._meta
    position = {name: index for index, name in enumerate(columns)}
    if len(position) != len(columns):
        return None
    attributes: list[str] = []
    positions: list[int] = []
    conversions: list[tuple[int, int, Any]] = []
    kinds = (
        (meta.db_native_fields, lambda field: _NATIVE),
        (meta.db_default_fields, lambda field: _DEFAULT),
        (meta.db_complex_fields, _kind),
    )
    for fields, kind_of in kinds:
        for column, attribute, field in fields:
            if column not in position:
                return None
            attributes.append(attribute)
            positions.append(position[column])
            kind = kind_of(field)
            if kind != _NATIVE:
                conversions.append((position[column], kind, field))
    if len(attributes) != len(columns) or len(set(attributes)) != len(attributes) or len(attributes) < 2:
        return None
    if not model.__dictoffset__ or any(_descriptor(model, name) for name in (*_HEADER, *attributes)):
        return None
    return _Plan(tuple(attributes), positions, conversions)


def _plan(model: type[Model], columns: tuple[str, ...]) -> _Plan | None:
    key = (model, columns)
    try:
        return _PLANS[key]
    except KeyError:
        plan = _PLANS[key] = _make_plan(model, columns)
        return plan


def models_from_rows(model: type[M], rows: Sequence[Any]) -> list[M]:
    """``[model._init_from_db(**row) for row in rows]``, the same models made faster (see
    the module) when the rows are asyncpg's records; other rows go to ``_init_from_db``."""
    if not rows:
        return []
    plan = _plan(model, tuple(rows[0].keys())) if type(rows[0]) is asyncpg.Record else None
    if plan is None:
        return [model._init_from_db(**row) for row in rows]
    use_tz = timezone.get_use_tz()
    zone = timezone.get_default_timezone() if use_tz else None
    custom_pk = model._meta.db_pk_column not in model._meta.generated_db_fields
    attributes, take, conversions = plan.attributes, plan.take, plan.conversions
    new = model.__new__
    made: list[M] = []
    for row in rows:
        values = list(row)
        for index, kind, field in conversions:
            value = values[index]
            # _convert's commonest cases inlined (a call each saved: ~1,000 a page).
            if kind == _DATETIME and use_tz and type(value) is dt.datetime and value.utcoffset() is not None:
                values[index] = value.astimezone(zone)
            elif kind == _ENUM and type(value) is str and value in field.enum_type._value2member_map_:
                values[index] = field.enum_type._value2member_map_[value]
            elif value is not None or kind == _COMPLEX:
                values[index] = _convert(kind, field, value, use_tz, zone)
        instance = new(model)
        state = instance.__dict__
        # What _init_from_db sets, in its order: the four flags, then each field.
        state["_partial"] = False
        state["_saved_in_db"] = True
        state["_custom_generated_pk"] = custom_pk
        state["_await_when_save"] = {}
        state.update(zip(attributes, take(values), strict=True))
        made.append(instance)
    return made


def _convert(kind: int, field: Any, value: Any, use_tz: bool, zone: Any) -> Any:
    if kind == _DEFAULT:
        return field.field_type(value)
    if kind == _DATETIME:
        if use_tz and type(value) is dt.datetime and value.utcoffset() is not None:
            return value.astimezone(zone)
        return field.to_python_value(value)
    if kind == _ENUM:
        member = field.enum_type._value2member_map_.get(value) if isinstance(value, str) else None
        return member if member is not None else field.to_python_value(value)
    return field.to_python_value(value)
