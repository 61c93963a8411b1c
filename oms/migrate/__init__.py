"""Database migrations: aerich, one history per owner, one folder of raw-SQL migrations
per dialect.

The core's history (key ``models``) and each plugin's (key: its package; declared with the
``oms_migrations`` hook) are separate: their own files, their own rows in the ``aerich``
table. Layout (aerich's own: ``<location>/<key>``)::

    oms/migrations/sqlite/models/0_<timestamp>_init.py, 1_<timestamp>_<name>.py, ...
    oms/migrations/postgres/models/...
    <plugin package>/migrations/sqlite/<plugin package>/0_<timestamp>_init.py, ...
    <plugin package>/migrations/postgres/<plugin package>/...

The folders ship inside the packages (package data), so installed wheels can migrate. The
two dialects' folders of a history are generated from the same models and must stay in
step. ``oms migrate`` applies the core's history, then each plugin's (dependencies first).

Commands (run from anywhere; the folders are found next to the ``oms`` package)::

    # Apply the pending migrations to OMS_DATABASE_URL (or --database-url URL):
    python -m oms.migrate upgrade

    # Every history (core, then plugins), as `oms migrate` does:
    python -m oms.migrate upgrade --all

    # After changing models: write a new migration for BOTH dialects. It builds a
    # throwaway SQLite file and a throwaway PostgreSQL database (created and dropped on
    # the server of OMS_MIGRATIONS_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres),
    # applies the existing migrations there, diffs the models and applies the new file.
    python -m oms.migrate make add_order_notes
    # ... of a plugin (its entry-point name or package), into that plugin's package:
    python -m oms.migrate make init --plugin tickets

    # Before the first release only: throw the migrations away and write the initial
    # ones again from the current models.
    python -m oms.migrate make init --fresh

    # CI: exit 1 when the models (core or a plugin's) have changes no migration captures.
    python -m oms.migrate check

The ``[tool.tortoise]`` section of pyproject.toml points the ``aerich`` CLI at
:data:`AERICH_CONFIG` (computed lazily from OMS_DATABASE_URL, SQLite only) so that
``aerich history`` / ``aerich heads`` work from the repository root; create migrations with
``python -m oms.migrate make`` rather than ``aerich migrate`` (which writes one dialect only).

aerich keeps process-wide state (class attributes of ``aerich.migrate.Migrate``: pending
SQL operators, the last models state, the dialect) and never resets it; Tortoise binds the
(global) model classes to the connection of the last ``init``. Every function here
therefore runs aerich inside :func:`isolated_tortoise`, which uses a private
``TortoiseContext``, resets aerich's state before and after, and gives already-bound
models back their previous binding.
"""

from __future__ import annotations

import os
from typing import Any

# Only the ``aerich init`` CLI prints this note, but the CLI may run in this environment.
os.environ.setdefault("AERICH_NO_TORTOISE_V1_WARNING", "1")

from oms.config import DEFAULT_DATABASE_URL  # noqa: E402
from oms.migrate.databases import temporary_database, temporary_postgres_database  # noqa: E402
from oms.migrate.histories import all_histories, find_history, plugin_histories  # noqa: E402
from oms.migrate.isolation import isolated_tortoise  # noqa: E402
from oms.migrate.layout import (  # noqa: E402
    APP,
    DEFAULT_PG_ADMIN_URL,
    DIALECTS,
    MIGRATIONS_ROOT,
    History,
    MigrationError,
    aerich_tortoise_config,
    core_history,
    dialect_of,
    migration_files,
    migrations_dir,
    migrations_location,
)
from oms.migrate.operations import (  # noqa: E402
    apply_all_migrations,
    apply_migrations,
    check_migrations,
    make_migrations,
    pending_model_changes,
)
from oms.migrate.status import behind_histories  # noqa: E402

__all__ = [
    "APP",
    "DEFAULT_PG_ADMIN_URL",
    "DIALECTS",
    "MIGRATIONS_ROOT",
    "History",
    "MigrationError",
    "aerich_tortoise_config",
    "all_histories",
    "apply_all_migrations",
    "apply_migrations",
    "behind_histories",
    "check_migrations",
    "core_history",
    "dialect_of",
    "find_history",
    "isolated_tortoise",
    "make_migrations",
    "migration_files",
    "migrations_dir",
    "migrations_location",
    "pending_model_changes",
    "plugin_histories",
    "temporary_database",
    "temporary_postgres_database",
]


def __getattr__(name: str) -> Any:
    # ``AERICH_CONFIG`` for the aerich CLI ([tool.tortoise] in pyproject.toml). Lazy, so
    # importing this module neither reads the environment nor loads plugins.
    if name == "AERICH_CONFIG":
        url = os.environ.get("OMS_DATABASE_URL") or DEFAULT_DATABASE_URL
        if dialect_of(url) != "sqlite":
            import asyncclick

            raise asyncclick.ClickException(
                "pyproject.toml's [tool.tortoise] uses oms/migrations/sqlite; for PostgreSQL run "
                "`python -m oms.migrate upgrade` (or aerich -c with a postgres config)."
            )
        return aerich_tortoise_config(url)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
