"""Keyset pagination over a queryset, newest first (by id)."""

from __future__ import annotations

import dataclasses
from typing import Any, Generic, TypeVar

from tortoise.queryset import QuerySet

from oms.errors import DomainError, ErrorCode

T = TypeVar("T")
MAX_PAGE = 100
DEFAULT_PAGE = 20


@dataclasses.dataclass
class Page(Generic[T]):
    items: list[T]
    has_next: bool
    has_previous: bool
    total: int


def page_size(first: int | None) -> int:
    if first is None:
        return DEFAULT_PAGE
    if first < 0 or first > MAX_PAGE:
        raise DomainError.of(ErrorCode.INVALID, f"first must be between 0 and {MAX_PAGE}.", ["first"])
    return first


async def paginate(
    queryset: QuerySet[Any],
    *,
    first: int | None,
    after_id: int | None,
    newest_first: bool = True,
    count: bool = True,
) -> Page[Any]:
    """One page after the row ``after_id`` plus the total count: two statements (one with
    ``count=False``, which leaves ``total`` at 0 for a caller that shows no count)."""
    size = page_size(first)
    total = await queryset.count() if count else 0
    page_qs = queryset
    if after_id is not None:
        page_qs = page_qs.filter(id__lt=after_id) if newest_first else page_qs.filter(id__gt=after_id)
    rows = await page_qs.order_by("-id" if newest_first else "id").limit(size + 1)
    return Page(
        items=list(rows[:size]),
        has_next=len(rows) > size,
        has_previous=after_id is not None,
        total=total,
    )
