"""Running aerich on one history: the models it describes are only that history's.

At run time core and plugin models form one Tortoise app, ``models`` (plugins reference
``"models.Order"`` and their own models the same way), so aerich, which keys everything by
app, would describe every model in every history. Inside :func:`history_scope` aerich
instead works on the history's key (its rows in the ``aerich`` table, its folder), describes
only the models of the history's modules, and finds the connection and the model classes in
the ``models`` app. aerich is pinned (``aerich==0.10.1``): these are the four names it
looks up through; ``tests/test_migrations.py`` fails if one of them stops being used.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import aerich
import aerich.migrate
from aerich import utils as aerich_utils
from aerich.migrate import Migrate
from tortoise import Tortoise

from oms.migrate.layout import APP, History

_ORIGINAL_CONNECTION = aerich_utils.get_app_connection
_ORIGINAL_CONNECTION_NAME = aerich_utils.get_app_connection_name
_ORIGINAL_DESCRIBE = aerich_utils.get_models_describe


def scoped_describe(history: History) -> dict[str, dict[str, Any]]:
    """aerich's description of the models of ``history`` only (all from the ``models`` app)."""
    described = _ORIGINAL_DESCRIBE(APP)
    modules = set(history.modules)
    return {
        name: description
        for name, description in described.items()
        if Tortoise.apps[APP][name.split(".", 1)[1]].__module__ in modules
    }


@contextlib.contextmanager
def history_scope(history: History) -> Iterator[None]:
    """Make aerich (called with ``app=history.key``) see only ``history``'s models."""

    def describe(app: str) -> dict[str, dict[str, Any]]:
        return scoped_describe(history) if app == history.key else _ORIGINAL_DESCRIBE(app)

    def connection(config: dict, app: str) -> Any:
        return _ORIGINAL_CONNECTION(config, APP if app == history.key else app)

    def connection_name(config: dict, app: str) -> str:
        return _ORIGINAL_CONNECTION_NAME(config, APP if app == history.key else app)

    original_get_model = Migrate.__dict__["_get_model"]

    def get_model(cls: type[Migrate], model: str) -> Any:
        return Tortoise.apps[APP].get(model)

    patches = [
        (aerich, "get_models_describe", describe),
        (aerich.migrate, "get_models_describe", describe),
        (aerich, "get_app_connection", connection),
        (aerich.migrate, "get_app_connection", connection),
        (aerich, "get_app_connection_name", connection_name),
    ]
    saved = [(module, name, getattr(module, name)) for module, name, _ in patches]
    try:
        for module, name, replacement in patches:
            setattr(module, name, replacement)
        Migrate._get_model = classmethod(get_model)  # type: ignore[method-assign,assignment]
        yield
    finally:
        for module, name, value in saved:
            setattr(module, name, value)
        Migrate._get_model = original_get_model  # type: ignore[method-assign]
