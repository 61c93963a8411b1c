"""Digital downloads: delivered as signed, expiring download links after payment."""

from __future__ import annotations

from oms import hookimpl
from oms.plugin_types import ProductType

TYPE_NAME = "digital"

ATTRIBUTES_SCHEMA = {
    "type": "object",
    "properties": {
        # Path under OMS_MEDIA_ROOT: never shown to the public.
        "file": {"type": "string", "minLength": 1, "maxLength": 500},
        "file_name": {"type": "string", "minLength": 1, "maxLength": 200},
        "content_type": {"type": "string", "maxLength": 100},
        "download_limit": {"type": "integer", "minimum": 1, "maximum": 1000},
        "link_lifetime_hours": {"type": "integer", "minimum": 1, "maximum": 24 * 365},
    },
    "additionalProperties": False,
}

DIGITAL = ProductType(
    name=TYPE_NAME,
    attributes_schema=ATTRIBUTES_SCHEMA,
    public_attributes=("file_name", "content_type", "download_limit", "link_lifetime_hours"),
    description="Files downloaded through signed, expiring links.",
)


@hookimpl
def oms_product_types() -> list[ProductType]:
    return [DIGITAL]


@hookimpl
def oms_validate_variant(product_type: str, sku: str, attributes: dict):
    from oms.errors import ErrorCode, FieldError

    file_path = attributes.get("file")
    if file_path and (file_path.startswith("/") or ".." in file_path.split("/")):
        return [
            FieldError(
                ErrorCode.INVALID, "The file must be a relative path under the media root.", ["file"]
            )
        ]
    return None
