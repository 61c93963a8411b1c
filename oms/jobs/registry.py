"""What the worker can run: job handlers by kind, and periodic jobs.

The core's handlers and periodic jobs come from :mod:`oms.jobs.core`; plugins add theirs
through the ``oms_job_handlers`` and ``oms_periodic_jobs`` hooks.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any

from oms.config import Settings
from oms.payments.gateway import Gateway
from oms.plugin_types import PeriodicJob
from oms.plugins import PluginConfigError, PluginHost

Handler = Callable[[dict[str, Any]], Awaitable[None] | None]
DeadHandler = Callable[[dict[str, Any], str], Awaitable[None] | None]


@dataclasses.dataclass(frozen=True)
class JobRegistry:
    handlers: dict[str, Handler]
    periodic: list[PeriodicJob]
    # Called once a job of the kind gives up for good, with its payload and last error.
    dead_handlers: dict[str, DeadHandler] = dataclasses.field(default_factory=dict)

    @classmethod
    def build(cls, plugins: PluginHost, settings: Settings, *, gateway: Gateway | None = None) -> JobRegistry:
        """``gateway`` is the process's payment gateway (closed by its owner); without one,
        jobs that need it open a gateway for the call."""
        from oms.jobs.core import core_dead_handlers, core_handlers, core_periodic_jobs

        handlers: dict[str, Handler] = dict(core_handlers(plugins, settings, gateway))
        for mapping in plugins.call_all_sync("oms_job_handlers", settings=settings, plugins=plugins, gateway=gateway):
            for kind, handler in (mapping or {}).items():
                if kind in handlers:
                    raise PluginConfigError(f"Job kind {kind!r} has two handlers.")
                handlers[kind] = handler
        periodic = list(core_periodic_jobs(plugins, settings)) + plugins.collect(
            "oms_periodic_jobs", settings=settings, plugins=plugins
        )
        names = [job.name for job in periodic]
        duplicates = {name for name in names if names.count(name) > 1}
        if duplicates:
            raise PluginConfigError(f"Periodic job names must be unique: {sorted(duplicates)}")
        return cls(
            handlers=handlers, periodic=periodic, dead_handlers=core_dead_handlers(plugins, settings)
        )
