"""``plain_money`` makes the same Money as its dataclass ``__init__``."""

from __future__ import annotations

from decimal import Decimal

from oms.graphql.common import Money, plain_money
from oms.graphql.orders import _money


def test_plain_money_is_the_dataclass_money():
    made, plain = Money(amount=Decimal("12.50"), currency="EUR"), plain_money(Decimal("12.50"), "EUR")
    assert type(plain) is Money
    assert plain == made
    assert vars(plain) == vars(made) == {"amount": Decimal("12.50"), "currency": "EUR"}
    assert repr(plain) == repr(made)


def test_order_amounts_are_rounded_as_money_of():
    for amount, currency in [(Decimal("1.005"), "EUR"), (12, "JPY"), (Decimal("2.5"), ""), (7, None)]:
        assert _money(amount, currency) == Money.of(amount, currency)  # type: ignore[arg-type]
        assert vars(_money(amount, currency)) == vars(Money.of(amount, currency))  # type: ignore[arg-type]
