"""Finding orders: the staff filter, sorting and keyset pages of ``orders``, and the
newest-first pages of ``me.orders``.

Every filter is an exact or prefix match on an indexed column (or a subquery on one), so
PostgreSQL answers a page from an index at any depth: a page is ``WHERE <filters> AND
<after the cursor> ORDER BY <sort column>, id LIMIT n+1``, and the cursor holds the last
row's (sort value, id). Prefix matches (email, customer name) need the ``*_pattern_ops``
indexes of :data:`POSTGRES_INDEXES` on a database whose collation is not "C".
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import enum
import functools
import json
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from pypika_tortoise.context import SqlContext
from pypika_tortoise.terms import Term
from tortoise.connection import get_connection
from tortoise.expressions import F, Q, RawSQL, Subquery
from tortoise.functions import Max, Min
from tortoise.queryset import QuerySet, ValuesQuery

from oms.errors import DomainError, ErrorCode
from oms.fulfillment.models import Fulfillment
from oms.orders.inputs import OrderFilter
from oms.orders.models import Order, OrderLine
from oms.orders.rows import models_from_rows
from oms.orders.status import OrderStatus
from oms.pagination import Page, page_size, paginate

# What the migration must hold besides the model's indexes (PostgreSQL only): LIKE 'x%'
# can use a b-tree index only with the pattern operator class when the collation is not C.
POSTGRES_INDEXES = (
    'CREATE INDEX IF NOT EXISTS "idx_order_email_pattern" ON "order" ("email" varchar_pattern_ops, "id")',
    'CREATE INDEX IF NOT EXISTS "idx_order_customer_name_key_pattern" '
    'ON "order" ("customer_name_key" varchar_pattern_ops, "id")',
    # A sku's orders (the sku filter, search's sku arm) from the index alone: the (sku)
    # index alone reads a heap page per line (~33k pages for a common sku at 1M orders).
    'CREATE INDEX IF NOT EXISTS "idx_order_line_sku_order" ON "order_line" ("sku", "order_id")',
)

MAX_NAME = 200
MAX_NUMBER = 32
MAX_SKU = 64
MAX_TRACKING = 100


class SortField(str, enum.Enum):
    CREATED = "CREATED"
    TOTAL = "TOTAL"
    NUMBER = "NUMBER"  # numbers grow with the id: sorting by number is sorting by id


# The column each sort reads (the id breaks ties, so the order is total and stable).
_COLUMN = {SortField.CREATED: "created_at", SortField.TOTAL: "total", SortField.NUMBER: "id"}


@dataclasses.dataclass(frozen=True)
class OrderSort:
    field: SortField = SortField.NUMBER
    descending: bool = True


# Newest first, as ``orders`` always listed them.
NEWEST_FIRST = OrderSort()


def name_key(name: str | None) -> str | None:
    """How a customer name is matched: compatibility forms folded, case ignored, runs of
    spaces collapsed. Stored on the order at placement (``Order.customer_name_key``) and
    applied to the term, so "  JANE   doe" finds "Jane Doe"."""
    if not name:
        return None
    key = " ".join(unicodedata.normalize("NFKC", name).split()).casefold()[:MAX_NAME]
    return key or None


def _as_utc(moment: dt.datetime, field: str) -> dt.datetime:
    """SQLite compares datetimes as text: only one offset (UTC, as stored) orders correctly."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    try:
        return moment.astimezone(dt.UTC)
    except OverflowError:  # e.g. 0001-01-01T00:00:00+01:00 has no UTC equivalent
        raise DomainError.of(ErrorCode.INVALID, "This date is out of range.", ["filter", field]) from None


