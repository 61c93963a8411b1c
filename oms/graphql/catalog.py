"""Catalog types, queries and mutations."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from oms.accounts.permissions import Permission
from oms.catalog import browse, models
from oms.catalog import services as catalog
from oms.errors import DomainError, ErrorCode
from oms.graphql.catalog_browse import ProductFilter, ProductSort
from oms.graphql.catalog_images import ProductImage, product_images
from oms.graphql.common import (
    Money,
    Node,
    PageInfo,
    UserError,
    connection,
    decode_cursor,
    from_global_id,
    to_global_id,
)
from oms.graphql.context import Info
from oms.graphql.mutations import mutation
from oms.graphql.stock import StockLevel, stock_levels_of
from oms.inventory.services import tracks_stock


@strawberry.type(description="A product type and the plugin that delivers it.")
class ProductTypeInfo:
    name: str
    plugin: str
    description: str = strawberry.field(description="One line from the plugin: what this type is.")
    requires_shipping: bool
    tracks_stock: bool
    options_schema: JSON | None = strawberry.field(
        description="JSON schema of the `options` a cart line of this type takes."
    )
    attributes_schema: JSON | None = strawberry.field(
        description="JSON schema of a variant's `attributes` for this type."
    )


@strawberry.type
class Product(Node):
    model: strawberry.Private[models.Product]
    id: strawberry.ID
    name: str
    slug: str
    description: str | None
    product_type: str

    @classmethod
    def from_model(cls, product: models.Product) -> Product:
        return cls(
            model=product,
            id=to_global_id("Product", product.id),
            name=product.name,
            slug=product.slug,
            description=product.description,
            product_type=product.product_type,
        )

    @strawberry.field
    async def variants(self, info: Info) -> list[Variant]:
        rows = await info.context.loaders.variants_by_product.load(self.model.id)
        if not sees_hidden(info):  # removed variants that orders reference stay for staff only
            rows = [v for v in rows if v.archived_at is None]
        return [Variant.from_model(v) for v in rows]

    @strawberry.field(description="False: a draft, hidden from the public catalog.")
    def published(self) -> bool:
        return self.model.published

    @strawberry.field(description="Hidden from the catalog and carts; kept for the orders that reference it.")
    def archived(self) -> bool:
        return self.model.archived_at is not None

    @strawberry.field(
        description="In display order. `size`: a thumbnail at most this many pixels wide and high "
        "(rounded up to 64, 128, 256, 512, 1024 or 2048); the original when omitted."
    )
    async def images(self, info: Info, size: int | None = None) -> list[ProductImage]:
        return await product_images(info, self.model.id, size)

    @strawberry.field(description="The lowest and highest variant price; null for a product without variants.")
    async def price_range(self, info: Info) -> PriceRange | None:
        variants = await info.context.loaders.variants_by_product.load(self.model.id)
        rows = [v for v in variants if v.archived_at is None]
        if not rows:
            return None
        low = min(rows, key=lambda v: v.price)
        high = max(rows, key=lambda v: v.price)
        return PriceRange(min=Money.of(low.price, low.currency), max=Money.of(high.price, high.currency))


def sees_hidden(info: Info) -> bool:
    """Staff who edit the catalog see drafts, archived products and archived variants."""
    return info.context.viewer.has(Permission.MANAGE_CATALOG)


@strawberry.type(description="Lowest and highest price of a product's variants.")
class PriceRange:
    min: Money
    max: Money


@strawberry.type
class Variant(Node):
    model: strawberry.Private[models.Variant]
    id: strawberry.ID
    sku: str
    name: str

    @classmethod
    def from_model(cls, variant: models.Variant) -> Variant:
        return cls(model=variant, id=to_global_id("Variant", variant.id), sku=variant.sku, name=variant.name)

    @strawberry.field(description="Removed from sale; kept for the orders that reference it.")
    def archived(self) -> bool:
        return self.model.archived_at is not None

    @strawberry.field
    def price(self) -> Money:
        return Money.of(self.model.price, self.model.currency)

    @strawberry.field
    async def product(self, info: Info) -> Product:
        return Product.from_model(await self._product(info))

    async def _product(self, info: Info) -> models.Product:
        product = await info.context.loaders.product.load(self.model.product_id)
        assert product is not None  # a variant's product (a non-null foreign key, deleted with it)
        return product

    @strawberry.field(
        description="Units that can still be ordered; null where no stock is tracked (its type, or trackStock off)."
    )
    async def quantity_available(self, info: Info) -> int | None:
        product = await self._product(info)
        if not tracks_stock(info.context.plugins.get_type(product.product_type), self.model):
            return None
        return await info.context.loaders.available_by_variant.load(self.model.id)

    @strawberry.field(description="Type-specific data; the public sees only what the owning plugin marks public.")
    async def attributes(self, info: Info) -> JSON | None:
        if info.context.viewer.has(Permission.MANAGE_CATALOG):
            return JSON(self.model.attributes)
        product = await self._product(info)
        product_type = info.context.plugins.get_type(product.product_type)
        public = product_type.public_attributes if product_type else ()
        return JSON(catalog.public_attributes(self.model.attributes or {}, public))

    @strawberry.field(description="Staff only: units per warehouse (empty where the type tracks no stock).")
    async def stock_levels(self, info: Info) -> list[StockLevel]:
        return await stock_levels_of(info, self.model.id)

    @strawberry.field(
        description="Whether a cart may take this variant now: units available where the type tracks "
        "stock, else true (a consultation still needs a free slot: availableSlots)."
    )
    async def available_for_sale(self, info: Info) -> bool:
        product = await self._product(info)
        if not product.on_sale or self.model.archived_at is not None:
            return False  # a draft or archived: carts refuse it
        product_type = info.context.plugins.get_type(product.product_type)
        if not tracks_stock(product_type, self.model):
            return product_type is not None
        return await info.context.loaders.available_by_variant.load(self.model.id) > 0

    @strawberry.field(
        description="Staff's setting (updateVariant): false, placement reserves nothing and it is never out of "
        "stock. Stock is tracked only when its product type tracks stock too (productTypes tracksStock)."
    )
    def track_stock(self) -> bool:
        return self.model.track_stock


@strawberry.type
class ProductEdge:
    node: Product
    cursor: str


@strawberry.type
class ProductConnection:
    edges: list[ProductEdge]
    page_info: PageInfo
    total_count: int


@strawberry.input
class VariantInput:
    sku: str
    name: str | None = None
    price: Decimal
    attributes: JSON | None = strawberry.field(
        default=None,
        description=(
            "Type-specific data validated by the owning plugin: a file for a download, an interval\n"
            "for a subscription, a duration and consultants for a consultation, a weight for a parcel."
        ),
    )


@strawberry.input
class CreateProductInput:
    name: str
    slug: str | None = None
    description: str | None = None
    product_type: str
    variants: list[VariantInput]
    published: bool = strawberry.field(default=True, description="False: create a draft, hidden until published.")


@strawberry.type
class ProductPayload:
    product: Product | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class SetStockInput:
    sku: str
    warehouse: str | None = strawberry.field(
        default=None, description="Warehouse code; the default warehouse when omitted."
    )
    quantity: int = strawberry.field(description="Units on hand (not counting reservations).")


@strawberry.type
class StockPayload:
    variant: Variant | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


def product_type_infos(info: Info) -> list[ProductTypeInfo]:
    plugins = info.context.plugins
    return [
        ProductTypeInfo(
            name=name,
            plugin=registered.plugin_name,
            description=registered.product_type.description,
            requires_shipping=registered.product_type.requires_shipping,
            tracks_stock=registered.product_type.tracks_stock,
            options_schema=JSON(registered.product_type.options_schema),
            attributes_schema=JSON(registered.product_type.attributes_schema),
        )
        for name, registered in sorted(plugins.types.items())
    ]


@strawberry.type
class CatalogQuery:
    @strawberry.field(
        description="Without `sort`, in catalog order. Cursors belong to their sort; `filter` conditions "
        "must all hold (with `productType` and `search`)."
    )
    async def products(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        product_type: str | None = None,
        search: str | None = None,
        sort: ProductSort | None = None,
        filter: ProductFilter | None = None,
    ) -> ProductConnection:
        filters = filter.to_domain() if filter else None
        plugins, currency = info.context.plugins, info.context.settings.currency
        if sort is None:
            page = await browse.list_products(
                product_type=product_type,
                search=search,
                first=first,
                after_id=decode_cursor(after),
                on_sale_only=not sees_hidden(info),
                filters=filters,
                plugins=plugins,
                currency=currency,
            )
            return connection(ProductConnection, ProductEdge, page, Product.from_model)
        qs = browse.product_queryset(product_type=product_type, search=search, on_sale_only=not sees_hidden(info))
        sorted_page = await browse.browse_products(
            browse.apply_filter(qs, filters, plugins=plugins, currency=currency),
            sort=sort.to_domain(),
            first=first,
            after=after,
        )
        edges = [
            ProductEdge(node=Product.from_model(p), cursor=c)
            for p, c in zip(sorted_page.items, sorted_page.cursors, strict=True)
        ]
        return ProductConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=sorted_page.has_next,
                has_previous_page=sorted_page.has_previous,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            total_count=sorted_page.total,
        )

    @strawberry.field
    async def product(self, info: Info, id: strawberry.ID | None = None, slug: str | None = None) -> Product | None:
        if id is not None:
            parsed = from_global_id(id)
            if parsed is None or parsed[0] != "Product":
                return None
            product = await models.Product.get_or_none(id=parsed[1])
        elif slug is not None:
            product = await models.Product.get_or_none(slug=slug)
        else:
            return None
        if product is None or not (product.on_sale or sees_hidden(info)):
            return None
        return Product.from_model(product)

    @strawberry.field
    def product_types(self, info: Info) -> list[ProductTypeInfo]:
        return product_type_infos(info)


def _to_product_data(data: CreateProductInput) -> catalog.ProductData:
    for i, variant in enumerate(data.variants):
        if variant.attributes is not None and not isinstance(variant.attributes, dict):
            raise DomainError.of(ErrorCode.INVALID, "Attributes must be a JSON object.", ["variants", i, "attributes"])
    return catalog.ProductData(
        name=data.name,
        slug=data.slug,
        description=data.description,
        product_type=data.product_type,
        published=data.published,
        variants=[
            catalog.VariantData(
                # attributes: checked above to be an object (or null).
                sku=v.sku,
                name=v.name,
                price=v.price,
                attributes=cast(dict[str, Any], v.attributes or {}),
            )
            for v in data.variants
        ],
    )


@strawberry.type
class CatalogMutation:
    @mutation(description="Staff: add a product of any registered type.")
    async def create_product(self, info: Info, input: CreateProductInput) -> ProductPayload:
        info.context.require_permission(Permission.MANAGE_CATALOG)
        product = await catalog.create_product(
            _to_product_data(input),
            plugins=info.context.plugins,
            currency=info.context.settings.currency,
        )
        return ProductPayload(product=Product.from_model(product))

    @mutation(description="Staff: set units on hand of a stock-tracked variant.")
    async def set_stock(self, info: Info, input: SetStockInput) -> StockPayload:
        info.context.require_permission(Permission.MANAGE_CATALOG)
        variant = await catalog.set_stock(
            sku=input.sku,
            quantity=input.quantity,
            warehouse_code=input.warehouse,
            plugins=info.context.plugins,
            actor=info.context.viewer.actor,
        )
        return StockPayload(variant=Variant.from_model(variant))
