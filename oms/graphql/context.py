"""The per-request GraphQL context: who is asking, the running settings and plugins,
and fresh DataLoaders."""

from __future__ import annotations

import dataclasses

import strawberry
from starlette.requests import Request
from starlette.websockets import WebSocket

from oms.accounts.permissions import ANONYMOUS, Permission, Viewer
from oms.config import Settings
from oms.errors import DomainError, ErrorCode
from oms.graphql.loaders import Loaders
from oms.payments.gateway import Gateway
from oms.plugins import PluginHost


@dataclasses.dataclass
class Context:
    request: Request | WebSocket | None
    settings: Settings
    plugins: PluginHost
    gateway: Gateway | None = None
    viewer: Viewer = ANONYMOUS
    loaders: Loaders = dataclasses.field(default_factory=Loaders.create)
    # Set when the bearer token was bad: mutations needing an account report it.
    auth_error: DomainError | None = None
    # graphql-transport-ws: the payload of connection_init (e.g. {"Authorization": ...}).
    connection_params: dict | None = None

    def require_permission(self, permission: Permission) -> None:
        """Raise PERMISSION_DENIED unless the viewer holds ``permission`` (signed out
        included); UNAUTHENTICATED when the request carried a bad or expired token."""
        if self.auth_error is not None:
            raise self.auth_error
        if not self.viewer.has(permission):
            who = "Sign in with a staff account that has" if self.viewer.is_anonymous else "This needs"
            raise DomainError.of(ErrorCode.PERMISSION_DENIED, f"{who} the {permission.value} permission.")


Info = strawberry.Info[Context, None]
