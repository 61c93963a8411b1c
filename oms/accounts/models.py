from tortoise import fields
from tortoise.models import Model


class Customer(Model):
    id = fields.IntField(primary_key=True)
    email = fields.CharField(max_length=254, unique=True)
    name = fields.CharField(max_length=200, null=True)
    password_hash = fields.CharField(max_length=255)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "customer"


class Staff(Model):
    id = fields.IntField(primary_key=True)
    email = fields.CharField(max_length=254, unique=True)
    name = fields.CharField(max_length=200, null=True)
    password_hash = fields.CharField(max_length=255)
    # Names from oms.accounts.permissions.Permission.
    permissions = fields.JSONField(default=list)
    is_superuser = fields.BooleanField(default=False)
    is_active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "staff"
