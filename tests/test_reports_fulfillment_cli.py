"""``oms report fulfillment`` as users run it, and the tables it prints."""

from __future__ import annotations

import datetime as dt
import io

from oms.clock import utcnow
from oms.reports import cli as reports_cli
from oms.reports.fulfillment import BacklogRow, DeliveryTimeRow, FulfillmentReport, fulfillment_report
from tests.test_cli import oms
from tests.test_reports_cli import db  # noqa: F401  (the migrated database fixture)
from tests.test_reports_fulfillment import work  # noqa: F401  (orders to report on)

REPORT = FulfillmentReport(
    backlog=[BacklogRow("physical", "<1d", 2, 3), BacklogRow("physical", ">7d", 1, 4)],
    delivery_times=[DeliveryTimeRow("digital", 4, 4.0), DeliveryTimeRow("physical", 1, 26.5)],
)


def _row(text: str, *cells: str) -> str:
    """The table line holding every cell, in order."""
    for line in text.splitlines():
        parts = [part.strip() for part in line.strip(" │┃").split("│")]
        if parts[: len(cells)] == list(cells):
            return line
    raise AssertionError(f"no row {cells} in\n{text}")


def test_on_a_fresh_database_it_prints_both_tables(db):  # noqa: F811
    result = oms(db, "report", "fulfillment", "--from", "2026-03-01", "--to", "2026-03-04")
    assert result.returncode == 0, result.stderr
    assert "Backlog: paid, not delivered" in result.stdout
    assert "From payment to delivery" in result.stdout


def test_mistakes_are_one_line(db):  # noqa: F811
    result = oms(db, "report", "fulfillment", "--from", "2026-03-05", "--to", "2026-03-01")
    assert result.returncode == 2
    assert result.stderr.strip() == "error: `to` must be after `from`."
    result = oms(db, "report", "fulfillment", "--from", "2026-03-01", "--to", "soon")
    assert result.returncode == 2 and result.stderr.strip().startswith("error: --to: 'soon' is not an ISO date")
    result = oms(db, "report", "fulfillment", "--from", "2026-03-01")
    assert result.returncode == 2 and "--to" in result.stderr


def test_the_tables_list_every_row():
    out = io.StringIO()
    reports_cli.print_fulfillment(REPORT, out)
    text = out.getvalue()
    assert _row(text, "physical", "<1d", "2", "3")
    assert _row(text, "physical", ">7d", "1", "4")
    assert _row(text, "digital", "4", "4.00")
    assert _row(text, "physical", "1", "26.50")


async def test_the_printed_report_is_the_one_the_api_computes(work):  # noqa: F811
    now = utcnow()
    report = await fulfillment_report(now - dt.timedelta(days=3), now + dt.timedelta(days=1), now=now)
    out = io.StringIO()
    reports_cli.print_fulfillment(report, out)
    text = out.getvalue()

    assert report.backlog and report.delivery_times
    for row in report.backlog:
        _row(text, row.product_type, row.age, str(row.orders), str(row.units))
    for time in report.delivery_times:
        _row(text, time.product_type, str(time.deliveries), f"{time.median_hours:.2f}")
