"""Staff permissions and the viewer: who is making a request."""

from __future__ import annotations

import dataclasses
import datetime as dt

from oms.accounts.models import Customer, Staff
from oms.permissions import Permission

__all__ = ["ANONYMOUS", "Permission", "Viewer"]


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

    @property
    def permission_names(self) -> frozenset[str]:
        """The core permissions held (all for a superuser) plus the plugin permissions
        granted to this staff account, by name (what ``me { permissions }`` lists)."""
        if self.staff is None:
            return frozenset()
        core = {p.value for p in self.permissions}
        granted = {p for p in self.staff.permissions if p not in Permission.__members__}
        return frozenset(core | granted)

    def has(self, permission: Permission | str) -> bool:
        """Whether the viewer holds ``permission``: a core :class:`Permission` or a plugin's
        permission name. A superuser holds every permission, plugins' included."""
        if isinstance(permission, Permission):
            return permission in self.permissions
        if self.staff is None:
            return False
        if permission in Permission.__members__:
            return Permission(permission) in self.permissions
        return self.staff.is_superuser or permission in self.staff.permissions

    @property
    def actor(self) -> str:
        """How the timeline names this viewer."""
        return self.email or "guest"


ANONYMOUS = Viewer()
