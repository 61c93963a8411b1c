"""Writing a placed order: its row, its lines and its ``order.placed`` event.

On PostgreSQL that is one statement (issue 15): the order and its lines are handed over as
JSON and expanded by ``jsonb_populate_record(set)`` into rows of their own tables, and the
event, its ``order.event`` job and the live notification come from
:data:`oms.orders.events.EVENT_CTES`, all in one ``WITH`` (the lines' and the event's
foreign keys are checked at the end of the statement, when the order's row is there).
The values are the models' own (each field's ``to_db_value``, as Tortoise's INSERT
writes them), so the two paths store the same thing. SQLite keeps the ORM's statements.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from decimal import Decimal
from typing import Any

from tortoise import fields
from tortoise.models import Model

from oms import sql
from oms.live import publish as live
from oms.live.brokers import CHANNEL
from oms.orders import numbers
from oms.orders.events import EVENT_CTES, NOTIFY_ORDER, event_params, notifies_in_sql, record_event
from oms.orders.models import Order, OrderLine


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


async def insert_placed_order(
    order: Order,
    order_id: int | None,
    lines: list[OrderLine],
    *,
    message: str,
    actor: str | None,
    data: dict[str, Any],
) -> None:
    """Insert the new, unsaved ``order`` (numbered with ``order_id``, None on SQLite),
    its unsaved ``lines`` and its ``order.placed`` event (``message`` may name the order's
    number as ``{number}``), in the caller's transaction."""
    if order_id is None:  # SQLite: the ORM, statement by statement
        await numbers.insert_numbered(order)
        await record_event(order, "order.placed", message.format(number=order.number), actor=actor, data=data)
        for line in lines:
            line.order_id = order.id
        await OrderLine.bulk_create(lines)
        return
    order.id = order_id
    order.number = numbers.order_number(order_id)
    params = event_params(order_id, "order.placed", message.format(number=order.number), actor, data)
    params["order"] = json.dumps(_row(order), default=_json_default)
    for line in lines:
        line.order_id = order_id
    params["lines"] = json.dumps([_row(line, skip="id") for line in lines], default=_json_default)
    in_sql = notifies_in_sql()
    if in_sql:
        params["channel"] = CHANNEL
    await sql.fetch(_statement(in_sql), **params)
    if not in_sql:
        await live.order_changed(order_id)
    order._saved_in_db = True


def _row(instance: Model, *, skip: str | None = None) -> dict[str, Any]:
    """The instance's columns as its INSERT would write them; JSON fields as JSON values."""
    row: dict[str, Any] = {}
    for name, column, field, is_json in _columns(type(instance), skip):
        value = getattr(instance, name)
        # to_db_value fills auto_now(_add) times on the instance, as an ORM save does.
        row[column] = value if is_json else field.to_db_value(value, instance)
    return row


_Columns = tuple[tuple[str, str, fields.Field, bool], ...]
_COLUMNS: dict[tuple[type[Model], str | None], tuple[object, _Columns]] = {}


def _columns(model: type[Model], skip: str | None) -> _Columns:
    """(field name, column, field, is a JSON field) of the model's columns, made again
    only when Tortoise's initialisation gave the model new metadata."""
    meta = model._meta
    cached = _COLUMNS.get((model, skip))
    if cached is not None and cached[0] is meta.fields_map:
        return cached[1]
    columns = tuple(
        (name, column, meta.fields_map[name], isinstance(meta.fields_map[name], fields.JSONField))
        for name, column in meta.fields_db_projection.items()
        if name != skip
    )
    _COLUMNS[(model, skip)] = (meta.fields_map, columns)
    return columns


def _json_default(value: object) -> str:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
