"""CPU accounting of a bench from /proc (works when PostgreSQL runs on this machine).

The same helpers as bench/place_orders.py's, in a module of their own so that a bench
needing only them (bench/history.py, and through it bench/hardening.py) does not import
the placement bench and break when that one's imports of oms internals move.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path


def _cpu_seconds(pid: str) -> float:
    """CPU time of all threads of ``pid``, from the scheduler (``schedstat``: exact, unlike
    the tick-sampled utime/stime, which miss short bursts on a mostly idle machine)."""
    total = 0
    for task in os.scandir(f"/proc/{pid}/task"):
        total += int(Path(task.path, "schedstat").read_text().split()[0])
    return total / 1e9


def _proc_cpu(select: Callable[[str, int], bool]) -> dict[str, float]:
    """CPU seconds per pid of the processes ``select(cmdline, process group)`` picks."""
    found = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            raw = Path(entry.path, "stat").read_text()
            cmdline = Path(entry.path, "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            fields = raw[raw.rindex(")") + 2 :].split()
            if select(cmdline, int(fields[2])):  # fields[2]: process group
                found[entry.name] = _cpu_seconds(entry.name)
        except OSError:  # the process ended meanwhile
            continue
    return found


def cpu_snapshot(server_pgid: int, database: str) -> dict[str, dict[str, float]]:
    """CPU seconds so far, per pid, of this process (the load generator, and the raw
    path's own work), of the server's process group, and of the PostgreSQL backends
    serving ``database`` (its background writer and WAL writer are not counted)."""
    return {
        "client": {"self": _cpu_seconds(str(os.getpid()))},
        "app": _proc_cpu(lambda cmdline, pgid: pgid == server_pgid),
        "db": _proc_cpu(lambda cmdline, pgid: cmdline.startswith("postgres: ") and f" {database} " in cmdline),
    }


def cpu_used(before: dict[str, dict[str, float]], after: dict[str, dict[str, float]]) -> dict[str, float]:
    """Seconds per kind between two snapshots (a process that ended in between is lost)."""
    return {
        kind: sum(seconds - before.get(kind, {}).get(pid, 0.0) for pid, seconds in pids.items())
        for kind, pids in after.items()
    }
