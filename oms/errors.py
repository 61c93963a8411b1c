"""The one error-code enum and the domain error services raise.

Services raise :class:`DomainError`; the GraphQL layer turns it into ``userErrors``.
"""

from __future__ import annotations

import dataclasses
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
    # A guest repeated a placement: the order exists, its link went to its email address.
    ORDER_ALREADY_PLACED = "ORDER_ALREADY_PLACED"
    PAYMENT_FAILED = "PAYMENT_FAILED"
    RETURN_NOT_ALLOWED = "RETURN_NOT_ALLOWED"
    REFUND_EXCEEDS_PAID = "REFUND_EXCEEDS_PAID"
    # Too many attempts; the error says when to try again (retryAfter, seconds).
    RATE_LIMITED = "RATE_LIMITED"
    # A dependency (the database) is unavailable; the same request may succeed later.
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    # A discount code that is unknown, expired, used up or does not apply to this cart.
    DISCOUNT_CODE_INVALID = "DISCOUNT_CODE_INVALID"
    # No shipping zone holds the shipping address's country.
    SHIPPING_UNAVAILABLE = "SHIPPING_UNAVAILABLE"
    # Orders reference this product or variant: it can be archived, not deleted.
    REFERENCED_BY_ORDERS = "REFERENCED_BY_ORDERS"


@dataclasses.dataclass(frozen=True)
class PluginErrorCode:
    """An error code a plugin declares (``oms_error_codes``), e.g. ``TICKETS_SOLD_OUT``.

    It behaves like an :class:`ErrorCode` member where the core reads one (``.value``,
    ``.name``): a plugin raises ``DomainError.of(SOLD_OUT, "...")`` and the client reads
    ``userErrors { code }`` as ``TICKETS_SOLD_OUT``. Names are upper snake case with the
    plugin's namespace first (the GraphQL ``ErrorCode`` enum holds them, so no dots)."""

    value: str

    @property
    def name(self) -> str:
        return self.value


AnyErrorCode = ErrorCode | PluginErrorCode


class FieldError:
    """One problem with one input field: ``field`` is the path, e.g. ("lines", "0", "sku")."""

    __slots__ = ("code", "message", "field", "retry_after")

    def __init__(
        self,
        code: AnyErrorCode,
        message: str,
        field: Sequence[str | int] | None = None,
        retry_after: int | None = None,
    ):
        self.code = code
        self.message = message
        self.field = tuple(str(part) for part in field) if field is not None else None
        # Seconds after which the same request may succeed (RATE_LIMITED).
        self.retry_after = retry_after

    def prefixed(self, *prefix: str | int) -> FieldError:
        return FieldError(self.code, self.message, (*prefix, *(self.field or ())), self.retry_after)

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
    def of(cls, code: AnyErrorCode, message: str, field: Sequence[str | int] | None = None) -> DomainError:
        return cls(FieldError(code, message, field))

    @property
    def code(self) -> AnyErrorCode:
        return self.errors[0].code


class RateLimited(DomainError):
    """Too many attempts of one kind from one client or on one account: refused without
    being tried. As a top-level GraphQL error its ``extensions`` carry the code and
    ``retryAfter`` (graphql-core copies an exception's ``extensions``)."""

    def __init__(self, retry_after: int, field: Sequence[str | int] | None = None):
        self.retry_after = max(1, int(retry_after))
        super().__init__(
            FieldError(
                ErrorCode.RATE_LIMITED,
                f"Too many attempts; try again in {self.retry_after} seconds.",
                field,
                self.retry_after,
            )
        )

    @property
    def extensions(self) -> dict[str, object]:
        return {"code": ErrorCode.RATE_LIMITED.value, "retryAfter": self.retry_after}


def not_found(what: str, field: Sequence[str | int] | None = None) -> DomainError:
    return DomainError.of(ErrorCode.NOT_FOUND, f"{what} not found.", field)


def permission_denied(field: Sequence[str | int] | None = None) -> DomainError:
    return DomainError.of(ErrorCode.PERMISSION_DENIED, "You do not have permission to do this.", field)
