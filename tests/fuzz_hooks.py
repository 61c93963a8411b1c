"""Schemathesis hooks for ``tests/test_fuzz.py`` (loaded with ``SCHEMATHESIS_HOOKS``):
strategies for oms's custom scalars and the check that no answer is a 5xx, a masked
error or an error without a code."""

from __future__ import annotations

import graphql
import schemathesis
from hypothesis import strategies as st
from schemathesis.graphql import nodes

# Decimal is a decimal string ("12.50"), sometimes not a number at all.
schemathesis.graphql.scalar(
    "Decimal",
    st.one_of(
        st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10**9, max_value=10**9).map(str),
        st.text(max_size=20),
    ).map(nodes.String),
)
# JSON: a flat object of short values, or a bare scalar.
_json_leaf = st.one_of(
    st.text(max_size=20).map(nodes.String),
    st.integers(min_value=-10**6, max_value=10**6).map(nodes.Int),
    st.booleans().map(nodes.Boolean),
)
schemathesis.graphql.scalar(
    "JSON",
    st.one_of(
        _json_leaf,
        st.dictionaries(st.from_regex(r"\A[a-z_]{1,10}\Z"), _json_leaf, max_size=4).map(
            lambda fields: nodes.Object(
                [graphql.ObjectFieldNode(name=graphql.NameNode(value=k), value=v) for k, v in fields.items()]
            )
        ),
    ),
)
# Files go in a multipart body, never in a JSON document: null is all a query can hold.
schemathesis.graphql.scalar("Upload", st.just(graphql.NullValueNode()))


@schemathesis.check
def no_server_errors(ctx, response, case):
    """oms answers an operation it refuses with typed top-level errors (PERMISSION_DENIED,
    INVALID...), which Schemathesis's own check counts as server errors. What must never
    happen: a 5xx, a masked "Unexpected error." (a bug), or an error without a code."""
    if response.status_code >= 500:
        raise AssertionError(f"HTTP {response.status_code}: {response.text[:500]}")
    try:
        body = response.json()
    except ValueError:
        raise AssertionError(f"Not JSON: {response.text[:500]}") from None
    errors = body.get("errors") if isinstance(body, dict) else None
    for error in errors or ():
        if error.get("message") == "Unexpected error.":
            raise AssertionError(f"Masked unexpected error: {error}")
        if not (error.get("extensions") or {}).get("code"):
            raise AssertionError(f"Error without extensions.code: {error}")
    return None
