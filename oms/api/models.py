"""The core's database models a plugin reads, or points its own models at
(``"models.OrderLine"``). Write order state only through the services (``oms.api.orders``,
``oms.api.fulfillment``): they keep the timeline and the transitions right."""

from __future__ import annotations

from oms.accounts.models import Customer
from oms.catalog.models import Variant
from oms.fulfillment.models import Fulfillment
from oms.inventory.models import Warehouse
from oms.orders.models import Order, OrderLine

__all__ = ["Customer", "Fulfillment", "Order", "OrderLine", "Variant", "Warehouse"]
