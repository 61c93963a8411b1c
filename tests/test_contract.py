"""The served schema keeps the storefront contract (../shared/contract.graphql, copied here).

Parts of the contract still to be built are listed below, each with the issue that builds
it. This list only shrinks: a breaking change that is not listed fails the test, and so
does a listed part that is now built (remove it from the list).
"""

from pathlib import Path

from graphql import BreakingChangeType, build_schema, find_breaking_changes

from oms.graphql.schema import schema

CONTRACT = Path(__file__).parent / "contract.graphql"

# (change type, type or field) -> the work that will build it.
NOT_YET_BUILT = {
    # Taxes, discounts, shipping zones (issue 14).
    # Back office (issue 13).
}


def _key(change) -> tuple[str, str]:
    # Descriptions read "Payment was removed.", "Field Order.payments was removed." or
    # "Enum value ErrorCode.RATE_LIMITED was removed."
    subject = change.description.removeprefix("Field ").removeprefix("Enum value ").split(" ", 1)[0]
    return change.type.name, subject


def _breaking_changes() -> set[tuple[str, str]]:
    contract = build_schema(CONTRACT.read_text())
    served = build_schema(schema.as_str())
    return {_key(c) for c in find_breaking_changes(contract, served)}


def test_no_breaking_change_outside_the_not_yet_built_list():
    unexpected = _breaking_changes() - NOT_YET_BUILT.keys()
    assert not unexpected, f"the schema breaks the contract: {sorted(unexpected)}"


def test_not_yet_built_list_only_lists_what_is_missing():
    built = NOT_YET_BUILT.keys() - _breaking_changes()
    assert not built, f"these are built now; remove them from NOT_YET_BUILT: {sorted(built)}"


def test_contract_copy_matches_shared_contract():
    shared = Path(__file__).parents[2] / "shared" / "contract.graphql"
    if not shared.exists():  # a checkout without the shared folder beside it
        return
    assert CONTRACT.read_text() == shared.read_text(), "copy ../shared/contract.graphql into tests/"


def test_the_check_catches_a_removed_field():
    contract = build_schema(CONTRACT.read_text())
    crippled = build_schema(schema.as_str().replace("  sku: String!\n", "", 1))
    kinds = {c.type for c in find_breaking_changes(contract, crippled)}
    assert BreakingChangeType.FIELD_REMOVED in kinds
