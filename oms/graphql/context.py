"""The per-request GraphQL context: who is asking, the running settings and plugins,
and fresh DataLoaders."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import TypeVar

import strawberry
from starlette.requests import Request
from starlette.websockets import WebSocket

from oms.accounts.permissions import ANONYMOUS, Permission, Viewer
from oms.config import Settings
from oms.errors import DomainError, ErrorCode
from oms.graphql.loaders import Loaders
from oms.payments.gateway import Gateway
from oms.plugins import PluginHost
from oms.ratelimit import RateLimiter, client_address, limited_lookup, limiter_for

T = TypeVar("T")


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
    # The bearer token the viewer came from: a websocket re-checks it on each operation.
    token: str | None = None
    # Operations run with this context so far (FreshLoaders gives each its own loaders).
    operations: int = 0

    @property
    def rate_limiter(self) -> RateLimiter:
        """The app's rate limiter (oms.ratelimit)."""
        if self.request is None:
            return _detached_limiter(self.settings)
        return limiter_for(self.request.app)

    @property
    def client_address(self) -> str:
        return client_address(self.request)

    async def find_by_token(
        self, token: str | None, lookup: Callable[[], Awaitable[T | None]], field: list[str] | None = None
    ) -> T | None:
        """``lookup()``, rate-limited when the request names its object by a secret
        ``token`` (misses from the client's address count; RATE_LIMITED when too many)."""
        if not token:
            return await lookup()
        return await limited_lookup(self.rate_limiter, self.client_address, lookup, field)

    def require_permission(self, permission: Permission | str) -> None:
        """Raise PERMISSION_DENIED unless the viewer holds ``permission`` (a core
        Permission or a plugin's declared name; signed out included); UNAUTHENTICATED when
        the request carried a bad or expired token."""
        if self.auth_error is not None:
            raise self.auth_error
        if not self.viewer.has(permission):
            who = "Sign in with a staff account that has" if self.viewer.is_anonymous else "This needs"
            raise DomainError.of(
                ErrorCode.PERMISSION_DENIED, f"{who} the {getattr(permission, 'value', permission)} permission."
            )


_UNLIMITED: list[RateLimiter] = []


def _detached_limiter(settings: Settings) -> RateLimiter:
    # A context made without a request (a direct schema.execute) has no client to limit.
    if not _UNLIMITED:
        _UNLIMITED.append(RateLimiter(Settings(rate_limits=False)))
    return _UNLIMITED[0]


Info = strawberry.Info[Context, None]
