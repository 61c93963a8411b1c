"""What the worker can run: job handlers by kind, and periodic jobs.

Everything comes through the plugin hooks ``oms_job_handlers``, ``oms_dead_job_handlers``
and ``oms_periodic_jobs``: the core's own jobs too, declared by each domain's ``jobs``
module and registered as core plugins (:mod:`oms.core_plugins`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from oms.config import Settings
from oms.plugin_types import PeriodicJob
from oms.plugins import PluginConfigError, PluginHost

if TYPE_CHECKING:  # the worker hands the process's gateway through; jobs need no payments code
    from oms.payments.gateway import Gateway

Handler = Callable[[dict[str, Any]], Awaitable[None] | None]
# Told that a job of its kind is DEAD: ``(payload, last_error)``, may be async.
DeadHandler = Callable[[dict[str, Any], str], Awaitable[None] | None]


@dataclasses.dataclass(frozen=True)
class JobRegistry:
    handlers: dict[str, Handler]
    periodic: list[PeriodicJob]
    # Called once a job of the kind gives up for good, with its payload and last error.
    dead_handlers: dict[str, DeadHandler] = dataclasses.field(default_factory=dict)

    @classmethod
    def build(cls, plugins: PluginHost, settings: Settings, *, gateway: Gateway | None = None) -> JobRegistry:
        """Collect every handler, dead-job handler and periodic job from the plugin hooks:
        the core's come from the core plugins registered on the host
        (:mod:`oms.core_plugins`), so this module knows no domain.

        ``gateway`` is the process's payment gateway (closed by its owner); without one,
        jobs that need it open a gateway for the call."""
        kwargs = {"settings": settings, "plugins": plugins}
        handlers: dict[str, Handler] = _merged(
            plugins.call_all_sync("oms_job_handlers", **kwargs, gateway=gateway), "a handler"
        )
        dead_handlers: dict[str, DeadHandler] = _merged(
            plugins.call_all_sync("oms_dead_job_handlers", **kwargs), "a dead-job handler"
        )
        # Periodic jobs in registration order (pluggy calls the last registered first).
        periodic = [
            job for jobs in reversed(plugins.call_all_sync("oms_periodic_jobs", **kwargs)) for job in jobs or ()
        ]
        names = [job.name for job in periodic]
        duplicates = {name for name in names if names.count(name) > 1}
        if duplicates:
            raise PluginConfigError(f"Periodic job names must be unique: {sorted(duplicates)}")
        return cls(handlers=handlers, periodic=periodic, dead_handlers=dead_handlers)


def _merged(mappings: list[Any], what: str) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for mapping in mappings:
        for kind, handler in (mapping or {}).items():
            if kind in merged:
                raise PluginConfigError(
                    f"Job kind {kind!r} has two handlers."
                    if what == "a handler"
                    else f"Job kind {kind!r} has two dead-job handlers."
                )
            merged[kind] = handler
    return merged
