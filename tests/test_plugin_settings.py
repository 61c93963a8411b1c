"""Plugin settings: declared by ``oms_settings``, read from ``OMS_<PREFIX>_<NAME>`` once when
the host loads, refused with one line naming the variable, handed out by
``PluginHost.settings_for``. (``test_hook_oms_settings`` in test_plugin_hooks.py shows the
values reaching hooks through the API.)"""

from __future__ import annotations

import enum
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from oms import hookimpl
from oms.app import create_app
from oms.plugin_settings import describe_setting
from oms.plugin_types import PluginSetting, SettingsDeclaration
from oms.plugins import PluginConfigError, PluginHost

OMS_COMMAND = Path(sys.executable).parent / "oms"


class Level(enum.Enum):
    LOW = "low"
    HIGH = "high"


def even(raw: str) -> int:
    if not raw.isdigit() or int(raw) % 2:
        raise ValueError("give an even number of seats")
    return int(raw)


TICKET_SETTINGS = [
    PluginSetting("check_in_open", bool, default=False, help="door staff may check tickets in"),
    PluginSetting("max_per_order", int, default=10, help="most tickets in one order"),
    PluginSetting("booking_fee", Decimal, default=Decimal("1.50"), help="added to each order"),
    PluginSetting("venue", str, default="Town Hall", help="printed on tickets"),
    PluginSetting("rows", "json", default=["A"], help="the rows of seats"),
    PluginSetting("level", Level, default=Level.LOW, help="noise level"),
    PluginSetting("seats_per_row", even, default=20, help="an even number"),
]


class Declares:
    """A plugin declaring ``settings`` under ``prefix``."""

    def __init__(self, name: str, prefix: str, settings=TICKET_SETTINGS):
        self.__name__ = name
        self.declaration = SettingsDeclaration(prefix, list(settings))

    @hookimpl
    def oms_settings(self):
        return self.declaration


def load(environ: dict[str, str], *plugins: object) -> PluginHost:
    return PluginHost.load(plugins or [Declares("tickets", "tickets")], environ=environ)


def test_defaults_when_nothing_is_set():
    values = load({}).settings_for("tickets")
    assert dict(values) == {
        "check_in_open": False, "max_per_order": 10, "booking_fee": Decimal("1.50"), "venue": "Town Hall",
        "rows": ["A"], "level": Level.LOW, "seats_per_row": 20,
    }


def test_each_type_is_parsed():
    values = load({
        "OMS_TICKETS_CHECK_IN_OPEN": "Yes", "OMS_TICKETS_MAX_PER_ORDER": " 4 ", "OMS_TICKETS_BOOKING_FEE": "0.75",
        "OMS_TICKETS_VENUE": " The Barn ", "OMS_TICKETS_ROWS": '["A", "B"]', "OMS_TICKETS_LEVEL": "high",
        "OMS_TICKETS_SEATS_PER_ROW": "12",
    }).settings_for("tickets")
    assert dict(values) == {
        "check_in_open": True, "max_per_order": 4, "booking_fee": Decimal("0.75"), "venue": " The Barn ",
        "rows": ["A", "B"], "level": Level.HIGH, "seats_per_row": 12,
    }
    assert load({"OMS_TICKETS_CHECK_IN_OPEN": "off"}).settings_for("tickets")["check_in_open"] is False


def test_the_values_are_read_only_and_fixed_at_load():
    environ = {"OMS_TICKETS_MAX_PER_ORDER": "4"}
    host = load(environ)
    environ["OMS_TICKETS_MAX_PER_ORDER"] = "5"
    assert host.settings_for("tickets")["max_per_order"] == 4
    with pytest.raises(TypeError):
        host.settings_for("tickets")["max_per_order"] = 6  # type: ignore[index]


@pytest.mark.parametrize(("variable", "value", "expected"), [
    ("OMS_TICKETS_CHECK_IN_OPEN", "maybe", "expected a boolean: 1/0, true/false, yes/no or on/off"),
    ("OMS_TICKETS_MAX_PER_ORDER", "4.5", "expected a whole number, e.g. 10"),
    ("OMS_TICKETS_MAX_PER_ORDER", "", "expected a whole number, e.g. 10"),
    ("OMS_TICKETS_BOOKING_FEE", "NaN", "expected a decimal number, e.g. 4.90"),
    ("OMS_TICKETS_BOOKING_FEE", "one", "expected a decimal number, e.g. 4.90"),
    ("OMS_TICKETS_ROWS", "[A, B]", "expected JSON (Expecting value: line 1 column 2 (char 1))"),
    ("OMS_TICKETS_LEVEL", "LOUD", "expected one of low, high"),
    ("OMS_TICKETS_SEATS_PER_ROW", "7", "give an even number of seats"),
])
def test_a_bad_value_is_one_line_naming_the_variable(variable, value, expected):
    with pytest.raises(PluginConfigError) as raised:
        load({variable: value})
    assert str(raised.value) == f"{variable}={value!r}: {expected}"


