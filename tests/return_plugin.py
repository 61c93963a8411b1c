"""A test plugin owning the "gift" type (no shipping): delivered at once when paid, with a
return policy the test switches (``refusal``) and every reversal recorded."""

from __future__ import annotations

from oms.api import ProductType, hookimpl
from oms.api import fulfillment as fulfillment_api

GIFT = ProductType(name="gift", description="A gift card delivered at once.")


class Gifts:
    __name__ = "gifts"

    def __init__(self, refusal: str | None = None):
        # What oms_return_policy answers: None allows, a str refuses with that reason.
        self.refusal = refusal
        self.policy_calls: list[tuple[str, str, int]] = []
        self.reversals: list[tuple[str, list[str], str, dict[int, int]]] = []

    @hookimpl
    def oms_product_types(self):
        return [GIFT]

    @hookimpl
    async def oms_deliver(self, order, lines):
        locked = await fulfillment_api.lock_for_delivery(order.id)
        if locked is None:
            return
        todo = {line.id: fulfillment_api.remaining(line) for line in lines if fulfillment_api.remaining(line) > 0}
        if todo:
            record = await fulfillment_api.create_fulfillment(locked, "gift", todo)
            await fulfillment_api.mark_delivered(locked, record, actor="gifts")

    @hookimpl
    def oms_return_policy(self, order, line, quantity):
        self.policy_calls.append((order.number, line.sku, quantity))
        return self.refusal

    @hookimpl
    def oms_reverse(self, order, lines, reason, quantities):
        self.reversals.append((order.number, [line.sku for line in lines], reason, dict(quantities)))
