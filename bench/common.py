"""What the benchmarks share: a GraphQL call against a live server, the staff and order
mutations they set up data with, and the percentile rule of their figures."""

from __future__ import annotations

import httpx

LOGIN = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }"
CREATE_PRODUCT = """mutation($input: CreateProductInput!) {
  createProduct(input: $input) { userErrors { code message } } }"""
MARK_PAID = """mutation($id: ID!) { markOrderPaid(id: $id) { userErrors { code message } } }"""


async def gql(http: httpx.AsyncClient, query: str, variables: dict | None = None,
              token: str | None = None) -> dict:
    """``data`` of a GraphQL call; raises on an HTTP error or top-level ``errors``."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await http.post("/graphql", json={"query": query, "variables": variables or {}},
                               headers=headers)
    body = response.json()
    if response.status_code != 200 or body.get("errors"):
        raise RuntimeError(f"GraphQL failed ({response.status_code}): {body}")
    return body["data"]


def ok(payload: dict, what: str) -> dict:
    """A mutation payload, which must have no ``userErrors``."""
    if payload.get("userErrors"):
        raise RuntimeError(f"{what}: {payload['userErrors']}")
    return payload


def percentile(values: list[float], p: float) -> float:
    """Milliseconds, from durations in seconds; nearest rank. NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000
