"""The inputs of ``products(sort:, filter:)``: how storefronts sort and narrow the catalog."""

from __future__ import annotations

import enum
from decimal import Decimal

import strawberry

from oms.catalog import browse

strawberry.enum(
    browse.SortField,
    name="ProductSortField",
    description='PRICE: the "from" price (priceRange.min); NAME; CREATED: when the product was added.',
)
ProductSortField = browse.SortField


@strawberry.enum
class ProductSortDirection(enum.Enum):
    ASC = "ASC"
    DESC = "DESC"


@strawberry.input(
    description="How to sort products; the id breaks ties. Direction by default: ascending for PRICE and "
    "NAME, newest first for CREATED. Without a sort, products come in catalog order."
)
class ProductSort:
    field: ProductSortField
    direction: ProductSortDirection | None = None

    def to_domain(self) -> browse.ProductSort:
        descending = None if self.direction is None else self.direction is ProductSortDirection.DESC
        return browse.ProductSort(field=self.field, descending=descending)


@strawberry.input(description="Every condition given must hold.")
class ProductFilter:
    product_types: list[str] | None = strawberry.field(default=None, description="Any of these types.")
    min_price: Decimal | None = strawberry.field(
        default=None, description='In the store currency; compared with the "from" price (priceRange.min).'
    )
    max_price: Decimal | None = strawberry.field(
        default=None, description='In the store currency; compared with the "from" price (priceRange.min).'
    )
    available_for_sale: bool | None = strawberry.field(
        default=None,
        description="True: products with at least one variant whose availableForSale is true; false: none.",
    )

    def to_domain(self) -> browse.ProductFilter:
        return browse.ProductFilter(
            product_types=self.product_types,
            min_price=self.min_price,
            max_price=self.max_price,
            available_for_sale=self.available_for_sale,
        )
