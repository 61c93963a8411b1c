"""The one transition table of the order lifecycle."""

import pytest

from oms.errors import DomainError, ErrorCode
from oms.orders.status import (
    ORDER_TRANSITIONS,
    PAYMENT_TRANSITIONS,
    OrderStatus,
    PaymentStatus,
    check_payment_transition,
    check_transition,
)


def test_every_status_has_a_row():
    assert set(ORDER_TRANSITIONS) == set(OrderStatus)
    assert set(PAYMENT_TRANSITIONS) == set(PaymentStatus)


def test_the_happy_path_is_allowed():
    path = [OrderStatus.PENDING_PAYMENT, OrderStatus.PROCESSING,
            OrderStatus.PARTIALLY_FULFILLED, OrderStatus.COMPLETED]
    for current, target in zip(path, path[1:]):
        check_transition(current, target)


@pytest.mark.parametrize("final", [OrderStatus.COMPLETED, OrderStatus.CANCELED, OrderStatus.EXPIRED])
def test_final_states_go_nowhere(final):
    for target in OrderStatus:
        with pytest.raises(DomainError) as err:
            check_transition(final, target)
        assert err.value.code is ErrorCode.INVALID_TRANSITION


def test_nothing_moves_backwards():
    with pytest.raises(DomainError):
        check_transition(OrderStatus.PROCESSING, OrderStatus.PENDING_PAYMENT)
    with pytest.raises(DomainError):
        check_payment_transition(PaymentStatus.PAID, PaymentStatus.PENDING)


def test_a_delivered_order_cannot_be_canceled():
    with pytest.raises(DomainError):
        check_transition(OrderStatus.PARTIALLY_FULFILLED, OrderStatus.CANCELED)
