"""The core's job handlers and periodic jobs (kinds the core enqueues itself)."""

from __future__ import annotations

from oms.config import Settings
from oms.plugin_types import PeriodicJob
from oms.plugins import PluginHost


def core_handlers(plugins: PluginHost, settings: Settings) -> dict:
    """Handlers of the job kinds the core enqueues, by kind."""
    return {}


def core_periodic_jobs(plugins: PluginHost, settings: Settings) -> list[PeriodicJob]:
    return []
