"""Staff permissions and the viewer: who is making a request."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum

from oms.accounts.models import Customer, Staff


class Permission(str, enum.Enum):
    MANAGE_ORDERS = "MANAGE_ORDERS"
    MANAGE_CATALOG = "MANAGE_CATALOG"
    MANAGE_FULFILLMENT = "MANAGE_FULFILLMENT"
    MANAGE_RETURNS = "MANAGE_RETURNS"
    MANAGE_PAYMENTS = "MANAGE_PAYMENTS"
    MANAGE_JOBS = "MANAGE_JOBS"
    MANAGE_WEBHOOKS = "MANAGE_WEBHOOKS"
    VIEW_REPORTS = "VIEW_REPORTS"


@dataclasses.dataclass(frozen=True)
class Viewer:
    """The signed-in customer or staff member; both None for an anonymous guest."""

    customer: Customer | None = None
    staff: Staff | None = None
    # The session of the bearer token (oms.accounts.sessions); None for a viewer that
    # did not come from a token (signed in just now, or a service call).
    session_id: int | None = None
    session_expires_at: dt.datetime | None = None

    @property
    def is_anonymous(self) -> bool:
        return self.customer is None and self.staff is None

    @property
    def is_staff(self) -> bool:
        return self.staff is not None

    @property
    def email(self) -> str | None:
        account = self.staff or self.customer
        return account.email if account else None

    @property
    def permissions(self) -> frozenset[Permission]:
        if self.staff is None:
            return frozenset()
        if self.staff.is_superuser:
            return frozenset(Permission)
        return frozenset(Permission(p) for p in self.staff.permissions if p in Permission.__members__)

    def has(self, permission: Permission) -> bool:
        return permission in self.permissions

    @property
    def actor(self) -> str:
        """How the timeline names this viewer."""
        return self.email or "guest"


ANONYMOUS = Viewer()
