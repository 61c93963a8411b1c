"""The order, payment and line states, and the one table of allowed transitions."""

from __future__ import annotations

import enum

from oms.errors import DomainError, ErrorCode


class OrderStatus(str, enum.Enum):
    PENDING_PAYMENT = "PENDING_PAYMENT"
    PROCESSING = "PROCESSING"
    PARTIALLY_FULFILLED = "PARTIALLY_FULFILLED"
    COMPLETED = "COMPLETED"
    CANCELED = "CANCELED"
    EXPIRED = "EXPIRED"


class PaymentStatus(str, enum.Enum):
    PENDING = "PENDING"
    PAID = "PAID"
    PARTIALLY_REFUNDED = "PARTIALLY_REFUNDED"
    REFUNDED = "REFUNDED"
    FAILED = "FAILED"
    VOIDED = "VOIDED"


class LineStatus(str, enum.Enum):
    PENDING = "PENDING"
    IN_PROGRESS = "IN_PROGRESS"
    DELIVERED = "DELIVERED"
    CANCELED = "CANCELED"
    RETURNED = "RETURNED"


class ReturnStatus(str, enum.Enum):
    REQUESTED = "REQUESTED"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    RECEIVED = "RECEIVED"
    REFUNDED = "REFUNDED"
    CANCELED = "CANCELED"


_O = OrderStatus
ORDER_TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    _O.PENDING_PAYMENT: frozenset({_O.PROCESSING, _O.CANCELED, _O.EXPIRED}),
    # A paid order can be canceled only while nothing has been delivered.
    _O.PROCESSING: frozenset({_O.PARTIALLY_FULFILLED, _O.COMPLETED, _O.CANCELED}),
    _O.PARTIALLY_FULFILLED: frozenset({_O.COMPLETED}),
    _O.COMPLETED: frozenset(),
    _O.CANCELED: frozenset(),
    _O.EXPIRED: frozenset(),
}

_P = PaymentStatus
PAYMENT_TRANSITIONS: dict[PaymentStatus, frozenset[PaymentStatus]] = {
    _P.PENDING: frozenset({_P.PAID, _P.FAILED, _P.VOIDED}),
    # A failed attempt can be followed by a successful one while the order is payable.
    _P.FAILED: frozenset({_P.PAID, _P.VOIDED}),
    _P.PAID: frozenset({_P.PARTIALLY_REFUNDED, _P.REFUNDED}),
    _P.PARTIALLY_REFUNDED: frozenset({_P.PARTIALLY_REFUNDED, _P.REFUNDED}),
    _P.REFUNDED: frozenset(),
    _P.VOIDED: frozenset(),
}


def can_transition(current: OrderStatus, target: OrderStatus) -> bool:
    return target in ORDER_TRANSITIONS[current]


def check_transition(current: OrderStatus, target: OrderStatus) -> None:
    """Raise INVALID_TRANSITION unless the table allows ``current -> target``."""
    if not can_transition(current, target):
        raise DomainError.of(
            ErrorCode.INVALID_TRANSITION,
            f"An order that is {current.value} cannot become {target.value}.",
        )


def check_payment_transition(current: PaymentStatus, target: PaymentStatus) -> None:
    if target not in PAYMENT_TRANSITIONS[current]:
        raise DomainError.of(
            ErrorCode.INVALID_TRANSITION,
            f"A payment status {current.value} cannot become {target.value}.",
        )
