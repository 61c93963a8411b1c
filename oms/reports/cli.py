"""``oms export orders|lines`` and ``oms report sales``: the exports and the sales report on
the command line. Dates without an offset are in the store's time zone (OMS_TIMEZONE)."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
from collections.abc import Sequence
from typing import IO, Any
from zoneinfo import ZoneInfo

from oms.config import Settings
from oms.errors import DomainError
from oms.reports.exports import KINDS, Export, order_filter
from oms.reports.fulfillment import FulfillmentReport, fulfillment_report
from oms.reports.periods import GroupBy
from oms.reports.sales import SalesReport, sales_report

PLOT_HINT = "--plot needs matplotlib: pip install 'oms[plot]'"


def add_commands(commands: Any) -> None:
    """Register ``export`` and ``report`` on ``oms``'s sub-command parser."""
    export = commands.add_parser("export", help="stream orders or order lines as CSV to stdout (progress on stderr)")
    export.add_argument("kind", choices=KINDS)
    export.add_argument("--from", dest="start", help="created at or after (ISO date or time)")
    export.add_argument("--to", dest="end", help="created before (ISO date or time)")
    export.add_argument(
        "--filter", action="append", default=[], metavar="NAME=VALUE",
        help="an orders(filter:) field, e.g. status=PROCESSING,COMPLETED or productType=physical (repeatable)",
    )  # fmt: skip
    export.add_argument("--output", "-o", help="write to this file instead of stdout")
    export.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    export.set_defaults(func=cmd_export)

    report = commands.add_parser("report", help="print a report")
    reports = report.add_subparsers(dest="report", required=True)
    sales = reports.add_parser("sales", help="orders, units, gross, tax, refunds and net of orders paid in a range")
    sales.add_argument("--from", dest="start", required=True, help="ISO date or time (inclusive)")
    sales.add_argument("--to", dest="end", required=True, help="ISO date or time (exclusive)")
    sales.add_argument("--group-by", default="day", type=str.upper, choices=[g.value for g in GroupBy])
    sales.add_argument("--plot", metavar="FILE.png", help="also draw the chart (needs the plot extra)")
    sales.set_defaults(func=cmd_report_sales)
    add_fulfillment_command(reports)


