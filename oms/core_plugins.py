"""The core's own contributions to the plugin hooks, as built-in plugins.

Each domain declares its job handlers, dead-job handlers and periodic jobs in its own
``jobs`` module with the same hooks a plugin uses (``oms_job_handlers``,
``oms_dead_job_handlers``, ``oms_periodic_jobs``), so :mod:`oms.jobs` knows no domain.
The composition roots (:mod:`oms.app`, ``oms worker``) pass this list to
:meth:`oms.plugins.PluginHost.load`; ``oms plugins`` does not list them.
"""

from __future__ import annotations

from types import ModuleType

from oms import retention
from oms.fulfillment import jobs as fulfillment_jobs
from oms.notifications import jobs as notifications_jobs
from oms.orders import jobs as orders_jobs
from oms.payments import jobs as payments_jobs
from oms.webhooks import jobs as webhooks_jobs

CORE_PLUGINS: tuple[ModuleType, ...] = (orders_jobs, payments_jobs, fulfillment_jobs, notifications_jobs, webhooks_jobs)
# The retention purge (oms/retention.py) spans jobs, payments and webhooks.
CORE_PLUGINS += (retention,)

# Customer accounts (issue 14): the password-reset mail.
from oms.accounts import jobs as accounts_jobs  # noqa: E402

CORE_PLUGINS += (accounts_jobs,)
