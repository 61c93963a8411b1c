"""Payment services for renewed types: the saved payment method of a customer and an
off-session charge of it."""

from __future__ import annotations

from oms.payments.services import SavedPaymentMethod, charge_saved_payment_method, saved_payment_method

__all__ = ["SavedPaymentMethod", "charge_saved_payment_method", "saved_payment_method"]