def _text(value: str | None, limit: int, field: str) -> str | None:
    """A stripped filter term, None when blank; longer than its column is the client's mistake."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if len(value) > limit:
        raise DomainError.of(ErrorCode.INVALID, f"The filter's {field} has more than {limit} characters.",
                             ["filter", field])
    return value


def _lines(lines: QuerySet[OrderLine]) -> ValuesQuery[Any]:
    """The order ids of ``lines``. Tortoise leaves the model's default ORDER BY out of an
    annotated query: without it PostgreSQL turns ``id IN`` of it into a semi-join, which
    can walk the order index of the sort and stop after a page (and it may be a UNION arm)."""
    return lines.annotate(line_order=F("order_id")).values("order_id")


def _of_lines(lines: QuerySet[OrderLine]) -> Q:
    """Orders having one of ``lines``."""
    # Tortoise 1.x needs Subquery around a values() query used in `__in`.
    return Q(id__in=Subquery(_lines(lines)))


def _with_sku(sku: str) -> Q:
    return _of_lines(OrderLine.filter(sku=sku))


def _tracked(number: str) -> ValuesQuery[Any]:
    return Fulfillment.filter(tracking_number=number).values("order_id")


def _with_tracking(number: str) -> Q:
    return Q(id__in=Subquery(_tracked(number)))


class _Union(Term):
    """``(SELECT a UNION ALL SELECT b ...)`` of one-column querysets, for ``id__in``: each arm is
    its own index lookup, where an OR of them (some being subqueries) can only be a filter
    on a walk of the whole order table. ``as_array`` renders ``ANY(ARRAY(...))`` for
    ``id = ``, PostgreSQL's form: the ids are read once (an InitPlan), then the primary key
    is probed for them in its order, so ``ORDER BY id`` stops after a page and other sorts
    sort only the matches (an ``IN`` semi-join may instead hash-join a scan of the table)."""

    def __init__(self, *arms: ValuesQuery[Any], as_array: bool = False) -> None:
        super().__init__()
        self.arms = arms
        self.as_array = as_array

    def get_sql(self, ctx: SqlContext) -> str:
        # Each arm renders with the outer statement's context, so its parameters are
        # numbered in the statement's sequence ($n on PostgreSQL).
        arm_ctx = ctx.copy(subquery=False, with_alias=False)
        sql = []
        for arm in self.arms:
            arm._choose_db_if_not_chosen()
            arm._make_query()
            sql.append(arm.query.get_sql(arm_ctx))
        union = " UNION ALL ".join(sql)  # duplicates are harmless in IN and ANY: no dedup pass
        return f"ANY(ARRAY({union}))" if self.as_array else f"({union})"


def _search(term: str) -> Q:
    """``search``: the order number, an email's start, a customer name's start, a sku or a
    tracking number, each matched through its own index (a UNION of the lookups)."""
    arms: list[ValuesQuery[Any]] = [Order.filter(email__startswith=term.lower()).values("id")]
    number = term.lstrip("#")
    # Exact matches only for a term that fits the column (the ORM refuses longer).
    if number and len(number) <= MAX_NUMBER:
        arms.append(Order.filter(number=number).values("id"))
    key = name_key(term)
    if key:
        arms.append(Order.filter(customer_name_key__startswith=key).values("id"))
    if len(term) <= MAX_SKU:
        arms.append(_lines(OrderLine.filter(sku=term)))
    if len(term) <= MAX_TRACKING:
        arms.append(_tracked(term))
    if get_connection("default").capabilities.dialect == "postgres":
        return Q(id=_Union(*arms, as_array=True))
    return Q(id__in=_Union(*arms))


def _created_ids(after: dt.datetime, before: dt.datetime) -> Q:
    """The bounds of the ids of the orders created in [after, before), read from the
    (created_at, id) index (an index-only scan of the range): redundant, so exactly correct
    whatever order ids were given in (imported orders), but they let ``ORDER BY id`` start
    at the range's last id instead of walking the primary key back from the newest order,
    and stop at its first. ``id + 0`` keeps PostgreSQL from answering MIN/MAX by that very
    walk."""
    created = Order.filter(created_at__gte=after, created_at__lt=before)
    return Q(id__lte=Subquery(created.annotate(last_id=Max(F("id") + 0)).values("last_id"))) & Q(
        id__gte=Subquery(created.annotate(first_id=Min(F("id") + 0)).values("first_id"))
    )


def filter_orders(filters: OrderFilter | None, *, sort: OrderSort | None = NEWEST_FIRST) -> QuerySet[Order]:
    """The queryset of orders matching the staff filter (every condition must hold), for a
    listing in ``sort`` order; None for a count (no order to walk)."""
    qs = Order.all()
    if filters is None:
        return qs
    if filters.status:
        qs = qs.filter(status__in=filters.status)
    if filters.payment_status:
        qs = qs.filter(payment_status__in=filters.payment_status)
    if filters.email:
        qs = qs.filter(email=filters.email.strip().lower())
    after = _as_utc(filters.created_after, "createdAfter") if filters.created_after else None
    before = _as_utc(filters.created_before, "createdBefore") if filters.created_before else None
    if after is not None:
        qs = qs.filter(created_at__gte=after)
    if before is not None:
        qs = qs.filter(created_at__lt=before)
    if after is not None and before is not None and sort is not None and sort.field is SortField.NUMBER:
        # A range listed by id: bound the ids too (an open end would mean reading the index
        # to its end; other sorts walk their own index, and a count reads the range's, which
        # the bounds would only mislead or slow).
        qs = qs.filter(_created_ids(after, before))
    if filters.needs_review is not None:
        qs = qs.filter(needs_review=filters.needs_review)
    if filters.product_type:
        qs = qs.filter(_of_lines(OrderLine.filter(product_type=filters.product_type)))
    if filters.awaiting_fulfillment is not None:
        # The order's status is checked on the order itself, not joined in the subquery:
        # PostgreSQL then walks the (status, ...) or sort index instead of the whole table.
        waiting = OrderLine.annotate(left=F("quantity") - F("quantity_canceled") - F("quantity_allocated")).filter(
            left__gt=0
        )
        if filters.product_type:
            waiting = waiting.filter(product_type=filters.product_type)
        awaiting = Q(status__in=[OrderStatus.PROCESSING, OrderStatus.PARTIALLY_FULFILLED]) & Q(
            id__in=Subquery(waiting.values("order_id"))
        )
        qs = qs.filter(awaiting if filters.awaiting_fulfillment else ~awaiting)
    number = _text(filters.number.strip().lstrip("#") if filters.number else None, MAX_NUMBER, "number")
    if number:
        qs = qs.filter(number=number)
    name = name_key(_text(filters.customer_name, MAX_NAME, "customerName"))
    if name:
        qs = qs.filter(customer_name_key__startswith=name)
    sku = _text(filters.sku, MAX_SKU, "sku")
    if sku:
        qs = qs.filter(_with_sku(sku))
    tracking = _text(filters.tracking_number, MAX_TRACKING, "trackingNumber")
    if tracking:
        qs = qs.filter(_with_tracking(tracking))
    term = _text(filters.search, 254, "search")
    if term:
        qs = qs.filter(_search(term))
    return qs


# Cursors: "o1:<field>:<value>:<id>" in URL-safe base64. The sort is in it, so a cursor of
# one sort is refused by another rather than silently skipping or repeating rows.
_CURSOR_PREFIX = "o1"


def _sort_value(order: Order, sort: OrderSort) -> Any:
    return getattr(order, _COLUMN[sort.field])


# What str() of an int, a Decimal and an ISO datetime is made of: nothing JSON escapes.
_UNESCAPED = frozenset("0123456789+-.:TE")


def encode_cursor(order: Order, sort: OrderSort) -> str:
    value = _sort_value(order, sort)
    if isinstance(value, dt.datetime):
        value = value.astimezone(dt.UTC).isoformat()
    text = str(value)
    # The text of json.dumps([prefix, field, text, id], separators=(",", ":")), written
    # directly (a page encodes 100 cursors): the prefix, the field's name and the id need
    # no escaping, nor does the value when made of _UNESCAPED.
    quoted = f'"{text}"' if _UNESCAPED.issuperset(text) else json.dumps(text)
    raw = f'["{_CURSOR_PREFIX}","{sort.field.value}",{quoted},{int(order.id)}]'
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _malformed() -> DomainError:
    return DomainError.of(ErrorCode.INVALID, "The cursor is malformed or belongs to another sort.", ["after"])


def decode_cursor(cursor: str, sort: OrderSort) -> tuple[Any, int]:
    """The (sort value, id) a cursor of ``sort`` holds; INVALID on ``after`` otherwise."""
    if len(cursor) > 200:
        raise _malformed()
    try:
        prefix, field, raw, pk = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if prefix != _CURSOR_PREFIX or field != sort.field.value or not isinstance(pk, int):
            raise ValueError(cursor)
        if not 1 <= pk <= 2**31 - 1:
            raise ValueError(cursor)
        value: Any
        if sort.field is SortField.CREATED:
            value = dt.datetime.fromisoformat(raw)
            if value.tzinfo is None:
                raise ValueError(cursor)
            value = value.astimezone(dt.UTC)
        elif sort.field is SortField.TOTAL:
            value = Decimal(raw)
            if not value.is_finite() or abs(value) >= Decimal(10) ** 12:
                raise ValueError(cursor)
        else:
            value = int(raw)
            if value != pk:
                raise ValueError(cursor)
        return value, pk
    except (binascii.Error, UnicodeError, ValueError, TypeError, InvalidOperation, OverflowError):
        raise _malformed() from None


def _after(sort: OrderSort, value: Any, pk: int) -> Q:
    """Rows after (value, pk) in the sort. The first, redundant bound (<= or >=) is what
    an index range can start from; the OR only drops the few rows equal to ``value``."""
    column = _COLUMN[sort.field]
    if sort.field is SortField.NUMBER:
        return Q(id__lt=pk) if sort.descending else Q(id__gt=pk)
    if sort.descending:
        return Q(**{f"{column}__lte": value}) & (Q(**{f"{column}__lt": value}) | Q(id__lt=pk))
    return Q(**{f"{column}__gte": value}) & (Q(**{f"{column}__gt": value}) | Q(id__gt=pk))


def page_query(
    qs: QuerySet[Order], *, sort: OrderSort, position: tuple[Any, int] | None, size: int
) -> QuerySet[Order]:
    """The statement of one page: ``qs`` after ``position`` (sort value, id), sorted, limited."""
    if position is not None:
        qs = qs.filter(_after(sort, *position))
    column = _COLUMN[sort.field]
    if sort.field is SortField.TOTAL and get_connection("default").capabilities.dialect == "sqlite":
        # SQLite keeps decimals as text ("10.00" < "9.00"): order by their value. Filters
        # already compare them as numbers.
        qs = qs.annotate(total_value=RawSQL('CAST("total" AS REAL)'))
        column = "total_value"
    direction = "-" if sort.descending else ""
    ordering = [f"{direction}{column}"] if column == "id" else [f"{direction}{column}", f"{direction}id"]
    return qs.order_by(*ordering).limit(size)


@dataclasses.dataclass
class OrderPage:
    """A page of orders, its cursors, and the count of all matches on demand (a count of a
    million rows is slow: only clients that select ``totalCount`` pay for it)."""

    items: list[Order]
    has_next: bool
    has_previous: bool
    query: QuerySet[Order]
    sort: OrderSort = NEWEST_FIRST

    async def total(self) -> int:
        return await self.query.count()

    @functools.cached_property
    def cursors(self) -> list[str]:
        """Each order's cursor, made when first asked (100 cost ~0.15 ms: a query that
        selects no edge cursor need not pay for them)."""
        return [encode_cursor(order, self.sort) for order in self.items]

    def first_and_last_cursors(self) -> tuple[str | None, str | None]:
        """``cursors[0]`` and ``cursors[-1]`` (None for an empty page) without the others."""
        if not self.items:
            return None, None
        return encode_cursor(self.items[0], self.sort), encode_cursor(self.items[-1], self.sort)


async def find_orders(
    filters: OrderFilter | None,
    *,
    sort: OrderSort | None = None,
    first: int | None = None,
    after: str | None = None,
    customer_id: int | None = None,
) -> OrderPage:
    """One page of the orders matching ``filters`` in ``sort`` order (newest first by
    default), after the cursor ``after``: one statement (plus the count, if asked)."""
    sort = sort or NEWEST_FIRST
    size = page_size(first)
    position = decode_cursor(after, sort) if after is not None else None
    qs = filter_orders(filters, sort=sort)
    counted = filter_orders(filters, sort=None)
    if customer_id is not None:
        qs = qs.filter(customer_id=customer_id)
        counted = counted.filter(customer_id=customer_id)
    rows = await _select(page_query(qs, sort=sort, position=position, size=size + 1))
    items = rows[:size]
    return OrderPage(
        items=items,
        has_next=len(rows) > size,
        has_previous=position is not None,
        query=counted,
        sort=sort,
    )


async def _select(qs: QuerySet[Order]) -> list[Order]:
    """``await qs``: on PostgreSQL, for a plain select of whole rows (no annotation, related
    or prefetched models), the statement Tortoise builds is run on the connection and its
    rows made into models by :func:`oms.orders.rows.models_from_rows` (the same models)."""
    conn = get_connection("default")
    if (
        conn.capabilities.dialect != "postgres"
        or qs._annotations
        or qs._prefetch_map
        or qs._prefetch_queries
        or qs._select_related
        or qs._fields_for_select
        or qs._single
        or qs._select_for_update
    ):
        return list(await qs)
    qs._choose_db_if_not_chosen()
    qs._make_query()
    sql, values = qs.query.get_parameterized_sql()
    _, rows = await qs._db.execute_query(sql, values)
    return models_from_rows(Order, rows)


def _lines_of_orders_sql() -> str:
    """The statement of :func:`lines_of_orders` on PostgreSQL: the model's columns, ids as
    one array (one statement text, so one prepared plan, whatever the page's size)."""
    columns = ", ".join(f'"{column}"' for column in sorted(OrderLine._meta.db_fields))
    return f'SELECT {columns} FROM "order_line" WHERE "order_id" = ANY($1) ORDER BY "order_id", "position"'


async def lines_of_orders(order_ids: list[int]) -> list[OrderLine]:
    """The lines of these orders, by order then position: one statement. On PostgreSQL it
    is written here and its rows become the models Tortoise's select executor would make
    (:func:`oms.orders.rows.models_from_rows`): building the query through the ORM cost
    about half as much again as making the models (~0.9 ms of ~2.9 ms for ~170 lines)."""
    conn = get_connection("default")
    if conn.capabilities.dialect != "postgres":
        return await OrderLine.filter(order_id__in=order_ids).order_by("order_id", "position")
    _, rows = await conn.execute_query(_lines_of_orders_sql(), [list(order_ids)])
    return models_from_rows(OrderLine, rows)


async def list_orders(
    *,
    filters: OrderFilter | None,
    first: int | None,
    after_id: int | None,
    customer_id: int | None = None,
    count: bool = True,
) -> Page[Order]:
    """Orders newest first; ``customer_id`` limits them to one customer's (``me.orders``);
    ``count=False`` skips the COUNT (``total`` is then 0)."""
    qs = filter_orders(filters)
    if customer_id is not None:
        qs = qs.filter(customer_id=customer_id)
    return await paginate(qs, first=first, after_id=after_id, count=count)
