"""The hardening figures in one run: query validation of the worst documents (n = 10..40),
/healthz idle vs during a 16-client login flood and logins/s, and paid orders/s on a fresh
database vs one with 100,000 past orders.

    .venv/bin/python bench/hardening.py          # about 6 minutes on this machine
    .venv/bin/python bench/hardening.py --quick  # shorter windows, 20,000 past orders

Each part is its own script (bench/validation.py, bench/logins.py, bench/history.py) with
its own options; this one runs them one after the other, with their default workloads
unless --quick, and prints the load average before each part (the machine is shared).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import history, logins, validation  # noqa: E402


def _part(title: str) -> None:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\n=== {title} (load average {load}) ===", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter windows, a smaller history")
    args = parser.parse_args(argv)

    _part("Query validation, worst documents (bench/validation.py)")
    sys.argv = ["validation.py"]
    validation.main()

    _part("Sign-in flood (bench/logins.py)")
    status = logins.main(["--duration", "5", "--idle", "2"] if args.quick else [])
    if status:
        return status

    _part("Paid orders/s, fresh vs 100,000 past orders (bench/history.py)")
    return history.main(["--past", "20000", "--duration", "8", "--rounds", "1"] if args.quick else [])


if __name__ == "__main__":
    sys.exit(main())
