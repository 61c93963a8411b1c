from tortoise import fields
from tortoise.models import Model


class Customer(Model):
    id = fields.IntField(primary_key=True)
    email = fields.CharField(max_length=254, unique=True)
    name = fields.CharField(max_length=200, null=True)
    password_hash = fields.CharField(max_length=255)
    created_at = fields.DatetimeField(auto_now_add=True)
    # The address book's defaults: ids of this customer's CustomerAddress rows. Plain
    # columns, not foreign keys: a key each way between the two tables would be a cycle
    # the schema generator refuses. oms.accounts.addresses keeps them pointing at the
    # customer's own rows (deleting an address clears them in the same transaction).
    default_shipping_address_id = fields.IntField(null=True)
    default_billing_address_id = fields.IntField(null=True)
    # When the customer proved they read this address's mail (a used password-reset link).
    email_verified_at = fields.DatetimeField(null=True)

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


class CustomerAddress(Model):
    """One address of a customer's address book (oms.accounts.addresses); ``address`` has
    the keys of an order's addresses (oms.orders.addresses.check_address), normalized."""

    id = fields.IntField(primary_key=True)
    customer: fields.ForeignKeyRelation["Customer"] = fields.ForeignKeyField(
        "models.Customer", related_name="addresses", on_delete=fields.CASCADE, db_index=True
    )
    address: fields.JSONField[dict[str, str | None]] = fields.JSONField()
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    customer_id: int

    class Meta:
        table = "customer_address"
