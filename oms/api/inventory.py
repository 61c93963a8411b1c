"""Inventory services for shipping plugins: deduct the stock of shipped units."""

from __future__ import annotations

from oms.inventory.services import deduct_shipped

__all__ = ["deduct_shipped"]
