"""Browsing the catalog: the public ``products`` list, its filters, sorts and keyset pages.

Without a sort, products come in catalog order (by id) with id cursors, as they always
did. With a sort, a page is ``WHERE <filters> AND <after the cursor> ORDER BY <key>, id
LIMIT n+1`` and the cursor holds the last row's (key, id) and the sort it belongs to:

- NAME and CREATED read a column; the ``product (name, id)`` and ``product (created_at, id)``
  indexes give the order, so a page need not sort the catalog.
- PRICE reads a product's "from" price: the lowest price of its variants that are not
  archived, the ``priceRange.min`` a product shows. It is computed per product by a
  subquery on the ``variant (product)`` index, so a PRICE page costs one pass over the
  matching products (linear) and a top-n sort. SQLite keeps decimals as text ("10.00" <
  "9.00"), so there the subquery compares ``CAST(price AS REAL)``; 12-digit prices with
  two decimals convert to distinct doubles in the same order.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import enum
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from tortoise.connection import get_connection
from tortoise.expressions import F, Q, RawSQL, Subquery
from tortoise.functions import Min, Sum
from tortoise.queryset import QuerySet

from oms.catalog.models import Product, Variant
from oms.errors import DomainError, ErrorCode, FieldError
from oms.inventory.models import Stock
from oms.money import quantize
from oms.pagination import Page, page_size, paginate
from oms.plugins import PluginHost

MAX_PRICE = Decimal("9999999999.99")
MAX_TYPES = 50  # product types named in one filter
MAX_TYPE = 64  # Product.product_type column
# Where a product without a live variant (no "from" price) sorts: after every price, both ways.
_NO_PRICE_ASC = Decimal("100000000000")
_NO_PRICE_DESC = Decimal("-1")


class SortField(str, enum.Enum):
    PRICE = "PRICE"
    NAME = "NAME"
    CREATED = "CREATED"


# Ascending unless the client says otherwise; CREATED defaults to newest first.
_DEFAULT_DESCENDING = {SortField.PRICE: False, SortField.NAME: False, SortField.CREATED: True}


@dataclasses.dataclass(frozen=True)
class ProductSort:
    field: SortField
    descending: bool | None = None  # None: the field's natural direction

    @property
    def is_descending(self) -> bool:
        return _DEFAULT_DESCENDING[self.field] if self.descending is None else self.descending


@dataclasses.dataclass(frozen=True)
class ProductFilter:
    """Every condition given must hold. Prices are in the store currency and compare with
    a product's "from" price (``priceRange.min``)."""

    product_types: list[str] | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    # True: products with at least one variant a cart may take now; False: those with none.
    available_for_sale: bool | None = None


def _dialect() -> str:
    return str(get_connection("default").capabilities.dialect)


def _check_price(value: Decimal | None, name: str, currency: str) -> list[FieldError]:
    if value is None:
        return []
    if not value.is_finite() or value < 0 or value > MAX_PRICE:
        return [FieldError(ErrorCode.INVALID, f"{name} must be between 0 and {MAX_PRICE}.", ["filter", name])]
    if quantize(value, currency) != value:
        return [FieldError(ErrorCode.INVALID, f"{name} has too many decimal places for {currency}.", ["filter", name])]
    return []


def check_filter(filters: ProductFilter, currency: str) -> None:
    """INVALID on the filter's field: a negative or over-precise price, min above max, too
    many or too long product types. Checked before any query."""
    errors = _check_price(filters.min_price, "minPrice", currency)
    errors += _check_price(filters.max_price, "maxPrice", currency)
    low, high = filters.min_price, filters.max_price
    if not errors and low is not None and high is not None and low > high:
        errors.append(FieldError(ErrorCode.INVALID, "minPrice is above maxPrice.", ["filter", "minPrice"]))
    types = filters.product_types or []
    if len(types) > MAX_TYPES:
        errors.append(
            FieldError(ErrorCode.INVALID, f"productTypes names at most {MAX_TYPES} types.", ["filter", "productTypes"])
        )
    elif any(len(name) > MAX_TYPE for name in types):
        errors.append(
            FieldError(
                ErrorCode.INVALID,
                f"productTypes: a type has at most {MAX_TYPE} characters.",
                ["filter", "productTypes"],
            )
        )
    if errors:
        raise DomainError(errors)


def _from_price_sql(dialect: str) -> str:
    """A product's "from" price: the lowest price of its variants that are not archived."""
    price = 'CAST("variant"."price" AS REAL)' if dialect == "sqlite" else '"variant"."price"'
    return (
        f'(SELECT MIN({price}) FROM "variant" '
        'WHERE "variant"."product_id" = "product"."id" AND "variant"."archived_at" IS NULL)'
    )


