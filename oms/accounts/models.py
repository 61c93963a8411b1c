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
    permissions: fields.JSONField[list[str]] = fields.JSONField(default=list)
    is_superuser = fields.BooleanField(default=False)
    is_active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "staff"


class AuthSession(Model):
    """One sign-in (login, register, changePassword): its id is the ``sid`` claim of the
    access token. A token is honoured only while its session is neither revoked nor
    expired and its account can still sign in, so ``logout``, ``changePassword`` and
    deactivating a staff member take effect at once. Exactly one of customer and staff."""

    id = fields.BigIntField(primary_key=True)
    customer: fields.ForeignKeyNullableRelation["Customer"] = fields.ForeignKeyField(
        "models.Customer", related_name="sessions", null=True, on_delete=fields.CASCADE, db_index=True
    )
    staff: fields.ForeignKeyNullableRelation["Staff"] = fields.ForeignKeyField(
        "models.Staff", related_name="sessions", null=True, on_delete=fields.CASCADE, db_index=True
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)

    customer_id: int | None
    staff_id: int | None

    class Meta:
        table = "auth_session"
