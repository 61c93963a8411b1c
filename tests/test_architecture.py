"""The import rules of docs/architecture.md hold: every ``import`` in oms/ and plugins/
(function-level ones too; only ``if TYPE_CHECKING:`` blocks are exempt, they never run)
goes where the doc's table allows.

The table is read from the doc's ``imports`` block, so the doc and this test cannot drift
apart; a module the table does not place fails here until it is placed.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"


def read_rules() -> tuple[dict[str, str], dict[str, set[str]]]:
    """(module prefix -> group) and (group -> groups or modules it may import)."""
    block = re.search(r"```imports\n(.*?)```", DOC.read_text(), re.S)
    assert block, "docs/architecture.md has no ```imports block"
    members: dict[str, str] = {}
    allowed: dict[str, set[str]] = {}
    for raw in block.group(1).splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if "=" in line:
            group, _, names = line.partition("=")
            for name in names.split():
                members[name] = group.strip()
        else:
            group, _, names = line.partition("->")
            allowed[group.strip()] = set(names.split())
    return members, allowed


MEMBERS, ALLOWED = read_rules()


def group_of(module: str) -> str | None:
    """The group of the longest prefix of ``module`` that the table names."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        if parts[:end] == ["oms"] and len(parts) > 1:
            return None  # the bare package (its hookimpl) places nothing beneath it
        group = MEMBERS.get(".".join(parts[:end]))
        if group is not None:
            return group
    return None


def may_import(importer: str, imported: str) -> bool:
    source, target = group_of(importer), group_of(imported)
    if source == target:
        return True
    rules = ALLOWED.get(source, set())
    if "*" in rules:
        return True
    parts = imported.split(".")
    # A rule names a group ("orders") or one module of a group ("orders.models").
    return target in rules or any(".".join(parts[1:end]) in rules for end in range(2, len(parts) + 1))


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def runtime_imports(tree: ast.AST, *, known: set[str]):
    """``(line, module)`` of every import that can run, at any depth."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            skipped.update(id(child) for stmt in node.body for child in ast.walk(stmt))
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                # ``from oms.orders import lifecycle`` imports the module oms.orders.lifecycle.
                full = f"{node.module}.{alias.name}"
                yield node.lineno, full if full in known else node.module


def _module_name(path: Path) -> str:
    relative = path.relative_to(ROOT)
    parts = list(relative.with_suffix("").parts)
    if parts[0] == "plugins":
        parts = parts[1:]
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def source_files() -> list[Path]:
    files = [*(ROOT / "oms").rglob("*.py"), *(ROOT / "plugins").rglob("*.py")]
    # Tests, and migration files (generated SQL that imports only tortoise), are not modules
    # of the architecture.
    skipped = {"tests", "migrations"}
    return sorted(p for p in files if not skipped & set(p.relative_to(ROOT).parts))


FILES = source_files()
KNOWN = {_module_name(p) for p in FILES}


def violations(module: str, tree: ast.AST) -> list[str]:
    # A relative import would slip past the table (it names no module): write it absolute.
    found = [
        f"{module}:{node.lineno} imports relatively ({'.' * node.level}{node.module or ''}); write it absolute"
        for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level > 0
    ]
    for line, imported in runtime_imports(tree, known=KNOWN):
        top = imported.split(".")[0]
        if top != "oms" and not top.startswith("oms_"):
            continue  # the standard library and third parties
        if top.startswith("oms_") and module.split(".")[0] != top:
            found.append(f"{module}:{line} imports another plugin, {imported}")
        elif not may_import(module, imported):
            found.append(f"{module}:{line} ({group_of(module)}) imports {imported} ({group_of(imported)})")
    return found


def test_every_module_has_a_place_in_the_table():
    unplaced = sorted(m for m in KNOWN if group_of(m) is None)
    assert unplaced == [], "add these to the imports table of docs/architecture.md"


def test_imports_follow_the_table():
    found = []
    for path in FILES:
        found += violations(_module_name(path), ast.parse(path.read_text()))
    assert found == []


@pytest.mark.parametrize(
    ("module", "source"),
    [
        # What oms.jobs used to do to dodge the cycles: a function-level import of a domain.
        ("oms.jobs.core", "def handlers():\n    from oms.orders.events import notify_observers\n"),
        # Payments moving orders by hand through the fulfillment service.
        ("oms.payments.recording", "from oms.fulfillment.services import enqueue_deliveries\n"),
        ("oms.orders.lifecycle", "from oms.fulfillment.services import deliver\n"),
        ("oms.orders.services", "import oms.graphql.orders\n"),
        ("oms.plugins", "from oms.orders.models import Order\n"),
        ("oms_physical.services", "from oms_digital.files import add_file\n"),
        # A plugin reaching past the declared API (oms.api) into the core, even lazily.
        ("oms_physical.services", "from oms.orders.models import Order\n"),
        ("oms_physical.plugin", "def hook():\n    from oms.fulfillment import services\n"),
        ("oms_digital.graphql", "from oms import hookimpl\n"),
        # A relative import names no module the table could place.
        ("oms.jobs.core", "from ..orders import events\n"),
    ],
)
def test_the_check_refuses_what_the_table_forbids(module, source):
    assert violations(module, ast.parse(source))


def test_type_checking_imports_are_exempt_and_allowed_ones_pass():
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from oms.orders.models import Order\n"
        "from oms.plugins import PluginHost\n"
    )
    assert violations("oms.jobs.registry", ast.parse(source)) == []
    assert violations("oms.payments.recording", ast.parse("from oms.orders import lifecycle\n")) == []
