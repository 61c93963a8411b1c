"""The start-up check of ``oms serve`` / ``oms worker``: is every history fully applied?

Cheap on purpose (one query, no aerich, no Tortoise): the versions recorded in the
``aerich`` table are compared with the files each history ships for the dialect.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

from oms.config import Settings
from oms.migrate.layout import History


async def _applied_versions(settings: Settings) -> set[tuple[str, str]]:
    if settings.is_postgres:
        import asyncpg

        from oms.migrate.databases import _asyncpg_dsn

        conn = await asyncpg.connect(_asyncpg_dsn(settings.database_url), timeout=settings.db_connect_timeout_seconds)
        try:
            if await conn.fetchval("SELECT to_regclass('aerich')") is None:
                return set()
            rows = await conn.fetch("SELECT app, version FROM aerich", timeout=settings.db_command_timeout_seconds)
        finally:
            await conn.close(timeout=settings.db_connect_timeout_seconds)
        return {(row[0], row[1]) for row in rows}
    path = settings.database_url[len("sqlite://") :]
    if not Path(path).is_file():  # never migrated (and not created by asking)
        return set()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=settings.db_command_timeout_seconds)
    try:
        try:
            return {(app, version) for app, version in conn.execute("SELECT app, version FROM aerich")}
        except sqlite3.OperationalError:  # no aerich table
            return set()
    finally:
        conn.close()


async def behind_histories(settings: Settings, histories: Sequence[History]) -> list[str]:
    """One line per history whose shipped migrations are not all applied (empty: ready)."""
    applied = await _applied_versions(settings)
    problems = []
    for history in histories:
        shipped = [path.name for path in history.files(settings.dialect)]
        done = [name for name in shipped if (history.key, name) in applied]
        if not shipped:
            problems.append(
                f"{history.label} ships no {settings.dialect} migrations, so `oms migrate` cannot create "
                f"its tables (expected in {history.folder(settings.dialect)})"
            )
        elif len(done) < len(shipped):
            problems.append(
                f"{history.label} is not migrated ({len(done)} of {len(shipped)} migrations applied): run `oms migrate`"
            )
    return problems
