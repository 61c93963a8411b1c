"""Telling "the database is unavailable, retry later" apart from every other failure.

During an outage or a network partition the drivers raise connection and timeout errors,
which Tortoise sometimes wraps. :func:`is_unavailable` recognises them along the whole
``__cause__`` / ``__context__`` chain; GraphQL answers them with a top-level error coded
``SERVICE_UNAVAILABLE`` (oms/graphql/schema.py), other routes with HTTP 503.
"""

from __future__ import annotations

import errno
import logging
import socket
import sqlite3

from starlette.responses import JSONResponse

from oms.asgi import TrackedSend

logger = logging.getLogger("oms.db")
UNAVAILABLE_MESSAGE = "The database is unavailable; retry later."


def _unavailable_types() -> tuple[type[BaseException], ...]:
    import asyncpg
    from tortoise.exceptions import DBConnectionError

    return (
        asyncpg.exceptions.ConnectionDoesNotExistError,
        asyncpg.exceptions.CannotConnectNowError,
        asyncpg.exceptions.ConnectionFailureError,
        asyncpg.exceptions.TooManyConnectionsError,
        asyncpg.exceptions.AdminShutdownError,
        asyncpg.exceptions.QueryCanceledError,  # statement_timeout
        asyncpg.exceptions.InterfaceError,  # e.g. "connection is closed"
        DBConnectionError,
        ConnectionError,
        socket.gaierror,
        TimeoutError,
    )


# An OSError about the network (not, say, a missing file of a download).
_NETWORK_ERRNOS = {errno.ECONNREFUSED, errno.ECONNRESET, errno.EHOSTUNREACH, errno.ENETUNREACH, errno.ETIMEDOUT}


def _is_network_oserror(exc: BaseException) -> bool:
    if not isinstance(exc, OSError):
        return False
    if exc.errno in _NETWORK_ERRNOS:
        return True
    # asyncio's create_connection to several addresses: OSError("Multiple exceptions: ...").
    return exc.errno is None and str(exc).startswith(("Multiple exceptions", "Connect call failed"))


def _is_sqlite_busy(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc)


def is_unavailable(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or an exception it was raised from) means the database cannot be
    reached or did not answer in time."""
    types = _unavailable_types()
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, types) or _is_network_oserror(exc) or _is_sqlite_busy(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def unavailable_response() -> JSONResponse:
    return JSONResponse(
        {"errors": [{"message": UNAVAILABLE_MESSAGE, "extensions": {"code": "SERVICE_UNAVAILABLE"}}]},
        status_code=503,
        headers={"Retry-After": "5"},
    )


class DatabaseFaults:
    """ASGI middleware: a non-GraphQL route that fails because the database is unavailable
    answers 503 with a JSON body instead of a 500 and a traceback (GraphQL maps the same
    errors itself, inside its 200 answer)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        tracked = TrackedSend(send)
        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:
            if tracked.started or not is_unavailable(exc):
                raise
            logger.warning(
                "database unavailable during %s %s: %s",
                scope.get("method"),
                scope.get("path"),
                type(exc).__name__,
            )
            await unavailable_response()(scope, receive, send)
