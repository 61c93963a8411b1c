"""Domain errors become ``userErrors`` in one place.

A mutation whose payload has a ``user_errors`` field is declared with :func:`mutation`
instead of ``strawberry.mutation``: a :class:`DomainError` raised anywhere in its resolver
(a permission check, an id that does not parse, the service) is answered as the payload
with only ``userErrors`` set, exactly what each resolver used to build in its own
``except DomainError`` block. Any other exception is left to the error masking
(:mod:`oms.graphql.errors`). Plugins declare their mutations the same way.

    @mutation(description="Staff: ship some units of physical lines.")
    async def create_shipment(self, info: Info, input: CreateShipmentInput) -> FulfillmentPayload:
        info.context.require_permission(Permission.MANAGE_FULFILLMENT)
        ...
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.extensions import FieldExtension
from strawberry.types.field import StrawberryField

from oms.errors import DomainError
from oms.graphql.common import user_errors

__all__ = ["DomainErrorsAsUserErrors", "mutation"]


class DomainErrorsAsUserErrors(FieldExtension):
    """Answer a DomainError with the field's payload type built from ``user_errors`` alone
    (its other fields keep their defaults)."""

    payload: Any  # the payload's Strawberry type

    def apply(self, field: StrawberryField) -> None:
        payload = field.type
        fields = getattr(payload, "__strawberry_definition__", None)
        names = {f.python_name for f in fields.fields} if fields is not None else set()
        if "user_errors" not in names:
            # Said when the schema is built, not on the first failing request.
            raise TypeError(
                f"{field.python_name}: a mutation declared with oms.graphql.mutations.mutation must "
                f"return a payload with a user_errors field, not {payload!r}."
            )
        self.payload = payload

    async def resolve_async(self, next_: Any, source: Any, info: Any, **kwargs: Any) -> Any:
        try:
            return await next_(source, info, **kwargs)
        except DomainError as exc:
            return self.payload(user_errors=user_errors(exc))


def mutation(resolver: Any = None, **options: Any) -> Any:
    """``strawberry.mutation`` with :class:`DomainErrorsAsUserErrors`; used bare
    (``@mutation``) or with strawberry's options (``@mutation(description=...)``)."""
    options["extensions"] = [DomainErrorsAsUserErrors(), *options.get("extensions", ())]
    if resolver is None:
        return strawberry.mutation(**options)
    return strawberry.mutation(resolver, **options)
