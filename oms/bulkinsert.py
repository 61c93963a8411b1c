"""Fast inserts of many rows for the bulk seeder (:mod:`oms.bulkseed`): PostgreSQL's
``COPY`` (asyncpg ``copy_records_to_table``), SQLite's ``executemany``.

Rows name their columns. A column of the model the caller does not name (one another
feature added later, e.g. a discount total) gets the model's default, so the seeder keeps
working as the tables grow; a required column without a default stops it with a clear
error. Ids are given by the caller (so lines can point at their order in the same batch);
:meth:`BulkWriter.finish` moves PostgreSQL's sequences past them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from tortoise import connections, fields
from tortoise.models import Model
from tortoise.transactions import in_transaction


def to_json(value: Any) -> str | None:
    """JSON text as Tortoise stores it (both databases accept text for JSON columns)."""
    return None if value is None else json.dumps(value, separators=(",", ":"))


def _default_of(field: fields.Field[Any], now: dt.datetime) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    default = field.default
    if callable(default):
        default = default()
    if default is None:
        if field.null:
            return None
        raise ValueError(f"the bulk seeder does not fill the required column {field.model_field_name!r}")
    if isinstance(default, enum.Enum):
        return default.value
    if isinstance(field, fields.JSONField):
        return to_json(default)
    if isinstance(field, fields.DecimalField):
        return Decimal(default)
    return default


@dataclasses.dataclass
class Table:
    """A table's columns: the ones the caller fills, then the defaulted rest."""

    model: type[Model]
    name: str
    columns: list[str]
    extra_values: tuple[Any, ...]
    decimal_positions: list[int]

    @classmethod
    def of(cls, model: type[Model], columns: Sequence[str], *, now: dt.datetime) -> Table:
        meta = model._meta
        by_column = {column: meta.fields_map[name] for name, column in meta.fields_db_projection.items()}
        unknown = [c for c in columns if c not in by_column]
        if unknown:
            raise ValueError(f"{meta.db_table} has no column(s) {unknown}")
        extras = [c for c in by_column if c not in columns]
        all_columns = [*columns, *extras]
        return cls(
            model=model,
            name=meta.db_table,
            columns=all_columns,
            extra_values=tuple(_default_of(by_column[c], now) for c in extras),
            decimal_positions=[i for i, c in enumerate(all_columns) if isinstance(by_column[c], fields.DecimalField)],
        )


class BulkWriter:
    """Writes batches of rows, each batch (several tables) in one transaction."""

    def __init__(self, connection_name: str = "default"):
        self.client = connections.get(connection_name)
        self.dialect = self.client.capabilities.dialect
        self.rows_written = 0

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgres"

    async def next_id(self, model: type[Model]) -> int:
        rows = await self.client.execute_query_dict(f'SELECT MAX(id) AS m FROM "{model._meta.db_table}"')
        return int(rows[0]["m"] or 0) + 1

    def _full(self, table: Table, rows: list[tuple[Any, ...]]) -> list[Any]:
        extra = table.extra_values
        if self.is_postgres:
            return [row + extra for row in rows] if extra else list(rows)
        # SQLite keeps decimals as text, as Tortoise writes them.
        positions = table.decimal_positions
        out = []
        for row in rows:
            values = list(row + extra)
            for i in positions:
                if values[i] is not None:
                    values[i] = str(values[i])
            out.append(values)
        return out

    async def write(self, batch: Sequence[tuple[Table, list[tuple[Any, ...]]]]) -> None:
        """Insert every table's rows in one transaction (in the order given: parents first)."""
        if self.is_postgres:
            async with self.client.acquire_connection() as raw, raw.transaction():
                # Seed data: a crash loses whole batches at most (each is one transaction).
                await raw.execute("SET LOCAL synchronous_commit TO OFF")
                for table, rows in batch:
                    if rows:
                        await raw.copy_records_to_table(
                            table.name, records=self._full(table, rows), columns=table.columns
                        )
        else:
            async with in_transaction() as conn:
                for table, rows in batch:
                    if rows:
                        names = ", ".join(f'"{c}"' for c in table.columns)
                        marks = ", ".join("?" for _ in table.columns)
                        await conn.execute_many(
                            f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', self._full(table, rows)
                        )
        self.rows_written += sum(len(rows) for _, rows in batch)

    async def finish(self, models: Sequence[type[Model]]) -> None:
        """Move PostgreSQL's id sequences past the ids written (SQLite's follow by themselves)."""
        if not self.is_postgres:
            return
        for model in models:
            table = model._meta.db_table
            await self.client.execute_script(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))'
            )
