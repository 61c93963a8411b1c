"""Writing a placed order: its row, its lines and its ``order.placed`` event.

On PostgreSQL that is one statement (issue 15): the order and its lines are handed over as
JSON and expanded by ``jsonb_populate_record(set)`` into rows of their own tables, and the
event, its ``order.event`` job and the live notification come from
:data:`oms.orders.events.EVENT_CTES`, all in one ``WITH`` (the lines' and the event's
foreign keys are checked at the end of the statement, when the order's row is there).
The values are the models' own (each field's ``to_python_value`` then ``to_db_value``,
as ``Model(...)`` and Tortoise's INSERT make them), so the two paths store the same thing;
the rows are made without ``Model.__init__`` and without line models (issue 15: they were
~1,000 of placement's ~9,000 Python calls). SQLite keeps the ORM's statements.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import inspect
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

import orjson
from tortoise import fields
from tortoise.models import Model

from oms import sql
from oms.live import publish as live
from oms.live.brokers import CHANNEL
from oms.orders import numbers
from oms.orders.events import EVENT_CTES, NOTIFY_ORDER, event_params, notifies_in_sql, record_event
from oms.orders.models import Order, OrderLine

ModelT = TypeVar("ModelT", bound=Model)


@functools.cache
def _statement(notify: bool) -> str:
    """The statement, made once Tortoise knows the models' columns (foreign keys' included)."""
    order_columns = ", ".join(f'"{c}"' for c in Order._meta.fields_db_projection.values())
    line_columns = ", ".join(f'"{c}"' for name, c in OrderLine._meta.fields_db_projection.items() if name != "id")
    notification = f", {NOTIFY_ORDER}" if notify else ""
    return f"""
