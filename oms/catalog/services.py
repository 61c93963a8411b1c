"""Catalog: products and variants of plugin-owned types."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, cast

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from oms.catalog.models import Product, Variant
from oms.catalog.validation import validate_json
from oms.errors import DomainError, ErrorCode, FieldError
from oms.inventory import services as inventory
from oms.inventory.adjustments import tracked_variant
from oms.inventory.services import ensure_stock_rows
from oms.money import quantize
from oms.plugins import PluginHost

MAX_PRICE = Decimal("9999999999.99")
MAX_NAME = 200  # Product.name and Variant.name columns


@dataclasses.dataclass(frozen=True)
class VariantData:
    sku: str
    price: Decimal
    name: str | None = None
    attributes: dict[str, Any] | None = None


@dataclasses.dataclass(frozen=True)
class ProductData:
    name: str
    product_type: str
    variants: list[VariantData]
    slug: str | None = None
    description: str | None = None
    # False: a draft, hidden from the public catalog until published (updateProduct).
    published: bool = True


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:200]


async def create_product(data: ProductData, *, plugins: PluginHost, currency: str) -> Product:
    """Create a product with its variants; attributes are validated by the type's plugin.

    Stock-tracked types get an empty stock row in the default warehouse.
    """
    errors: list[FieldError] = []
    product_type = plugins.get_type(data.product_type)
    if product_type is None:
        known = ", ".join(sorted(plugins.types)) or "none"
        raise DomainError.of(
            ErrorCode.INVALID,
            f"Unknown product type {data.product_type!r} (installed: {known}).",
            ["productType"],
        )
    name = data.name.strip()
    if not name:
        errors.append(FieldError(ErrorCode.REQUIRED, "A product needs a name.", ["name"]))
    elif len(name) > MAX_NAME:
        errors.append(FieldError(ErrorCode.INVALID, f"At most {MAX_NAME} characters.", ["name"]))
    slug = slugify(data.slug if data.slug is not None else name)
    # A slug derived from a blank name is already reported as the name's error.
    if not slug and (data.slug is not None or name):
        errors.append(FieldError(ErrorCode.INVALID, "The slug must contain letters or digits.", ["slug"]))
    if not data.variants:
        errors.append(FieldError(ErrorCode.REQUIRED, "A product needs at least one variant.", ["variants"]))
    seen_skus: set[str] = set()
    for i, variant in enumerate(data.variants):
        errors.extend(await _check_variant(variant, i, seen_skus, product_type.name, plugins, currency))
    if errors:
        raise DomainError(errors)

    if await Product.filter(slug=slug).exists():
        errors.append(FieldError(ErrorCode.INVALID, f"The slug {slug!r} is taken.", ["slug"]))
    taken = set(await Variant.filter(sku__in=list(seen_skus)).values_list("sku", flat=True))
    for i, variant in enumerate(data.variants):
        if variant.sku.strip() in taken:
            errors.append(FieldError(ErrorCode.INVALID, "This sku is taken.", ["variants", i, "sku"]))
    if errors:
        raise DomainError(errors)

    try:
        async with in_transaction():
            product = await Product.create(
                name=name,
                slug=slug,
                description=(data.description or None),
                product_type=product_type.name,
                published=data.published,
            )
            variants = [
                Variant(
                    product=product,
                    sku=v.sku.strip(),
                    name=(v.name or name).strip(),
                    price=quantize(v.price, currency),
                    currency=currency,
                    attributes=v.attributes or {},
                )
                for v in data.variants
            ]
            await Variant.bulk_create(variants)
            if product_type.tracks_stock:
                # tortoise types values_list as rows of tuples even with flat=True: these are the ids.
                created = cast(list[int], await Variant.filter(product=product).values_list("id", flat=True))
                await ensure_stock_rows(list(created))
    except IntegrityError:
        # Another request took the slug or a sku between the check above and the insert.
        raise DomainError.of(ErrorCode.INVALID, "The slug or a sku was just taken; try another.", ["slug"]) from None
    return product


async def _check_variant(
    variant: VariantData,
    index: int,
    seen_skus: set[str],
    type_name: str,
    plugins: PluginHost,
    currency: str,
) -> list[FieldError]:
    field: list[str | int] = ["variants", index]
    errors = []
    sku = variant.sku.strip()
    if not sku:
        errors.append(FieldError(ErrorCode.REQUIRED, "A variant needs a sku.", [*field, "sku"]))
    elif len(sku) > 64 or not re.fullmatch(r"[A-Za-z0-9._\-]+", sku):
        errors.append(
            FieldError(
                ErrorCode.INVALID,
                "A sku is 1-64 letters, digits, dots, dashes or underscores.",
                [*field, "sku"],
            )
        )
    elif sku in seen_skus:
        errors.append(FieldError(ErrorCode.INVALID, "This sku appears twice.", [*field, "sku"]))
    seen_skus.add(sku)
    if variant.name is not None and len(variant.name.strip()) > MAX_NAME:
        errors.append(FieldError(ErrorCode.INVALID, f"At most {MAX_NAME} characters.", [*field, "name"]))
    if not variant.price.is_finite() or variant.price < 0 or variant.price > MAX_PRICE:
        errors.append(
            FieldError(ErrorCode.INVALID, "The price must be between 0 and 9999999999.99.", [*field, "price"])
        )
    elif quantize(variant.price, currency) != variant.price:
        errors.append(FieldError(ErrorCode.INVALID, f"Too many decimal places for {currency}.", [*field, "price"]))
    attributes = variant.attributes or {}
    product_type = plugins.get_type(type_name)
    assert product_type is not None  # the caller checked the type is registered
    schema_errors = validate_json(product_type.attributes_schema, attributes, [*field, "attributes"])
    errors.extend(schema_errors)
    if not schema_errors:
        plugin_errors = await plugins.call_owner(
            "oms_validate_variant", type_name, product_type=type_name, sku=sku, attributes=attributes
        )
        errors.extend(e.prefixed(*field, "attributes") for e in plugin_errors or ())
    return errors


def public_attributes(attributes: dict[str, Any], public_keys: Sequence[str]) -> dict[str, Any]:
    """The attributes the owning plugin marks public (a file's storage path never is)."""
    return {key: value for key, value in attributes.items() if key in public_keys}


async def set_stock(
    *, sku: str, quantity: int, warehouse_code: str | None, plugins: PluginHost, actor: str = "system"
) -> Variant:
    """Set units on hand of a stock-tracked variant (default warehouse when none is named);
    on the stock audit trail as ``actor`` with the reason "set"."""
    # NOT_FOUND, or INVALID when its type tracks no stock or staff turned tracking off.
    variant = await tracked_variant(sku, plugins)
    await inventory.set_stock(variant.id, quantity, warehouse_code, sku=variant.sku, actor=actor)
    return variant
