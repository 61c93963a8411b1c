"""Catalog editing for staff: update, archive and delete products; add, update and remove
variants. Every change is on the audit trail (:mod:`oms.catalog.audit`), written in the
change's own transaction.

Placed orders never change with the catalog: an order line stores its sku, name and unit
price when the order is placed, so a new price applies to carts and orders from then on.
A product or variant that orders reference can be archived (hidden from the public
catalog, refused in carts) but not deleted.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any, cast

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from oms.catalog import audit, images
from oms.catalog.image_models import ProductImage
from oms.catalog.models import Product, Variant
from oms.catalog.services import MAX_NAME, VariantData, _check_variant, slugify
from oms.clock import utcnow
from oms.errors import DomainError, ErrorCode, FieldError
from oms.inventory.services import ensure_stock_rows, tracks_stock
from oms.money import quantize
from oms.plugins import PluginHost

MAX_DESCRIPTION = 20_000


@dataclasses.dataclass(frozen=True)
class ProductChanges:
    """What ``updateProduct`` sets; None leaves a field as it is."""

    name: str | None = None
    slug: str | None = None
    # An empty description clears it.
    description: str | None = None
    published: bool | None = None
    archived: bool | None = None


@dataclasses.dataclass(frozen=True)
class VariantChanges:
    """What ``updateVariant`` sets; None leaves a field as it is. Attributes are replaced whole."""

    sku: str | None = None
    name: str | None = None
    price: Decimal | None = None
    attributes: dict[str, Any] | None = None
    # False: placement reserves nothing for it and it is never out of stock; True again
    # starts from its stock levels as they are (oms.inventory.services.tracks_stock).
    track_stock: bool | None = None


async def _locked_product(product_id: int) -> Product:
    product = await Product.filter(id=product_id).select_for_update().first()
    if product is None:
        raise DomainError.of(ErrorCode.NOT_FOUND, "No such product.", ["id"])
    return product


async def _locked_variant(variant_id: int) -> Variant:
    variant = await Variant.filter(id=variant_id).select_for_update().first()
    if variant is None:
        raise DomainError.of(ErrorCode.NOT_FOUND, "No such variant.", ["id"])
    return variant


async def _ordered(variant_ids: list[int]) -> bool:
    """Whether any order line points at one of the variants (through the order lines'
    foreign key, ``Variant.order_lines``: the catalog does not import the orders domain)."""
    if not variant_ids:
        return False
    return await Variant.filter(id__in=variant_ids, order_lines__id__isnull=False).exists()


def _check_product_changes(changes: ProductChanges) -> tuple[dict[str, Any], list[FieldError]]:
    """The new column values, or the errors of the input (before any query)."""
    values: dict[str, Any] = {}
    errors: list[FieldError] = []
    if changes.name is not None:
        name = changes.name.strip()
        if not name:
            errors.append(FieldError(ErrorCode.REQUIRED, "A product needs a name.", ["name"]))
        elif len(name) > MAX_NAME:
            errors.append(FieldError(ErrorCode.INVALID, f"At most {MAX_NAME} characters.", ["name"]))
        values["name"] = name
    if changes.slug is not None:
        slug = slugify(changes.slug)
        if not slug:
            errors.append(FieldError(ErrorCode.INVALID, "The slug must contain letters or digits.", ["slug"]))
        values["slug"] = slug
    if changes.description is not None:
        if len(changes.description) > MAX_DESCRIPTION:
            errors.append(FieldError(ErrorCode.INVALID, f"At most {MAX_DESCRIPTION} characters.", ["description"]))
        values["description"] = changes.description.strip() or None
    if changes.published is not None:
        values["published"] = changes.published
    return values, errors


async def update_product(product_id: int, changes: ProductChanges, *, actor: str) -> Product:
    """Rename, re-slug, describe, publish or unpublish, archive or restore a product."""
    values, errors = _check_product_changes(changes)
    if errors:
        raise DomainError(errors)
    try:
        async with in_transaction():
            product = await _locked_product(product_id)
            if "slug" in values and values["slug"] != product.slug:
                if await Product.filter(slug=values["slug"]).exclude(id=product.id).exists():
                    raise DomainError.of(ErrorCode.INVALID, f"The slug {values['slug']!r} is taken.", ["slug"])
            if changes.archived is not None and changes.archived != (product.archived_at is not None):
                values["archived_at"] = utcnow() if changes.archived else None
            trail = []
            for field, new in values.items():
                old = getattr(product, field)
                if old == new:
                    continue
                setattr(product, field, new)
                label = "archived" if field == "archived_at" else field
                trail.append(audit.change(product.id, label, _shown(field, old), _shown(field, new), actor=actor))
            if trail:
                await product.save()
                await audit.record(trail)
    except IntegrityError:
        # Another request took the slug between the check and the update.
        raise DomainError.of(ErrorCode.INVALID, "The slug was just taken; try another.", ["slug"]) from None
    return product


def _shown(field: str, value: Any) -> Any:
    """An audit value: archived is recorded as true/false, not as a time."""
    return value is not None if field == "archived_at" else value


async def archive_product(product_id: int, *, actor: str) -> Product:
    """Hide a product from the public catalog and carts; orders that reference it keep it.
    Archiving an archived product changes nothing."""
    return await update_product(product_id, ProductChanges(archived=True), actor=actor)


async def delete_product(product_id: int, *, actor: str, media_root: str | None = None) -> None:
    """Delete a product that no order references (REFERENCED_BY_ORDERS otherwise: archive it).
    Its images go with it; once committed, their files under ``media_root`` are deleted
    unless another product's image uses the same bytes (None keeps the files)."""
    async with in_transaction():
        product = await _locked_product(product_id)
        # Locked in id order, as placement locks them: an order placed meanwhile is seen.
        variants = await Variant.filter(product_id=product.id).select_for_update().order_by("id")
        if await _ordered([v.id for v in variants]):
            raise DomainError.of(
                ErrorCode.REFERENCED_BY_ORDERS,
                "Orders reference this product: archive it instead (archiveProduct).",
                ["id"],
            )
        files = await ProductImage.filter(product_id=product.id).values_list("digest", "extension")
        trail = [audit.change(product.id, "image.removed", f"{d}.{e}", None, actor=actor) for d, e in files]
        trail.append(audit.change(product.id, "deleted", product.slug, None, actor=actor))
        await audit.record(trail)
        await product.delete()  # its image rows too (ON DELETE CASCADE)
        drop = images.after_commit_drop_files(cast(list[tuple[str, str]], files), media_root)
    await drop.wait()


