"""Stripe's test payment methods, as the fake understands them.

A test token such as ``pm_card_visa`` stands for a card number; like Stripe, the fake turns
it into a new PaymentMethod (``pm_<random>``) when a PaymentIntent is paid with it, and
attaches that PaymentMethod to the intent's customer when the intent saves it
(``setup_future_usage``). How the card then behaves comes from its token:

- ``pm_card_visa``, ``pm_card_mastercard``: pay.
- ``pm_card_chargeDeclined`` (and ``pm_card_visa_chargeDeclined``),
  ``pm_card_chargeDeclinedInsufficientFunds``: declined.
- ``pm_card_authenticationRequired``: asks for 3-D Secure on every payment: on-session the
  intent goes to ``requires_action`` (``FakeStripe.succeed`` plays the customer passing
  it), off-session it is declined with ``authentication_required``.
"""

from __future__ import annotations

import time
from typing import Any

from oms.fake_stripe.wire import new_id

# code, decline_code, message: what Stripe answers for each way a card is refused.
DECLINES: dict[str, tuple[str, str, str]] = {
    "card_declined": ("card_declined", "generic_decline", "Your card was declined."),
    "insufficient_funds": ("card_declined", "insufficient_funds", "Your card has insufficient funds."),
    "expired_card": ("expired_card", "expired_card", "Your card has expired."),
    "authentication_required": (
        "authentication_required",
        "authentication_required",
        "Your card was declined. This transaction requires authentication.",
    ),
}

# token -> (brand, last4, behavior): None pays, a DECLINES key is refused, "3ds" authenticates.
TEST_CARDS: dict[str, tuple[str, str, str | None]] = {
    "pm_card_visa": ("visa", "4242", None),
    "pm_card_mastercard": ("mastercard", "4444", None),
    "pm_card_chargeDeclined": ("visa", "0002", "card_declined"),
    "pm_card_visa_chargeDeclined": ("visa", "0002", "card_declined"),
    "pm_card_chargeDeclinedInsufficientFunds": ("visa", "9995", "insufficient_funds"),
    "pm_card_authenticationRequired": ("visa", "3184", "3ds"),
}


def card_payment_method(token: str, customer: str | None = None) -> dict[str, Any]:
    """A new card PaymentMethod, as Stripe creates it from a test token."""
    brand, last4, _ = TEST_CARDS[token]
    return {
        "id": new_id("pm"),
        "object": "payment_method",
        "allow_redisplay": "unspecified",
        "billing_details": {"address": None, "email": None, "name": None, "phone": None},
        "card": {
            "brand": brand,
            "country": "US",
            "exp_month": 12,
            "exp_year": 2034,
            "funding": "credit",
            "last4": last4,
        },
        "created": int(time.time()),
        "customer": customer,
        "livemode": False,
        "metadata": {},
        "type": "card",
    }
