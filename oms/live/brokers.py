"""How a change reaches the subscribers of every process.

- :class:`MemoryBroker`: one process (SQLite, or tests); a change is dispatched to this
  process's hub after its transaction commits.
- :class:`PostgresBroker`: ``record_event`` runs ``pg_notify('oms_order_updated', id)`` in
  the change's transaction; PostgreSQL delivers it at COMMIT (never on a rollback) to
  every session that LISTENs, i.e. one dedicated asyncpg connection per API process.
- :class:`RedisBroker` (``OMS_REDIS_URL``): published to a Redis channel after the
  commit; every API process subscribes to it.

A listener reconnects with a capped backoff, every wait is bounded, and after a
reconnect every local subscriber re-reads its order (changes may have been missed).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from oms.config import Settings
from oms.live.hub import LiveHub

logger = logging.getLogger("oms.live")

CHANNEL = "oms_order_updated"
# A listener's connection is checked this often; a dead one is replaced.
HEALTH_CHECK_SECONDS = 10.0
# Waits between reconnection attempts: doubled from the first up to the last.
RECONNECT_FIRST_SECONDS = 0.5
RECONNECT_MAX_SECONDS = 10.0
# Order ids waiting to be published to Redis (while it is slow or down); beyond this,
# further ones are dropped with a warning.
MAX_PENDING_PUBLISHES = 10_000


def parse_message(payload: Any) -> int | None:
    """The order id a message names, or None for anything else."""
    if isinstance(payload, bytes):
        payload = payload.decode("ascii", "replace")
    try:
        value = int(str(payload).strip())
    except ValueError:
        return None
    return value if value > 0 else None


class Broker:
    """Carries order ids from the publishers to the hub of this process."""

    name = "broker"
    # True: :func:`oms.live.publish.order_changed` hands the id to :meth:`publish` after
    # the commit. False: the database carries it (pg_notify in the transaction).
    publishes_after_commit = True

    def __init__(self, hub: LiveHub):
        self.hub = hub
        self.connected = asyncio.Event()

    async def start(self) -> None:
        self.connected.set()

    async def stop(self) -> None:
        pass

    def publish(self, order_id: int) -> None:
        """Announce a committed change (never blocks)."""
        self.hub.dispatch(order_id)


class MemoryBroker(Broker):
    name = "memory"


def _backoff(attempt: int) -> float:
    return min(RECONNECT_FIRST_SECONDS * 2**attempt, RECONNECT_MAX_SECONDS)


class _ListeningBroker(Broker):
    """A broker with a background task that keeps one connection listening."""

    def __init__(self, hub: LiveHub, settings: Settings):
        super().__init__(hub)
        self.settings = settings
        self._task: asyncio.Task | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"oms-live-{self.name}")
        # Serve even when the broker is down at start: the listener keeps trying, and
        # subscribers are woken once it is back.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.connected.wait(), self.settings.db_connect_timeout_seconds)
        if not self.connected.is_set():
            logger.warning("live updates: %s not reachable yet; retrying in the background", self.name)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        attempt = 0
        first = True
        while True:
            try:
                async with self._listening():
                    if not first:
                        logger.info("live updates: %s listener reconnected", self.name)
                        self.hub.dispatch_all()
                    first, attempt = False, 0
                    self.connected.set()
                    await self._until_broken()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # connection refused, timed out, dropped...
                logger.warning("live updates: %s listener failed (%s: %s)", self.name, type(exc).__name__, exc)
            self.connected.clear()
            await asyncio.sleep(_backoff(attempt))
            attempt += 1

    def _listening(self) -> contextlib.AbstractAsyncContextManager[None]:
        raise NotImplementedError

    async def _until_broken(self) -> None:
        raise NotImplementedError


class PostgresBroker(_ListeningBroker):
    """LISTEN on a dedicated asyncpg connection (outside Tortoise's pool)."""

    name = "postgres"
    publishes_after_commit = False

    def __init__(self, hub: LiveHub, settings: Settings):
        super().__init__(hub, settings)
        self._conn: Any = None
        self._lost = asyncio.Event()

    @contextlib.asynccontextmanager
    async def _listening(self):
        import asyncpg

        from oms.migrate.databases import _asyncpg_dsn

        self._lost.clear()
        conn = await asyncpg.connect(
            _asyncpg_dsn(self.settings.database_url),
            timeout=self.settings.db_connect_timeout_seconds,
            command_timeout=self.settings.db_command_timeout_seconds,
        )
        try:
            conn.add_termination_listener(lambda _conn: self._lost.set())
            await conn.add_listener(CHANNEL, self._on_notify)
            self._conn = conn
            yield
        finally:
            self._conn = None
            with contextlib.suppress(Exception):
                await asyncio.wait_for(conn.close(), self.settings.db_command_timeout_seconds)
            if not conn.is_closed():
                conn.terminate()

    def _on_notify(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        order_id = parse_message(payload)
        if order_id is not None:
            self.hub.dispatch(order_id)

    async def _until_broken(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._lost.wait(), HEALTH_CHECK_SECONDS)
            if self._lost.is_set():
                raise ConnectionError("the LISTEN connection was closed")
            # A silently dropped connection (no FIN) shows only when it is used.
            await self._conn.fetchval("SELECT 1", timeout=self.settings.db_command_timeout_seconds)

    def publish(self, order_id: int) -> None:  # pragma: no cover - pg_notify carries it
        raise RuntimeError("PostgreSQL carries live updates with pg_notify in the change's transaction")


class RedisBroker(_ListeningBroker):
    """Redis pub/sub: a subscribing connection, and a publisher task fed after commits."""

    name = "redis"

    def __init__(self, hub: LiveHub, settings: Settings, *, listen: bool = True):
        super().__init__(hub, settings)
        assert settings.redis_url
        self.listen = listen
        self._pending: dict[int, None] = {}  # ordered set of ids to publish
        self._wake = asyncio.Event()
        self._publisher_task: asyncio.Task | None = None
        self._client: Any = None
        self._dropped = 0
        self._pubsub: Any = None

    def _new_client(self) -> Any:
        import redis.asyncio as redis

        timeout = self.settings.db_command_timeout_seconds
        return redis.Redis.from_url(
            self.settings.redis_url,  # type: ignore[arg-type]  # asserted in __init__
            socket_connect_timeout=self.settings.db_connect_timeout_seconds,
            socket_timeout=timeout,
            health_check_interval=HEALTH_CHECK_SECONDS,
        )

    async def start(self) -> None:
        self._client = self._new_client()
        self._publisher_task = asyncio.create_task(self._publish_loop(), name="oms-live-redis-publisher")
        if self.listen:
            await super().start()
        else:
            self.connected.set()

    async def stop(self) -> None:
        await super().stop()
        if self._publisher_task is not None:
            # Give the last announcements a moment to go out.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._drained(), 2.0)
            self._publisher_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._publisher_task
            self._publisher_task = None
        if self._client is not None:
            with contextlib.suppress(Exception):
                await self._client.aclose()
            self._client = None

    async def _drained(self) -> None:
        while self._pending:
            await asyncio.sleep(0.01)

    def publish(self, order_id: int) -> None:
        if order_id not in self._pending and len(self._pending) >= MAX_PENDING_PUBLISHES:
            self._dropped += 1
            if self._dropped == 1 or self._dropped % 1000 == 0:
                logger.warning("live updates: Redis is behind; %d announcements dropped", self._dropped)
            return
        self._pending[order_id] = None
        self._wake.set()

    async def _publish_loop(self) -> None:
        attempt = 0
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._pending:
                order_id = next(iter(self._pending))
                try:
                    await asyncio.wait_for(
                        self._client.publish(CHANNEL, str(order_id)), self.settings.db_command_timeout_seconds
                    )
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    logger.warning("live updates: Redis publish failed (%s: %s)", type(exc).__name__, exc)
                    await asyncio.sleep(_backoff(attempt))
                    attempt += 1
                    continue
                attempt = 0
                self._pending.pop(order_id, None)

    @contextlib.asynccontextmanager
    async def _listening(self):
        client = self._new_client()
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        try:
            await asyncio.wait_for(pubsub.subscribe(CHANNEL), self.settings.db_connect_timeout_seconds)
            self._pubsub = pubsub
            yield
        finally:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(pubsub.aclose(), 2.0)
            with contextlib.suppress(Exception):
                await asyncio.wait_for(client.aclose(), 2.0)

    async def _until_broken(self) -> None:
        while True:
            # get_message waits at most its timeout; redis-py pings the idle connection
            # (health_check_interval), so a dead one raises here.
            message = await self._pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
            if message is not None and message.get("type") == "message":
                order_id = parse_message(message.get("data"))
                if order_id is not None:
                    self.hub.dispatch(order_id)


def broker_kind(settings: Settings) -> str:
    """The broker ``settings`` choose (``OMS_LIVE_BROKER``; ``auto``: Redis when
    ``OMS_REDIS_URL`` is set, else PostgreSQL on PostgreSQL, else in-process); raises
    ``ValueError("OMS_...: ...")`` for a choice that cannot work."""
    kind = settings.live_broker.strip().lower()
    if kind == "auto":
        kind = "redis" if settings.redis_url else ("postgres" if settings.is_postgres else "memory")
    if kind == "redis" and not settings.redis_url:
        raise ValueError("OMS_LIVE_BROKER: redis needs OMS_REDIS_URL")
    if kind == "postgres" and not settings.is_postgres:
        raise ValueError("OMS_LIVE_BROKER: postgres needs a PostgreSQL OMS_DATABASE_URL")
    if kind not in ("memory", "postgres", "redis"):
        raise ValueError(f"OMS_LIVE_BROKER: {settings.live_broker!r} is not auto, memory, postgres or redis")
    if settings.live_max_subscriptions_per_connection < 1:
        raise ValueError("OMS_LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION: must be at least 1")
    return kind


def broker_for(settings: Settings, hub: LiveHub, *, listen: bool = True) -> Broker:
    """The broker of this process (``listen=False``: one that only publishes)."""
    kind = broker_kind(settings)
    if kind == "redis":
        return RedisBroker(hub, settings, listen=listen)
    if kind == "postgres":
        return PostgresBroker(hub, settings)
    return MemoryBroker(hub)
