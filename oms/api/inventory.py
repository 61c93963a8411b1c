"""Inventory services for shipping plugins: the warehouse a parcel leaves (its address is
the label's ship-from) and deducting the stock of shipped units."""

from __future__ import annotations

from oms.inventory.services import deduct_shipped, shipping_origin

__all__ = ["deduct_shipped", "shipping_origin"]
