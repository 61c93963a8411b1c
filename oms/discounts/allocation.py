"""Splitting a discount over lines, to the minor unit (the cent), exactly.

Rule (largest remainder): each eligible line first gets ``floor(D * t / T)`` minor units,
where ``D`` is the discount, ``t`` the line's total and ``T`` the eligible lines' total;
the minor units left over (fewer than the number of lines) go one each to the lines with
the largest fractional remainder, ties to the earlier cart line. So the shares sum to
exactly ``D``, each is within one cent of its exact proportional share, and none exceeds
its line's total (``D <= T``).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from oms.money import minor_units


def to_minor(amount: Decimal, currency: str) -> int:
    """``amount`` in minor units (cents); amounts are already quantized to the currency."""
    return int(amount.scaleb(minor_units(currency)).to_integral_value(rounding=ROUND_HALF_UP))


def from_minor(units: int, currency: str) -> Decimal:
    return Decimal(units).scaleb(-minor_units(currency))


def percentage_of(total: int, percentage: Decimal) -> int:
    """``percentage`` % of ``total`` minor units, rounded half-up to the minor unit."""
    return int((Decimal(total) * percentage / 100).to_integral_value(rounding=ROUND_HALF_UP))


def allocate(discount: int, totals: dict[int, int]) -> dict[int, int]:
    """Split ``discount`` minor units over lines (``totals``: minor units by cart line index)
    in proportion to their totals, by the largest-remainder rule above. ``discount`` is
    capped at the lines' total; lines whose share is zero are left out."""
    whole = sum(totals.values())
    discount = min(discount, whole)
    if discount <= 0 or whole <= 0:
        return {}
    shares: dict[int, int] = {}
    remainders: list[tuple[int, int]] = []
    for index, total in totals.items():
        share, remainder = divmod(discount * total, whole)
        shares[index] = share
        remainders.append((-remainder, index))
    left = discount - sum(shares.values())
    # Sorting is O(n log n) in the cart's lines (at most OMS_MAX_CART_LINES).
    for _, index in sorted(remainders)[:left]:
        shares[index] += 1
    return {index: share for index, share in shares.items() if share > 0}
