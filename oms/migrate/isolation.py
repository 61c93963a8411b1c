"""Running aerich beside the app's Tortoise: a private context, and aerich's
class-level state reset before and after."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import AsyncIterator
from typing import Any

from aerich.migrate import Migrate
from tortoise.context import TortoiseContext, get_current_context


def _reset_aerich_state() -> None:
    Migrate.upgrade_operators = []
    Migrate.downgrade_operators = []
    Migrate._upgrade_fk_m2m_index_operators = []
    Migrate._downgrade_fk_m2m_index_operators = []
    Migrate._upgrade_m2m = []
    Migrate._downgrade_m2m = []
    Migrate._rename_fields = {}
    Migrate._rename_models = {}
    Migrate._last_version_content = None
    Migrate._db_version = None
    for attr in ("ddl", "ddl_class", "dialect", "migrate_location"):
        if attr in Migrate.__dict__:
            delattr(Migrate, attr)


_MODEL_META_ATTRS = ("app", "default_connection", "basetable", "basequery", "basequery_all_fields")


def _snapshot_bound_models() -> list[tuple[Any, dict[str, Any]]]:
    ctx = get_current_context()
    if ctx is None or not ctx.inited or ctx.apps is None:
        return []
    return [
        (model, {a: getattr(model._meta, a, None) for a in _MODEL_META_ATTRS})
        for model in ctx.apps.get_models_iterable()
    ]


@contextlib.asynccontextmanager
async def isolated_tortoise() -> AsyncIterator[TortoiseContext]:
    """A private, current ``TortoiseContext`` for aerich (or a test) to ``Tortoise.init`` in.

    On exit its connections are closed and the previous context (if any) is current again;
    model classes the previous context had bound get their binding back; aerich's
    class-level state is cleared. No bytecode is written into the migrations folders.
    """
    saved_models = _snapshot_bound_models()
    saved_bytecode_flag = sys.dont_write_bytecode
    _reset_aerich_state()
    sys.dont_write_bytecode = True
    try:
        async with TortoiseContext() as ctx:
            yield ctx
    finally:
        sys.dont_write_bytecode = saved_bytecode_flag
        _reset_aerich_state()
        for model, attrs in saved_models:
            for attr, value in attrs.items():
                setattr(model._meta, attr, value)
