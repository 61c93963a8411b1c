"""Every foreign key is indexed, on both dialects (issue 9, "scale under history").

A foreign key column that leads no index makes each lookup by it, and each delete of a
referenced row (ON DELETE CASCADE / SET NULL: an order's events, a refund, a customer),
scan the whole referencing table. The schema checked is the one the
models build, core and installed plugins, which tests/test_migrations.py holds equal to
the migrated one.
"""

from __future__ import annotations

from tortoise.connection import get_connection

# PostgreSQL: each foreign key's first column, and the first column of each index.
_PG_FOREIGN_KEYS = """
SELECT cl.relname, a.attname, ref.relname
FROM pg_constraint c
JOIN pg_class cl ON cl.oid = c.conrelid
JOIN pg_class ref ON ref.oid = c.confrelid
JOIN pg_namespace n ON n.oid = cl.relnamespace
JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
WHERE c.contype = 'f' AND n.nspname = current_schema()
"""
_PG_LEADING_INDEX_COLUMNS = """
SELECT t.relname, a.attname
FROM pg_index ix
JOIN pg_class t ON t.oid = ix.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ix.indkey[0]
WHERE n.nspname = current_schema()
"""


async def _postgres(conn) -> tuple[set[tuple[str, str, str]], set[tuple[str, str]]]:
    _, keys = await conn.execute_query(_PG_FOREIGN_KEYS)
    _, leading = await conn.execute_query(_PG_LEADING_INDEX_COLUMNS)
    return {(r[0], r[1], r[2]) for r in keys}, {(r[0], r[1]) for r in leading}


async def _sqlite(conn) -> tuple[set[tuple[str, str, str]], set[tuple[str, str]]]:
    _, tables = await conn.execute_query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    keys: set[tuple[str, str, str]] = set()
    leading: set[tuple[str, str]] = set()
    for (table,) in (tuple(r) for r in tables):
        _, fks = await conn.execute_query(f'PRAGMA foreign_key_list("{table}")')
        # (id, seq, table, from, to, ...): the first column of each key.
        keys |= {(table, r[3], r[2]) for r in fks if r[1] == 0}
        _, columns = await conn.execute_query(f'PRAGMA table_info("{table}")')
        leading |= {(table, r[1]) for r in columns if r[5] == 1}  # the primary key
        _, indexes = await conn.execute_query(f'PRAGMA index_list("{table}")')
        for index in indexes:
            _, info = await conn.execute_query(f'PRAGMA index_info("{index[1]}")')
            leading |= {(table, r[2]) for r in info if r[0] == 0}
    return keys, leading


async def test_every_foreign_key_leads_an_index(oms_app):
    conn = get_connection("default")
    read = _postgres if oms_app.state.settings.is_postgres else _sqlite
    keys, leading = await read(conn)

    assert len(keys) > 30  # the check really read the schema (core and plugin tables)
    unindexed = sorted(f"{table}.{column} -> {target}" for table, column, target in keys
                       if (table, column) not in leading)
    assert unindexed == [], "foreign keys that lead no index: " + ", ".join(unindexed)