def _price_value(value: Decimal, dialect: str) -> Any:
    # The subquery is REAL on SQLite: a Decimal would be bound as text, which SQLite
    # orders after every number. PostgreSQL compares NUMERIC with the Decimal exactly.
    return float(value) if dialect == "sqlite" else value


def for_sale_q(plugins: PluginHost) -> Q:
    """Products with at least one variant for sale, in SQL: the rule of
    ``Variant.availableForSale`` (oms.graphql.catalog), product by product. The product is
    published and not archived, its type is installed; the variant is not archived and,
    where its stock is tracked (its type's and its own ``track_stock``), has units
    available (on hand minus reserved, summed over warehouses, as ``quantityAvailable``).
    A test compares the two on every case."""
    tracked = [name for name, reg in plugins.types.items() if reg.product_type.tracks_stock]
    untracked = [name for name, reg in plugins.types.items() if not reg.product_type.tracks_stock]
    live = Variant.filter(archived_at__isnull=True)
    in_stock = (
        Stock.annotate(on_hand=Sum("quantity"), held=Sum("reserved"))
        .group_by("variant_id")
        .filter(on_hand__gt=F("held"))
        .values("variant_id")
    )
    # Tortoise 1.x needs Subquery around a values() query used in `__in`.
    # A variant's stock is tracked when its type tracks stock and staff left the variant's
    # own switch on (oms.inventory.services.tracks_stock).
    untracked_q = Q(product_type__in=untracked, id__in=Subquery(live.values("product_id")))
    tracked_q = Q(
        product_type__in=tracked,
        id__in=Subquery(live.filter(Q(track_stock=False) | Q(id__in=Subquery(in_stock))).values("product_id")),
    )
    return Q(published=True, archived_at__isnull=True) & (untracked_q | tracked_q)


def product_queryset(*, product_type: str | None, search: str | None, on_sale_only: bool) -> QuerySet[Product]:
    """Products of ``product_type`` matching ``search`` (name, description or an exact sku).
    ``on_sale_only`` (the public's view) leaves out drafts and archived products."""
    # Checked before any query: a value longer than its column is the client's mistake.
    for name, value, limit in (("productType", product_type, 64), ("search", search, 254)):
        if value is not None and len(value) > limit:
            raise DomainError.of(ErrorCode.INVALID, f"{name} has more than {limit} characters.", [name])
    qs = Product.all()
    if on_sale_only:
        qs = qs.filter(published=True, archived_at__isnull=True)
    if product_type:
        qs = qs.filter(product_type=product_type)
    if search and search.strip():
        term = search.strip()
        matches = Q(name__icontains=term) | Q(description__icontains=term)
        if len(term) <= 64:  # the longest sku
            matches |= Q(id__in=Subquery(Variant.filter(sku=term).values("product_id")))
        qs = qs.filter(matches)
    return qs


def apply_filter(
    qs: QuerySet[Product], filters: ProductFilter | None, *, plugins: PluginHost, currency: str
) -> QuerySet[Product]:
    """``qs`` narrowed by ``filters``, checked first (:func:`check_filter`)."""
    if filters is None:
        return qs
    check_filter(filters, currency)
    if filters.product_types is not None:
        qs = qs.filter(product_type__in=list(filters.product_types))
    if filters.min_price is not None or filters.max_price is not None:
        # One grouped pass over the live variants (not a subquery per product).
        dialect = _dialect()
        price: Any = RawSQL('CAST("price" AS REAL)') if dialect == "sqlite" else "price"
        priced = Variant.filter(archived_at__isnull=True).annotate(from_price=Min(price)).group_by("product_id")
        if filters.min_price is not None:
            priced = priced.filter(from_price__gte=_price_value(filters.min_price, dialect))
        if filters.max_price is not None:
            priced = priced.filter(from_price__lte=_price_value(filters.max_price, dialect))
        qs = qs.filter(id__in=Subquery(priced.values("product_id")))
    if filters.available_for_sale is not None:
        for_sale = for_sale_q(plugins)
        qs = qs.filter(for_sale if filters.available_for_sale else ~for_sale)
    return qs


# Cursors: ["p1", field, "ASC"|"DESC", value, id] in URL-safe base64. The sort is in it,
# so a cursor of one sort is refused by another rather than silently skipping rows.
_CURSOR_PREFIX = "p1"


def _direction(sort: ProductSort) -> str:
    return "DESC" if sort.is_descending else "ASC"


