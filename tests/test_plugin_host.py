"""The plugin host: loading from entry points, the type registry, start-up errors, the
``oms plugins`` command, tracing, and the plugin guide's example package."""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from oms import hookimpl
from oms.app import create_app
from oms.plugin_types import ProductType
from oms.plugins import PluginConfigError, PluginHost, describe

ROOT = Path(__file__).resolve().parent.parent
BUILT_INS = {"physical", "digital", "subscription", "consultation"}
OMS_COMMAND = Path(sys.executable).parent / "oms"


class Claims:
    """A plugin declaring the named product types."""

    def __init__(self, name: str, *types: str):
        self.__name__ = name
        self.types = types

    @hookimpl
    def oms_product_types(self):
        return [ProductType(name=t) for t in self.types]


# -- loading -----------------------------------------------------------------------------------

def test_entry_points_load_the_built_in_plugins():
    host = PluginHost.load()
    entry_points = {ep.name: ep for ep in importlib.metadata.entry_points(group="oms")}
    assert BUILT_INS <= set(entry_points)
    for name in BUILT_INS:
        # Each built-in is its entry point's module, registered under the entry point's
        # name, and owns the type of that name.
        assert host.pm.get_plugin(name) is entry_points[name].load()
        assert host.owner_name(name) == name

    physical = host.get_type("physical")
    assert physical.requires_shipping and physical.tracks_stock
    for name in BUILT_INS - {"physical"}:
        product_type = host.get_type(name)
        assert not product_type.requires_shipping and not product_type.tracks_stock


def test_extra_plugins_add_types():
    host = PluginHost.load([Claims("tickets", "ticket")])
    assert host.owner_name("ticket") == "tickets"
    assert host.owned_types("tickets") == [ProductType(name="ticket")]
    assert host.get_type("rental") is None


# -- start-up errors ---------------------------------------------------------------------------

def test_a_type_claimed_by_two_plugins_stops_the_load():
    with pytest.raises(PluginConfigError) as raised:
        PluginHost.load([Claims("downloads-deluxe", "digital")])
    message = str(raised.value)
    assert "'digital' is claimed by two plugins" in message
    assert "'digital' and 'downloads-deluxe'" in message

    with pytest.raises(PluginConfigError, match="'ticket' is claimed by two plugins: 'box-office' and 'gigs'"):
        PluginHost.load([Claims("box-office", "ticket"), Claims("gigs", "ticket")])


def test_a_type_claimed_by_two_plugins_stops_the_app(oms_settings):
    with pytest.raises(PluginConfigError, match="'physical' and 'parcels'"):
        create_app(oms_settings, extra_plugins=[Claims("parcels", "physical")])


class Typo:
    __name__ = "typo"

    @hookimpl
    def oms_shiping_methods(self, cart):
        return []


def test_a_hookimpl_of_an_unknown_hook_stops_the_load():
    with pytest.raises(PluginConfigError, match="hook that does not exist.*oms_shiping_methods"):
        PluginHost.load([Typo()])


class ExtraArgument:
    __name__ = "extra-argument"

    @hookimpl
    def oms_shipping_methods(self, cart, warehouse):
        return []


def test_a_hookimpl_asking_for_an_unknown_argument_stops_the_load():
    with pytest.raises(PluginConfigError, match="warehouse"):
        PluginHost.load([ExtraArgument()])


def test_a_plugin_registered_twice_stops_the_load():
    import oms_digital.plugin

    with pytest.raises(PluginConfigError, match="registered twice"):
        PluginHost.load([oms_digital.plugin])


class AsyncStartup:
    __name__ = "async-startup"

    @hookimpl
    async def oms_routes(self, settings):
        return []


def test_start_up_hooks_must_not_be_async(oms_settings):
    # The coroutine is closed, not left for the garbage collector to warn about
    # (warnings are errors here).
    with pytest.raises(PluginConfigError, match="oms_routes must not be async.*async-startup"):
        create_app(oms_settings, extra_plugins=[AsyncStartup()])


class AsyncCarriers:
    __name__ = "async-carriers"

    @hookimpl
    async def oms_shipping_carriers(self):
        return []


def test_a_hook_used_later_is_checked_at_start_too():
    # oms_shipping_carriers is first called at a shipment: an async one must stop the load.
    with pytest.raises(PluginConfigError, match="oms_shipping_carriers must not be async.*async-carriers"):
        PluginHost.load([AsyncCarriers()])


# -- oms plugins, tracing ----------------------------------------------------------------------