def _moment(text: str, zone: dt.tzinfo, flag: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{flag}: {text!r} is not an ISO date or time, e.g. 2026-03-01") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _filter_params(args: argparse.Namespace) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for pair in args.filter:
        name, sep, value = pair.partition("=")
        if not sep:
            raise ValueError(f"--filter {pair!r}: write NAME=VALUE, e.g. status=PROCESSING")
        params.setdefault(name.strip(), []).append(value)
    for name, value in (("from", args.start), ("to", args.end)):
        if value is not None:
            params.setdefault(name, []).append(value)
    return params


async def write_export(export: Export, out: IO[bytes], *, progress: bool, stderr: IO[str] | None = None) -> int:
    """Write the export's CSV to ``out`` chunk by chunk, with a progress bar (orders) on
    ``stderr``; the number of orders written."""
    from rich.console import Console
    from rich.progress import Progress

    console = Console(file=stderr or sys.stderr)
    with Progress(console=console, disable=not progress, transient=False) as bar:
        task = bar.add_task(f"Exporting {export.kind}", total=await export.count() if progress else None)
        async for text in export.chunks():
            out.write(text.encode("utf-8"))
            bar.update(task, completed=export.orders_done)
    return export.orders_done


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from oms.cli import _ready_settings, _with_database

    zone = ZoneInfo(settings.timezone)
    try:
        filters = order_filter(_filter_params(args), zone=zone)
    except DomainError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    settings = _ready_settings(settings, migrated=True)

    async def work() -> int:
        export = Export(args.kind, filters)  # its queryset needs the database set up
        if args.output:
            with open(args.output, "wb") as out:
                return await write_export(export, out, progress=not args.no_progress)
        done = await write_export(export, sys.stdout.buffer, progress=not args.no_progress)
        sys.stdout.buffer.flush()
        return done

    try:
        done = asyncio.run(_with_database(settings, work))
    except DomainError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.output:
        print(f"Wrote {done} orders' {args.kind} to {args.output}", file=sys.stderr)
    return 0


def print_sales(report: SalesReport, group_by: GroupBy, out: IO[str] | None = None) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Sales by {group_by.value.lower().replace('_', ' ')} ({report.currency})")
    for title in ("Key", "Orders", "Units", "Gross", "Tax added", "Tax incl.", "Refunds", "Net"):
        table.add_column(title, justify="left" if title == "Key" else "right")
    for row in [*report.rows, report.totals]:
        table.add_row(row.key, str(row.orders), str(row.units_sold), f"{row.gross:.2f}", f"{row.tax_added:.2f}",
                      f"{row.tax_included:.2f}", f"{row.refunds:.2f}", f"{row.net:.2f}",
                      end_section=row is report.rows[-1] if report.rows else False)  # fmt: skip
    Console(file=out or sys.stdout, width=110).print(table)


def plot_sales(report: SalesReport, path: str) -> None:
    """Gross and net per row as bars, written to ``path`` (PNG, SVG or PDF by its suffix)."""
    import matplotlib

    matplotlib.use("Agg")  # no display needed
    from matplotlib import pyplot

    keys = [r.key for r in report.rows]
    figure, axes = pyplot.subplots(figsize=(max(6.0, len(keys) * 0.35), 4.5))
    positions = range(len(keys))
    axes.bar([p - 0.2 for p in positions], [float(r.gross) for r in report.rows], width=0.4, label="gross")
    axes.bar([p + 0.2 for p in positions], [float(r.net) for r in report.rows], width=0.4, label="net")
    axes.set_xticks(list(positions), keys, rotation=60, ha="right", fontsize=8)
    axes.set_ylabel(report.currency)
    axes.set_title("Sales")
    axes.legend()
    figure.tight_layout()
    figure.savefig(path)
    pyplot.close(figure)


def _has_matplotlib() -> bool:
    import importlib.util

    return importlib.util.find_spec("matplotlib") is not None


def cmd_report_sales(args: argparse.Namespace, settings: Settings) -> int:
    from oms.cli import _ready_settings, _with_database

    if args.plot and not _has_matplotlib():
        print(f"error: {PLOT_HINT}", file=sys.stderr)
        return 2
    zone = ZoneInfo(settings.timezone)
    start, end = _moment(args.start, zone, "--from"), _moment(args.end, zone, "--to")
    group_by = GroupBy(args.group_by)
    settings = _ready_settings(settings, migrated=True)

    async def work() -> SalesReport:
        return await sales_report(start, end, group_by, timezone=settings.timezone, currency=settings.currency)

    try:
        report = asyncio.run(_with_database(settings, work))
    except DomainError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print_sales(report, group_by)
    if args.plot:
        plot_sales(report, args.plot)
        print(f"Wrote {args.plot}", file=sys.stderr)
    return 0


# -- oms report fulfillment (issue 13 item 6 on the command line) -------------------------


def add_fulfillment_command(reports: Any) -> None:
    """``oms report fulfillment --from --to``: the backlog now, and delivery times in a range."""
    fulfillment = reports.add_parser(
        "fulfillment", help="the backlog by product type and age, and the median time from payment to delivery"
    )
    fulfillment.add_argument("--from", dest="start", required=True, help="delivered at or after (ISO date or time)")
    fulfillment.add_argument("--to", dest="end", required=True, help="delivered before (ISO date or time)")
    fulfillment.set_defaults(func=cmd_report_fulfillment)


def print_fulfillment(report: FulfillmentReport, out: IO[str] | None = None) -> None:
    """Two tables: the backlog (paid, not delivered) and the median hours to delivery."""
    from rich.console import Console
    from rich.table import Table

    backlog = Table(title="Backlog: paid, not delivered (by time since payment)")
    for title in ("Product type", "Age", "Orders", "Units"):
        backlog.add_column(title, justify="right" if title in ("Orders", "Units") else "left")
    for row in report.backlog:
        backlog.add_row(row.product_type, row.age, str(row.orders), str(row.units))
    delivery = Table(title="From payment to delivery")
    for title in ("Product type", "Deliveries", "Median hours"):
        delivery.add_column(title, justify="left" if title == "Product type" else "right")
    for time in report.delivery_times:
        delivery.add_row(time.product_type, str(time.deliveries), f"{time.median_hours:.2f}")
    console = Console(file=out or sys.stdout, width=100)
    console.print(backlog)
    console.print(delivery)


def cmd_report_fulfillment(args: argparse.Namespace, settings: Settings) -> int:
    from oms.cli import _ready_settings, _with_database
    from oms.clock import utcnow

    zone = ZoneInfo(settings.timezone)
    start, end = _moment(args.start, zone, "--from"), _moment(args.end, zone, "--to")  # ValueError: one line
    settings = _ready_settings(settings, migrated=True)

    async def work() -> FulfillmentReport:
        return await fulfillment_report(start, end, now=utcnow())

    try:
        report = asyncio.run(_with_database(settings, work))
    except DomainError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print_fulfillment(report)
    return 0


__all__: Sequence[str] = ("add_commands", "plot_sales", "print_fulfillment", "print_sales", "write_export")
