"""HTTP caching of public catalog queries sent over GET (``OMS_CATALOG_CACHE_SECONDS``).

A response may be cached by browsers and CDNs only when ALL of these hold: the setting is
above 0; the request is a GET with no ``Authorization`` header (an anonymous viewer: oms
never authenticates by cookie); it is one operation (no batch), a query, whose top-level
fields are only ``products``, ``product``, ``productTypes`` (or ``__typename``); the
answer is a 200 JSON body without ``errors``. It then gets ``Cache-Control: public,
max-age=N``, ``Vary: Authorization`` and a weak ``ETag``; a matching ``If-None-Match`` is
answered 304 with no body. Anything else (a token, ``me``, orders, mutations, errors) is
left without these headers.
"""

from __future__ import annotations

import hashlib

from graphql import DocumentNode, FieldNode, OperationDefinitionNode, OperationType
from starlette.requests import Request
from starlette.responses import Response

PUBLIC_CATALOG_FIELDS = frozenset({"products", "product", "productTypes", "__typename"})


def is_public_catalog_query(document: DocumentNode, operation_name: str | None) -> bool:
    """Whether the operation that runs is a query of public catalog fields only."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name is not None and o.name.value == operation_name]
    if len(operations) != 1 or operations[0].operation != OperationType.QUERY:
        return False
    selections = operations[0].selection_set.selections
    return bool(selections) and all(
        isinstance(selection, FieldNode) and selection.name.value in PUBLIC_CATALOG_FIELDS for selection in selections
    )


def _etag(body: bytes) -> str:
    return 'W/"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _has_errors(body: bytes) -> bool:
    # Strawberry writes compact JSON: a top-level "errors" key reads `"errors":`; inside a
    # string the quotes would be escaped. A field aliased "errors" only makes the answer
    # uncached. (A scan, where decoding a large catalog page would cost milliseconds.)
    return b'"errors":' in body


def cacheable_request(request: Request, seconds: int) -> bool:
    return seconds > 0 and request.method == "GET" and "authorization" not in request.headers


def with_cache_headers(request: Request, response: Response, seconds: int) -> Response:
    """``response`` with public caching headers (or a 304) if its body has no errors."""
    if response.status_code != 200 or not response.media_type or "json" not in response.media_type:
        return response
    body = bytes(response.body)
    if _has_errors(body):
        return response
    etag = _etag(body)
    headers = {"Cache-Control": f"public, max-age={seconds}", "Vary": "Authorization", "ETag": etag}
    match = request.headers.get("if-none-match", "")
    if etag in (tag.strip() for tag in match.split(",")) or match.strip() == "*":
        return Response(status_code=304, headers=headers)
    response.headers.update(headers)
    return response
