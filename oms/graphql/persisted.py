"""Automatic persisted queries (APQ), the protocol of Apollo Client's persisted-queries
link and urql's persisted exchange.

A request whose ``extensions.persistedQuery`` is ``{"version": 1, "sha256Hash": h}``:

- without ``query``: runs the document stored under ``h``; unknown ``h`` is answered
  HTTP 200 ``{"errors": [{"message": "PersistedQueryNotFound", "extensions": {"code":
  "PERSISTED_QUERY_NOT_FOUND"}}]}`` so the client retries with the full query;
- with ``query``: ``h`` must be the SHA-256 (hex) of the query's UTF-8 bytes (otherwise
  400 "provided sha does not match query"), and the document is stored under ``h``.

Works over POST and GET (Apollo's ``useGETForHashedQueries``) and in batches. The stored
text goes through the usual pipeline, so the query limits (size, tokens, depth, aliases,
selections) apply to persisted documents as to any other. The store is per process: a
bounded LRU by entries and by bytes (``OMS_PERSISTED_QUERY_CACHE_ENTRIES`` /
``OMS_PERSISTED_QUERY_CACHE_BYTES``); a process that never saw a hash answers "not
found" and the client sends the query once more. ``OMS_PERSISTED_QUERIES=false`` answers
``PERSISTED_QUERY_NOT_SUPPORTED`` to any request that asks for APQ (Apollo's link then
stops using it).
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
from collections import OrderedDict
from typing import Any

from strawberry.http import GraphQLRequestData

NOT_FOUND = ("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")
NOT_SUPPORTED = ("PersistedQueryNotSupported", "PERSISTED_QUERY_NOT_SUPPORTED")
HASH_MISMATCH = ("provided sha does not match query", "PERSISTED_QUERY_HASH_MISMATCH")
_HEX = frozenset("0123456789abcdef")


class PersistedQueryError(Exception):
    """A refusal of the APQ protocol: ``status`` (200 for the answers a client retries
    on), ``message`` and ``code`` (``extensions.code``)."""

    def __init__(self, status: int, message: str, code: str):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code

    def body(self) -> dict[str, Any]:
        return {"errors": [{"message": self.message, "extensions": {"code": self.code}}]}


class PersistedQueries:
    """Documents by SHA-256 hex digest: an LRU bounded by count and total bytes (the
    length of the stored text; a character counts once)."""

    def __init__(self, *, max_entries: int, max_bytes: int):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._documents: OrderedDict[str, str] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()  # resolve() may run in a worker thread too

    def __len__(self) -> int:
        return len(self._documents)

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def get(self, digest: str) -> str | None:
        with self._lock:
            query = self._documents.get(digest)
            if query is not None:
                self._documents.move_to_end(digest)
            return query

    def put(self, digest: str, query: str) -> None:
        if len(query) > self.max_bytes or self.max_entries <= 0:
            return
        with self._lock:
            old = self._documents.pop(digest, None)
            if old is not None:
                self._bytes -= len(old)
            self._documents[digest] = query
            self._bytes += len(query)
            while len(self._documents) > self.max_entries or self._bytes > self.max_bytes:
                _, evicted = self._documents.popitem(last=False)
                self._bytes -= len(evicted)


def sha256_hex(query: str) -> str:
    return hashlib.sha256(query.encode("utf-8", "surrogatepass")).hexdigest()


def _requested_hash(extensions: dict[str, Any] | None) -> str | None:
    """The hash an operation asks for, or None when it does not use APQ."""
    if not extensions or "persistedQuery" not in extensions:
        return None
    persisted = extensions["persistedQuery"]
    if not isinstance(persisted, dict):
        raise PersistedQueryError(400, "extensions.persistedQuery must be an object.", "BAD_REQUEST")
    if persisted.get("version") != 1:
        raise PersistedQueryError(400, "Unsupported persisted query version", "BAD_REQUEST")
    digest = persisted.get("sha256Hash")
    if not isinstance(digest, str) or len(digest) != 64 or not _HEX.issuperset(digest.lower()):
        raise PersistedQueryError(
            400, "extensions.persistedQuery.sha256Hash must be a SHA-256 digest (64 hex digits).", "BAD_REQUEST"
        )
    return digest.lower()


def resolve(data: GraphQLRequestData, store: PersistedQueries | None, *, max_query_bytes: int) -> GraphQLRequestData:
    """``data`` with its query filled from (or stored into) ``store``; ``store`` None
    means APQ is off. Raises :class:`PersistedQueryError`. Linear in the query."""
    digest = _requested_hash(data.extensions)
    if digest is None:
        return data
    if store is None:
        raise PersistedQueryError(200, *NOT_SUPPORTED)
    if data.query is None:
        query = store.get(digest)
        if query is None:
            raise PersistedQueryError(200, *NOT_FOUND)
        return dataclasses.replace(data, query=query)
    if len(data.query) > max_query_bytes:
        return data  # not stored; the parser refuses it as too large
    if sha256_hex(data.query) != digest:
        raise PersistedQueryError(400, *HASH_MISMATCH)
    store.put(digest, data.query)
    return data
