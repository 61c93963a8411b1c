"""The payments side's jobs: canceling a gateway's payment session after its order ended
unpaid, and refunding through the gateway (both enqueued in the order's transaction).
Registered by :mod:`oms.core_plugins`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from oms import hookimpl
from oms.config import Settings
from oms.payments.gateway import Gateway, gateway_for
from oms.payments.refunds import REFUND_JOB, refund_gave_up, run_refund
from oms.payments.services import CANCEL_SESSION_JOB, cancel_session


@hookimpl
def oms_job_handlers(settings: Settings, gateway: Gateway | None) -> Mapping[str, Any]:
    async def payment_cancel_session(payload: dict[str, Any]) -> None:
        if gateway is not None:
            await cancel_session(payload["gateway"], payload["external_id"], gateway=gateway)
            return
        temporary = gateway_for(settings)
        try:
            await cancel_session(payload["gateway"], payload["external_id"], gateway=temporary)
        finally:
            await temporary.aclose()

    async def payment_refund(payload: dict[str, Any]) -> None:
        if gateway is not None:
            await run_refund(payload["refund_id"], gateway=gateway)
            return
        temporary = gateway_for(settings)
        try:
            await run_refund(payload["refund_id"], gateway=temporary)
        finally:
            await temporary.aclose()

    return {CANCEL_SESSION_JOB: payment_cancel_session, REFUND_JOB: payment_refund}


@hookimpl
def oms_dead_job_handlers(settings: Settings) -> Mapping[str, Any]:
    async def payment_refund_dead(payload: dict[str, Any], last_error: str) -> None:
        await refund_gave_up(payload["refund_id"], last_error)

    return {REFUND_JOB: payment_refund_dead}
