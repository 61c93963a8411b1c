"""Money: a Decimal amount with a currency. Never a float."""

from __future__ import annotations

import dataclasses
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# ISO 4217 minor units that differ from 2 (as Stripe counts them); the rest use 2.
_ZERO_DECIMAL = (
    "BIF",
    "CLP",
    "DJF",
    "GNF",
    "ISK",
    "JPY",
    "KMF",
    "KRW",
    "MGA",
    "PYG",
    "RWF",
    "UGX",
    "VND",
    "VUV",
    "XAF",
    "XOF",
    "XPF",
)
_THREE_DECIMAL = ("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND")
_MINOR_UNITS = {**dict.fromkeys(_ZERO_DECIMAL, 0), **dict.fromkeys(_THREE_DECIMAL, 3)}


def minor_units(currency: str) -> int:
    return _MINOR_UNITS.get(currency.upper(), 2)


# The quantize exponent by currency code as given (a placement quantizes ~80 amounts).
_EXPONENTS: dict[str, Decimal] = {}


def quantize(amount: Decimal, currency: str) -> Decimal:
    exponent = _EXPONENTS.get(currency)
    if exponent is None:
        exponent = _exponent(currency)
    return amount.quantize(exponent, rounding=ROUND_HALF_UP)


def _exponent(currency: str) -> Decimal:
    exponent = Decimal(1).scaleb(-minor_units(currency))
    if len(_EXPONENTS) < 256:
        _EXPONENTS[currency] = exponent
    return exponent


def parse_amount(value: object) -> Decimal:
    """Read a decimal from a string or Decimal; floats are refused (they lose cents)."""
    if isinstance(value, float):
        raise ValueError("money must not be a float")
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"not a decimal number: {value!r}") from exc
    if not amount.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return amount


@dataclasses.dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        amount = self.amount
        if type(amount) is not Decimal:
            if isinstance(amount, float):
                raise TypeError("Money.amount must be a Decimal, not a float")
            amount = Decimal(amount)
        object.__setattr__(self, "amount", quantize(amount, self.currency))

    @classmethod
    def zero(cls, currency: str) -> Money:
        if cls is Money:  # immutable: one zero per currency (a placement asks ~30 times)
            zero = _ZEROS.get(currency)
            if zero is None:
                zero = Money(Decimal(0), currency)
                if len(_ZEROS) < 256:
                    _ZEROS[currency] = zero
            return zero
        return cls(Decimal(0), currency)

    def _check(self, other: Money) -> None:
        if other.currency != self.currency:
            raise ValueError(f"currency mismatch: {self.currency} and {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._check(other)
        return _money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._check(other)
        return _money(self.amount - other.amount, self.currency)

    def __mul__(self, factor: int) -> Money:
        if not isinstance(factor, int):
            raise TypeError("Money can only be multiplied by an int")
        return Money(self.amount * factor, self.currency)

    def to_minor_units(self) -> int:
        return int(self.amount.scaleb(minor_units(self.currency)))


_ZEROS: dict[str, Money] = {}


def _money(amount: Decimal, currency: str) -> Money:
    """``Money(amount, currency)`` for a Decimal ``amount``, without the dataclass's
    ``__init__`` and type checks (the sums and differences of a placement)."""
    money = object.__new__(Money)
    object.__setattr__(money, "amount", quantize(amount, currency))
    object.__setattr__(money, "currency", currency)
    return money
