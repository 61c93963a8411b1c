"""Who may see an order: a plugin's resolver asks before it shows a row of one."""

from __future__ import annotations

from oms.orders.access import can_access

__all__ = ["can_access"]