async def create_variant(
    product_id: int, data: VariantData, *, plugins: PluginHost, currency: str, actor: str, track_stock: bool = True
) -> Variant:
    """Add a variant; its attributes are validated like createProduct's (the type's schema,
    then the owning plugin's ``oms_validate_variant``). ``track_stock`` False: its stock
    is not tracked even if its type tracks stock."""
    product = await Product.get_or_none(id=product_id)
    if product is None:
        raise DomainError.of(ErrorCode.NOT_FOUND, "No such product.", ["productId"])
    product_type = plugins.get_type(product.product_type)
    if product_type is None:
        raise DomainError.of(ErrorCode.INVALID, f"No plugin owns the type {product.product_type!r}.", ["productId"])
    errors = [_unprefixed(e) for e in await _check_variant(data, 0, set(), product_type.name, plugins, currency)]
    if errors:
        raise DomainError(errors)
    sku = data.sku.strip()
    if await Variant.filter(sku=sku).exists():
        raise DomainError.of(ErrorCode.INVALID, "This sku is taken.", ["sku"])
    try:
        async with in_transaction():
            variant = await Variant.create(
                product=product,
                sku=sku,
                name=(data.name or product.name).strip(),
                price=quantize(data.price, currency),
                currency=currency,
                attributes=data.attributes or {},
                track_stock=track_stock,
            )
            if tracks_stock(product_type, variant):
                await ensure_stock_rows([variant.id])
            created = audit.change(
                product.id, "created", None, str(variant.price), actor=actor, variant_id=variant.id, sku=sku
            )
            await audit.record([created])
    except IntegrityError:
        raise DomainError.of(ErrorCode.INVALID, "This sku was just taken; try another.", ["sku"]) from None
    return variant


def _unprefixed(error: FieldError) -> FieldError:
    """``_check_variant`` names fields as in createProduct (variants.0.price); here the
    input is the variant itself (price)."""
    field = tuple(error.field or ())
    if field[:2] != ("variants", "0"):
        return error
    return FieldError(error.code, error.message, field[2:], error.retry_after)


