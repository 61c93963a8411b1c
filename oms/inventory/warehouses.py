"""Warehouses: where stock is kept and what a shipping label's ship-from address is.

A warehouse's code names it in setStock, adjustStock and reports; the ``default`` one
is where stock goes when no warehouse is named, so its code cannot change. Placement
reserves each line from the first warehouse by (priority, id) that can fill it.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from oms.errors import DomainError, ErrorCode, FieldError
from oms.inventory.models import DEFAULT_WAREHOUSE_CODE, Warehouse
from oms.orders.addresses import check_address

MAX_CODE = 64
MAX_NAME = 200
MAX_PRIORITY = 1_000_000
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


@dataclasses.dataclass(frozen=True)
class WarehouseData:
    """What staff give: ``address`` None has none (labels use the store's fallback);
    ``priority`` None keeps the current one (0 for a new warehouse)."""

    code: str
    name: str
    address: dict[str, Any] | None = None
    priority: int | None = None


def _checked(data: WarehouseData) -> tuple[dict[str, Any], list[FieldError]]:
    errors: list[FieldError] = []
    code = data.code.strip()
    name = data.name.strip()
    if not code:
        errors.append(FieldError(ErrorCode.REQUIRED, "This field is required.", ["code"]))
    elif len(code) > MAX_CODE or not _CODE.fullmatch(code):
        errors.append(
            FieldError(
                ErrorCode.INVALID,
                f"Use at most {MAX_CODE} letters, digits, '.', '_' or '-' (starting with a letter or digit).",
                ["code"],
            )
        )
    if not name:
        errors.append(FieldError(ErrorCode.REQUIRED, "This field is required.", ["name"]))
    elif len(name) > MAX_NAME:
        errors.append(FieldError(ErrorCode.INVALID, f"At most {MAX_NAME} characters.", ["name"]))
    if data.priority is not None and abs(data.priority) > MAX_PRIORITY:
        errors.append(FieldError(ErrorCode.INVALID, f"Between -{MAX_PRIORITY} and {MAX_PRIORITY}.", ["priority"]))
    values: dict[str, Any] = {"code": code, "name": name, "address": None}
    if data.address is not None:
        values["address"], address_errors = check_address(data.address, ["address"])
        errors.extend(address_errors)
    if data.priority is not None:
        values["priority"] = data.priority
    return values, errors


def _duplicate(code: str) -> DomainError:
    return DomainError.of(ErrorCode.INVALID, f"A warehouse with code {code!r} exists.", ["code"])


async def list_warehouses() -> list[Warehouse]:
    """Every warehouse, in the order placement tries them."""
    return await Warehouse.all().order_by("priority", "id")


async def create_warehouse(data: WarehouseData) -> Warehouse:
    """A new warehouse; INVALID/REQUIRED per field, INVALID (code) for a code in use."""
    values, errors = _checked(data)
    if errors:
        raise DomainError(errors)
    if await Warehouse.exists(code=values["code"]):
        raise _duplicate(values["code"])
    try:
        async with in_transaction():
            return await Warehouse.create(**values)
    except IntegrityError:  # created by a concurrent request since the check
        raise _duplicate(values["code"]) from None


async def update_warehouse(warehouse_id: int, data: WarehouseData) -> Warehouse:
    """Replace a warehouse's code, name and address (and priority when given)."""
    values, errors = _checked(data)
    if errors:
        raise DomainError(errors)
    warehouse = await Warehouse.get_or_none(id=warehouse_id)
    if warehouse is None:
        raise DomainError.of(ErrorCode.NOT_FOUND, "No such warehouse.", ["id"])
    if warehouse.code == DEFAULT_WAREHOUSE_CODE and values["code"] != DEFAULT_WAREHOUSE_CODE:
        raise DomainError.of(
            ErrorCode.INVALID, "The default warehouse keeps its code (stock goes there when none is named).", ["code"]
        )
    if values["code"] != warehouse.code and await Warehouse.exists(code=values["code"]):
        raise _duplicate(values["code"])
    try:
        async with in_transaction():
            await Warehouse.filter(id=warehouse_id).update(**values)
    except IntegrityError:
        raise _duplicate(values["code"]) from None
    return await Warehouse.get(id=warehouse_id)
