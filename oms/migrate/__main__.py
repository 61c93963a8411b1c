"""``python -m oms.migrate``: upgrade, make, check."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence


from oms.config import DEFAULT_DATABASE_URL, Settings
from oms.migrate.layout import migrations_dir
from oms.migrate.operations import apply_migrations, check_migrations, make_migrations

from oms.migrate import __doc__ as PACKAGE_DOC


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m oms.migrate", description=(PACKAGE_DOC or "").split("\n")[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("upgrade", help="apply pending migrations")
    up.add_argument("--database-url", help="default: env OMS_DATABASE_URL")
    make = sub.add_parser("make", help="create a migration for both dialects from the models")
    make.add_argument("name")
    make.add_argument(
        "--fresh", action="store_true", help="delete all migrations and write the initial ones"
    )
    make.add_argument("--pg-admin-url", help="default: env OMS_MIGRATIONS_PG_URL")
    check = sub.add_parser("check", help="fail if the models changed without a migration")
    check.add_argument("--pg-admin-url", help="default: env OMS_MIGRATIONS_PG_URL")
    args = parser.parse_args(argv)

    if args.command == "upgrade":
        url = args.database_url or os.environ.get("OMS_DATABASE_URL") or DEFAULT_DATABASE_URL
        applied = asyncio.run(apply_migrations(Settings(database_url=url)))
        for version in applied:
            print(f"applied {version}")
        if not applied:
            print("no pending migrations")
        return 0
    if args.command == "make":
        results = asyncio.run(
            make_migrations(args.name, fresh=args.fresh, admin_url=args.pg_admin_url)
        )
        for dialect, created in results.items():
            where = migrations_dir(dialect)
            print(f"{dialect}: " + (f"created {where / created}" if created else "no changes"))
        return 0
    problems = asyncio.run(check_migrations(args.pg_admin_url))
    status = 0
    for dialect, sql in problems.items():
        if sql:
            status = 1
            print(f"{dialect}: the models have changes without a migration:")
            for statement in sql:
                print(f"    {statement};")
        else:
            print(f"{dialect}: migrations match the models")
    if status:
        print("Run `python -m oms.migrate make NAME`.")
    return status


if __name__ == "__main__":
    sys.exit(main())