def run_oms(*args: str, pythonpath: list[Path] = ()) -> subprocess.CompletedProcess:
    env = {**os.environ, "OMS_SECRET_KEY": "test-secret-" + "x" * 32}
    if pythonpath:
        env["PYTHONPATH"] = os.pathsep.join(str(p) for p in pythonpath)
    return subprocess.run(
        [str(OMS_COMMAND), *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_oms_plugins_lists_plugins_and_their_types():
    result = run_oms("plugins")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for line in [
        "consultation: consultation (ships: no, stock: no)",
        "digital: digital (ships: no, stock: no)",
        "physical: physical (ships: yes, stock: yes)",
        "subscription: subscription (ships: no, stock: no)",
    ]:
        assert line in lines


def test_oms_plugins_shows_each_types_description():
    assert "  digital: Files downloaded through signed, expiring links." in run_oms("plugins").stdout.splitlines()


async def test_graphql_shows_each_types_description(oms_graphql):
    data = await oms_graphql.query("{ productTypes { name description } }")
    described = {t["name"]: t["description"] for t in data["productTypes"]}
    assert described["physical"] == "Goods shipped in a parcel; stock tracked per warehouse."


def test_describe_names_plugins_without_types():
    host = PluginHost.load([Claims("observer")])
    assert "observer: no product types" in list(describe(host))


def test_oms_trace_plugins_prints_hook_calls(monkeypatch, capsys):
    monkeypatch.setenv("OMS_TRACE_PLUGINS", "1")
    PluginHost.load().collect("oms_models")
    assert "oms_models" in capsys.readouterr().err

    monkeypatch.setenv("OMS_TRACE_PLUGINS", "0")
    PluginHost.load().collect("oms_models")
    assert capsys.readouterr().err == ""


# -- the guide's example package ---------------------------------------------------------------

GUIDE = ROOT / "docs" / "writing_plugins.md"
TITLED_BLOCK = re.compile(r'^```\w+ title="([^"]+)"\n(.*?)^```$', re.MULTILINE | re.DOTALL)


def guide_files() -> dict[str, str]:
    return dict(TITLED_BLOCK.findall(GUIDE.read_text()))


@pytest.fixture
def tickets_project(tmp_path) -> Path:
    """The oms-tickets package of docs/writing_plugins.md, written out file by file."""
    project = tmp_path / "oms-tickets"
    for name, text in guide_files().items():
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return project


def install_entry_points(project: Path, site: Path) -> None:
    """What ``pip install`` records of the project's entry points: a dist-info on the path."""
    meta = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    dist_info = site / f"{meta['name'].replace('-', '_')}-{meta['version']}.dist-info"
    dist_info.mkdir(parents=True)
    (dist_info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {meta['name']}\nVersion: {meta['version']}\n")
    groups = meta["entry-points"]
    (dist_info / "entry_points.txt").write_text(
        "".join(f"[{group}]\n" + "".join(f"{k} = {v}\n" for k, v in eps.items()) for group, eps in groups.items())
    )


def test_the_guide_shows_a_whole_package():
    assert set(guide_files()) == {
        "pyproject.toml",
        "oms_tickets/__init__.py",
        "oms_tickets/plugin.py",
        "oms_tickets/graphql.py",
        "oms_tickets/models.py",
        "tests/conftest.py",
        "tests/test_tickets.py",
    }


def test_the_guide_names_only_the_plugin_api():
    """Outside its tests (which may reach further), the guide points plugin code at
    ``oms.api`` only: no other core module is named for a plugin to import or call."""
    text = re.sub(r'^```\w+ title="tests/[^"]+"\n.*?^```$', "", GUIDE.read_text(), flags=re.MULTILINE | re.DOTALL)
    named = set(re.findall(r"\boms(?:\.[a-z_]+)+", text))
    assert {n for n in named if not re.match(r"oms\.(api|testing|migrate|sqlite3)\b", n)} == set()


def test_the_guides_api_table_lists_exactly_the_api():
    """The guide's table of the plugin API names every name each ``oms.api`` module
    exports (its ``__all__``) and nothing else, so the declared API and its doc agree."""
    section = GUIDE.read_text().split("## The plugin API", 1)[1].split("\n## ", 1)[0]
    listed: dict[str, set[str]] = {}
    for row in (line for line in section.splitlines() if line.startswith("| `oms.api")):
        _, modules, names, _ = row.split("|")
        for module in re.findall(r"`(oms\.api[\w.]*)`", modules):
            # (hook names, `oms_...`, say what a declaration is for)
            listed[module] = {n for n in re.findall(r"`([A-Za-z_]\w*)`", names) if not n.startswith("oms_")}
    assert set(listed) == {"oms.api", *(f"oms.api.{p.stem}" for p in (ROOT / "oms" / "api").glob("[!_]*.py"))}
    exported = {module: set(importlib.import_module(module).__all__) for module in listed}
    everything = set().union(*exported.values())
    for module, names in exported.items():
        # A row naming two modules lists both modules' names.
        assert names <= listed[module], (module, sorted(names - listed[module]))
        assert listed[module] <= everything, (module, sorted(listed[module] - everything))


def test_the_guide_package_tests_pass(tickets_project):
    # Run as its author would, from the package's directory: the oms fixtures come from
    # the installed oms (pytest11), the package from the conftest's oms_extra_plugins.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=tickets_project, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"\b10 passed\b", result.stdout), result.stdout


def test_the_guide_package_loads_from_its_entry_point(tickets_project, tmp_path):
    site = tmp_path / "site"
    install_entry_points(tickets_project, site)
    result = run_oms("plugins", pythonpath=[tickets_project, site])
    assert result.returncode == 0, result.stderr
    assert "tickets: ticket (ships: no, stock: no)" in result.stdout.splitlines()


def test_a_third_party_plugin_claiming_a_built_in_type_stops_oms(tmp_path):
    package = tmp_path / "src" / "oms_rogue.py"
    package.parent.mkdir()
    package.write_text(
        "from oms import hookimpl\n"
        "from oms.plugin_types import ProductType\n\n"
        "@hookimpl\n"
        "def oms_product_types():\n"
        "    return [ProductType(name='digital')]\n"
    )
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "oms-rogue"\nversion = "1.0"\n\n[project.entry-points.oms]\nrogue = "oms_rogue"\n'
    )
    site = tmp_path / "site"
    install_entry_points(tmp_path, site)
    result = run_oms("plugins", pythonpath=[package.parent, site])
    assert result.returncode == 2
    assert "Product type 'digital' is claimed by two plugins" in result.stderr
    assert "'rogue'" in result.stderr and "'digital'" in result.stderr
