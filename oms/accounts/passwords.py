"""Password hashing (argon2) in a bounded thread pool, off the event loop.

One argon2 hash with the library's defaults (64 MiB, t=3, p=4) takes 0.4-0.9 s of CPU.
Run inline in a coroutine it would hold the event loop that long, so every other request
of the process waits: 16 concurrent logins pushed /healthz to 14 s. Here the work runs
in at most ``threads`` worker threads (argon2-cffi releases the GIL while hashing); a
flood of logins queues for those threads while the loop keeps answering everything else.
The pool is process-wide (it is not tied to an event loop) and sized once at start-up
from ``Settings.password_hash_threads`` (:func:`configure`).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

DEFAULT_THREADS = 2
# Added to the nice value of the hashing threads (0 = same priority as the event loop).
HASH_THREAD_NICENESS = 10

_hasher = PasswordHasher()
_lock = threading.Lock()
_threads = DEFAULT_THREADS
_pool: ThreadPoolExecutor | None = None
_dummy_hash: str | None = None


def configure(threads: int) -> None:
    """Use ``threads`` hashing threads from now on (at least 1)."""
    global _threads, _pool
    threads = max(1, int(threads))
    with _lock:
        if threads == _threads:
            return
        old, _pool, _threads = _pool, None, threads
    if old is not None:
        old.shutdown(wait=False)  # running hashes finish; new ones go to the new pool


def _lower_priority() -> None:
    """Run this hashing thread (and the lane threads argon2 starts from it, which inherit
    it) at a lower CPU priority than the event loop's thread: on a busy machine the loop
    still gets the CPU first, and a login waits a little longer instead. Linux only
    (there a nice value belongs to a thread)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            thread = threading.get_native_id()
            niceness = min(19, os.getpriority(os.PRIO_PROCESS, thread) + HASH_THREAD_NICENESS)
            os.setpriority(os.PRIO_PROCESS, thread, niceness)


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(
                max_workers=_threads, thread_name_prefix="oms-argon2", initializer=_lower_priority
            )
        return _pool


async def _off_loop(function, *args):
    return await asyncio.get_running_loop().run_in_executor(_executor(), function, *args)


def _verify_sync(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


async def hash_password(password: str) -> str:
    """The argon2 hash of ``password``, computed in the hashing pool."""
    return await _off_loop(_hasher.hash, password)


async def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``password_hash`` (False for a malformed hash)."""
    return await _off_loop(_verify_sync, password_hash, password)


def _dummy() -> str:
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("not a real password " + uuid.uuid4().hex)
    return _dummy_hash


async def verify_dummy(password: str) -> None:
    """Spend the time of one verification, for an unknown email: a miss then costs as
    much as a wrong password, so timing tells nobody which emails have accounts."""
    await _off_loop(lambda: _verify_sync(_dummy(), password))