def test_a_long_bad_value_is_shortened_in_the_message():
    with pytest.raises(PluginConfigError) as raised:
        load({"OMS_TICKETS_ROWS": "[" + "x" * 500})
    message = str(raised.value)
    assert message.startswith("OMS_TICKETS_ROWS='[xxx") and "x" * 100 not in message
    assert "\n" not in message


def test_a_required_setting_must_be_set():
    plugin = Declares("tickets", "tickets", [PluginSetting("api_key", str, required=True, help="the box office key")])
    with pytest.raises(PluginConfigError) as raised:
        load({}, plugin)
    assert str(raised.value) == "OMS_TICKETS_API_KEY is not set: expected str (the box office key)."
    assert load({"OMS_TICKETS_API_KEY": "k-1"}, plugin).settings_for("tickets") == {"api_key": "k-1"}


def test_a_prefix_declared_twice_names_both_plugins():
    with pytest.raises(PluginConfigError) as raised:
        load({}, Declares("box-office", "tickets"), Declares("gigs", "tickets"))
    message = str(raised.value)
    assert "prefix 'tickets' (OMS_TICKETS_*) is declared by two plugins" in message
    assert "'box-office'" in message and "'gigs'" in message


@pytest.mark.parametrize(("declaration", "expected"), [
    (SettingsDeclaration("Tickets", []), "Plugin 'bad': settings prefix 'Tickets' must be lowercase"),
    (SettingsDeclaration("tickets", [PluginSetting("Max", int)]), "Plugin 'bad': setting name 'Max' must be"),
    (SettingsDeclaration("tickets", [PluginSetting("max", int), PluginSetting("max", str)]),
     "Plugin 'bad': setting 'max' is declared twice"),
    (SettingsDeclaration("tickets", [PluginSetting("max", float)]),
     "Plugin 'bad': setting 'max' has type <class 'float'>"),
    (SettingsDeclaration("tickets", [PluginSetting("max", "yaml")]), "Plugin 'bad': setting 'max' has type 'yaml'"),
    (SettingsDeclaration("tickets", ["max"]), "Plugin 'bad': 'max' is not an oms.plugin_types.PluginSetting"),
    ({"max": 1}, "Plugin 'bad': oms_settings returned {'max': 1}, not an oms.plugin_types.SettingsDeclaration"),
])
def test_a_bad_declaration_names_the_plugin(declaration, expected):
    plugin = Declares("bad", "x")
    plugin.declaration = declaration
    with pytest.raises(PluginConfigError) as raised:
        load({}, plugin)
    assert str(raised.value).startswith(expected)


class AsyncSettings:
    __name__ = "async-settings"

    @hookimpl
    async def oms_settings(self):
        return None


def test_oms_settings_must_not_be_async():
    with pytest.raises(PluginConfigError, match="oms_settings must not be async.*async-settings"):
        PluginHost.load([AsyncSettings()], environ={})


def test_an_undeclared_prefix_is_a_lookup_error():
    with pytest.raises(LookupError, match="No plugin declares settings with prefix 'nope'.*physical"):
        load({}).settings_for("nope")


def test_the_physical_plugin_keeps_its_variables():
    host = PluginHost.load(environ={"OMS_PHYSICAL_FLAT_RATE": "3.10", "OMS_PHYSICAL_WEIGHT_RATES": "1000:5.90"})
    values = host.settings_for("physical")
    assert values["flat_rate"] == Decimal("3.10") and values["free_shipping_over"] == Decimal("50.00")
    assert [(band.max_grams, band.price) for band in values["weight_rates"]] == [(1000, Decimal("5.90"))]
    assert sorted(plugin for plugin, _ in host.setting_declarations()) == [
        "consultation", "digital", "physical", "subscription"]


def test_describe_setting():
    assert describe_setting("tickets", TICKET_SETTINGS[1]) == (
        "OMS_TICKETS_MAX_PER_ORDER (int, default 10): most tickets in one order"
    )


def test_a_bad_value_stops_the_app(oms_settings, monkeypatch):
    monkeypatch.setenv("OMS_PHYSICAL_FREE_SHIPPING_OVER", "lots")
    with pytest.raises(PluginConfigError, match=r"^OMS_PHYSICAL_FREE_SHIPPING_OVER='lots': give an amount"):
        create_app(oms_settings)


@pytest.mark.parametrize("command", ["serve", "worker"])
def test_a_bad_value_stops_serve_and_worker_with_one_line(command, tmp_path):
    env = {**os.environ, "OMS_SECRET_KEY": "test-secret-" + "x" * 32, "OMS_PHYSICAL_WEIGHT_RATES": "1000:5.90,500:1",
           "OMS_DATABASE_URL": f"sqlite://{tmp_path / 'oms.sqlite3'}"}
    result = subprocess.run([str(OMS_COMMAND), command], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: OMS_PHYSICAL_WEIGHT_RATES='1000:5.90,500:1': 500 g comes after 1000 g. Give comma-separated "
        "GRAMS:PRICE pairs with grams increasing, e.g. 1000:5.90,5000:9.90, or leave it empty."
    ]
    assert not (tmp_path / "oms.sqlite3").exists()  # refused before touching the database
