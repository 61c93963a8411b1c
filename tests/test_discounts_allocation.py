"""Splitting a discount over lines to the cent (oms.discounts.allocation): no database."""

from __future__ import annotations

from decimal import Decimal

import pytest

from oms.discounts.allocation import allocate, from_minor, percentage_of, to_minor


def test_odd_cents_over_three_equal_lines_go_to_the_earliest_line():
    # 1.00 off three lines of 1.00: 33.33... cents each; the leftover cent goes to line 0.
    assert allocate(100, {0: 100, 1: 100, 2: 100}) == {0: 34, 1: 33, 2: 33}


def test_leftover_cents_go_to_the_largest_remainders():
    # 15 % of 5.00 + 3.00 + 2.01 = 150.15 -> 150 cents. Exact shares 74.93, 44.96, 30.12:
    # floors 74 + 44 + 30 = 148; the two cents left go to lines 1 (.96) then 0 (.93).
    discount = percentage_of(1001, Decimal("15"))
    assert discount == 150
    shares = allocate(discount, {0: 500, 1: 300, 2: 201})
    assert shares == {0: 75, 1: 45, 2: 30}
    assert sum(shares.values()) == discount


def test_ties_are_broken_by_cart_order_not_by_dict_order():
    assert allocate(1, {5: 100, 2: 100, 9: 100}) == {2: 1}


def test_a_discount_above_the_lines_total_is_capped_and_never_exceeds_a_line():
    assert allocate(10_000, {0: 250, 1: 1}) == {0: 250, 1: 1}


@pytest.mark.parametrize("discount", [1, 7, 99, 100, 333, 1000, 2998])
def test_shares_always_sum_to_the_discount_and_stay_within_each_line(discount):
    totals = {0: 999, 1: 1, 2: 1234, 3: 333, 4: 0}
    shares = allocate(discount, totals)
    assert sum(shares.values()) == min(discount, sum(totals.values()))
    whole = sum(totals.values())
    for index, share in shares.items():
        assert 0 < share <= totals[index]
        exact = Decimal(min(discount, whole)) * totals[index] / whole
        assert abs(share - exact) < 1  # within a cent of the exact proportional share


def test_nothing_to_split():
    assert allocate(0, {0: 100}) == {}
    assert allocate(100, {0: 0}) == {}
    assert allocate(100, {}) == {}


def test_percentages_round_half_up_and_minor_units_follow_the_currency():
    assert percentage_of(1999, Decimal("10")) == 200  # 199.9
    assert percentage_of(1005, Decimal("10")) == 101  # 100.5 rounds up
    assert percentage_of(1004, Decimal("10")) == 100
    assert to_minor(Decimal("12.34"), "USD") == 1234
    assert to_minor(Decimal("1234"), "JPY") == 1234
    assert from_minor(1234, "USD") == Decimal("12.34")
    assert from_minor(1234, "KWD") == Decimal("1.234")
