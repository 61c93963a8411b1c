"""A real oms server (uvicorn in a subprocess) on a fresh database, for tests and
benchmarks that need real concurrent HTTP clients rather than an in-process transport.

Used by ``tests/test_concurrency.py`` and ``bench/place_orders.py``::

    async with fresh_database() as url:          # PostgreSQL or a temp SQLite file
        await migrate(url)                       # oms.migrate.apply_all_migrations
        create_staff(url, STAFF_EMAIL, STAFF_PASSWORD)   # the `oms create-staff` CLI
        async with live_server(url, workers=2) as server:
            ...  # HTTP to server.url + "/graphql"

The server is ``uvicorn --factory oms.app:create_app --http oms.serving:HeaderTimeoutProtocol``, so it reads its settings from
``OMS_*`` variables exactly as a deployment does. It runs in its own process group and is
stopped (SIGTERM, then SIGKILL) at the end; its output goes to a log file that is shown
when it fails to start.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import dataclasses
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Mapping
from pathlib import Path

import httpx

from oms.config import Settings
from oms.testing import create_postgres_database, drop_postgres_database, test_database_url

SECRET_KEY = "live-server-secret-" + "k" * 32
STAFF_EMAIL = "staff@example.com"
STAFF_PASSWORD = "staff-pass-1"
# "asyncpg.exceptions.DeadlockDetectedError: deadlock detected", "ValueError: ..."
_EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Warning)\b")


@dataclasses.dataclass
class LiveServer:
    url: str
    database_url: str
    workers: int
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def exceptions(self, limit: int = 5) -> str:
        """The most frequent exception lines of the server log, for failure messages."""
        found = collections.Counter(
            line.strip() for line in self.log().splitlines() if _EXCEPTION_LINE.match(line)
        )
        if not found:
            return "(no exception in the server log)"
        return "\n".join(f"{count} x {line[:300]}" for line, count in found.most_common(limit))


def free_port() -> int:
    """A loopback port that was free a moment ago (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(database_url: str, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of an oms process on ``database_url``: no demo seed, a fixed secret
    (tokens must be valid in every worker process), nothing inherited from ``OMS_*``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OMS_")}
    env.update(
        OMS_DATABASE_URL=database_url,
        OMS_SECRET_KEY=SECRET_KEY,
        OMS_SEED_DEMO="false",
        # One log line per request is the product's default; tests and benchmarks read
        # warnings and errors only.
        OMS_LOG_LEVEL="warning",
        AERICH_NO_TORTOISE_V1_WARNING="1",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra or {})
    return env


@contextlib.asynccontextmanager
async def fresh_database(tmp_dir: str | os.PathLike[str] | None = None) -> AsyncIterator[str]:
    """A brand-new empty database: on the PostgreSQL server of ``OMS_TEST_DATABASE_URL``
    when set (dropped afterwards), else a SQLite file in ``tmp_dir`` (or a temp folder)."""
    base = test_database_url()
    if base is not None:
        url = await create_postgres_database(base)
        try:
            yield url
        finally:
            await drop_postgres_database(base, url)
        return
    if tmp_dir is not None:
        yield f"sqlite://{Path(tmp_dir) / 'oms-live.sqlite3'}"
        return
    with tempfile.TemporaryDirectory(prefix="oms-live-") as folder:
        yield f"sqlite://{Path(folder) / 'oms-live.sqlite3'}"


async def migrate(database_url: str) -> list[str]:
    """Create the schema the way ``oms serve`` does: apply the aerich migrations (the core's,
    then each installed plugin's, which ``oms worker`` checks at start)."""
    from oms.config import Settings
    from oms.migrate import apply_all_migrations

    applied = await apply_all_migrations(Settings(database_url=database_url, seed_demo=False))
    return [f"{history.key}/{name}" for history, names in applied for name in names]


def create_staff(database_url: str, email: str = STAFF_EMAIL, password: str = STAFF_PASSWORD) -> None:
    """A superuser staff account, through the ``oms create-staff`` command."""
    command = [sys.executable, "-m", "oms.cli", "create-staff", email, "--password", password, "--superuser"]
    done = subprocess.run(
        command, env=server_env(database_url), capture_output=True, text=True, timeout=120,
        cwd=tempfile.gettempdir(),
    )
    if done.returncode != 0:
        raise RuntimeError(f"oms create-staff failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")


@contextlib.asynccontextmanager
async def live_server(
    database_url: str,
    *,
    workers: int = 1,
    env: Mapping[str, str] | None = None,
    startup_timeout: float = 60.0,
    log_dir: str | os.PathLike[str] | None = None,
) -> AsyncIterator[LiveServer]:
    """Run ``uvicorn --factory oms.app:create_app`` on a free loopback port against an
    already migrated ``database_url``; yield once ``/healthz`` answers 200."""
    with contextlib.ExitStack() as stack:
        folder = Path(log_dir) if log_dir is not None else Path(
            stack.enter_context(tempfile.TemporaryDirectory(prefix="oms-live-server-"))
        )
        log_path = folder / f"uvicorn-{os.getpid()}-{time.monotonic_ns()}.log"
        port = free_port()
        command = [
            sys.executable, "-m", "uvicorn", "--factory", "oms.app:create_app",
            "--host", "127.0.0.1", "--port", str(port),
            "--log-level", "warning", "--no-access-log",
            # Slow clients' headers time out as under `oms serve` (OMS_REQUEST_HEADER_TIMEOUT_SECONDS).
            "--http", "oms.serving:HeaderTimeoutProtocol",
            # Websocket messages are capped by uvicorn as under `oms serve`.
            "--ws-max-size", (env or {}).get("OMS_MAX_WS_MESSAGE_BYTES", str(Settings.max_ws_message_bytes)),
        ]
        if workers > 1:
            command += ["--workers", str(workers)]
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                command,
                env=server_env(database_url, env),
                stdout=log,
                stderr=subprocess.STDOUT,
                # The cwd gets no .oms-secret-key or sqlite file by accident.
                cwd=folder,
                # Its own process group: stopping it also stops the worker processes.
                start_new_session=True,
            )
        server = LiveServer(
            url=f"http://127.0.0.1:{port}", database_url=database_url, workers=workers,
            process=process, log_path=log_path,
        )
        try:
            await _wait_healthy(server, startup_timeout)
            yield server
        finally:
            await asyncio.to_thread(_stop, process)


async def _wait_healthy(server: LiveServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    # uvicorn workers share the listening socket and take connections only once their
    # lifespan (database) is up, so healthy answers mean a worker is ready; want two.
    wanted = 2
    healthy = 0
    async with httpx.AsyncClient(base_url=server.url, timeout=2.0) as client:
        while time.monotonic() < deadline:
            if server.process.poll() is not None:
                raise RuntimeError(
                    f"uvicorn exited with {server.process.returncode} before answering:\n{server.log()}"
                )
            try:
                response = await client.get("/healthz")
                healthy = healthy + 1 if response.status_code == 200 else 0
            except httpx.TransportError:
                healthy = 0
            if healthy >= wanted:
                return
            await asyncio.sleep(0.1 if healthy else 0.2)
    raise RuntimeError(f"uvicorn did not answer /healthz within {timeout:.0f} s:\n{server.log()}")


def _stop(process: subprocess.Popen) -> None:
    """Stop a server started with ``start_new_session=True``: its whole process group."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)
    else:
        # The supervisor is gone; make sure no orphaned worker of its group lingers.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)


async def sql_rows(database_url: str, query: str, *params: object) -> list[tuple]:
    """Read the server's database directly (``?`` placeholders, either dialect): what is
    really stored, not what the API chooses to show."""
    if database_url.startswith(("postgres://", "postgresql://")):
        import asyncpg

        parts = query.split("?")
        numbered = parts[0] + "".join(f"${i}{part}" for i, part in enumerate(parts[1:], start=1))
        conn = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
        try:
            return [tuple(row) for row in await conn.fetch(numbered, *params)]
        finally:
            await conn.close()

    import sqlite3

    def read() -> list[tuple]:
        # A busy timeout: the server may be committing while we read.
        conn = sqlite3.connect(database_url[len("sqlite://"):], timeout=30)
        try:
            return list(conn.execute(query, params))
        finally:
            conn.close()

    return await asyncio.to_thread(read)