async def update_variant(
    variant_id: int, changes: VariantChanges, *, plugins: PluginHost, currency: str, actor: str
) -> Variant:
    """Change a variant's sku, name, price, attributes or stock tracking. Placed orders keep
    the price they were placed at (their lines store it); the change is on the audit trail.

    Turning stock tracking off leaves stock rows and their reservations as they are: orders
    placed before keep their reserved units (released on cancel, deducted on shipping),
    orders placed after reserve none. Turning it on again starts from those stock levels."""
    current = await Variant.get_or_none(id=variant_id).select_related("product")
    if current is None:
        raise DomainError.of(ErrorCode.NOT_FOUND, "No such variant.", ["id"])
    if plugins.get_type(current.product.product_type) is None:
        raise DomainError.of(ErrorCode.INVALID, f"No plugin owns the type {current.product.product_type!r}.", ["id"])
    merged = VariantData(
        sku=changes.sku if changes.sku is not None else current.sku,
        name=changes.name if changes.name is not None else current.name,
        price=changes.price if changes.price is not None else current.price,
        attributes=changes.attributes if changes.attributes is not None else current.attributes,
    )
    if changes.name is not None and not changes.name.strip():
        raise DomainError.of(ErrorCode.REQUIRED, "A variant needs a name.", ["name"])
    # Unchanged attributes are not re-validated: a plugin's rules may have grown stricter
    # since, and a price change must not depend on them.
    check = merged if changes.attributes is not None else dataclasses.replace(merged, attributes=None)
    product_type = current.product.product_type
    errors = [_unprefixed(e) for e in await _check_variant(check, 0, set(), product_type, plugins, currency)]
    if changes.attributes is None:
        errors = [e for e in errors if tuple(e.field or ())[:1] != ("attributes",)]
    if errors:
        raise DomainError(errors)
    values: dict[str, Any] = {}
    if changes.sku is not None:
        values["sku"] = merged.sku.strip()
    if changes.name is not None:
        values["name"] = merged.name.strip() if merged.name else current.name
    if changes.price is not None:
        values["price"] = quantize(merged.price, currency)
    if changes.attributes is not None:
        values["attributes"] = merged.attributes
    if changes.track_stock is not None:
        values["track_stock"] = changes.track_stock
    if "sku" in values and values["sku"] != current.sku:
        if await Variant.filter(sku=values["sku"]).exclude(id=current.id).exists():
            raise DomainError.of(ErrorCode.INVALID, "This sku is taken.", ["sku"])
    try:
        async with in_transaction():
            variant = await _locked_variant(variant_id)
            turned_on = changes.track_stock is True and not variant.track_stock
            trail = []
            for field, new in values.items():
                old = getattr(variant, field)
                if old == new:
                    continue
                setattr(variant, field, new)
                trail.append(
                    audit.change(
                        variant.product_id, field, old, new, actor=actor, variant_id=variant.id, sku=variant.sku
                    )
                )
            if trail:
                await variant.save()
                await audit.record(trail)
            if turned_on and tracks_stock(plugins.get_type(product_type), variant):
                await ensure_stock_rows([variant.id])  # a row to count into, if it never had one
    except IntegrityError:
        raise DomainError.of(ErrorCode.INVALID, "This sku was just taken; try another.", ["sku"]) from None
    return variant


async def remove_variant(variant_id: int, *, actor: str) -> Variant | None:
    """Delete a variant no order references, or archive one that orders reference (it
    disappears from the catalog and carts; the orders keep it). None when deleted, the
    archived variant otherwise. A product's last variant on sale stays: archive the product."""
    async with in_transaction():
        variant = await _locked_variant(variant_id)
        others = Variant.filter(product_id=variant.product_id, archived_at__isnull=True).exclude(id=variant.id)
        if variant.archived_at is None and not await others.exists():
            raise DomainError.of(
                ErrorCode.INVALID, "This is the product's last variant: archive or delete the product instead.", ["id"]
            )
        if await _ordered([variant.id]):
            if variant.archived_at is None:
                variant.archived_at = utcnow()
                await variant.save(update_fields=["archived_at"])
                await audit.record(
                    [audit.change(variant.product_id, "archived", False, True, actor=actor,
                                  variant_id=variant.id, sku=variant.sku)]
                )
            return variant
        await audit.record(
            [audit.change(variant.product_id, "removed", variant.sku, None, actor=actor,
                          variant_id=variant.id, sku=variant.sku)]
        )
        await variant.delete()
        return None