WITH new_order AS (
    INSERT INTO "order" ({order_columns})
    SELECT {order_columns} FROM jsonb_populate_record(CAST(NULL AS "order"), CAST(:order AS jsonb))
),
new_lines AS (
    INSERT INTO order_line ({line_columns})
    SELECT {line_columns} FROM jsonb_populate_recordset(CAST(NULL AS order_line), CAST(:lines AS jsonb))
    ORDER BY position
),
{EVENT_CTES.strip()}
SELECT new_event.id{notification} FROM new_event
"""


# The order's state fields: never among placement's values (see insert_placed_order).
STATE_FIELDS = frozenset({"status", "payment_status"})


async def insert_placed_order(
    order_values: dict[str, Any],
    order_id: int | None,
    line_values: list[dict[str, Any]],
    *,
    message: str,
    actor: str | None,
    data: dict[str, Any],
) -> Order:
    """Insert the new order (``order_values``: its fields, as ``Order(...)`` takes them),
    numbered with ``order_id`` (None on SQLite), its lines (``line_values``: each line's
    fields but its order) and its ``order.placed`` event (``message`` may name the order's
    number as ``{number}``), in the caller's transaction. Returns the order's model, saved."""
    if order_values.keys() & STATE_FIELDS:
        # A placed order starts in the states the model gives it; oms.orders.lifecycle owns
        # every change of them (tests/test_state_owner.py), so placement takes none.
        raise ValueError(f"placement sets no order state ({sorted(order_values.keys() & STATE_FIELDS)})")
    if order_id is None:  # SQLite: the ORM, statement by statement
        order, _ = _new(Order, order_values)
        await numbers.insert_numbered(order)
        await record_event(order, "order.placed", message.format(number=order.number), actor=actor, data=data)
        await OrderLine.bulk_create([OrderLine(order_id=order.id, **values) for values in line_values])
        return order
    # No OrderLine models (nothing after the INSERT needs them) and no Model.__init__ for
    # the order: the rows are made from the fields' own conversions (see _new).
    number = numbers.order_number(order_id)
    order, order_row = _new(Order, {**order_values, "id": order_id, "number": number})
    line_rows = [_new(OrderLine, {**values, "order_id": order_id}, skip="id")[1] for values in line_values]
    params = event_params(order_id, "order.placed", message.format(number=number), actor, data)
    params["order"] = _json(order_row)
    params["lines"] = _json(line_rows)
    in_sql = notifies_in_sql()
    if in_sql:
        params["channel"] = CHANNEL
    await sql.fetch(_statement(in_sql), **params)
    if not in_sql:
        await live.order_changed(order_id)
    object.__setattr__(order, "_saved_in_db", True)
    return order


def _new(model: type[ModelT], values: dict[str, Any], *, skip: str | None = None) -> tuple[ModelT, dict[str, Any]]:
    """An unsaved ``model`` with ``values``, as ``model(**values)`` makes it (each value
    through its field's ``to_python_value``, the others their defaults, a relation by its
    setter: its id and its cache), without ``Model.__init__``'s per-attribute
    ``__setattr__``; and its row as its INSERT writes it: each field's ``to_db_value``
    (which fills ``auto_now(_add)`` times on the instance, as a save does), JSON fields as
    JSON values."""
    instance = model.__new__(model)
    set_attribute = object.__setattr__
    set_attribute(instance, "_partial", False)
    set_attribute(instance, "_saved_in_db", False)
    set_attribute(instance, "_custom_generated_pk", _pk_is_generated(model) and model._meta.pk_attr in values)
    set_attribute(instance, "_await_when_save", {})
    columns, relations = _columns(model)
    by_relation = set()
    for name, source in relations:
        if name in values:
            setattr(instance, name, values[name])  # the relation's property: its id and its cache
            by_relation.add(source)
    row: dict[str, Any] = {}
    for name, column, field, is_json, default, plain_python, plain_db in columns:
        if name in values:
            value = values[name]
            if value is None and not field.null:
                raise ValueError(f"{name} is non nullable field, but null was passed")
            # Field.to_python_value returns None or a value of the field's type unchanged.
            if not (plain_python and (value is None or isinstance(value, field.field_type))):
                value = field.to_python_value(value)
        elif name in by_relation:
            value = getattr(instance, name)
        else:
            value = default()
        set_attribute(instance, name, value)
        if name != skip:
            if is_json or (
                plain_db and not field.validators and (value is None or isinstance(value, field.field_type))
            ):
                row[column] = value  # Field.to_db_value without validators: the value itself
            else:
                row[column] = field.to_db_value(value, instance)
    return instance, row


_Column = tuple[str, str, fields.Field, bool, Callable[[], Any], bool, bool]
_Columns = tuple[tuple[_Column, ...], tuple[tuple[str, str], ...]]
_COLUMNS: dict[type[Model], tuple[object, _Columns]] = {}


def _pk_is_generated(model: type[Model]) -> bool:
    return bool(model._meta.fields_map[model._meta.pk_attr].generated)


def _columns(model: type[Model]) -> _Columns:
    """(field name, column, field, is a JSON field, its default as ``Model.__init__`` gives
    it, its ``to_python_value`` is ``Field``'s, its ``to_db_value`` is ``Field``'s and it has
    no validators) of the model's columns, and (relation, its id's field) of its foreign
    keys; made again only when Tortoise's initialisation gave the model new metadata."""
    meta = model._meta
    cached = _COLUMNS.get(model)
    if cached is not None and cached[0] is meta.fields_map:
        return cached[1]
    columns = tuple(
        (
            name,
            column,
            meta.fields_map[name],
            isinstance(meta.fields_map[name], fields.JSONField),
            _default(meta.fields_map[name]),
            *_plain(meta.fields_map[name]),
        )
        for name, column in meta.fields_db_projection.items()
    )
    relations = tuple((name, str(meta.fields_map[name].source_field)) for name in sorted(meta.fk_fields))
    result = (columns, relations)
    _COLUMNS[model] = (meta.fields_map, result)
    return result


def _plain(field: fields.Field) -> tuple[bool, bool]:
    """Whether the field converts with ``Field``'s own ``to_python_value`` (a value of its
    type, or None, comes back unchanged) and ``to_db_value`` (the same when the field has
    no validator to run): _new skips those calls for such values (issue 15: ~80 calls per
    placement). Validators are looked at on each call, not here."""
    kind = type(field)
    return (
        kind.to_python_value is fields.Field.to_python_value,
        kind.to_db_value is fields.Field.to_db_value,
    )


def _default(field: fields.Field) -> Callable[[], Any]:
    """The value ``Model.__init__`` gives a field it was not passed."""
    default = field.default
    if inspect.iscoroutinefunction(default):
        raise TypeError(f"{field.model_field_name}: an async default is not supported here")
    if callable(default):
        return default
    if default is not None:
        if isinstance(default, (int, float, str, bool, bytes)):
            return lambda: default
        return lambda: copy.deepcopy(default)
    if field.has_db_default():
        return field.get_db_default_value
    return lambda: None


def _json(value: object) -> str:
    """JSON text for jsonb_populate_record(set): orjson (decimals as strings, datetimes
    as ``isoformat()``), json.dumps for what orjson refuses."""
    try:
        return orjson.dumps(value, default=_json_default, option=orjson.OPT_PASSTHROUGH_DATETIME).decode()
    except TypeError:  # orjson.JSONEncodeError: an integer beyond 64 bits, a key not a string
        return json.dumps(value, default=_json_default)


def _json_default(value: object) -> str:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
