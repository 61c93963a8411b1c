"""``Product.images``: the GraphQL face of :mod:`oms.catalog.images`."""

from __future__ import annotations

import strawberry

from oms.catalog import images
from oms.catalog.image_models import ProductImage as ProductImageModel
from oms.graphql.common import Node, to_global_id
from oms.graphql.context import Info
from oms.graphql.loaders import many_each

# One query for the images of every product on a page (a per-request DataLoader).
images_by_product = many_each(
    lambda ids: ProductImageModel.filter(product_id__in=ids).order_by("product_id", "position", "id"), "product_id"
)


@strawberry.type(description="A product image, or its thumbnail when `images(size:)` asked for one.")
class ProductImage(Node):
    model: strawberry.Private[ProductImageModel]
    id: strawberry.ID
    url: str = strawberry.field(description="Cached for a year: the file behind a URL never changes.")
    alt: str
    width: int
    height: int

    @classmethod
    def from_model(cls, image: ProductImageModel, *, size: int | None, public_url: str) -> ProductImage:
        stored = images.thumbnail_size(size)
        width, height = images.scaled(image.width, image.height, stored)
        if (width, height) == (image.width, image.height):
            stored = None  # the original is already that small
        name = images.file_name(image.digest, image.extension, stored)
        return cls(
            model=image,
            id=to_global_id("ProductImage", image.id),
            url=f"{public_url.rstrip('/')}/media/images/{name}",
            alt=image.alt,
            width=width,
            height=height,
        )


async def product_images(info: Info, product_id: int, size: int | None) -> list[ProductImage]:
    rows = await info.context.loaders.batched(images_by_product).load(product_id)
    public_url = info.context.settings.public_url
    return [ProductImage.from_model(row, size=size, public_url=public_url) for row in rows]
