"""Digital downloads: delivered as signed, expiring download links after payment.

What this plugin does, hook by hook:

- ``oms_product_types``: the ``digital`` type; variant attributes name the file (under
  ``OMS_MEDIA_ROOT``, never shown to the public), its download limit and link lifetime.
- ``oms_deliver``: a DownloadGrant per paid line, delivered at once.
- ``oms_settings``: ``OMS_DIGITAL_RETURNS`` (true): whether digital lines may be returned.
- ``oms_return_policy``: only while the download link was never used.
- ``oms_reverse``: revokes the grants of canceled or returned lines (of some units: their
  share of the download limit).
- ``oms_routes``: ``GET /downloads/{token}`` streams the file.
- ``oms_graphql_types`` / ``oms_graphql_fields``: ``DigitalDelivery`` details and
  ``uploadDigitalFile``.
- ``oms_cli_commands``: ``oms add-file SKU PATH`` for files too big to upload.
- ``oms_email_content``: the download links in the ``download_ready`` email.
"""

from __future__ import annotations

from oms.api import ErrorCode, FieldError, PluginCommand, PluginHost, ProductType, SettingsDeclaration, hookimpl
from oms_digital import emails, services
from oms_digital.files import add_file
from oms_digital.graphql import DigitalDelivery, DigitalMutation
from oms_digital.routes import download_routes

TYPE_NAME = services.TYPE_NAME

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
    tax_class="digital",
)


@hookimpl
def oms_settings() -> SettingsDeclaration:
    return services.SETTINGS


@hookimpl
def oms_product_types() -> list[ProductType]:
    return [DIGITAL]


@hookimpl
def oms_models() -> list[str]:
    return ["oms_digital.models"]


@hookimpl
def oms_migrations() -> str:
    return "oms_digital"  # oms_digital/migrations/


@hookimpl
def oms_validate_variant(product_type: str, sku: str, attributes: dict):
    file_path = attributes.get("file")
    if file_path and (file_path.startswith("/") or ".." in file_path.split("/")):
        return [
            FieldError(
                ErrorCode.INVALID, "The file must be a relative path under the media root.", ["file"]
            )
        ]
    return None


@hookimpl
async def oms_deliver(order, lines) -> None:
    await services.grant_downloads(order, lines)


@hookimpl
async def oms_reverse(order, lines, reason, quantities) -> None:
    await services.revoke_grants(order, lines, reason, quantities)


@hookimpl
async def oms_return_policy(order, line, quantity: int, plugins: PluginHost) -> str | None:
    return await services.return_policy(line, returns=plugins.settings_for(services.SETTINGS_PREFIX)["returns"])


@hookimpl
def oms_routes(settings):
    return download_routes(settings)


@hookimpl
def oms_graphql_types() -> list[type]:
    return [DigitalDelivery]


@hookimpl
def oms_graphql_fields():
    return {"Mutation": [DigitalMutation]}


def _add_file_arguments(parser) -> None:
    parser.add_argument("sku", help="the digital variant's sku")
    parser.add_argument("path", help="the file to sell with it (copied under OMS_MEDIA_ROOT)")


async def _add_file(args, settings) -> int:
    variant = await add_file(args.sku, args.path, media_root=settings.media_root)
    print(f"{variant.sku} now sells {variant.attributes['file_name']} ({variant.attributes['file']}).")
    return 0


@hookimpl
def oms_cli_commands() -> list[PluginCommand]:
    return [PluginCommand("add-file", "store the file sold with a digital variant", _add_file_arguments, _add_file)]


@hookimpl
async def oms_email_content(event, message, settings):
    return await emails.email_content(event, message, settings)
