from typing import Any

from tortoise import fields
from tortoise.models import Model


class ShippingZone(Model):
    """Countries shipped to alike: one set of methods and rates."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100)
    created_at = fields.DatetimeField(auto_now_add=True)

    countries: fields.ReverseRelation["ShippingZoneCountry"]
    methods: fields.ReverseRelation["ShippingZoneMethod"]

    class Meta:
        table = "shipping_zone"
        ordering = ["id"]


class ShippingZoneCountry(Model):
    """A country of a zone; a country belongs to one zone at most (unique)."""

    id = fields.IntField(primary_key=True)
    zone: fields.ForeignKeyRelation[ShippingZone] = fields.ForeignKeyField(
        "models.ShippingZone", related_name="countries", on_delete=fields.CASCADE
    )
    # ISO 3166-1 alpha-2, upper case.
    country = fields.CharField(max_length=2, unique=True)

    zone_id: int

    class Meta:
        table = "shipping_zone_country"
        ordering = ["zone_id", "id"]
        indexes = (("zone",),)


class ShippingZoneMethod(Model):
    """A way to ship to a zone and its rate: a flat price, free from a threshold of the
    shipped lines' value, or by weight bands (the cart's weight picks the band)."""

    id = fields.IntField(primary_key=True)
    zone: fields.ForeignKeyRelation[ShippingZone] = fields.ForeignKeyField(
        "models.ShippingZone", related_name="methods", on_delete=fields.CASCADE
    )
    position = fields.IntField(default=0)
    code = fields.CharField(max_length=64)
    name = fields.CharField(max_length=100)
    price = fields.DecimalField(max_digits=12, decimal_places=2)
    free_over = fields.DecimalField(max_digits=12, decimal_places=2, null=True)
    # [{"max_grams": int, "price": "9.90"}], ascending; None: the flat price for any weight.
    weight_bands: fields.JSONField[list[dict[str, Any]] | None] = fields.JSONField(null=True)

    zone_id: int

    class Meta:
        table = "shipping_zone_method"
        ordering = ["zone_id", "position"]
        indexes = (("zone", "position"),)
