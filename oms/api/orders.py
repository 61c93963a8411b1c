"""Order services a plugin calls: place an order (a renewal), cancel an unpaid one."""

from __future__ import annotations

from oms.orders.services import cancel_order, place_order

__all__ = ["cancel_order", "place_order"]
