"""Shared GraphQL shapes: Node and global ids, Money, PageInfo, UserError, Address."""

from __future__ import annotations

import base64
import binascii
from decimal import Decimal
from typing import Any

import strawberry

from oms.errors import DomainError, ErrorCode, FieldError
from oms.money import Money as DomainMoney

# Primary keys are 32-bit integers on PostgreSQL; anything larger names no row.
MAX_PK = 2**31 - 1

# strawberry.enum registers the class as a GraphQL enum and returns it; the alias is what
# mypy reads as a type (a call's result is only a variable to it).
strawberry.enum(ErrorCode, name="ErrorCode")
ErrorCodeEnum = ErrorCode


@strawberry.interface
class Node:
    id: strawberry.ID


def to_global_id(type_name: str, pk: int) -> strawberry.ID:
    return strawberry.ID(base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("="))


def from_global_id(global_id: str) -> tuple[str, int] | None:
    """``(type_name, pk)``, or None for anything malformed."""
    try:
        padded = global_id + "=" * (-len(global_id) % 4)
        type_name, _, raw = base64.urlsafe_b64decode(padded.encode()).decode().partition(":")
        pk = int(raw)
    except (binascii.Error, UnicodeError, ValueError):
        return None
    if not type_name or not 1 <= pk <= MAX_PK:
        return None
    return type_name, pk


def parse_id(global_id: str, expected_type: str, field: list[str]) -> int:
    """The pk of a global id of ``expected_type``; INVALID otherwise."""
    parsed = from_global_id(global_id)
    if parsed is None or parsed[0] != expected_type:
        raise DomainError.of(ErrorCode.INVALID, f"Not a valid {expected_type} id.", field)
    return parsed[1]


def encode_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(f"cursor:{pk}".encode()).decode()


def decode_cursor(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    try:
        prefix, _, raw = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        pk = int(raw)
        if prefix != "cursor" or not 0 <= pk <= MAX_PK:
            raise ValueError(cursor)
        return pk
    except (binascii.Error, UnicodeError, ValueError):
        raise DomainError.of(ErrorCode.INVALID, "The cursor is malformed.", ["after"]) from None


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None

    @classmethod
    def for_ids(cls, ids: list[int], has_next: bool, has_previous: bool) -> PageInfo:
        return cls(
            has_next_page=has_next,
            has_previous_page=has_previous,
            start_cursor=encode_cursor(ids[0]) if ids else None,
            end_cursor=encode_cursor(ids[-1]) if ids else None,
        )


def connection(connection_type: type, edge_type: type, page: Any, to_node: Any) -> Any:
    """A Relay connection of ``connection_type`` for a :class:`oms.pagination.Page` of
    models, each turned into a node by ``to_node``."""
    items = page.items
    return connection_type(
        edges=[edge_type(node=to_node(item), cursor=encode_cursor(item.id)) for item in items],
        page_info=PageInfo.for_ids([item.id for item in items], page.has_next, page.has_previous),
        total_count=page.total,
    )


@strawberry.type
class Money:
    amount: Decimal
    currency: str

    @classmethod
    def of(cls, amount: Decimal | int | DomainMoney, currency: str | None = None) -> Money:
        if isinstance(amount, DomainMoney):
            return cls(amount=amount.amount, currency=amount.currency)
        money = DomainMoney(Decimal(amount), currency or "")
        return cls(amount=money.amount, currency=money.currency)


@strawberry.type
class UserError:
    field: list[str] | None = strawberry.field(
        description='Path to the input field at fault, e.g. ["lines", "0", "quantity"].'
    )
    code: ErrorCodeEnum
    message: str
    retry_after: int | None = strawberry.field(
        default=None, description="RATE_LIMITED: seconds after which the same request may succeed."
    )

    @classmethod
    def from_field_error(cls, error: FieldError) -> UserError:
        return cls(
            # A plugin's code too: the schema gives this field the enum of every declared code.
            field=list(error.field) if error.field else None,
            code=error.code,  # type: ignore[arg-type]
            message=error.message,
            retry_after=error.retry_after,
        )


def user_errors(exc: DomainError) -> list[UserError]:
    return [UserError.from_field_error(e) for e in exc.errors]


ADDRESS_KEYS = ("name", "line1", "line2", "city", "postal_code", "region", "country", "phone")


@strawberry.type
class Address:
    name: str
    line1: str
    line2: str | None
    city: str
    postal_code: str
    region: str | None
    country: str
    phone: str | None

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Address | None:
        if not data:
            return None
        values: dict[str, Any] = {key: data.get(key) for key in ADDRESS_KEYS}
        return cls(**values)


@strawberry.input
class AddressInput:
    name: str
    line1: str
    line2: str | None = None
    city: str
    postal_code: str
    region: str | None = None
    country: str
    phone: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in ADDRESS_KEYS}
