"""Tax classes of products and variants (staff): which rate a line pays."""

from __future__ import annotations

from oms.catalog.models import Product, Variant
from oms.errors import DomainError, ErrorCode
from oms.taxes.rates import MAX_CLASS


def _clean_class(tax_class: str | None) -> str | None:
    value = (tax_class or "").strip() or None
    if value is not None and len(value) > MAX_CLASS:
        raise DomainError.of(ErrorCode.INVALID, f"At most {MAX_CLASS} characters.", ["taxClass"])
    return value


async def set_product_tax_class(product_id: int, tax_class: str | None) -> None:
    """Set (or clear, with None: its product type's) the tax class of a product's variants."""
    value = _clean_class(tax_class)
    if not await Product.filter(id=product_id).update(tax_class=value):
        raise DomainError.of(ErrorCode.NOT_FOUND, "No such product.", ["id"])


async def set_variant_tax_class(variant_id: int, tax_class: str | None) -> None:
    """Set (or clear, with None: its product's) the tax class of one variant."""
    value = _clean_class(tax_class)
    if not await Variant.filter(id=variant_id).update(tax_class=value):
        raise DomainError.of(ErrorCode.NOT_FOUND, "No such variant.", ["id"])
