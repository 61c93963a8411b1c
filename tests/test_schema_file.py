"""The committed schema.graphql is what the code serves (`oms export-schema` refreshes it)."""

from pathlib import Path

from oms.cli import main
from oms.graphql.schema import export_sdl

SCHEMA_FILE = Path(__file__).parents[1] / "schema.graphql"


def test_committed_schema_is_fresh():
    assert SCHEMA_FILE.read_text() == export_sdl(), "schema.graphql is stale: run `oms export-schema`"


def test_export_schema_command_writes_the_sdl(tmp_path, capsys):
    target = tmp_path / "out.graphql"
    assert main(["export-schema", "--output", str(target)]) == 0
    assert target.read_text() == export_sdl()
    assert "type Query" in target.read_text()
