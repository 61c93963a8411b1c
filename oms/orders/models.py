from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

from oms.orders.status import LineStatus, OrderStatus, PaymentStatus, ReturnStatus

if TYPE_CHECKING:
    from oms.accounts.models import Customer
    from oms.catalog.models import Variant
    from oms.inventory.models import Warehouse
    from oms.payments.models import Refund


class Order(Model):
    id = fields.IntField(primary_key=True)
    # Human number shown to customers and staff ("1042"); set right after insert.
    number = fields.CharField(max_length=32, unique=True, null=True)
    # Lets a guest reach the order: 32 random bytes, never derived from the id.
    token = fields.CharField(max_length=64, unique=True)
    email = fields.CharField(max_length=254, db_index=True)
    customer: fields.ForeignKeyNullableRelation["Customer"] = fields.ForeignKeyField(
        "models.Customer", related_name="orders", null=True, on_delete=fields.SET_NULL
    )
    status = fields.CharEnumField(OrderStatus, max_length=32, default=OrderStatus.PENDING_PAYMENT)
    payment_status = fields.CharEnumField(PaymentStatus, max_length=32, default=PaymentStatus.PENDING)
    currency = fields.CharField(max_length=3)
    subtotal = fields.DecimalField(max_digits=14, decimal_places=2)
    shipping_total = fields.DecimalField(max_digits=14, decimal_places=2)
    total = fields.DecimalField(max_digits=14, decimal_places=2)
    refunded_total = fields.DecimalField(max_digits=14, decimal_places=2, default=0)
    shipping_address: fields.JSONField[dict[str, Any] | None] = fields.JSONField(null=True)
    billing_address: fields.JSONField[dict[str, Any] | None] = fields.JSONField(null=True)
    # {"code", "name", "price"} of the chosen method, as priced at placement.
    shipping_method: fields.JSONField[dict[str, Any] | None] = fields.JSONField(null=True)
    note = fields.TextField(null=True)
    # Unpaid after this, the order expires; None: OMS_PAYMENT_TIMEOUT_SECONDS after placement.
    payment_due_at = fields.DatetimeField(null=True)
    # Set when something needs a person: a payment after expiry, an amount mismatch.
    needs_review = fields.BooleanField(default=False)
    # SHA-256 of the client's key within its scope (the customer, or a guest's email).
    idempotency_key = fields.CharField(max_length=200, unique=True)
    # SHA-256 of the normalized cart; the same key with another cart is a conflict.
    cart_fingerprint = fields.CharField(max_length=64)
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    updated_at = fields.DatetimeField(auto_now=True)
    paid_at = fields.DatetimeField(null=True, db_index=True)  # the sales report's periods
    completed_at = fields.DatetimeField(null=True)
    canceled_at = fields.DatetimeField(null=True)
    # What discount codes took off (lines' shares plus the shipping discount; oms.discounts).
    discount_total = fields.DecimalField(max_digits=14, decimal_places=2, default=0)
    shipping_discount = fields.DecimalField(max_digits=14, decimal_places=2, default=0)
    # Taxes (oms/taxes): the sum of the lines' and the shipping's rounded taxes; part of
    # ``total`` when prices excluded tax at placement, already inside the prices otherwise.
    tax_total = fields.DecimalField(max_digits=14, decimal_places=2, default=0)
    shipping_tax = fields.DecimalField(max_digits=14, decimal_places=2, default=0)
    prices_include_tax = fields.BooleanField(default=False)
    # The tax summary by rate: [{"name", "rate", "tax_class", "taxable", "tax"}] (amounts as strings).
    tax_lines: fields.JSONField[list[dict[str, Any]] | None] = fields.JSONField(null=True)
    # Who the order is for, written at placement (billing name, else shipping name, else the
    # account's), so staff find orders by name without joining addresses or accounts.
    customer_name = fields.CharField(max_length=200, null=True)
    # oms.orders.search.name_key(customer_name): what the customerName filter matches.
    customer_name_key = fields.CharField(max_length=200, null=True)

    customer_id: int | None
    lines: fields.ReverseRelation["OrderLine"]
    events: fields.ReverseRelation["OrderEvent"]
    returns: fields.ReverseRelation["Return"]

    class Meta:
        table = "order"
        # (customer, id): a customer's orders newest first (``me.orders``), one index range.
        # The others serve the staff orders page (oms.orders.search): each sort as
        # (column, id) for keyset pages, and the filters that are not a unique column.
        indexes = (
            ("status", "created_at"), ("customer", "id"),
            ("created_at", "id"), ("total", "id"), ("payment_status", "id"), ("needs_review", "id"),
            ("customer_name_key", "id"),
        )


