"""Where the migrations live and how aerich is configured for each dialect."""

from __future__ import annotations

import copy
import os
import re
from pathlib import Path
from typing import Any

from aerich.migrate import Migrate

from oms.config import Settings
from oms.db import tortoise_config


APP = "models"
DIALECTS = ("sqlite", "postgres")
DEFAULT_PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
# The migrations live at the repository root (the project is installed editable).
MIGRATIONS_ROOT = Path(
    os.environ.get("OMS_MIGRATIONS_ROOT") or Path(__file__).resolve().parents[2] / "migrations"
)
_VERSION_FILE = re.compile(r"^(\d+)_(\d{14})_(\w+)\.py$")
MIGRATION_NAME = re.compile(r"^[a-z][a-z0-9_]{0,80}$")
PG_SCHEMES = ("postgres://", "postgresql://", "asyncpg://")


class MigrationError(RuntimeError):
    """Migrations are missing, do not apply, or do not match the models."""


# -- paths ----------------------------------------------------------------------------------


def migrations_location(dialect: str) -> Path:
    """aerich's ``location`` for a dialect (``migrations/<dialect>``)."""
    if dialect not in DIALECTS:
        raise ValueError(f"Unknown dialect {dialect!r}; expected one of {DIALECTS}")
    return MIGRATIONS_ROOT / dialect


def migrations_dir(dialect: str) -> Path:
    """The folder holding the migration files of a dialect (``migrations/<dialect>/models``)."""
    return Migrate.get_migration_dir(str(migrations_location(dialect)), APP)


def migration_files(dialect: str) -> list[Path]:
    """The migration files of a dialect, in order."""
    folder = migrations_dir(dialect)
    if not folder.is_dir():
        return []
    files = [p for p in folder.iterdir() if _VERSION_FILE.match(p.name)]
    return sorted(files, key=lambda p: int(p.name.split("_", 1)[0]))


def dialect_of(database_url: str) -> str:
    return "postgres" if database_url.startswith(PG_SCHEMES) else "sqlite"


# -- configuration ----------------------------------------------------------------------------


def aerich_tortoise_config(
    database_url: str, plugin_modules: list[str] | None = None
) -> dict[str, Any]:
    """The app's Tortoise config plus ``aerich.models``, on a connection label of its own.

    Tortoise caches INSERT statements per (connection label, table); a label per dialect
    keeps the aerich table's statements of one dialect away from the other, and away from
    the app's ``default`` connection.
    """
    config = copy.deepcopy(
        tortoise_config(Settings(database_url=database_url), plugin_modules, with_aerich=True)
    )
    label = f"oms_migrate_{dialect_of(database_url)}"
    config["connections"] = {label: config["connections"]["default"]}
    config["apps"][APP]["default_connection"] = label
    return config
