"""The core's jobs come through the plugin hooks, like a plugin's: the job registry
knows no domain, a plugin's dead-job handler is called, and clashes with the core's
kinds are start-up errors."""

from __future__ import annotations

import datetime as dt

import pytest

from oms import hookimpl
from oms.config import Settings
from oms.core_plugins import CORE_PLUGINS
from oms.jobs.models import Job, JobStatus
from oms.jobs.registry import JobRegistry
from oms.jobs.services import enqueue, utcnow
from oms.jobs.worker import Worker
from oms.plugins import PluginConfigError, PluginHost

CORE_KINDS = {"order.event", "order.send_link", "order.deliver", "payment.cancel_session", "payment.refund"}


class Mailer:
    """A plugin job whose failures it wants to hear of."""

    def __init__(self) -> None:
        self.dead: list[tuple[dict, str]] = []

    @hookimpl
    def oms_job_handlers(self):
        async def send(payload):
            raise ConnectionError("smtp down")

        return {"mailer.send": send}

    @hookimpl
    def oms_dead_job_handlers(self):
        async def gave_up(payload, error):
            self.dead.append((payload, error))

        return {"mailer.send": gave_up}


@pytest.mark.parametrize("oms_extra_plugins", [[Mailer()]], ids=["mailer"])
async def test_hook_oms_dead_job_handlers(oms_app, oms_extra_plugins):
    [mailer] = oms_extra_plugins
    job = await enqueue("mailer.send", {"to": "ada@example.com"}, max_attempts=1)
    registry = JobRegistry.build(oms_app.state.plugins, oms_app.state.settings)
    # The core's dead handlers (a delivery, a refund, a mail that gave up) are there beside the plugin's.
    assert set(registry.dead_handlers) == {"order.deliver", "payment.refund", "notification.email", "mailer.send"}
    await Worker(registry, clock=lambda: utcnow() + dt.timedelta(seconds=5)).run_once()
    assert (await Job.get(id=job.id)).status == JobStatus.DEAD
    assert len(mailer.dead) == 1
    payload, error = mailer.dead[0]
    assert payload == {"to": "ada@example.com"} and "smtp down" in error


def test_the_core_jobs_come_from_the_core_plugins():
    settings = Settings()
    with_core = JobRegistry.build(PluginHost.load(core_plugins=CORE_PLUGINS), settings)
    assert CORE_KINDS <= set(with_core.handlers)
    assert "orders.expire_unpaid" in [job.name for job in with_core.periodic]
    # Without them the registry has none of the core's kinds: it holds no list of its own.
    bare = JobRegistry.build(PluginHost.load(), settings)
    assert not CORE_KINDS & set(bare.handlers) and not bare.dead_handlers
    assert "orders.expire_unpaid" not in [job.name for job in bare.periodic]


def test_core_plugins_are_not_listed_as_plugins():
    host = PluginHost.load(core_plugins=CORE_PLUGINS)
    assert host.plugin_names() == PluginHost.load().plugin_names()


class Thief:
    @hookimpl
    def oms_dead_job_handlers(self):
        return {"order.deliver": lambda payload, error: None}


def test_a_dead_handler_for_a_core_kind_is_a_start_up_error():
    host = PluginHost.load([Thief()], core_plugins=CORE_PLUGINS)
    with pytest.raises(PluginConfigError, match="'order.deliver' has two dead-job handlers"):
        JobRegistry.build(host, Settings())
