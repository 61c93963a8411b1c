"""Streamed CSV exports of orders and of order lines, with the filters of ``orders(filter:)``.

Rows are read in keyset chunks by order id (``id > last ORDER BY id LIMIT n``): each
query is an index range, whatever the depth, and memory holds one chunk. The export is
not one snapshot: an order changed while it runs shows as it was when its chunk was read.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import enum
import io
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from typing import Any, cast

from oms.errors import DomainError, ErrorCode
from oms.orders.inputs import OrderFilter
from oms.orders.search import filter_orders
from oms.orders.status import OrderStatus, PaymentStatus
from oms.reports import sql

CHUNK = 5000
KINDS = ("orders", "lines")

ORDER_COLUMNS = (
    "id", "number", "created_at", "paid_at", "email", "customer_id", "status", "payment_status", "currency",
    "subtotal", "shipping_total", "total", "refunded_total", "discount_total", "tax_total", "needs_review",
)  # fmt: skip
LINE_COLUMNS = (
    "order_id", "order_number", "order_created_at", "order_paid_at", "order_status", "line_id", "position",
    "sku", "name", "product_type", "quantity", "quantity_fulfilled", "quantity_canceled", "quantity_returned",
    "unit_price", "amount", "currency", "status", "discount", "tax",
)  # fmt: skip
# The order fields the lines export repeats, by line column.
_ORDER_OF_LINE = {"order_number": "number", "order_created_at": "created_at", "order_paid_at": "paid_at",
                  "order_status": "status"}  # fmt: skip

# Filter fields whose values are an enum's names (the others are text, flags or dates).
_ENUMS: dict[str, type[enum.Enum]] = {"status": OrderStatus, "payment_status": PaymentStatus}
# What --from/--to and ?from=&to= mean: the order's creation time, as in the API filter.
ALIASES = {"from": "created_after", "to": "created_before"}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _bad(name: str, message: str) -> DomainError:
    return DomainError.of(ErrorCode.INVALID, f"{name}: {message}", ["filter", name])


def _parse_value(field: dataclasses.Field, name: str, values: Sequence[str], zone: dt.tzinfo) -> Any:
    kind = str(field.type)
    if field.name in _ENUMS:
        allowed = _ENUMS[field.name]
        items = [item.strip().upper() for value in values for item in value.split(",") if item.strip()]
        for item in items:
            if item not in allowed.__members__:
                raise _bad(name, f"{item[:40]!r} is not one of {', '.join(allowed.__members__)}.")
        return items
    if len(values) > 1 and not kind.startswith("list"):
        raise _bad(name, "give it once.")
    if kind.startswith("list"):
        return [item.strip() for value in values for item in value.split(",") if item.strip()]
    value = values[0]
    if kind.startswith("bool"):
        if value.lower() not in ("true", "false", "1", "0"):
            raise _bad(name, "is true or false.")
        return value.lower() in ("true", "1")
    if "datetime" not in kind and kind != "Any":  # text, or a value OrderFilter checks itself
        return value
    try:  # the dates (typed Any in OrderFilter)
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise _bad(name, f"{value[:40]!r} is not an ISO 8601 date, e.g. 2026-03-01 or 2026-03-01T00:00:00Z.") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def order_filter(params: Mapping[str, Sequence[str]], *, zone: dt.tzinfo = dt.UTC) -> OrderFilter:
    """The OrderFilter of query parameters / ``--filter`` pairs, named as in the GraphQL
    ``OrderFilter`` (``status=PAID,...``, ``productType=physical``, ``createdAfter=...``;
    ``from``/``to`` are createdAfter/createdBefore). Every field of OrderFilter is known,
    new ones included; a date without an offset is in ``zone``. INVALID, naming the
    parameter, for anything else."""
    fields = {_camel(f.name): f for f in dataclasses.fields(OrderFilter)}
    values: dict[str, Any] = {}
    for raw_name, raw_values in params.items():
        name = _camel(ALIASES.get(raw_name, raw_name))
        field = fields.get(name)
        if field is None:
            known = ", ".join(sorted([*fields, *ALIASES]))
            raise _bad(raw_name[:40], f"is not a filter; use one of {known}.")
        if field.name in values:
            raise _bad(raw_name, "is given twice.")
        values[field.name] = _parse_value(field, raw_name, raw_values, zone)
    return OrderFilter(**values)


def _csv(rows: Iterable[Iterable[Any]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def _select_orders(dialect: str) -> str:
    """The orders columns, as text the CSV writer takes as is: times as stored (UTC,
    ``2026-03-08 05:00:00+00:00``), amounts with two decimals, needs_review 1 or 0."""
    amounts = ("subtotal", "shipping_total", "total", "refunded_total", "discount_total", "tax_total")
    special = {
        **{c: sql.decimal_text(f"o.{c}", dialect) for c in amounts},
        **{c: sql.time_text(f"o.{c}", dialect) for c in ("created_at", "paid_at")},
        "needs_review": "CASE WHEN o.needs_review THEN 1 ELSE 0 END",
    }
    return ", ".join(_text(special.get(c, f"o.{c}"), c, dialect) for c in ORDER_COLUMNS)


def _select_lines(dialect: str) -> str:
    columns = {
        "order_id": "o.id", "line_id": "l.id", "unit_price": sql.decimal_text("l.unit_price", dialect),
        "amount": sql.cents_text(sql.line_amount_cents(dialect), dialect),
        "discount": sql.decimal_text("l.discount", dialect), "tax": sql.decimal_text("l.tax", dialect),
        **{c: f"o.{o}" for c, o in _ORDER_OF_LINE.items()},
        **{c: sql.time_text(f"o.{o}", dialect) for c, o in _ORDER_OF_LINE.items() if o in _TIMES},
    }  # fmt: skip
    return ", ".join(_text(columns.get(c, f"l.{c}"), c, dialect) for c in LINE_COLUMNS)


_TIMES = ("created_at", "paid_at")


def _text(expression: str, column: str, dialect: str) -> str:
    """Every column as text on PostgreSQL (times are text already): the driver decodes no
    numbers or times and the CSV writer converts nothing, for the same bytes."""
    return expression if column.endswith(_TIMES) else sql.as_text(expression, dialect)


@dataclasses.dataclass
class Export:
    """One export, its filter already checked (building the queryset raises INVALID for a
    date out of range): iterate :meth:`chunks` for the CSV text."""

    kind: str
    filters: OrderFilter | None
    chunk: int = CHUNK
    orders_done: int = 0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise DomainError.of(ErrorCode.INVALID, f"Export {self.kind!r}: use orders or lines.")
        self._orders = filter_orders(self.filters)

    async def count(self) -> int:
        return await self._orders.count()

    async def chunks(self) -> AsyncIterator[str]:
        """The header, then one CSV text per chunk of orders (their lines for ``lines``):
        the chunk's ids by the filter's queryset, then their rows by one statement."""
        yield _csv([ORDER_COLUMNS if self.kind == "orders" else LINE_COLUMNS])
        dialect = sql.dialect()
        select = _select_orders(dialect) if self.kind == "orders" else _select_lines(dialect)
        last = 0
        while True:
            # tortoise types values_list as rows of tuples even with flat=True: these are ids.
            ids = cast(
                list[int],
                await self._orders.filter(id__gt=last).order_by("id").limit(self.chunk).values_list("id", flat=True),
            )
            if not ids:
                return
            last = ids[-1]
            params = sql.Params(dialect)
            if self.kind == "orders":
                statement = f'SELECT {select} FROM "order" o WHERE {params.among("o.id", ids)} ORDER BY o.id'
            else:
                statement = (
                    f'SELECT {select} FROM order_line l JOIN "order" o ON o.id = l.order_id '
                    f'WHERE {params.among("l.order_id", ids)} ORDER BY l.order_id, l.position, l.id'
                )
            text = _csv(await sql.fetch_rows(statement, params))
            self.orders_done += len(ids)
            yield text
