"""A paid order placed through the service, for the delivery tests (tests/test_delivery.py,
tests/test_deliver_locks.py)."""

from __future__ import annotations

from oms.accounts.permissions import ANONYMOUS
from oms.orders import inputs, services
from oms.orders.models import Order
from oms.payments.services import mark_order_paid


async def place_paid(
    oms_app, lines: dict[str, int], *, key: str, email: str = "buyer@example.com", reference: str = "cash"
) -> Order:
    """Place an order of ``lines`` (SKU: quantity, in that order) and mark it paid in cash."""
    placed = await services.place_order(
        inputs.PlaceOrderInput(
            cart=inputs.CartInput(lines=[inputs.LineInput(sku, n) for sku, n in lines.items()], email=email),
            idempotency_key=key,
        ),
        viewer=ANONYMOUS,
        plugins=oms_app.state.plugins,
        settings=oms_app.state.settings,
    )
    return await mark_order_paid(placed.order, reference=reference, actor="staff@example.com")
