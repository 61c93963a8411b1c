from tortoise import fields
from tortoise.models import Model


class TaxRate(Model):
    """A tax rate of a country, or of one region of it (a US state), for one tax class;
    a rate with no class is the default of its country (or region) for every class."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100)
    # ISO 3166-1 alpha-2, upper case.
    country = fields.CharField(max_length=2)
    # Upper case ("CA", "NY"); None: the whole country.
    region = fields.CharField(max_length=64, null=True)
    tax_class = fields.CharField(max_length=64, null=True)
    # Percent: 20 for 20 %.
    rate = fields.DecimalField(max_digits=7, decimal_places=4)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "tax_rate"
        ordering = ["country", "id"]
        # Pricing reads the rates of one country per cart.
        indexes = (("country", "region"),)
