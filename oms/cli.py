"""The ``oms`` command: serve, worker, migrate, seed, export-schema, create-staff, plugins.

``serve`` and ``worker`` live in :mod:`oms.cli_serve`, ``email`` in :mod:`oms.notifications.cli`,
``export`` and ``report`` in :mod:`oms.reports.cli`; each registers its own sub-commands."""

from __future__ import annotations

import argparse
import asyncio
import functools
import getpass
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from oms.config import Settings

T = TypeVar("T")


class CommandError(Exception):
    """A mistake the user can fix; printed as one ``error: ...`` line, exit code 2."""


def _ready_settings(
    settings: Settings, *, migrated: bool, warn_public_url: bool = False, plugins: Any = None
) -> Settings:
    """Check the database before a command uses it (creating nothing when it is missing or
    unmigrated; with ``plugins``, every history fully applied), then give the settings
    their secret key (a development key file is written only now, for a command that can
    run)."""
    from oms.db import check_database
    from oms.settings_check import with_public_url, with_secret_key

    asyncio.run(check_database(settings, migrated=migrated))
    if plugins is not None:
        _check_histories(settings, plugins)
    return with_public_url(with_secret_key(settings), warn=warn_public_url)


async def _with_database(settings: Settings, work: Callable[[], Awaitable[T]]) -> T:
    """Run ``work`` with Tortoise set up on the settings' database, then close it."""
    from tortoise import Tortoise

    from oms.db import tortoise_config

    await Tortoise.init(config=tortoise_config(settings))
    try:
        return await work()
    finally:
        await Tortoise.close_connections()


def _print_seed(result: Any) -> None:
    print("Seeded the demo catalog:", ", ".join(result.products))
    print("Demo staff account (all permissions):")
    print(f"  email:    {result.staff_email}")
    print(f"  password: {result.staff_password}")
    print("Sign in with the `login` mutation and send `Authorization: Bearer <token>`.")


async def _migrate(settings: Settings) -> list[str]:
    """Apply the core's history, then every installed plugin's: ``history/file`` names."""
    from oms.migrate import apply_all_migrations

    applied = await apply_all_migrations(settings)
    return [f"{history.key}/{name}" for history, names in applied for name in names]


def _check_histories(settings: Settings, plugins: Any) -> None:
    """Refuse to start while the core's or an installed plugin's migrations are not all
    applied: one line naming the history and ``oms migrate`` (a cheap query)."""
    from oms.migrate import all_histories, behind_histories

    problems = asyncio.run(behind_histories(settings, all_histories(plugins)))
    if problems:
        raise CommandError(problems[0])


async def _seed_if_empty(settings: Settings, *, force: bool) -> Any:
    from oms.plugins import PluginHost
    from oms.seed import is_empty, seed_demo

    async def work() -> Any:
        if not force and not await is_empty():
            return None
        return await seed_demo(plugins=PluginHost.load(), settings=settings)

    return await _with_database(settings, work)


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    from oms.db import check_database

    asyncio.run(check_database(settings, migrated=False))
    applied = asyncio.run(_migrate(settings))
    print(f"Applied {len(applied)} migration(s)." if applied else "The database is up to date.")
    for name in applied:
        print(f"  {name}")
    return 0


def cmd_seed(args: argparse.Namespace, settings: Settings) -> int:
    if getattr(args, "orders", None) is not None:
        return cmd_seed_orders(args, settings)
    settings = _ready_settings(settings, migrated=True)
    result = asyncio.run(_seed_if_empty(settings, force=False))
    if result is None:
        print("The database already has products or staff; nothing seeded.")
    else:
        _print_seed(result)
    return 0


def cmd_seed_orders(args: argparse.Namespace, settings: Settings) -> int:
    """``oms seed --orders N``: add N orders of history, progress on stderr."""
    from oms.bulkseed import seed_orders, stderr_progress
    from oms.plugins import PluginHost

    if args.orders < 1:
        raise CommandError("--orders must be at least 1")
    settings = _ready_settings(settings, migrated=True)

    async def work() -> Any:
        return await seed_orders(
            args.orders, plugins=PluginHost.load(), settings=settings, seed=args.seed, progress=stderr_progress
        )

    result = asyncio.run(_with_database(settings, work))
    print(
        f"Seeded {result.orders:,} orders (ids {result.first_order_id}-{result.last_order_id}), "
        f"{result.customers:,} customers, {result.rows:,} rows in {result.seconds:.1f} s."
    )
    return 0


def cmd_export_schema(args: argparse.Namespace, settings: Settings) -> int:
    from oms.graphql.schema import export_sdl

    sdl = export_sdl()
    if args.output == "-":
        sys.stdout.write(sdl)
    else:
        Path(args.output).write_text(sdl)
        print(f"Wrote {args.output}")
    return 0


