"""``webhookEndpoints { deliveries }``: one batch of statements for the whole list (a
per-request DataLoader), not one query per endpoint; each endpoint still gets its own
newest deliveries, newest first."""

from __future__ import annotations

import uuid
from decimal import Decimal

from oms.graphql.common import to_global_id
from oms.orders.models import Order, OrderEvent
from oms.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.test_plugin_extend import sql_statements

LIST = """
query List($first: Int) { webhookEndpoints { id url deliveries(first: $first) { id eventType } } }
"""
TWO_SIZES = """
{ webhookEndpoints { url few: deliveries(first: 1) { id } many: deliveries(first: 4) { id } } }
"""


async def _order() -> Order:
    order = await Order.create(
        token=uuid.uuid4().hex, email="buyer@example.com", currency="USD", subtotal=Decimal("1.00"),
        shipping_total=Decimal("0.00"), total=Decimal("1.00"), idempotency_key=uuid.uuid4().hex,
        cart_fingerprint="x",
    )
    order.number = str(1000 + order.id)
    await order.save(update_fields=["number"])
    return order


async def add_endpoints(count: int, deliveries_each: int) -> None:
    """``count`` endpoints, each with ``deliveries_each`` deliveries (interleaved by id)."""
    order = await _order()
    events = [await OrderEvent.create(order=order, type=f"order.e{i}", message="m") for i in range(deliveries_each)]
    endpoints = [
        await WebhookEndpoint.create(url=f"https://hooks.example.com/{uuid.uuid4().hex}", events=["*"], secret="s")
        for _ in range(count)
    ]
    await WebhookDelivery.bulk_create([
        WebhookDelivery(endpoint=endpoint, event=event, order_id=order.id, event_type=event.type)
        for event in events for endpoint in endpoints
    ])  # fmt: skip


async def expected(first: int) -> dict[str, list[str]]:
    """Each endpoint's newest ``first`` deliveries, one query per endpoint (the old way)."""
    result = {}
    for endpoint in await WebhookEndpoint.all().order_by("id"):
        rows = await WebhookDelivery.filter(endpoint_id=endpoint.id).order_by("-id").limit(first)
        result[endpoint.url] = [to_global_id("WebhookDelivery", row.id) for row in rows]
    return result


async def listed(staff, first: int) -> tuple[dict[str, list[str]], list[str]]:
    with sql_statements() as statements:
        data = await staff.query(LIST, {"first": first})
    return {e["url"]: [d["id"] for d in e["deliveries"]] for e in data["webhookEndpoints"]}, statements


async def test_the_deliveries_of_a_list_of_endpoints_take_a_constant_number_of_statements(
    oms_graphql, oms_accounts
):
    staff = oms_graphql.as_(oms_accounts.staff)
    await add_endpoints(2, 5)
    few, few_statements = await listed(staff, 3)
    await add_endpoints(10, 5)
    many, many_statements = await listed(staff, 3)

    assert few == {url: ids for url, ids in (await expected(3)).items() if url in few}
    assert many == await expected(3)
    assert len(many) == 12 and all(len(ids) == 3 for ids in many.values())
    assert len(many_statements) == len(few_statements), (few_statements, many_statements)
    assert sum("webhook_delivery" in s for s in many_statements) == 2


async def test_each_page_size_asked_for_is_its_own_batch(oms_graphql, oms_accounts):
    staff = oms_graphql.as_(oms_accounts.staff)
    await add_endpoints(3, 5)

    with sql_statements() as statements:
        data = await staff.query(TWO_SIZES)

    one, four = await expected(1), await expected(4)
    for endpoint in data["webhookEndpoints"]:
        assert [d["id"] for d in endpoint["few"]] == one[endpoint["url"]]
        assert [d["id"] for d in endpoint["many"]] == four[endpoint["url"]]
    assert sum("webhook_delivery" in s for s in statements) == 4


async def test_an_endpoint_without_deliveries_and_a_page_of_zero(oms_graphql, oms_accounts):
    staff = oms_graphql.as_(oms_accounts.staff)
    await add_endpoints(2, 3)
    await WebhookEndpoint.create(url="https://hooks.example.com/quiet", events=["*"], secret="s")

    lists, _ = await listed(staff, 2)
    empty, _ = await listed(staff, 0)
    refused = await staff.execute(LIST, {"first": 201})

    assert lists["https://hooks.example.com/quiet"] == []
    assert sorted(len(ids) for ids in lists.values()) == [0, 2, 2]
    assert all(ids == [] for ids in empty.values())
    assert [(e["message"], e["extensions"]["code"]) for e in refused["errors"]][0] == (
        "first must be between 0 and 200.", "INVALID"
    )
