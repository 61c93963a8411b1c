"""Tortoise configuration: one ``models`` app holding core and plugin models."""

from __future__ import annotations

from typing import Any

from oms.config import Settings

CORE_MODEL_MODULES = [
    "oms.catalog.models",
    "oms.inventory.models",
    "oms.accounts.models",
    "oms.orders.models",
    "oms.jobs.models",
    "oms.payments.models",
    "oms.fulfillment.models",
]


def model_modules(plugin_modules: list[str] | None = None) -> list[str]:
    if plugin_modules is None:
        from oms.plugins import PluginHost, plugin_model_modules

        plugin_modules = plugin_model_modules(PluginHost.load())
    return CORE_MODEL_MODULES + [m for m in plugin_modules if m not in CORE_MODEL_MODULES]


def db_url_for_tortoise(url: str) -> str:
    # Tortoise names the asyncpg backend "postgres"; accept the common "postgresql" spelling.
    if url.startswith("postgresql://"):
        return "postgres://" + url[len("postgresql://") :]
    return url


def tortoise_config(
    settings: Settings, plugin_modules: list[str] | None = None, *, with_aerich: bool = False
) -> dict[str, Any]:
    modules = model_modules(plugin_modules)
    if with_aerich:
        modules = modules + ["aerich.models"]
    return {
        "connections": {"default": db_url_for_tortoise(settings.database_url)},
        "apps": {"models": {"models": modules, "default_connection": "default"}},
        "use_tz": True,
        "timezone": "UTC",
    }
