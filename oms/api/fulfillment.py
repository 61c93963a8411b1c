"""Fulfillment services for a plugin's ``oms_deliver`` and its own operations: create a
fulfillment of some units, mark it delivered (the order moves on), lock the order first."""

from __future__ import annotations

from oms.fulfillment.services import (
    FULFILLABLE,
    check_fulfillment,
    create_fulfillment,
    lock_for_delivery,
    lock_fulfillable_order,
    mark_delivered,
    remaining,
    start_lines,
)

__all__ = [
    "FULFILLABLE",
    "check_fulfillment",
    "create_fulfillment",
    "lock_for_delivery",
    "lock_fulfillable_order",
    "mark_delivered",
    "remaining",
    "start_lines",
]