def cmd_create_staff(args: argparse.Namespace, settings: Settings) -> int:
    from oms.accounts.services import create_staff
    from oms.errors import DomainError
    from oms.plugin_checks import declared_permissions
    from oms.plugins import PluginHost

    # Plugin permissions (oms_permissions) are grantable too; anything else is refused.
    plugin_permissions = declared_permissions(PluginHost.load())
    password = args.password
    if password is None:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Repeat password: ") != password:
            print("The passwords differ.", file=sys.stderr)
            return 2

    settings = _ready_settings(settings, migrated=True)

    async def work() -> Any:
        return await create_staff(
            email=args.email,
            password=password,
            permissions=args.permission,
            superuser=args.superuser,
            plugin_permissions=plugin_permissions,
        )

    try:
        staff = asyncio.run(_with_database(settings, work))
    except DomainError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    what = "superuser" if staff.is_superuser else ", ".join(staff.permissions) or "no permissions"
    print(f"Created staff account {staff.email} ({what}).")
    return 0


def cmd_plugins(args: argparse.Namespace, settings: Settings) -> int:
    from oms.plugins import PluginHost, describe

    for line in describe(PluginHost.load()):
        print(line)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="oms", description="oms order-management backend")
    commands = parser.add_subparsers(dest="command", required=True)

    from oms.cli_serve import add_commands as add_serve_commands

    add_serve_commands(commands)  # oms serve, oms worker
    commands.add_parser(
        "migrate", help="apply pending database migrations: the core's, then each installed plugin's"
    ).set_defaults(func=cmd_migrate)
    seed = commands.add_parser("seed", help="add the demo catalog and staff account to an empty database")
    seed.set_defaults(func=cmd_seed)
    # oms seed --orders N: a bulk order history (oms/bulkseed.py).
    seed.add_argument("--orders", type=int, metavar="N", help="add N orders of realistic history (benchmarks, demos)")
    seed.add_argument("--seed", type=int, default=1, help="random seed of --orders (same seed, same history)")

    export = commands.add_parser("export-schema", help="write the GraphQL SDL")
    export.add_argument("--output", "-o", default="schema.graphql", help="file to write, or - for stdout")
    export.set_defaults(func=cmd_export_schema)

    staff = commands.add_parser("create-staff", help="create a staff account")
    staff.add_argument("email")
    staff.add_argument("--password", help="prompted for when omitted")
    staff.add_argument(
        "--permission",
        action="append",
        default=[],
        metavar="NAME",
        help="e.g. MANAGE_ORDERS, or a plugin's permission (oms_permissions); repeat for several",
    )
    staff.add_argument("--superuser", action="store_true", help="all permissions")
    staff.set_defaults(func=cmd_create_staff)

    commands.add_parser("plugins", help="list plugins and the product types they own").set_defaults(func=cmd_plugins)

    from oms.notifications.cli import add_commands as add_email_commands

    add_email_commands(commands)  # oms email preview|resend
    from oms.reports.cli import add_commands as add_report_commands

    add_report_commands(commands)  # oms export orders|lines, oms report sales
    _add_plugin_commands(commands)
    return parser


def _add_plugin_commands(commands: Any) -> None:
    """The sub-commands plugins add (``oms_cli_commands``), e.g. ``oms add-file``."""
    from oms.plugins import PluginConfigError, PluginHost

    for command in PluginHost.load().collect("oms_cli_commands"):
        if command.name in commands.choices:
            raise PluginConfigError(f"oms_cli_commands: the command {command.name!r} already exists.")
        parser = commands.add_parser(command.name, help=command.help)
        command.add_arguments(parser)
        parser.set_defaults(func=functools.partial(_run_plugin_command, command))


def _run_plugin_command(command: Any, args: argparse.Namespace, settings: Settings) -> int:
    from oms.errors import DomainError
    from oms.plugins import await_me_maybe

    settings = _ready_settings(settings, migrated=True)

    async def work() -> int:
        return await await_me_maybe(command.run(args, settings))

    try:
        return asyncio.run(_with_database(settings, work))
    except DomainError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def main(argv: list[str] | None = None) -> int:
    from oms.plugins import PluginConfigError

    try:
        parser = build_parser()
    except PluginConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
    except ValueError as exc:  # a malformed OMS_* variable
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if hasattr(args, "log_level"):
        from oms.logs import configure_logging

        args.log_level = args.log_level or settings.log_level
        configure_logging(args.log_level, settings.log_format)
    try:
        return args.func(args, settings)
    except (PluginConfigError, CommandError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        message = _database_problem(exc)
        if message is None:
            raise
        print(f"error: {message}", file=sys.stderr)
        return 2


def _database_problem(exc: BaseException) -> str | None:
    """One line for a database failure a command met (None: a bug, keep the traceback)."""
    from oms.db import DatabaseSetupError
    from oms.dbfaults import is_unavailable
    from oms.migrate import MigrationError
    from oms.settings_check import mask_url

    if isinstance(exc, (DatabaseSetupError, MigrationError)):
        return str(exc)
    if is_unavailable(exc):
        return f"the database stopped answering ({type(exc).__name__}: {mask_url(str(exc)) or 'timeout'}); try again"
    text = str(exc)
    if "no such table" in text or ("relation" in text and "does not exist" in text):
        return f"the database is not migrated ({text}): run `oms migrate`"
    return None


if __name__ == "__main__":
    # ``python -m oms.cli`` runs this file as ``__main__``: go through ``oms.cli`` itself, the
    # module oms.cli_serve imports, so main catches the CommandError its commands raise.
    from oms.cli import main as _main

    sys.exit(_main())
