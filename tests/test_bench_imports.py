"""The hardening bench (issue 9's "Done when": its figures in one run) still starts: its
modules import against today's oms. Nothing runs the benches in the test run, so an oms
internal they import can move without anyone noticing (bench/history.py once broke this
way through bench/place_orders.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_hardening_bench_and_its_parts_start():
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "hardening.py"), "--help"],
        capture_output=True, text=True, timeout=60, cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "--quick" in done.stdout
