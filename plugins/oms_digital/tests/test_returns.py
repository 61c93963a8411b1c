"""The digital return policy (only while the link was never used) and reversal of some
or all units: grants revoked, or their share of the download limit taken away."""

from __future__ import annotations

import pytest

from oms.orders.models import Order, OrderEvent, OrderLine
from oms.testing import make_product, place_paid_order, return_policy, reverse
from oms_digital.files import add_file
from oms_digital.models import DownloadGrant

DOWNLOADS = """
query($t: String) { order(token: $t) { fulfillments { details { ... on DigitalDelivery {
  downloads { url downloadsRemaining revoked } } } } } }
"""


@pytest.fixture
async def ebook(oms_app, tmp_path):
    source = tmp_path / "guide.pdf"
    source.write_bytes(b"%PDF-1.4 a tiny guide")
    await make_product(oms_app, product_type="digital", sku="EBOOK", price="9.99",
                       attributes={"download_limit": 5})
    await add_file("EBOOK", str(source), media_root=oms_app.state.settings.media_root)


async def buy(oms_app, graphql, quantity: int = 1):
    placed = await place_paid_order(oms_app, graphql, [("EBOOK", quantity)])
    order = await Order.get(number=placed["order"]["number"])
    return placed, order, await OrderLine.get(order_id=order.id)


async def ask(oms_app, order, line, quantity=1):
    return await oms_app.state.plugins.call_owner(
        "oms_return_policy", "digital", order=order, line=line, quantity=quantity)


async def downloads(graphql, placed):
    seen = (await graphql.query(DOWNLOADS, {"t": placed["orderToken"]}))["order"]
    return seen["fulfillments"][0]["details"]["downloads"]


async def test_allowed_before_the_download_refused_after(oms_app, oms_graphql, oms_http, ebook):
    placed, order, line = await buy(oms_app, oms_graphql)
    assert await ask(oms_app, order, line) is None

    (download,) = await downloads(oms_graphql, placed)
    got = await oms_http.get(download["url"].removeprefix(oms_app.state.settings.public_url))
    assert got.status_code == 200

    refusal = "This file has already been downloaded, so it can no longer be returned."
    assert await ask(oms_app, order, line) == refusal
    assert await return_policy(oms_app, line) == refusal


async def test_a_return_revokes_the_link(oms_app, oms_graphql, oms_http, ebook):
    placed, order, line = await buy(oms_app, oms_graphql)
    await oms_app.state.plugins.call_owner(
        "oms_reverse", "digital", order=order, lines=[line], reason="returned", quantities={line.id: 1})
    (download,) = await downloads(oms_graphql, placed)
    assert download["revoked"] is True
    got = await oms_http.get(download["url"].removeprefix(oms_app.state.settings.public_url))
    assert (got.status_code, got.text) == (410, "This download link was revoked.")
    assert await OrderEvent.filter(order_id=order.id, type="download.revoked").count() == 1


async def test_canceling_one_of_two_units_keeps_the_other_units_downloads(oms_app, oms_graphql, ebook):
    placed, order, line = await buy(oms_app, oms_graphql, quantity=2)
    assert (await DownloadGrant.get(order_line_id=line.id)).download_limit == 10

    await reverse(oms_app, order, [line], "canceled", quantities={line.id: 1})
    grant = await DownloadGrant.get(order_line_id=line.id)
    assert (grant.units, grant.download_limit, grant.revoked_at) == (1, 5, None)
    (download,) = await downloads(oms_graphql, placed)
    assert download == {**download, "downloadsRemaining": 5, "revoked": False}
    event = await OrderEvent.filter(order_id=order.id, type="download.revoked").get()
    assert event.data["units"] == 1 and event.data["reason"] == "canceled"

    # The last unit: the grant is revoked.
    await reverse(oms_app, order, [line], "canceled", quantities={line.id: 1})
    assert (await DownloadGrant.get(order_line_id=line.id)).revoked_at is not None


async def test_zero_units_change_nothing(oms_app, oms_graphql, ebook):
    _, order, line = await buy(oms_app, oms_graphql, quantity=2)
    await reverse(oms_app, order, [line], "canceled", quantities={line.id: 0})
    grant = await DownloadGrant.get(order_line_id=line.id)
    assert (grant.units, grant.download_limit, grant.revoked_at) == (2, 10, None)


class TestReturnsSwitchedOff:
    @pytest.fixture
    def oms_settings(self, oms_settings, monkeypatch):
        monkeypatch.setenv("OMS_DIGITAL_RETURNS", "false")
        return oms_settings

    async def test_never_returnable(self, oms_app, oms_graphql, ebook):
        _, order, line = await buy(oms_app, oms_graphql)
        assert await ask(oms_app, order, line) == "Downloads cannot be returned."


async def test_a_return_racing_a_download_ends_consistently(oms_app, oms_graphql, ebook):
    """A return holds the order (as the core does) while the link is used: the download
    waits for the order's lock, then finds the link revoked. On PostgreSQL, with the grant
    counted before the order was locked, the two deadlocked."""
    import asyncio

    from tortoise.transactions import in_transaction

    from oms.orders.services import reverse_lines
    from oms_digital import services

    _, order, line = await buy(oms_app, oms_graphql)
    grant = await DownloadGrant.get(order_line_id=line.id)
    locked, go = asyncio.Event(), asyncio.Event()

    async def returning() -> None:
        async with in_transaction():
            held = await Order.select_for_update().get(id=order.id)
            locked.set()
            await asyncio.wait_for(go.wait(), timeout=30)
            await reverse_lines(held, [line], "returned", oms_app.state.plugins, quantities={line.id: 1})

    returned = asyncio.create_task(returning())
    await asyncio.wait_for(locked.wait(), timeout=20)
    downloading = asyncio.create_task(services.claim_download(grant))
    await asyncio.sleep(0.5)  # the download now waits for the order's lock
    go.set()
    outcome, claim = await asyncio.wait_for(asyncio.gather(returned, downloading), timeout=30)

    assert outcome is None
    assert claim.refusal == services.Refusal.REVOKED
    fresh = await DownloadGrant.get(id=grant.id)
    assert fresh.revoked_at is not None and fresh.download_count == 0
    assert await OrderEvent.filter(order_id=order.id, type="download.used").count() == 0
