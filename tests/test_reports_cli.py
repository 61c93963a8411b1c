"""``oms export`` and ``oms report sales`` as users run them, and the table and chart they draw."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
from decimal import Decimal

import pytest

from oms import cli
from oms.reports import cli as reports_cli
from oms.reports.periods import GroupBy
from oms.reports.sales import SalesReport, SalesRow
from tests.test_cli import oms

REPORT = SalesReport(
    currency="USD",
    rows=[
        SalesRow("2026-03-01", 2, 5, Decimal("50.00"), Decimal("0.00")),
        SalesRow("2026-03-02", 1, 1, Decimal("12.50"), Decimal("12.50")),
    ],
    totals=SalesRow("TOTAL", 3, 6, Decimal("62.50"), Decimal("12.50")),
)


@pytest.fixture
def db(oms_database_url):
    result = oms(oms_database_url, "migrate")
    assert result.returncode == 0, result.stderr
    return oms_database_url


def test_export_and_report_on_a_fresh_database(db, tmp_path):
    result = oms(db, "export", "orders", "--from", "2026-01-01", "--filter", "status=PROCESSING", "--no-progress")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith("id,number,created_at,paid_at,email")
    out = tmp_path / "lines.csv"
    result = oms(db, "export", "lines", "--to", "2027-01-01", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_text().startswith("order_id,order_number,")
    assert "Wrote 0 orders' lines" in result.stderr
    result = oms(db, "report", "sales", "--from", "2026-03-01", "--to", "2026-03-04", "--group-by", "day")
    assert result.returncode == 0, result.stderr
    assert "2026-03-03" in result.stdout and "TOTAL" in result.stdout


def test_mistakes_are_one_line(db):
    result = oms(db, "export", "orders", "--filter", "status=LOST")
    assert result.returncode == 2
    assert result.stderr.strip().startswith("error: status: 'LOST' is not one of")
    result = oms(db, "report", "sales", "--from", "2026-03-05", "--to", "2026-03-01")
    assert result.returncode == 2
    assert result.stderr.strip() == "error: `to` must be after `from`."
    result = oms(db, "report", "sales", "--from", "yesterday", "--to", "2026-03-01")
    assert result.returncode == 2 and "--from: 'yesterday' is not an ISO date" in result.stderr


def test_the_table_lists_every_row_and_the_totals():
    out = io.StringIO()
    reports_cli.print_sales(REPORT, GroupBy.DAY, out)
    text = out.getvalue()
    assert "Sales by day (USD)" in text
    for key, net in (("2026-03-01", "50.00"), ("2026-03-02", "0.00"), ("TOTAL", "50.00")):
        line = next(line for line in text.splitlines() if key in line)
        assert line.rstrip(" │").endswith(net)


async def test_the_plot_is_a_png(tmp_path):
    pytest.importorskip("matplotlib")
    path = tmp_path / "sales.png"
    await asyncio.to_thread(reports_cli.plot_sales, REPORT, str(path))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_without_matplotlib_plot_says_how_to_get_it(monkeypatch, capsys):
    monkeypatch.setattr(reports_cli, "_has_matplotlib", lambda: False)
    code = cli.main(["report", "sales", "--from", "2026-03-01", "--to", "2026-03-02", "--plot", "x.png"])
    assert code == 2
    assert capsys.readouterr().err == "error: --plot needs matplotlib: pip install 'oms[plot]'\n"


def test_dates_without_offset_are_in_the_store_time_zone():
    from zoneinfo import ZoneInfo

    moment = reports_cli._moment("2026-03-29", ZoneInfo("Europe/Berlin"), "--from")
    assert moment.astimezone(dt.UTC) == dt.datetime(2026, 3, 28, 23, 0, tzinfo=dt.UTC)
