"""``oms serve`` / ``oms worker`` for bench/serve_memory.py, which starts them as

    python bench/gc_child.py tuned|default REPORT.json serve|worker [their arguments]

``default`` replaces ``oms.serving.tune_gc`` with a function that does nothing (so the
process keeps Python's collector: thresholds 700 / 10 / 10, nothing frozen); ``tuned``
changes nothing. Either way SIGUSR1 makes the process write its collector's state to
REPORT.json; SIGUSR2 first runs a full collection (bench/serve_memory.py does once, at the end).
It imports nothing of the benchmark, so both run what ``oms`` runs.
"""

from __future__ import annotations

import collections
import gc
import json
import os
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def gc_report(path: str, collect: bool = False) -> None:
    """The collector's state, the objects it tracks (the frozen ones are not) by type, and
    the oldest generation's by type. With ``collect``, a full collection runs after that
    census: ``freed`` is what it found unreachable, ``after`` the objects left in all."""
    old = collections.Counter(type(o).__name__ for o in gc.get_objects(2))
    generations = [len(gc.get_objects(g)) for g in range(3)]
    began = time.perf_counter()
    freed = gc.collect() if collect else None
    seconds = time.perf_counter() - began
    objects = gc.get_objects()
    types = collections.Counter(type(o).__name__ for o in objects)
    stats = gc.get_stats()
    report = {
        "threshold": gc.get_threshold(),
        "frozen": gc.get_freeze_count(),
        "count": gc.get_count(),
        "collections": [s["collections"] for s in stats],
        "collected": [s["collected"] for s in stats],
        "generations": generations,
        "old types": dict(old.most_common(40)),
        "freed": freed,
        "collect seconds": seconds if collect else None,
        "objects": len(objects),
        "types": dict(types.most_common(300)),
    }
    del objects, old
    with open(path + ".tmp", "w") as f:
        json.dump(report, f)
    os.replace(path + ".tmp", path)


def main(mode: str, report_path: str, argv: list[str]) -> int:
    import oms.serving

    if mode == "default":
        oms.serving.tune_gc = lambda: None  # cmd_serve and cmd_worker import it when they run
    elif mode != "tuned":
        raise SystemExit(f"mode {mode!r}: tuned or default")
    signal.signal(signal.SIGUSR1, lambda signum, frame: gc_report(report_path))
    signal.signal(signal.SIGUSR2, lambda signum, frame: gc_report(report_path, collect=True))
    from oms.cli import main as oms_main

    return oms_main(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
