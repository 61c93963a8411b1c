"""Catalog editing for staff (MANAGE_CATALOG): products, variants, images, the audit trail."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any, cast

import strawberry
from starlette.datastructures import UploadFile
from strawberry.file_uploads import Upload
from strawberry.scalars import JSON

from oms.accounts.permissions import Permission
from oms.catalog import audit, editing, images
from oms.catalog.image_fetch import fetch_image
from oms.catalog.models import Product as ProductModel
from oms.catalog.services import VariantData
from oms.errors import DomainError, ErrorCode
from oms.graphql.accounts import ResultPayload
from oms.graphql.catalog import Product, ProductPayload, Variant
from oms.graphql.catalog_images import ProductImage
from oms.graphql.common import PageInfo, UserError, connection, decode_cursor, parse_id, to_global_id
from oms.graphql.context import Info
from oms.graphql.mutations import mutation

UPLOAD_CHUNK_BYTES = 1024 * 1024


@strawberry.input
class UpdateProductInput:
    name: str | None = None
    slug: str | None = None
    description: str | None = strawberry.field(default=None, description="An empty string clears it.")
    published: bool | None = strawberry.field(default=None, description="False: a draft, hidden from the public.")
    archived: bool | None = strawberry.field(default=None, description="True archives, false restores.")


@strawberry.input
class CreateVariantInput:
    product_id: strawberry.ID
    sku: str
    name: str | None = None
    price: Decimal
    attributes: JSON | None = strawberry.field(default=None, description="Validated by the owning plugin.")
    track_stock: bool = strawberry.field(
        default=True, description="False: placement reserves no stock for it and it is never out of stock."
    )


@strawberry.input
class UpdateVariantInput:
    name: str | None = None
    price: Decimal | None = strawberry.field(
        default=None, description="Placed orders keep the price they were placed at."
    )
    attributes: JSON | None = strawberry.field(default=None, description="Replaces the attributes whole.")
    sku: str | None = None
    track_stock: bool | None = strawberry.field(
        default=None,
        description="False: orders placed from now on reserve nothing (reservations already made stay with their "
        "orders); true again: tracking starts from the stock levels as they are.",
    )


@strawberry.type
class VariantPayload:
    variant: Variant | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class RemoveVariantPayload:
    deleted: bool = strawberry.field(default=False, description="False: orders reference it, so it was archived.")
    variant: Variant | None = strawberry.field(default=None, description="The archived variant (null when deleted).")
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ProductImagePayload:
    product: Product | None = None
    image: ProductImage | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type(description="One change on the catalog's audit trail.")
class CatalogChange:
    id: strawberry.ID
    field: str = strawberry.field(description="price, name, slug, sku, attributes, published, archived, created...")
    old_value: JSON | None
    new_value: JSON | None
    sku: str | None = strawberry.field(description="The variant's sku at the time; null for the product's own fields.")
    actor: str
    created_at: dt.datetime

    @classmethod
    def from_model(cls, row: audit.CatalogChange) -> CatalogChange:
        return cls(
            id=to_global_id("CatalogChange", row.id),
            field=row.field,
            old_value=JSON(row.old),
            new_value=JSON(row.new),
            sku=row.sku,
            actor=row.actor,
            created_at=row.created_at,
        )


@strawberry.type
class CatalogChangeEdge:
    node: CatalogChange
    cursor: str


@strawberry.type
class CatalogChangeConnection:
    edges: list[CatalogChangeEdge]
    page_info: PageInfo
    total_count: int


def _attributes(value: Any, field: str) -> dict[str, Any] | None:
    if value is not None and not isinstance(value, dict):
        raise DomainError.of(ErrorCode.INVALID, "Attributes must be a JSON object.", [field])
    return cast(dict[str, Any] | None, value)


async def _product(pk: int) -> Product | None:
    product = await ProductModel.get_or_none(id=pk)
    return Product.from_model(product) if product else None


@strawberry.type
class CatalogAdminQuery:
    @strawberry.field(description="Staff: a product's audit trail (prices, names, archiving...), newest first.")
    async def catalog_changes(
        self, info: Info, product_id: strawberry.ID, first: int | None = None, after: str | None = None
    ) -> CatalogChangeConnection:
        info.context.require_permission(Permission.MANAGE_CATALOG)
        pk = parse_id(product_id, "Product", ["productId"])
        page = await audit.list_changes(pk, first=first, after_id=decode_cursor(after))
        return connection(CatalogChangeConnection, CatalogChangeEdge, page, CatalogChange.from_model)


@strawberry.type
class CatalogAdminMutation:
    @mutation(description="Staff.")
    async def update_product(self, info: Info, id: strawberry.ID, input: UpdateProductInput) -> ProductPayload:
        info.context.require_permission(Permission.MANAGE_CATALOG)
        changes = editing.ProductChanges(
            name=input.name,
            slug=input.slug,
            description=input.description,
            published=input.published,
            archived=input.archived,
        )
        pk = parse_id(id, "Product", ["id"])
        product = await editing.update_product(pk, changes, actor=info.context.viewer.actor)
        return ProductPayload(product=Product.from_model(product))

    @mutation(description="Staff: hide from the catalog, keep for the orders that reference it.")
    async def archive_product(self, info: Info, id: strawberry.ID) -> ProductPayload:
        info.context.require_permission(Permission.MANAGE_CATALOG)
        product = await editing.archive_product(parse_id(id, "Product", ["id"]), actor=info.context.viewer.actor)
        return ProductPayload(product=Product.from_model(product))

    @mutation(description="Staff: refused while orders reference it.")
    async def delete_product(self, info: Info, id: strawberry.ID) -> ResultPayload:
        context = info.context
        context.require_permission(Permission.MANAGE_CATALOG)
        await editing.delete_product(
            parse_id(id, "Product", ["id"]), actor=context.viewer.actor, media_root=context.settings.media_root
        )
        return ResultPayload(ok=True)

    @mutation(description="Staff.")
    async def create_variant(self, info: Info, input: CreateVariantInput) -> VariantPayload:
        context = info.context
        context.require_permission(Permission.MANAGE_CATALOG)
        data = VariantData(
            sku=input.sku, name=input.name, price=input.price, attributes=_attributes(input.attributes, "attributes")
        )
        variant = await editing.create_variant(
            parse_id(input.product_id, "Product", ["productId"]),
            data,
            plugins=context.plugins,
            currency=context.settings.currency,
            actor=context.viewer.actor,
            track_stock=input.track_stock,
        )
        return VariantPayload(variant=Variant.from_model(variant))

    @mutation(description="Staff: placed orders keep their prices.")
    async def update_variant(self, info: Info, id: strawberry.ID, input: UpdateVariantInput) -> VariantPayload:
        context = info.context
        context.require_permission(Permission.MANAGE_CATALOG)
        changes = editing.VariantChanges(
            sku=input.sku,
            name=input.name,
            price=input.price,
            attributes=_attributes(input.attributes, "attributes"),
            track_stock=input.track_stock,
        )
        variant = await editing.update_variant(
            parse_id(id, "Variant", ["id"]),
            changes,
            plugins=context.plugins,
            currency=context.settings.currency,
            actor=context.viewer.actor,
        )
        return VariantPayload(variant=Variant.from_model(variant))

    @mutation(description="Staff: delete a variant, or archive it when orders reference it.")
    async def remove_variant(self, info: Info, id: strawberry.ID) -> RemoveVariantPayload:
        info.context.require_permission(Permission.MANAGE_CATALOG)
        archived = await editing.remove_variant(parse_id(id, "Variant", ["id"]), actor=info.context.viewer.actor)
        if archived is None:
            return RemoveVariantPayload(deleted=True)
        return RemoveVariantPayload(variant=Variant.from_model(archived))

    @mutation(
        description="Staff: add an image, uploaded (GraphQL multipart request, `file`) or fetched from a public "
        "`url`. JPEG, PNG, GIF or WebP."
    )
    async def add_product_image(
        self,
        info: Info,
        product_id: strawberry.ID,
        file: Upload | None = None,
        url: str | None = None,
        alt: str | None = None,
    ) -> ProductImagePayload:
        context = info.context
        context.require_permission(Permission.MANAGE_CATALOG)
        settings = context.settings
        pk = parse_id(product_id, "Product", ["productId"])
        if (file is None) == (url is None):
            raise DomainError.of(ErrorCode.REQUIRED, "Give either a file or a url.", ["file"])
        if file is not None:
            upload = cast(UploadFile, file)  # Starlette hands the multipart part over as an UploadFile
            data = await images.read_capped(_chunks(upload), settings.max_image_bytes)
        else:
            data = await fetch_image(
                cast(str, url), max_bytes=settings.max_image_bytes, allow_private=settings.image_fetch_allow_private
            )
        image = await images.add_image(
            pk, data, alt=alt, media_root=settings.media_root, max_pixels=settings.max_image_pixels,
            actor=context.viewer.actor,
        )
        return ProductImagePayload(
            product=await _product(pk),
            image=ProductImage.from_model(image, size=None, public_url=settings.public_url),
        )

    @mutation(
        description="Staff: take an image off its product; its file and thumbnails are deleted once no product "
        "uses the same image."
    )
    async def remove_product_image(self, info: Info, id: strawberry.ID) -> ProductPayload:
        context = info.context
        context.require_permission(Permission.MANAGE_CATALOG)
        product_id = await images.remove_image(
            parse_id(id, "ProductImage", ["id"]), actor=context.viewer.actor, media_root=context.settings.media_root
        )
        return ProductPayload(product=await _product(product_id))

    @mutation(description="Staff: the product's images in a new order (every image once).")
    async def reorder_product_images(
        self, info: Info, product_id: strawberry.ID, image_ids: list[strawberry.ID]
    ) -> ProductPayload:
        info.context.require_permission(Permission.MANAGE_CATALOG)
        pk = parse_id(product_id, "Product", ["productId"])
        if len(image_ids) > images.MAX_IMAGES_PER_PRODUCT:
            raise DomainError.of(ErrorCode.INVALID, "List every image of the product exactly once.", ["imageIds"])
        ids = [parse_id(image_id, "ProductImage", ["imageIds"]) for image_id in image_ids]
        await images.reorder_images(pk, ids, actor=info.context.viewer.actor)
        return ProductPayload(product=await _product(pk))


async def _chunks(upload: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await upload.read(UPLOAD_CHUNK_BYTES):
        yield chunk

