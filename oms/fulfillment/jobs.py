"""The fulfillment side's jobs: the delivery job that hands paid lines to their plugin
(enqueued by :mod:`oms.orders.lifecycle` when an order is paid), and what happens when it
gives up for good. Registered by :mod:`oms.core_plugins`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from oms import hookimpl
from oms.fulfillment.services import deliver, record_delivery_failure
from oms.orders.lifecycle import DELIVER_JOB
from oms.plugins import PluginHost


@hookimpl
def oms_job_handlers(plugins: PluginHost) -> Mapping[str, Any]:
    async def order_deliver(payload: dict[str, Any]) -> None:
        await deliver(payload["order_id"], payload["product_type"], plugins=plugins)

    return {DELIVER_JOB: order_deliver}


@hookimpl
def oms_dead_job_handlers() -> Mapping[str, Any]:
    async def delivery_dead(payload: dict[str, Any], error: str) -> None:
        await record_delivery_failure(payload["order_id"], payload["product_type"], error)

    return {DELIVER_JOB: delivery_dead}
