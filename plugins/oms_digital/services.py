"""Download grants: issued when a digital line is paid, used through a signed URL,
revoked when the line is canceled or returned (some units of it: the grant keeps the
other units' share of the download limit).

Lock order (docs/architecture.md): counting a download locks the grant's order before the
grant, as a reversal (the order locked by the core) does, so the two never deadlock; a
download that loses the race to a revocation is refused.

Counting is one conditional UPDATE (``download_count < download_limit``), so ten
simultaneous requests on a grant with three downloads left get exactly three files.
Every GET of the file counts, a resumed (Range) download included: a Range request that
did not count would let anyone fetch the whole file again and again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import secrets

from itsdangerous import BadSignature, URLSafeSerializer
from tortoise.transactions import in_transaction

from oms.api import FulfillmentStatus, PluginSetting, SettingsDeclaration, fulfillment, record_event, sql, utcnow
from oms.api.models import Order, OrderLine, Variant
from oms_digital.models import DownloadGrant

TYPE_NAME = "digital"
TOKEN_SALT = "oms.digital.download"
DEFAULT_DOWNLOAD_LIMIT = 5
DEFAULT_LINK_LIFETIME_HOURS = 24 * 7
SETTINGS_PREFIX = "digital"

SETTINGS = SettingsDeclaration(SETTINGS_PREFIX, [
    PluginSetting("returns", bool, default=True,
                  help="whether a download never used may be returned; false: digital lines are never returned"),
])

_CLAIM = """
UPDATE digital_download_grant
SET download_count = download_count + 1
WHERE id = :grant AND revoked_at IS NULL
  AND (download_limit IS NULL OR download_count < download_limit)
