"""``python -m oms.migrate``: upgrade, make, check."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence

from oms.config import DEFAULT_DATABASE_URL, Settings
from oms.migrate import __doc__ as PACKAGE_DOC
from oms.migrate.layout import MigrationError
from oms.migrate.operations import (
    _history_and_prerequisites,
    apply_all_migrations,
    apply_migrations,
    check_migrations,
    make_migrations,
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m oms.migrate", description=(PACKAGE_DOC or "").split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("upgrade", help="apply pending migrations (the core's; --all: every history)")
    up.add_argument("--database-url", help="default: env OMS_DATABASE_URL")
    up.add_argument("--all", action="store_true", help="the core's, then each plugin's, as `oms migrate`")
    make = sub.add_parser("make", help="create a migration for both dialects from the models")
    make.add_argument("name")
    make.add_argument(
        "--plugin",
        metavar="NAME",
        help="write into this installed plugin's package (entry-point name or package), not the core's",
    )
    make.add_argument("--fresh", action="store_true", help="delete the history's migrations and write the initial ones")
    make.add_argument("--pg-admin-url", help="default: env OMS_MIGRATIONS_PG_URL")
    check = sub.add_parser("check", help="fail if the models changed without a migration")
    check.add_argument("--pg-admin-url", help="default: env OMS_MIGRATIONS_PG_URL")
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except MigrationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    if args.command == "upgrade":
        url = args.database_url or os.environ.get("OMS_DATABASE_URL") or DEFAULT_DATABASE_URL
        settings = Settings(database_url=url)
        if args.all:
            applied = [
                f"{history.key}/{name}"
                for history, names in asyncio.run(apply_all_migrations(settings))
                for name in names
            ]
        else:
            applied = asyncio.run(apply_migrations(settings))
        for version in applied:
            print(f"applied {version}")
        if not applied:
            print("no pending migrations")
        return 0
    if args.command == "make":
        history, _ = _history_and_prerequisites(args.plugin, None)
        results = asyncio.run(
            make_migrations(args.name, plugin=args.plugin, fresh=args.fresh, admin_url=args.pg_admin_url)
        )
        for dialect, created in results.items():
            where = history.folder(dialect)
            print(f"{dialect}: " + (f"created {where / created}" if created else "no changes"))
        return 0
    problems = asyncio.run(check_migrations(args.pg_admin_url))
    status = 0
    for dialect, by_history in problems.items():
        for label, sql in by_history.items():
            if sql:
                status = 1
                print(f"{dialect}, {label}: the models have changes without a migration:")
                for statement in sql:
                    print(f"    {statement};")
            else:
                print(f"{dialect}, {label}: migrations match the models")
    if status:
        print("Run `python -m oms.migrate make NAME` (--plugin NAME for a plugin's models).")
    return status


if __name__ == "__main__":
    sys.exit(main())
