"""The one error-code enum and the domain error services raise.

Services raise :class:`DomainError`; the GraphQL layer turns it into ``userErrors``.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence


class ErrorCode(enum.Enum):
    INVALID = "INVALID"
    REQUIRED = "REQUIRED"
    NOT_FOUND = "NOT_FOUND"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    OUT_OF_STOCK = "OUT_OF_STOCK"
    SLOT_UNAVAILABLE = "SLOT_UNAVAILABLE"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    IDEMPOTENCY_CONFLICT = "IDEMPOTENCY_CONFLICT"
    PAYMENT_FAILED = "PAYMENT_FAILED"
    RETURN_NOT_ALLOWED = "RETURN_NOT_ALLOWED"
    REFUND_EXCEEDS_PAID = "REFUND_EXCEEDS_PAID"
    RATE_LIMITED = "RATE_LIMITED"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"


class FieldError:
    """One problem with one input field: ``field`` is the path, e.g. ("lines", "0", "sku")."""

    __slots__ = ("code", "message", "field")

    def __init__(self, code: ErrorCode, message: str, field: Sequence[str | int] | None = None):
        self.code = code
        self.message = message
        self.field = tuple(str(part) for part in field) if field is not None else None

    def prefixed(self, *prefix: str | int) -> FieldError:
        return FieldError(self.code, self.message, (*prefix, *(self.field or ())))

    def __repr__(self) -> str:
        return f"FieldError({self.code.value}, {self.message!r}, {self.field})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FieldError) and (self.code, self.message, self.field) == (
            other.code,
            other.message,
            other.field,
        )


class DomainError(Exception):
    """An expected failure of a business operation; carries one or more field errors."""

    def __init__(self, errors: FieldError | Sequence[FieldError]):
        self.errors = [errors] if isinstance(errors, FieldError) else list(errors)
        super().__init__("; ".join(e.message for e in self.errors))

    @classmethod
    def of(
        cls, code: ErrorCode, message: str, field: Sequence[str | int] | None = None
    ) -> DomainError:
        return cls(FieldError(code, message, field))

    @property
    def code(self) -> ErrorCode:
        return self.errors[0].code


def not_found(what: str, field: Sequence[str | int] | None = None) -> DomainError:
    return DomainError.of(ErrorCode.NOT_FOUND, f"{what} not found.", field)


def permission_denied(field: Sequence[str | int] | None = None) -> DomainError:
    return DomainError.of(
        ErrorCode.PERMISSION_DENIED, "You do not have permission to do this.", field
    )
