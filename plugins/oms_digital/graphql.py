"""The digital plugin's part of the GraphQL schema: the ``DigitalDelivery`` member of
``FulfillmentDetails`` with its ``DownloadGrant``s, and ``uploadDigitalFile`` for staff."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import cast

import strawberry
from starlette.datastructures import UploadFile
from strawberry.file_uploads import Upload

from oms.api import Permission
from oms.api.graphql import (
    FULFILLMENT_STATUS_DESCRIPTION,
    FulfillmentStatus,
    Info,
    UserError,
    Variant,
    fulfillment_status_of,
    mutation,
    to_global_id,
)
from oms.api.models import Fulfillment as FulfillmentModel
from oms_digital import services
from oms_digital.files import CHUNK_BYTES, store_file
from oms_digital.models import DownloadGrant as DownloadGrantModel


@strawberry.type
class DownloadGrant:
    model: strawberry.Private[DownloadGrantModel]
    id: strawberry.ID
    file_name: str
    content_type: str
    expires_at: dt.datetime | None
    downloads_remaining: int | None
    download_count: int
    download_limit: int | None
    revoked: bool

    @classmethod
    def from_model(cls, grant: DownloadGrantModel) -> DownloadGrant:
        return cls(
            model=grant,
            id=to_global_id("DownloadGrant", grant.id),
            file_name=grant.file_name,
            content_type=grant.content_type,
            expires_at=grant.expires_at,
            downloads_remaining=grant.downloads_remaining,
            download_count=grant.download_count,
            download_limit=grant.download_limit,
            revoked=grant.revoked_at is not None,
        )

    @strawberry.field(description="Signed, expiring download URL.")
    def url(self, info: Info) -> str:
        settings = info.context.settings
        return services.download_url(self.model, secret_key=settings.secret_key, public_url=settings.public_url)


@strawberry.type(description="Download links: the digital plugin's fulfillment details.")
class DigitalDelivery:
    downloads: list[DownloadGrant]
    fulfillment_id: strawberry.Private[int | None] = None

    @strawberry.field(description=FULFILLMENT_STATUS_DESCRIPTION)
    async def fulfillment_status(self, info: Info) -> FulfillmentStatus:
        return await fulfillment_status_of(info, self.fulfillment_id)

    @classmethod
    async def from_fulfillments(cls, fulfillments: list[FulfillmentModel]) -> list[DigitalDelivery | None]:
        """The details of a page of fulfillments: one query for all their grants."""
        ours = [f.id for f in fulfillments if f.product_type == services.TYPE_NAME]
        grants: dict[int, list[DownloadGrant]] = {pk: [] for pk in ours}
        if ours:
            for grant in await DownloadGrantModel.filter(fulfillment_id__in=ours).order_by("id"):
                grants[grant.fulfillment_id].append(DownloadGrant.from_model(grant))
        return [cls(downloads=grants[f.id], fulfillment_id=f.id) if f.id in grants else None for f in fulfillments]

    @classmethod
    async def from_fulfillment(cls, fulfillment: FulfillmentModel) -> DigitalDelivery | None:
        return (await cls.from_fulfillments([fulfillment]))[0]


@strawberry.type
class UploadDigitalFilePayload:
    variant: Variant | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


async def _chunks(upload: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await upload.read(CHUNK_BYTES):
        yield chunk


@strawberry.type
class DigitalMutation:
    @mutation(
        description="Staff: the file sold with a digital variant (GraphQL multipart request). "
        "Orders already delivered keep the file they were sold."
    )
    async def upload_digital_file(self, info: Info, sku: str, file: Upload) -> UploadDigitalFilePayload:
        context = info.context
        context.require_permission(Permission.MANAGE_CATALOG)
        # ``Upload`` is the schema's scalar; on Starlette the file part arrives as an UploadFile.
        upload = cast(UploadFile, file)
        variant = await store_file(
            sku, _chunks(upload), file_name=upload.filename or "download", content_type=upload.content_type,
            media_root=context.settings.media_root,
        )
        return UploadDigitalFilePayload(variant=Variant.from_model(variant))