class OrderLine(Model):
    """A snapshot of what was bought: later catalog edits never change an order."""

    id = fields.IntField(primary_key=True)
    order: fields.ForeignKeyRelation["Order"] = fields.ForeignKeyField(
        "models.Order", related_name="lines", on_delete=fields.CASCADE
    )
    position = fields.IntField(default=0)
    variant: fields.ForeignKeyNullableRelation["Variant"] = fields.ForeignKeyField(
        "models.Variant", related_name="order_lines", null=True, on_delete=fields.SET_NULL
    )
    sku = fields.CharField(max_length=64, db_index=True)
    name = fields.CharField(max_length=400)
    product_type = fields.CharField(max_length=64)
    options: fields.JSONField[dict[str, Any] | None] = fields.JSONField(null=True)
    quantity = fields.IntField()
    # Units in a fulfillment that is not canceled (shipping, shipped, delivered); taken by
    # one conditional UPDATE, so two shipments can never take the same units.
    quantity_allocated = fields.IntField(default=0)
    # Units delivered (a parcel arrived, a download granted).
    quantity_fulfilled = fields.IntField(default=0)
    quantity_canceled = fields.IntField(default=0)
    quantity_returned = fields.IntField(default=0)
    unit_price = fields.DecimalField(max_digits=12, decimal_places=2)
    currency = fields.CharField(max_length=3)
    status = fields.CharEnumField(LineStatus, max_length=32, default=LineStatus.PENDING)
    # Where the units are reserved (stock-tracked types only).
    warehouse: fields.ForeignKeyNullableRelation["Warehouse"] = fields.ForeignKeyField(
        "models.Warehouse", related_name="order_lines", null=True, on_delete=fields.RESTRICT
    )
    # This line's share of the order's discounts (never more than unit_price * quantity).
    discount = fields.DecimalField(max_digits=12, decimal_places=2, default=0)
    # The tax charged on the whole line (rounded to the cent) and its rate in percent;
    # tax_included: the unit price already contains it (else it was added on top).
    tax = fields.DecimalField(max_digits=12, decimal_places=2, default=0)
    tax_rate = fields.DecimalField(max_digits=7, decimal_places=4, null=True)
    tax_included = fields.BooleanField(default=False)

    order_id: int
    variant_id: int | None
    warehouse_id: int | None

    class Meta:
        table = "order_line"
        ordering = ["order_id", "position"]
        # An order's lines, in order: read by placement, payment, delivery and every order
        # page; without it each read scans the whole order history. The other two are
        # foreign keys (deleting a product sets variant to NULL on every line it sold).
        indexes = (("order", "position"), ("variant",), ("warehouse",))


class OrderEvent(Model):
    """One entry of an order's timeline; every change to an order writes one."""

    id = fields.BigIntField(primary_key=True)
    order: fields.ForeignKeyRelation["Order"] = fields.ForeignKeyField(
        "models.Order", related_name="events", on_delete=fields.CASCADE
    )
    type = fields.CharField(max_length=100)
    message = fields.TextField()
    # A staff email, a customer email, "system" or a plugin name.
    actor = fields.CharField(max_length=254, null=True)
    data: fields.JSONField[dict[str, Any] | None] = fields.JSONField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    order_id: int

    class Meta:
        table = "order_event"
        indexes = (("order", "created_at"),)


# Reads an observer of the timeline folds into the ``order.event`` job's own read of the
# event and its order on PostgreSQL (oms.orders.events.notify_observers), one round trip
# fewer per event each: attribute name -> a SQL expression over the event's row (columns
# as ``"order_event"."type"``), its value set on the event handed to ``oms_order_event``.
# Registered by the observer's module (oms.webhooks.services); an observer reads for itself
# when the attribute is missing (SQLite, an event read elsewhere).
EVENT_READS_ALONG: dict[str, str] = {}


class Return(Model):
    """A return (RMA) of some delivered units of an order: requested by the customer, a
    guest or staff, then approved or rejected, received (physical units) and refunded."""

    id = fields.IntField(primary_key=True)
    # "1042-R1": the order's number and the return's rank within the order.
    number = fields.CharField(max_length=40, unique=True)
    order: fields.ForeignKeyRelation["Order"] = fields.ForeignKeyField(
        "models.Order", related_name="returns", on_delete=fields.CASCADE
    )
    status = fields.CharEnumField(ReturnStatus, max_length=16, default=ReturnStatus.REQUESTED)
    reason = fields.TextField(null=True)
    rejection_reason = fields.TextField(null=True)
    # The money given back for it (refundReturn).
    refund: fields.ForeignKeyNullableRelation["Refund"] = fields.ForeignKeyField(
        "models.Refund", related_name="returns", null=True, on_delete=fields.SET_NULL
    )
    # Who asked: a customer's or guest's email, or a staff email.
    requested_by = fields.CharField(max_length=254)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    order_id: int
    refund_id: int | None
    lines: fields.ReverseRelation["ReturnLine"]

    class Meta:
        table = "return"
        # ("refund",): a deleted refund sets its returns' refund to NULL without a scan.
        indexes = (("order", "id"), ("refund",))


class ReturnLine(Model):
    """Units of one order line in a return."""

    id = fields.IntField(primary_key=True)
    # ``return`` is a Python keyword: the field is ``rma`` (column rma_id).
    rma: fields.ForeignKeyRelation["Return"] = fields.ForeignKeyField(
        "models.Return", related_name="lines", on_delete=fields.CASCADE
    )
    order_line: fields.ForeignKeyRelation["OrderLine"] = fields.ForeignKeyField(
        "models.OrderLine", related_name="return_lines", on_delete=fields.CASCADE
    )
    quantity = fields.IntField()
    reason = fields.TextField(null=True)
    # Whether the received units went back into stock (set by receiveReturn).
    restock = fields.BooleanField(default=False)

    rma_id: int
    order_line_id: int

    class Meta:
        table = "return_line"
        indexes = (("rma",), ("order_line",))
