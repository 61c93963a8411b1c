"""Which GraphQL errors are the client's doing, and the request id of the others.

A client mistake (a syntax or validation error, a variable of the wrong type, a value the
input types refuse) is answered as is with ``extensions.code``. Anything else is a bug or
an outage: the client sees "Unexpected error." with a code and a request id, and the log
has the traceback under that same id.
"""

from __future__ import annotations

import uuid
from typing import Any

from graphql import GraphQLError
from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.extensions import MaskErrors
from tortoise.exceptions import ValidationError as OrmValidationError

from oms.errors import DomainError

CLIENT_ERROR = "INVALID"
UNEXPECTED = "INTERNAL_SERVER_ERROR"


def is_expected(error: GraphQLError) -> bool:
    """A domain error raised on purpose (it carries its own code)."""
    return isinstance(error.original_error, DomainError)


def is_client_error(error: GraphQLError) -> bool:
    """A mistake in the request: fix the input, do not retry."""
    original = error.original_error
    if original is None:  # syntax, validation, a GraphQLError raised on purpose
        return True
    if isinstance(original, StrawberryInputCoercionError):  # a price of "twelve"
        return True
    if isinstance(original, OrmValidationError):
        # A value the ORM refuses before the query (longer than its column): inputs are
        # checked before they reach it, this is the net for any that is not.
        return True
    # graphql-core wraps a refused variable value ('$n' got "ten") in a GraphQLError;
    # it has no path, unlike a failure to serialise a resolver's result.
    return isinstance(original, GraphQLError) and error.path is None


def client_message(error: GraphQLError) -> str | None:
    """A short message for a client error whose own one is unfit to show (the ORM's
    echoes the whole value), or None to keep it."""
    original = error.original_error
    if isinstance(original, OrmValidationError):
        field, _, rest = str(original).partition(": ")
        named = f" ({field})" if rest and field.isidentifier() else ""
        return f"A value is too long or malformed for its field{named}."
    return None


def request_id_of(request: Any) -> str:
    """The id of ``request`` (Starlette Request or WebSocket) that the request-id
    middleware put in ``request.state``; one is made (and kept there) without it."""
    state = getattr(request, "state", None)
    request_id = getattr(state, "request_id", None) if state is not None else None
    if not request_id:
        request_id = uuid.uuid4().hex
        if state is not None:
            state.request_id = request_id
            state.request_id_generated = True
    return request_id


class MaskUnexpected(MaskErrors):
    """Strawberry's MaskErrors, keeping the code and request id of a masked error."""

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        masked = super().anonymise_error(error)
        kept = {key: value for key, value in (error.extensions or {}).items() if key in ("code", "requestId")}
        masked.extensions = kept or None
        return masked