def encode_cursor(product: Product, sort: ProductSort) -> str:
    value: Any
    if sort.field is SortField.PRICE:
        value = str(Decimal(str(product.price_key)).quantize(Decimal("0.01")))  # type: ignore[attr-defined]
    elif sort.field is SortField.NAME:
        value = product.name
    else:
        value = product.created_at.astimezone(dt.UTC).isoformat()
    raw = json.dumps([_CURSOR_PREFIX, sort.field.value, _direction(sort), value, product.id], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _malformed() -> DomainError:
    return DomainError.of(ErrorCode.INVALID, "The cursor is malformed or belongs to another sort.", ["after"])


def decode_cursor(cursor: str, sort: ProductSort) -> tuple[Any, int]:
    """The (sort key, id) a cursor of ``sort`` holds; INVALID on ``after`` otherwise."""
    if len(cursor) > 600:
        raise _malformed()
    try:
        prefix, field, direction, raw, pk = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if prefix != _CURSOR_PREFIX or field != sort.field.value or direction != _direction(sort):
            raise ValueError(cursor)
        if not isinstance(pk, int) or not 1 <= pk <= 2**31 - 1 or not isinstance(raw, str):
            raise ValueError(cursor)
        value: Any = raw
        if sort.field is SortField.PRICE:
            value = Decimal(raw)
            if value not in (_NO_PRICE_ASC, _NO_PRICE_DESC) and not 0 <= value <= MAX_PRICE:
                raise ValueError(cursor)
        elif sort.field is SortField.CREATED:
            value = dt.datetime.fromisoformat(raw)
            if value.tzinfo is None:
                raise ValueError(cursor)
            value = value.astimezone(dt.UTC)
        elif len(raw) > 200:  # Product.name
            raise ValueError(cursor)
        return value, pk
    except (binascii.Error, UnicodeError, ValueError, TypeError, InvalidOperation, OverflowError):
        raise _malformed() from None


def _after(column: str, descending: bool, value: Any, pk: int) -> Q:
    """Rows after (value, pk) in the sort. The first, redundant bound (<= or >=) is what
    an index range can start from; the OR only drops the few rows equal to ``value``."""
    if descending:
        return Q(**{f"{column}__lte": value}) & (Q(**{f"{column}__lt": value}) | Q(id__lt=pk))
    return Q(**{f"{column}__gte": value}) & (Q(**{f"{column}__gt": value}) | Q(id__gt=pk))


def page_query(
    qs: QuerySet[Product], *, sort: ProductSort, position: tuple[Any, int] | None, size: int
) -> QuerySet[Product]:
    """The statement of one page: ``qs`` after ``position`` (sort key, id), sorted, limited."""
    descending = sort.is_descending
    if sort.field is SortField.PRICE:
        dialect = _dialect()
        missing = _NO_PRICE_DESC if descending else _NO_PRICE_ASC
        key = f"COALESCE({_from_price_sql(dialect)}, {missing})"
        qs = qs.annotate(price_key=RawSQL(key))
        column = "price_key"
        if position is not None:
            position = (_price_value(position[0], dialect), position[1])
    else:
        column = "name" if sort.field is SortField.NAME else "created_at"
    if position is not None:
        qs = qs.filter(_after(column, descending, *position))
    direction = "-" if descending else ""
    return qs.order_by(f"{direction}{column}", f"{direction}id").limit(size)


@dataclasses.dataclass
class ProductPage:
    items: list[Product]
    cursors: list[str]
    has_next: bool
    has_previous: bool
    total: int


async def browse_products(
    qs: QuerySet[Product], *, sort: ProductSort, first: int | None, after: str | None
) -> ProductPage:
    """One page of ``qs`` in ``sort`` order after the cursor ``after`` (and the count)."""
    size = page_size(first)
    position = decode_cursor(after, sort) if after is not None else None
    total = await qs.count()
    rows = list(await page_query(qs, sort=sort, position=position, size=size + 1))
    items = rows[:size]
    return ProductPage(
        items=items,
        cursors=[encode_cursor(product, sort) for product in items],
        has_next=len(rows) > size,
        has_previous=position is not None,
        total=total,
    )


async def list_products(
    *,
    product_type: str | None,
    search: str | None,
    first: int | None,
    after_id: int | None,
    on_sale_only: bool = False,
    filters: ProductFilter | None = None,
    plugins: PluginHost | None = None,
    currency: str | None = None,
) -> Page[Product]:
    """Products in catalog order (by id) with id cursors, optionally filtered."""
    qs = product_queryset(product_type=product_type, search=search, on_sale_only=on_sale_only)
    if filters is not None:
        # Availability needs the product-type registry; prices, the store currency.
        assert plugins is not None and currency is not None
        qs = apply_filter(qs, filters, plugins=plugins, currency=currency)
    return await paginate(qs, first=first, after_id=after_id, newest_first=False)
