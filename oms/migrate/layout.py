"""Where the migrations live and how aerich is configured for each dialect.

A *history* is one sequence of migrations with its own rows in the ``aerich`` table (its
``app`` column is the history's key): the core's (key ``models``, in ``oms/migrations``) and
one per plugin that declares ``oms_migrations`` (key: the plugin's package, in
``<package>/migrations``). Each history has one folder per dialect, in aerich's layout
``<root>/<dialect>/<key>/<n>_<timestamp>_<name>.py``.
"""

from __future__ import annotations

import copy
import dataclasses
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
# The core's migrations ship inside the package (package data), so a wheel can migrate.
MIGRATIONS_ROOT = Path(os.environ.get("OMS_MIGRATIONS_ROOT") or Path(__file__).resolve().parents[1] / "migrations")
_VERSION_FILE = re.compile(r"^(\d+)_(\d{14})_(\w+)\.py$")
MIGRATION_NAME = re.compile(r"^[a-z][a-z0-9_]{0,80}$")
PG_SCHEMES = ("postgres://", "postgresql://", "asyncpg://")


class MigrationError(RuntimeError):
    """Migrations are missing, do not apply, or do not match the models."""


# The core's model modules (``oms.db.CORE_MODEL_MODULES``) plus aerich's own table, which
# the core history has always described.
_AERICH_MODULE = "aerich.models"


@dataclasses.dataclass(frozen=True)
class History:
    """One migration history: whose it is, where its files are, which models it covers.

    ``root=None`` means the core's folder (:data:`MIGRATIONS_ROOT`, read when used, so a
    test may point it elsewhere).
    """

    key: str  # the aerich table's ``app`` value; also the folder name under each dialect
    label: str  # for messages: "core" or "plugin 'tickets'"
    modules: tuple[str, ...]  # the model modules whose tables this history creates
    root: Path | None = None
    plugin: str | None = None  # the plugin's name (its entry point), None for the core
    after: tuple[str, ...] = ()  # keys of histories whose tables this one references

    @property
    def folder_root(self) -> Path:
        return MIGRATIONS_ROOT if self.root is None else self.root

    def location(self, dialect: str) -> Path:
        if dialect not in DIALECTS:
            raise ValueError(f"Unknown dialect {dialect!r}; expected one of {DIALECTS}")
        return self.folder_root / dialect

    def folder(self, dialect: str) -> Path:
        return Migrate.get_migration_dir(str(self.location(dialect)), self.key)

    def files(self, dialect: str) -> list[Path]:
        folder = self.folder(dialect)
        if not folder.is_dir():
            return []
        files = [p for p in folder.iterdir() if _VERSION_FILE.match(p.name)]
        return sorted(files, key=lambda p: int(p.name.split("_", 1)[0]))


def core_history() -> History:
    from oms.db import CORE_MODEL_MODULES

    return History(key=APP, label="core", modules=(*CORE_MODEL_MODULES, _AERICH_MODULE))


# -- paths (of the core history; kept for callers that know only the core) --------------------


def migrations_location(dialect: str) -> Path:
    """aerich's ``location`` for a dialect of the core (``oms/migrations/<dialect>``)."""
    return core_history().location(dialect)


def migrations_dir(dialect: str) -> Path:
    """The folder of the core's migration files (``oms/migrations/<dialect>/models``)."""
    return core_history().folder(dialect)


def migration_files(dialect: str) -> list[Path]:
    """The core's migration files of a dialect, in order."""
    return core_history().files(dialect)


def dialect_of(database_url: str) -> str:
    return "postgres" if database_url.startswith(PG_SCHEMES) else "sqlite"


# -- configuration ----------------------------------------------------------------------------


def aerich_tortoise_config(database_url: str, plugin_modules: list[str] | None = None) -> dict[str, Any]:
    """The app's Tortoise config plus ``aerich.models``, on a connection label of its own.

    Tortoise caches INSERT statements per (connection label, table); a label per dialect
    keeps the aerich table's statements of one dialect away from the other, and away from
    the app's ``default`` connection.
    """
    config = copy.deepcopy(tortoise_config(Settings(database_url=database_url), plugin_modules, with_aerich=True))
    label = f"oms_migrate_{dialect_of(database_url)}"
    config["connections"] = {label: config["connections"]["default"]}
    config["apps"][APP]["default_connection"] = label
    return config
