"""Downloads: a grant per paid line, a signed URL that streams the file, counted
atomically, resumable, and refused clearly once expired, used up or revoked."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from oms.orders.models import Order, OrderEvent, OrderLine
from oms.testing import make_product, place_paid_order
from oms_digital.files import add_file
from oms_digital.models import DownloadGrant

CONTENT = bytes(range(256)) * 4096  # 1 MiB, every byte value, so a wrong range shows

DOWNLOADS = """
query Order($id: ID, $token: String) {
  order(id: $id, token: $token) {
    status
    lines { sku status quantityFulfilled }
    fulfillments { status details { __typename ... on DigitalDelivery {
      downloads { id fileName url expiresAt downloadsRemaining revoked } } } }
  }
}
"""


@pytest.fixture
async def ebook(oms_app, tmp_path):
    source = tmp_path / "Guide to oms.pdf"
    source.write_bytes(CONTENT)
    await make_product(oms_app, product_type="digital", sku="EBOOK", price="9.99",
                       attributes={"download_limit": 3, "link_lifetime_hours": 48})
    await add_file("EBOOK", str(source), media_root=oms_app.state.settings.media_root)


async def buy(oms_app, graphql, **kwargs):
    placed = await place_paid_order(oms_app, graphql, [("EBOOK", 1)], **kwargs)
    seen = (await graphql.query(DOWNLOADS, {"token": placed["orderToken"]}))["order"]
    return placed, seen


def path_of(url, oms_app):
    return url.removeprefix(oms_app.state.settings.public_url)


async def test_paid_line_is_delivered_with_a_download_link(oms_app, oms_graphql, oms_http, ebook):
    placed, seen = await buy(oms_app, oms_graphql)
    # A guest reads their order with its token.
    seen = (await oms_graphql.query(
        "query($t: String) { order(token: $t) { status lines { status } fulfillments { details {"
        " ... on DigitalDelivery { downloads { fileName url downloadsRemaining expiresAt revoked } } } } } }",
        {"t": placed["orderToken"]}))["order"]
    assert seen["status"] == "COMPLETED" and seen["lines"] == [{"status": "DELIVERED"}]
    (grant,) = seen["fulfillments"][0]["details"]["downloads"]
    assert grant["fileName"] == "Guide to oms.pdf"
    assert grant["downloadsRemaining"] == 3 and grant["revoked"] is False
    expires = dt.datetime.fromisoformat(grant["expiresAt"])
    assert dt.timedelta(hours=47) < expires - dt.datetime.now(dt.UTC) <= dt.timedelta(hours=48)

    response = await oms_http.get(path_of(grant["url"], oms_app))
    assert response.status_code == 200
    assert response.content == CONTENT
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert "Guide%20to%20oms.pdf" in response.headers["content-disposition"] or \
        'filename="Guide to oms.pdf"' in response.headers["content-disposition"]
    assert response.headers["accept-ranges"] == "bytes"

    grants = await DownloadGrant.all()
    assert [(g.download_count, g.download_limit) for g in grants] == [(1, 3)]
    used = await OrderEvent.get(type="download.used")
    assert used.message == "Guide to oms.pdf downloaded 1 of 3 times."


async def test_delivering_a_completed_order_again_does_nothing(oms_app, oms_graphql, ebook):
    # The hook may run again (at least once): on a COMPLETED order it must neither raise
    # nor grant a second download (lock_for_delivery, not lock_fulfillable_order).
    from tortoise.transactions import in_transaction

    from oms_digital.services import grant_downloads

    placed, _ = await buy(oms_app, oms_graphql)
    order = await Order.get(number=placed["order"]["number"])
    assert order.status.value == "COMPLETED"
    async with in_transaction():
        await grant_downloads(order, await OrderLine.filter(order_id=order.id))

    assert await DownloadGrant.all().count() == 1


async def test_a_range_request_resumes_a_download(oms_app, oms_graphql, oms_http, ebook):
    _, seen = await buy(oms_app, oms_graphql)
    url = path_of(seen["fulfillments"][0]["details"]["downloads"][0]["url"], oms_app)
    response = await oms_http.get(url, headers={"Range": "bytes=1000-1999"})
    assert response.status_code == 206
    assert response.content == CONTENT[1000:2000]
    assert response.headers["content-range"] == f"bytes 1000-1999/{len(CONTENT)}"
    tail = await oms_http.get(url, headers={"Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.content == CONTENT[-10:]


async def test_a_limit_of_three_lets_exactly_three_of_ten_concurrent_requests_through(
    oms_app, oms_graphql, oms_http, ebook
):
    _, seen = await buy(oms_app, oms_graphql)
    url = path_of(seen["fulfillments"][0]["details"]["downloads"][0]["url"], oms_app)
    responses = await asyncio.gather(*[oms_http.get(url) for _ in range(10)])
    codes = sorted(r.status_code for r in responses)
    assert codes == [200] * 3 + [410] * 7
    assert all(r.content == CONTENT for r in responses if r.status_code == 200)
    assert {r.text for r in responses if r.status_code == 410} == {
        "This download link has been used as many times as it allows."}
    assert (await DownloadGrant.get()).download_count == 3
    assert await OrderEvent.filter(type="download.used").count() == 3


async def test_forged_expired_and_revoked_links(oms_app, oms_graphql, oms_http, ebook):
    placed, seen = await buy(oms_app, oms_graphql)
    url = path_of(seen["fulfillments"][0]["details"]["downloads"][0]["url"], oms_app)
    token = url.rsplit("/", 1)[1]

    # Tampered signature, another grant's id under this signature, garbage: 404, no hint.
    # (Not the last character: its low bits are base64 padding, so 'A' and 'B' there can decode
    # to the same signature bytes; the fifth from the end carries six bits of the signature.)
    flipped = token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:]
    for bad in (flipped, "WzEsICJ4Il0.bad", "x", token + "x"):
        response = await oms_http.get(f"/downloads/{bad}")
        assert (response.status_code, response.text) == (404, "Not found.")

    # A HEAD request shows the headers and counts nothing.
    head = await oms_http.head(url)
    assert head.status_code == 200 and head.headers["content-length"] == str(len(CONTENT))
    assert (await DownloadGrant.get()).download_count == 0

    await DownloadGrant.all().update(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
    response = await oms_http.get(url)
    assert (response.status_code, response.text) == (410, "This download link has expired.")

    # The reversal hook (cancellations, returns) revokes the grant.
    await DownloadGrant.all().update(expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(hours=1))
    order = await Order.get(number=placed["order"]["number"])
    lines = await OrderLine.filter(order_id=order.id)
    await oms_app.state.plugins.call_owner("oms_reverse", "digital", order=order, lines=lines, reason="returned",
                                           quantities={line.id: line.quantity for line in lines})
    response = await oms_http.get(url)
    assert (response.status_code, response.text) == (410, "This download link was revoked.")
    revoked = (await oms_graphql.query(DOWNLOADS, {"token": placed["orderToken"]}))["order"]
    assert revoked["fulfillments"][0]["details"]["downloads"][0]["revoked"] is True
    event = await OrderEvent.get(type="download.revoked")
    assert event.data["reason"] == "returned"
    assert (await DownloadGrant.get()).download_count == 0  # refusals count nothing


async def test_the_owner_sees_the_link_and_another_customer_does_not(
    oms_app, oms_graphql, oms_accounts, ebook
):
    alice = oms_graphql.as_(oms_accounts.customer)
    placed = await place_paid_order(oms_app, alice, [("EBOOK", 1)], email="alice@example.com")
    mine = (await alice.query(DOWNLOADS, {"id": placed["order"]["id"]}))["order"]
    assert mine["fulfillments"][0]["details"]["downloads"][0]["url"].startswith("http")
    bob = oms_graphql.as_(oms_accounts.other_customer)
    assert (await bob.query(DOWNLOADS, {"id": placed["order"]["id"]}))["order"] is None
    fulfillment_id = (await alice.query(
        "query($id: ID!) { order(id: $id) { fulfillments { id } } }", {"id": placed["order"]["id"]}
    ))["order"]["fulfillments"][0]["id"]
    assert (await bob.query("query($id: ID!) { node(id: $id) { id } }", {"id": fulfillment_id}))["node"] is None
    assert (await alice.query("query($id: ID!) { node(id: $id) { id } }", {"id": fulfillment_id}))["node"]


async def test_two_units_double_the_downloads_and_a_new_upload_keeps_sold_files(
    oms_app, oms_graphql, oms_http, ebook, tmp_path
):
    await place_paid_order(oms_app, oms_graphql, [("EBOOK", 2)])
    (grant,) = await DownloadGrant.all()
    assert grant.download_limit == 6
    newer = tmp_path / "v2.pdf"
    newer.write_bytes(b"second edition")
    await add_file("EBOOK", str(newer), media_root=oms_app.state.settings.media_root)
    from oms_digital.services import download_url

    settings = oms_app.state.settings
    url = download_url(grant, secret_key=settings.secret_key, public_url=settings.public_url)
    assert (await oms_http.get(path_of(url, oms_app))).content == CONTENT


UPLOAD = """
mutation Upload($sku: String!, $file: Upload!) {
  uploadDigitalFile(sku: $sku, file: $file) { variant { sku attributes } userErrors { field code message } }
}
"""


async def upload(oms_http, token, sku, name, content):
    import json

    operations = json.dumps({"query": UPLOAD, "variables": {"sku": sku, "file": None}})
    return await oms_http.post(
        "/graphql",
        data={"operations": operations, "map": json.dumps({"0": ["variables.file"]})},
        files={"0": (name, content, "application/epub+zip")},
        headers={"Authorization": f"Bearer {token}"} if token else {},
    )


async def test_staff_upload_the_file_through_graphql(oms_app, oms_graphql, oms_http, oms_accounts):
    await make_product(oms_app, product_type="digital", sku="NOVEL", price="4.00")
    response = await upload(oms_http, oms_accounts.staff, "NOVEL", "../../Zoë's novel.epub", b"chapter one")
    assert response.status_code == 200, response.text
    result = response.json()["data"]["uploadDigitalFile"]
    assert result["userErrors"] == []
    staff_view = result["variant"]["attributes"]
    assert staff_view["file"].startswith("downloads/NOVEL/") and staff_view["file"].endswith("/Zoe_s novel.epub")
    # The public sees the name and type, never the stored path.
    public = await oms_graphql.query(
        '{ products(productType: "digital") { edges { node { variants { sku attributes } } } } }')
    (variant,) = public["products"]["edges"][0]["node"]["variants"]
    assert variant["attributes"] == {"file_name": "Zoe_s novel.epub", "content_type": "application/epub+zip"}
    stored = list(Path(oms_app.state.settings.media_root).rglob("*.epub"))
    assert [p.read_bytes() for p in stored] == [b"chapter one"]
    assert Path(oms_app.state.settings.media_root).resolve() in stored[0].resolve().parents

    placed = await place_paid_order(oms_app, oms_graphql, [("NOVEL", 1)])
    seen = (await oms_graphql.query(
        "query($t: String) { order(token: $t) { fulfillments { details { ... on DigitalDelivery {"
        " downloads { url } } } } } }", {"t": placed["orderToken"]}))["order"]
    url = seen["fulfillments"][0]["details"]["downloads"][0]["url"]
    assert (await oms_http.get(path_of(url, oms_app))).content == b"chapter one"

    refused = await upload(oms_http, oms_accounts.customer, "NOVEL", "x.epub", b"x")
    assert refused.json()["data"]["uploadDigitalFile"]["userErrors"][0]["code"] == "PERMISSION_DENIED"
    await make_product(oms_app, product_type="physical", sku="MUG", price="4.00", attributes={"weight_grams": 1})
    wrong = await upload(oms_http, oms_accounts.staff, "MUG", "x.epub", b"x")
    assert wrong.json()["data"]["uploadDigitalFile"]["userErrors"] == [
        {"field": ["sku"], "code": "INVALID", "message": "MUG is a physical product, not a digital one."}]
    empty = await upload(oms_http, oms_accounts.staff, "NOVEL", "x.epub", b"")
    assert empty.json()["data"]["uploadDigitalFile"]["userErrors"][0]["field"] == ["file"]


def test_hook_oms_cli_commands(tmp_path):
    """``oms add-file`` is the digital plugin's command (oms_cli_commands), run for real."""
    env = {**os.environ, "OMS_DATABASE_URL": f"sqlite://{tmp_path / 'oms.sqlite3'}",
           "OMS_MEDIA_ROOT": str(tmp_path / "media"), "OMS_SECRET_KEY": "k" * 32}
    env.pop("OMS_TEST_DATABASE_URL", None)
    oms = [sys.executable, "-m", "oms.cli"]
    subprocess.run([*oms, "migrate"], env=env, check=True, capture_output=True, cwd=tmp_path)
    subprocess.run([*oms, "seed"], env=env, check=True, capture_output=True, cwd=tmp_path)
    song = tmp_path / "song.mp3"
    song.write_bytes(b"ID3 tune")
    sku = sqlite3.connect(tmp_path / "oms.sqlite3").execute(
        "SELECT v.sku FROM variant v JOIN product p ON p.id = v.product_id WHERE p.product_type = 'digital'"
    ).fetchone()[0]

    done = subprocess.run([*oms, "add-file", sku, str(song)], env=env, capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"{sku} now sells song.mp3" in done.stdout
    assert [p.read_bytes() for p in (tmp_path / "media").rglob("song.mp3")] == [b"ID3 tune"]

    missing = subprocess.run([*oms, "add-file", "NO-SUCH-SKU", str(song)], env=env, capture_output=True,
                             text=True, cwd=tmp_path)
    assert missing.returncode == 2 and "NO-SUCH-SKU" in missing.stderr
    helped = subprocess.run([*oms, "--help"], env=env, capture_output=True, text=True, cwd=tmp_path)
    assert "add-file" in helped.stdout
