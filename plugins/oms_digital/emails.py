"""What the digital plugin adds to transactional email: the download links."""

from __future__ import annotations

from typing import Any

from oms.api import EmailContent, Settings
from oms_digital.models import DownloadGrant
from oms_digital.services import download_url


async def email_content(event: Any, message: str | None, settings: Settings) -> EmailContent | None:
    """``download_ready`` (the ``download.granted`` event of one grant): its link, limit and expiry."""
    if message != "download_ready":
        return None
    grant_id = (event.data or {}).get("grant_id")
    grant = await DownloadGrant.get_or_none(id=grant_id, revoked_at=None) if grant_id else None
    if grant is None:
        return EmailContent(context={"downloads": []})
    download = {
        "name": grant.file_name,
        "url": download_url(grant, secret_key=settings.secret_key, public_url=settings.public_url),
        "limit": grant.download_limit,
        "remaining": grant.downloads_remaining,
        "expires_at": grant.expires_at,
    }
    return EmailContent(context={"downloads": [download]})
