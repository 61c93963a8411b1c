"""The accounts side's jobs, declared the way a plugin declares its own: the
password-reset mail (:mod:`oms.accounts.reset`). Registered by :mod:`oms.core_plugins`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from oms import hookimpl
from oms.accounts.reset import RESET_JOB
from oms.accounts.reset_mail import send_password_reset
from oms.config import Settings
from oms.notifications.mail import mailer_for
from oms.notifications.rendering import renderer_for
from oms.plugins import PluginHost


@hookimpl
def oms_job_handlers(settings: Settings, plugins: PluginHost) -> Mapping[str, Any]:
    mailer = mailer_for(settings)
    renderer = renderer_for(settings, plugins)

    async def password_reset_email(payload: dict[str, Any]) -> None:
        await send_password_reset(payload["email"], settings=settings, mailer=mailer, renderer=renderer)

    return {RESET_JOB: password_reset_email}
