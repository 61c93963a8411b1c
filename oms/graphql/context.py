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
from oms.plugins import PluginHost


@dataclasses.dataclass
class Context:
    request: Request | WebSocket | None
    settings: Settings
    plugins: PluginHost
    viewer: Viewer = ANONYMOUS
    loaders: Loaders = dataclasses.field(default_factory=Loaders.create)
    # Set when the bearer token was bad: mutations needing an account report it.
    auth_error: DomainError | None = None
    # graphql-transport-ws: the payload of connection_init (e.g. {"Authorization": ...}).
    connection_params: dict | None = None

    def require_permission(self, permission: Permission) -> None:
        """Raise UNAUTHENTICATED or PERMISSION_DENIED unless the viewer holds ``permission``."""
        if self.viewer.is_anonymous:
            raise DomainError.of(
                ErrorCode.UNAUTHENTICATED, "Sign in with a staff account to do this."
            )
        if not self.viewer.has(permission):
            raise DomainError.of(
                ErrorCode.PERMISSION_DENIED, f"This needs the {permission.value} permission."
            )


Info = strawberry.Info[Context, None]
