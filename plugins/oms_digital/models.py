"""The digital plugin's detail rows: a DownloadGrant per delivered line."""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from oms.api.models import Fulfillment, OrderLine


class DownloadGrant(Model):
    """The right to download one file a limited number of times until a deadline.

    The file is snapshotted from the variant at delivery, so a later upload of a new file
    does not change what was sold. The URL's token is signed with the secret key over
    ``(id, nonce)``: unguessable, and never stored.
    """

    id = fields.IntField(primary_key=True)
    fulfillment: fields.ForeignKeyRelation["Fulfillment"] = fields.ForeignKeyField(
        "models.Fulfillment", related_name="download_grants", on_delete=fields.CASCADE
    )
    order_line: fields.ForeignKeyRelation["OrderLine"] = fields.ForeignKeyField(
        "models.OrderLine", related_name="download_grants", on_delete=fields.CASCADE
    )
    nonce = fields.CharField(max_length=32)
    file = fields.CharField(max_length=500)  # relative to OMS_MEDIA_ROOT
    file_name = fields.CharField(max_length=200)
    content_type = fields.CharField(max_length=100)
    download_limit = fields.IntField(null=True)  # None: unlimited
    # The units of the line this grant still covers: a partial cancellation or return
    # takes units (and their share of the limit) away; none left, the grant is revoked.
    units = fields.IntField(default=1)
    download_count = fields.IntField(default=0)
    expires_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)
    last_download_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    fulfillment_id: int
    order_line_id: int

    class Meta:
        table = "digital_download_grant"
        # A fulfillment's grants (Fulfillment.details), an order line's (revocation).
        indexes = (("fulfillment",), ("order_line",))

    @property
    def downloads_remaining(self) -> int | None:
        if self.download_limit is None:
            return None
        return max(self.download_limit - self.download_count, 0)
