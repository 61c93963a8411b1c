"""The demo data `oms serve` puts into an empty database: one product of each built-in
type and a staff account whose credentials are printed once."""

from __future__ import annotations

import dataclasses
import secrets
import shutil
from decimal import Decimal
from pathlib import Path

from oms.accounts import services as accounts
from oms.accounts.models import Staff
from oms.catalog import services as catalog
from oms.catalog.models import Product
from oms.config import Settings
from oms.plugins import PluginHost

DEMO_STAFF_EMAIL = "admin@example.com"

_WEEKDAYS_9_TO_5 = {day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}

DEMO_PRODUCTS = [
    catalog.ProductData(
        name="Enamel Camp Mug",
        slug="enamel-camp-mug",
        description="A sturdy 350 ml enamel mug that ships in a parcel.",
        product_type="physical",
        variants=[
            catalog.VariantData(
                sku="MUG-ENAMEL",
                price=Decimal("14.00"),
                attributes={"weight_grams": 280, "dimensions_cm": {"length": 12, "width": 9, "height": 9}},
            )
        ],
    ),
    catalog.ProductData(
        name="Field Guide to Order Management (e-book)",
        slug="field-guide-ebook",
        description="A PDF you can download right after paying.",
        product_type="digital",
        variants=[
            catalog.VariantData(
                sku="EBOOK-GUIDE",
                price=Decimal("9.00"),
                attributes={
                    "file": "demo/field-guide.pdf",
                    "file_name": "field-guide.pdf",
                    "content_type": "application/pdf",
                    "download_limit": 5,
                    "link_lifetime_hours": 72,
                },
            )
        ],
    ),
    catalog.ProductData(
        name="Pro Plan (monthly)",
        slug="pro-plan-monthly",
        description="Access to the Pro features, renewed every month.",
        product_type="subscription",
        variants=[
            catalog.VariantData(
                sku="PLAN-PRO-M",
                price=Decimal("19.00"),
                attributes={"interval": "month", "interval_count": 1, "grace_days": 3},
            )
        ],
    ),
    catalog.ProductData(
        name="One-hour consultation",
        slug="consultation-60",
        description="A video call with one of our consultants.",
        product_type="consultation",
        variants=[
            catalog.VariantData(
                sku="CONSULT-60",
                price=Decimal("120.00"),
                attributes={
                    "duration_minutes": 60,
                    "buffer_minutes": 15,
                    "horizon_days": 60,
                    "min_notice_hours": 24,
                    "consultants": [
                        {
                            "name": "Grete Hansen",
                            "timezone": "Europe/Berlin",
                            "availability": _WEEKDAYS_9_TO_5,
                            "exceptions": [],
                        }
                    ],
                },
            )
        ],
    ),
]
DEMO_STOCK = {"MUG-ENAMEL": 100}
# Files the demo products sell: copied from oms/demo/ to the same path under the media root.
DEMO_FILES = ["demo/field-guide.pdf"]


@dataclasses.dataclass(frozen=True)
class SeedResult:
    products: list[str]
    staff_email: str
    staff_password: str


async def is_empty() -> bool:
    return not await Product.exists() and not await Staff.exists()


async def seed_demo(*, plugins: PluginHost, settings: Settings, staff_password: str | None = None) -> SeedResult:
    """Create the demo catalog and staff account. Products of types no installed plugin
    owns are skipped."""
    created = []
    for data in DEMO_PRODUCTS:
        if plugins.get_type(data.product_type) is None:
            continue
        await catalog.create_product(data, plugins=plugins, currency=settings.currency)
        created.append(data.name)
        for variant in data.variants:
            if variant.sku in DEMO_STOCK:
                await catalog.set_stock(
                    sku=variant.sku, quantity=DEMO_STOCK[variant.sku], warehouse_code=None, plugins=plugins
                )
    media_root = Path(settings.media_root)
    for relative in DEMO_FILES:
        (media_root / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(__file__).parent / relative, media_root / relative)
    password = staff_password or secrets.token_urlsafe(12)
    await accounts.create_staff(email=DEMO_STAFF_EMAIL, password=password, superuser=True, name="Demo admin")
    return SeedResult(products=created, staff_email=DEMO_STAFF_EMAIL, staff_password=password)
