"""Rate limits on sign-in and on token-guessing surfaces, with the `limits` library.

Counters live in process memory, or in Redis when ``settings.redis_url`` is set, so the
limits hold across every process of a deployment. Each rule (``settings.rate_limit_*``)
is a moving window: "10/15 minutes" allows 10 counted events in any 15 minutes.

What is counted (see docs/deploy.md, "Sessions and rate limits"):

- sign-in failures (a wrong password at ``login`` or ``changePassword``), per email and
  client address, per email and per client address. Only failures count, so signing in
  never uses up anything; but once a rule is exhausted every attempt is refused before
  the password is checked, the right one included (a blocked account is blocked);
- ``register`` attempts per client address (every attempt counts);
- ``requestPasswordReset`` calls per email and per client address (every call counts);
- misses on token surfaces (an unknown order token, entitlement key, download or invite
  link) per client address; a client that holds real tokens never misses.

Use :func:`limiter_for` with the Starlette app (``request.app``): one limiter per app,
made on first use. The client address is ``request.client.host``: behind a reverse proxy
run uvicorn with ``--proxy-headers --forwarded-allow-ips=<proxy addresses>`` so that it
is the real client's (uvicorn trusts ``X-Forwarded-For`` only from those addresses).

If Redis cannot be reached the check is skipped (logged): a Redis outage must not lock
every customer out.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any, TypeVar

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from starlette.responses import PlainTextResponse, Response

from oms.config import Settings
from oms.errors import RateLimited

T = TypeVar("T")

logger = logging.getLogger("oms.ratelimit")

# Rule names, each read from the setting ``rate_limit_<name>``.
LOGIN_ACCOUNT_ADDRESS = "login_account_address"
LOGIN_ACCOUNT = "login_account"
LOGIN_ADDRESS = "login_address"
REGISTER_ADDRESS = "register_address"
TOKEN_ADDRESS = "token_address"
PASSWORD_RESET_ACCOUNT = "password_reset_account"
PASSWORD_RESET_ADDRESS = "password_reset_address"
RULES: tuple[str, ...] = (LOGIN_ACCOUNT_ADDRESS, LOGIN_ACCOUNT, LOGIN_ADDRESS, REGISTER_ADDRESS, TOKEN_ADDRESS)
RULES += (PASSWORD_RESET_ACCOUNT, PASSWORD_RESET_ADDRESS)

# Seconds a Redis command may take before the limiter gives up on it (fails open).
REDIS_TIMEOUT_SECONDS = 1.0

Key = tuple[str, str]  # (rule name, identifier)


def parse_rule(name: str, text: str) -> RateLimitItem | None:
    """The rule of setting ``rate_limit_<name>``; None when it is "off"."""
    if text.strip().lower() in ("off", "none", "0", ""):
        return None
    try:
        return parse(text)
    except ValueError as exc:
        raise ValueError(
            f"OMS_RATE_LIMIT_{name.upper()}: {text!r} is not a rate like '10/15 minutes' or 'off'"
        ) from exc


def client_address(request: Any) -> str:
    """The client's address as the ASGI server reports it (uvicorn applies trusted
    ``X-Forwarded-For`` itself when run with ``--proxy-headers``)."""
    client = getattr(request, "client", None)
    return client.host if client is not None and client.host else "unknown"


def _digest(text: str) -> str:
    # Emails are not stored in Redis or memory in the clear.
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


class RateLimiter:
    """The counters of one app; see the module docstring for what each rule counts."""

    def __init__(self, settings: Settings):
        self.enabled = settings.rate_limits
        self.rules: dict[str, RateLimitItem] = {}
        for name in RULES:
            rule = parse_rule(name, getattr(settings, f"rate_limit_{name}"))
            if rule is not None:
                self.rules[name] = rule
        self.storage: Storage
        if settings.redis_url:
            url = settings.redis_url
            self.storage = RedisStorage(
                url if url.startswith("async+") else "async+" + url,
                implementation="redispy",
                key_prefix=settings.rate_limit_key_prefix,
                wrap_exceptions=True,
                socket_timeout=REDIS_TIMEOUT_SECONDS,
                socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            )
        else:
            self.storage = MemoryStorage(wrap_exceptions=True)
        self._window = MovingWindowRateLimiter(self.storage)

    # -- the keys of each surface --------------------------------------------------

    @staticmethod
    def password_keys(email: str, address: str) -> list[Key]:
        """Sign-in failures of ``email`` (normalized) from ``address``."""
        account = _digest(email.strip().lower())
        return [
            (LOGIN_ACCOUNT_ADDRESS, f"{account}/{address}"),
            (LOGIN_ACCOUNT, account),
            (LOGIN_ADDRESS, address),
        ]

    @staticmethod
    def register_keys(address: str) -> list[Key]:
        return [(REGISTER_ADDRESS, address)]

    @staticmethod
    def token_keys(address: str) -> list[Key]:
        return [(TOKEN_ADDRESS, address)]

    @staticmethod
    def password_reset_keys(email: str, address: str) -> list[Key]:
        """``requestPasswordReset`` calls for ``email`` and from ``address`` (every one
        counts, whether or not the email has an account)."""
        return [(PASSWORD_RESET_ACCOUNT, _digest(email.strip().lower())), (PASSWORD_RESET_ADDRESS, address)]

    # -- checking and counting -----------------------------------------------------

    def _active(self, keys: Iterable[Key]) -> list[tuple[RateLimitItem, str]]:
        if not self.enabled:
            return []
        return [(self.rules[name], ident) for name, ident in keys if name in self.rules]

    async def check(self, keys: Sequence[Key], field: Sequence[str] | None = None) -> None:
        """Raise :class:`RateLimited` when any rule of ``keys`` is used up."""
        waits = []
        try:
            for rule, ident in self._active(keys):
                if not await self._window.test(rule, ident):
                    stats = await self._window.get_window_stats(rule, ident)
                    waits.append(stats.reset_time - time.time())
        except StorageError as exc:
            self._storage_failed(exc)
            return
        if waits:
            raise RateLimited(math.ceil(max(waits)), field)

    async def hit(self, keys: Sequence[Key]) -> None:
        """Count one event against every rule of ``keys``."""
        try:
            for rule, ident in self._active(keys):
                await self._window.hit(rule, ident)
        except StorageError as exc:
            self._storage_failed(exc)

    async def attempt(self, keys: Sequence[Key], field: Sequence[str] | None = None) -> None:
        """Count an attempt that is limited whatever its outcome: raise
        :class:`RateLimited` (without counting) when a rule is used up."""
        await self.check(keys, field)
        await self.hit(keys)

    def _storage_failed(self, exc: StorageError) -> None:
        logger.warning(
            "rate limits skipped: the counter store failed (%s: %s)",
            type(exc.storage_error).__name__,
            exc.storage_error,
        )

    async def aclose(self) -> None:
        """Close the Redis connections (memory storage has none)."""
        bridge = getattr(self.storage, "bridge", None)
        client = getattr(bridge, "storage", None)
        if client is not None:
            await client.aclose()


def limiter_for(app: Any) -> RateLimiter:
    """The app's limiter (``app.state.rate_limiter``), made from ``app.state.settings``
    on first use."""
    limiter = getattr(app.state, "rate_limiter", None)
    if limiter is None:
        limiter = RateLimiter(app.state.settings)
        app.state.rate_limiter = limiter
    return limiter


async def limited_lookup(
    limiter: RateLimiter,
    address: str,
    lookup: Callable[[], Awaitable[T | None]],
    field: Sequence[str] | None = None,
) -> T | None:
    """``lookup()`` of something by a secret token (an order token, an access key, a
    signed link), refused with :class:`RateLimited` once ``address`` has missed too often;
    a miss (None) counts against the address."""
    keys = limiter.token_keys(address)
    await limiter.check(keys, field)
    found = await lookup()
    if found is None:
        await limiter.hit(keys)
    return found


async def token_route_lookup(request: Any, lookup: Callable[[], Awaitable[T | None]]) -> T | None:
    """:func:`limited_lookup` for an HTTP route (a plugin's): the app's limiter and the
    request's client address. Answer :class:`RateLimited` with :func:`too_many_requests`."""
    return await limited_lookup(limiter_for(request.app), client_address(request), lookup)


def too_many_requests(exc: RateLimited) -> Response:
    """HTTP 429 with ``Retry-After`` (seconds)."""
    return PlainTextResponse(
        exc.errors[0].message,
        429,
        headers={"Retry-After": str(exc.retry_after), "Cache-Control": "no-store"},
    )