RETURNING download_count
"""


def _signer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=TOKEN_SALT)


def grant_token(grant: DownloadGrant, secret_key: str) -> str:
    return _signer(secret_key).dumps([grant.id, grant.nonce])


def download_url(grant: DownloadGrant, *, secret_key: str, public_url: str) -> str:
    return f"{public_url.rstrip('/')}/downloads/{grant_token(grant, secret_key)}"


async def grant_for_token(token: str, secret_key: str) -> DownloadGrant | None:
    """The grant a URL token names, or None for a forged or unknown one."""
    try:
        grant_id, nonce = _signer(secret_key).loads(token)
    except (BadSignature, TypeError, ValueError):
        return None
    if not isinstance(grant_id, int) or not isinstance(nonce, str):
        return None
    grant = await DownloadGrant.get_or_none(id=grant_id)
    if grant is None or not secrets.compare_digest(grant.nonce, nonce):
        return None
    return grant


async def grant_downloads(order: Order, lines: list[OrderLine]) -> None:
    """Deliver paid digital lines: one DownloadGrant per line (its limit times the units
    bought), in one Fulfillment that is DELIVERED at once. Lines already granted are
    skipped, so a second run grants nothing. Raises when a variant has no file (the
    delivery job retries, then shows the failure to staff)."""
    locked = await fulfillment.lock_for_delivery(order.id)
    if locked is None:  # delivered and complete already
        return
    todo = {line.id: fulfillment.remaining(line) for line in lines if fulfillment.remaining(line) > 0}
    if not todo:
        return
    variants = {v.id: v for v in await Variant.filter(id__in=[line.variant_id for line in lines if line.variant_id])}
    record = await fulfillment.create_fulfillment(locked, TYPE_NAME, todo, status=FulfillmentStatus.IN_PROGRESS)
    now = utcnow()
    for line in lines:
        if line.id not in todo:
            continue
        attributes = variants[line.variant_id].attributes if line.variant_id in variants else {}
        if not attributes.get("file"):
            raise RuntimeError(f"{line.sku} has no file to deliver: upload one (uploadDigitalFile or oms add-file).")
        limit = attributes.get("download_limit", DEFAULT_DOWNLOAD_LIMIT) * todo[line.id]
        hours = attributes.get("link_lifetime_hours", DEFAULT_LINK_LIFETIME_HOURS)
        grant = await DownloadGrant.create(
            fulfillment_id=record.id,
            order_line_id=line.id,
            nonce=secrets.token_urlsafe(16),
            file=attributes["file"],
            file_name=attributes.get("file_name") or attributes["file"].rsplit("/", 1)[-1],
            content_type=attributes.get("content_type") or "application/octet-stream",
            download_limit=limit,
            units=todo[line.id],
            expires_at=now + dt.timedelta(hours=hours),
        )
        await record_event(
            locked, "download.granted",
            f"Download of {grant.file_name} ready: {limit} downloads until "
            f"{grant.expires_at:%Y-%m-%d %H:%M} UTC.",
            actor="digital", data={"sku": line.sku, "grant_id": grant.id, "download_limit": limit},
        )
    await fulfillment.mark_delivered(locked, record, actor="digital")


async def revoke_grants(
    order: Order, lines: list[OrderLine], reason: str, quantities: dict[int, int] | None = None
) -> int:
    """``oms_reverse``: revoke the live grants of ``lines`` (canceled, returned), or, when
    ``quantities`` (units by line id) names fewer units than a grant covers, take those
    units and their share of its download limit away (1 of 2 e-books returned: 5 of 10
    downloads remain). Returns how many grants changed."""
    live = await DownloadGrant.filter(order_line_id__in=[line.id for line in lines], revoked_at=None).order_by("id")
    revoked: list[DownloadGrant] = []
    reduced: list[tuple[DownloadGrant, int]] = []
    for grant in live:
        units = grant.units if quantities is None else quantities.get(grant.order_line_id, grant.units)
        if units <= 0:
            continue
        if units >= grant.units:
            revoked.append(grant)
        else:
            reduced.append((grant, units))
    now = utcnow()
    if revoked:
        await DownloadGrant.filter(id__in=[g.id for g in revoked], revoked_at=None).update(revoked_at=now)
        names = ", ".join(sorted({g.file_name for g in revoked}))
        await record_event(
            order, "download.revoked", f"Download links revoked ({reason}): {names}.",
            actor="digital", data={"reason": reason, "grant_ids": [g.id for g in revoked]},
        )
    for grant, units in reduced:
        # The limit is the per-unit limit times the units (grant_downloads): keep that so.
        limit = None if grant.download_limit is None else grant.download_limit // grant.units * (grant.units - units)
        await DownloadGrant.filter(id=grant.id).update(units=grant.units - units, download_limit=limit)
        left = "unlimited" if limit is None else str(limit)
        await record_event(
            order, "download.revoked",
            f"{units} of {grant.units} units of {grant.file_name} {reason}: {left} downloads remain in all.",
            actor="digital",
            data={"reason": reason, "grant_ids": [grant.id], "units": units, "download_limit": limit},
        )
    return len(revoked) + len(reduced)


async def return_policy(line: OrderLine, *, returns: bool) -> str | None:
    """``oms_return_policy``: a digital line may be returned only while its download link
    was never used (and not at all with ``OMS_DIGITAL_RETURNS=false``)."""
    if not returns:
        return "Downloads cannot be returned."
    if await DownloadGrant.exists(order_line_id=line.id, download_count__gt=0):
        return "This file has already been downloaded, so it can no longer be returned."
    return None


class Refusal(enum.Enum):
    REVOKED = "This download link was revoked."
    EXPIRED = "This download link has expired."
    EXHAUSTED = "This download link has been used as many times as it allows."


@dataclasses.dataclass(frozen=True)
class Claim:
    grant: DownloadGrant
    refusal: Refusal | None = None


def _refusal(grant: DownloadGrant, now: dt.datetime) -> Refusal | None:
    if grant.revoked_at is not None:
        return Refusal.REVOKED
    if grant.expires_at is not None and grant.expires_at <= now:
        return Refusal.EXPIRED
    if grant.download_limit is not None and grant.download_count >= grant.download_limit:
        return Refusal.EXHAUSTED
    return None


def check_grant(grant: DownloadGrant) -> Refusal | None:
    """Why ``grant`` cannot be used now, or None; counts nothing."""
    return _refusal(grant, utcnow())


async def claim_download(grant: DownloadGrant) -> Claim:
    """Count one download of ``grant`` if it is still usable, atomically, and write the
    timeline ("downloaded 2 of 3 times"); or say why not."""
    now = utcnow()
    refusal = _refusal(grant, now)
    if refusal is not None:
        return Claim(grant, refusal)
    order_id = (await grant.fulfillment).order_id
    async with in_transaction():
        # The order first, then the grant (the lock order of a reversal, which holds the
        # order and revokes the grant): the download's timeline event needs the order too.
        order = await Order.select_for_update().get(id=order_id)
        rows = await sql.fetch(_CLAIM, grant=grant.id)
        if not rows:  # used up or revoked since it was read
            fresh = await DownloadGrant.get(id=grant.id)
            return Claim(fresh, _refusal(fresh, now) or Refusal.EXHAUSTED)
        grant.download_count = rows[0]["download_count"]
        await DownloadGrant.filter(id=grant.id).update(last_download_at=now)
        grant.last_download_at = now
        of = f" of {grant.download_limit}" if grant.download_limit is not None else ""
        await record_event(
            order, "download.used", f"{grant.file_name} downloaded {grant.download_count}{of} times.",
            actor="digital",
            data={"grant_id": grant.id, "count": grant.download_count, "limit": grant.download_limit},
        )
    return Claim(grant)
