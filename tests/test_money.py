from decimal import Decimal

import pytest

from oms.money import Money, minor_units, parse_amount


def test_money_rounds_half_up_to_the_currency_minor_unit():
    assert Money(Decimal("1.005"), "USD").amount == Decimal("1.01")
    assert Money(Decimal("1.5"), "JPY").amount == Decimal("2")


def test_money_refuses_floats():
    with pytest.raises(TypeError):
        Money(0.1, "USD")
    with pytest.raises(ValueError):
        parse_amount(0.1)


def test_money_adds_only_the_same_currency():
    assert Money(Decimal("1.10"), "EUR") + Money(Decimal("2.20"), "EUR") == Money(Decimal("3.30"), "EUR")
    with pytest.raises(ValueError):
        Money(Decimal(1), "EUR") + Money(Decimal(1), "USD")


def test_minor_units_for_stripe():
    assert Money(Decimal("19.99"), "USD").to_minor_units() == 1999
    assert Money(Decimal("500"), "JPY").to_minor_units() == 500
    assert minor_units("KWD") == 3
    assert Money(Decimal("5000"), "XOF").to_minor_units() == 5000  # zero-decimal, not x100
    assert Money(Decimal("1.234"), "JOD").to_minor_units() == 1234


@pytest.mark.parametrize("raw", ["abc", "NaN", "Infinity"])
def test_parse_amount_refuses_non_numbers(raw):
    with pytest.raises(ValueError):
        parse_amount(raw)
