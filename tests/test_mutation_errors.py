"""Domain errors become userErrors in one place (oms.graphql.mutations)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import strawberry

from oms.errors import DomainError, ErrorCode
from oms.graphql.common import UserError
from oms.graphql.mutations import mutation

ROOT = Path(__file__).resolve().parent.parent
GRAPHQL_MODULES = sorted([*(ROOT / "oms" / "graphql").glob("*.py"), *(ROOT / "plugins").glob("*/graphql.py")])


@strawberry.type
class ThingPayload:
    name: str | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class Query:
    ok: bool = True


def _schema(mutation_type) -> strawberry.Schema:
    return strawberry.Schema(query=Query, mutation=mutation_type)


@strawberry.type
class Things:
    @mutation(description="Refuses odd names.")
    async def make_thing(self, name: str) -> ThingPayload:
        if name == "odd":
            raise DomainError.of(ErrorCode.INVALID, "Not that one.", ["name"])
        if name == "bug":
            raise RuntimeError("a bug, not a user error")
        return ThingPayload(name=name)


QUERY = "mutation($n: String!) { makeThing(name: $n) { name userErrors { field code message } } }"


async def test_a_domain_error_is_the_payload_with_user_errors():
    schema = _schema(Things)
    result = await schema.execute(QUERY, variable_values={"n": "odd"})
    assert result.errors is None
    assert result.data == {"makeThing": {"name": None, "userErrors": [
        {"field": ["name"], "code": "INVALID", "message": "Not that one."}
    ]}}
    ok = await schema.execute(QUERY, variable_values={"n": "fine"})
    assert ok.data == {"makeThing": {"name": "fine", "userErrors": []}}


async def test_other_errors_are_not_user_errors():
    result = await _schema(Things).execute(QUERY, variable_values={"n": "bug"})
    assert result.data is None and "a bug" in result.errors[0].message


def test_a_payload_without_user_errors_fails_when_the_schema_is_built():
    @strawberry.type
    class Bare:
        @mutation
        async def nothing(self) -> bool:
            return True

    with pytest.raises(TypeError, match="nothing: a mutation declared with .* user_errors"):
        _schema(Bare)


def test_every_mutation_uses_the_one_mapping():
    """No resolver maps DomainError to a payload by hand; every mutation is declared with
    oms.graphql.mutations.mutation."""
    by_hand = re.compile(r"except DomainError as \w+:\s*\n\s*return \w+Payload\(")
    offenders = [str(p.relative_to(ROOT)) for p in GRAPHQL_MODULES if by_hand.search(p.read_text())]
    assert offenders == []
    bare = [str(p.relative_to(ROOT)) for p in GRAPHQL_MODULES if "@strawberry.mutation" in p.read_text()]
    assert bare == []


# Where else a DomainError may become userErrors, and why: not in a mutation's failure.
OTHER_MAPPINGS = {
    "oms/graphql/mutations.py": "the one mapping",
    "oms/graphql/common.py": "user_errors itself",
    "oms/graphql/cart.py": "priceCart is a query: its quote carries the errors",
    "oms/graphql/order_mutations.py": "placeOrder succeeded: the order is placed, its payment session not opened",
}


def test_no_resolver_builds_user_errors_from_a_domain_error_by_hand():
    """Besides the mapping itself, only the places listed above call ``user_errors``: a
    mutation raises its DomainError (or the context's auth_error) instead."""
    calling = set()
    for path in GRAPHQL_MODULES:
        tree = ast.parse(path.read_text())
        if any(isinstance(n, (ast.Call, ast.FunctionDef)) and "user_errors" in (
            getattr(getattr(n, "func", None), "id", None), getattr(n, "name", None)) for n in ast.walk(tree)):
            calling.add(str(path.relative_to(ROOT)))
    assert calling == set(OTHER_MAPPINGS)


DOCS = [ROOT / "docs" / "writing_plugins.md", ROOT / "docs" / "plugin_hooks.md"]
PYTHON_BLOCK = re.compile(r"^```python[^\n]*\n(.*?)^```$", re.MULTILINE | re.DOTALL)


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_the_plugin_docs_declare_mutations_with_the_one_mapping(doc):
    """The guide's and the hook reference's examples are what plugin authors copy: their
    mutations are declared with oms.api.graphql.mutation too, not mapped by hand."""
    blocks = PYTHON_BLOCK.findall(doc.read_text())
    assert blocks
    assert [b for b in blocks if "@strawberry.mutation" in b or re.search(r"except DomainError", b)] == []
    assert any("@mutation" in b for b in blocks)

