"""Product images (issue 13 item 1): upload through the GraphQL multipart path or by URL
(behind the SSRF guard), validated with Pillow, served content-addressed with cache
headers, thumbnails on first request, remove and reorder."""

from __future__ import annotations

import dataclasses
import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image

from oms.catalog.audit import CatalogChange
from oms.catalog.image_fetch import fetch_image
from oms.errors import DomainError
from oms.graphql.common import to_global_id
from oms.testing import make_product

ADD_IMAGE = """
mutation Add($productId: ID!, $file: Upload, $url: String, $alt: String) {
  addProductImage(productId: $productId, file: $file, url: $url, alt: $alt) {
    image { id url alt width height }
    product { images { alt } }
    userErrors { field code message }
  }
}
"""
IMAGES = """
query Images($slug: String!, $size: Int) {
  product(slug: $slug) { images(size: $size) { id url alt width height } }
}
"""
REMOVE = """
mutation Remove($id: ID!) { removeProductImage(id: $id) { product { images { alt } } userErrors { field code } } }
"""
REORDER = """
mutation Reorder($productId: ID!, $imageIds: [ID!]!) {
  reorderProductImages(productId: $productId, imageIds: $imageIds) {
    product { images { alt } } userErrors { field code }
  }
}
"""


@pytest.fixture
def oms_settings(oms_settings, request):
    """Small caps, so "too big" is cheap to test; ``@pytest.mark.limits(...)`` sets more."""
    marker = request.node.get_closest_marker("limits")
    extra = marker.kwargs if marker else {}
    return dataclasses.replace(oms_settings, max_image_bytes=100_000, max_image_pixels=1_000_000, **extra)


def picture(width: int = 400, height: int = 200, fmt: str = "PNG", color: str = "teal") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, format=fmt)
    return out.getvalue()


def noise(size: int) -> bytes:
    """A PNG of random pixels: about ``size`` bytes that do not compress."""
    import os

    side = int((size / 3) ** 0.5) + 1
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
async def poster(oms_app):
    return await make_product(oms_app, product_type="digital", sku="POSTER", price="3.00", name="Poster")


async def upload(oms_http, token, product, content: bytes, name: str = "p.png", alt: str | None = None):
    operations = json.dumps({"query": ADD_IMAGE, "variables": {
        "productId": to_global_id("Product", product.id), "file": None, "alt": alt}})
    response = await oms_http.post(
        "/graphql",
        data={"operations": operations, "map": json.dumps({"0": ["variables.file"]})},
        files={"0": (name, content, "image/png")},
        headers={"Authorization": f"Bearer {token}"} if token else {},
    )
    assert response.status_code == 200, response.text
    return response.json()["data"]["addProductImage"]


def path_of(url: str) -> str:
    return url[url.index("/media/"):]


def errors(payload: dict) -> list[tuple[list[str] | None, str]]:
    return [(e["field"], e["code"]) for e in payload["userErrors"]]


async def test_upload_then_serve_with_cache_headers(oms_app, oms_http, oms_accounts, poster):
    content = picture()

    added = await upload(oms_http, oms_accounts.staff, poster, content, alt="The poster")
    served = await oms_http.get(path_of(added["image"]["url"]))
    again = await oms_http.get(path_of(added["image"]["url"]), headers={"If-None-Match": served.headers["etag"]})

    assert added["userErrors"] == []
    assert added["image"] | {"id": None, "url": None} == {
        "id": None, "url": None, "alt": "The poster", "width": 400, "height": 200}
    assert added["product"] == {"images": [{"alt": "The poster"}]}
    assert served.status_code == 200
    assert served.content == content
    assert served.headers["content-type"] == "image/png"
    assert served.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert again.status_code == 304
    assert again.content == b""
    stored = list(Path(oms_app.state.settings.media_root, "images").iterdir())
    assert [p.read_bytes() for p in stored] == [content]
    assert stored[0].stem == added["image"]["url"].rsplit("/", 1)[1].split(".")[0]
    assert await CatalogChange.filter(product_id=poster.id, field="image.added").count() == 1


async def test_a_thumbnail_is_made_on_first_request_and_kept(oms_app, oms_http, oms_graphql, oms_accounts, poster):
    await upload(oms_http, oms_accounts.staff, poster, picture(400, 200))

    (original,) = (await oms_graphql.query(IMAGES, {"slug": "poster"}))["product"]["images"]
    (thumb,) = (await oms_graphql.query(IMAGES, {"slug": "poster", "size": 100}))["product"]["images"]
    (same,) = (await oms_graphql.query(IMAGES, {"slug": "poster", "size": 5000}))["product"]["images"]
    folder = Path(oms_app.state.settings.media_root, "images")
    before = sorted(p.name for p in folder.iterdir())
    served = await oms_http.get(path_of(thumb["url"]))
    after = sorted(p.name for p in folder.iterdir())

    assert (original["width"], original["height"]) == (400, 200)
    assert (thumb["width"], thumb["height"]) == (128, 64)  # 100 rounds up to 128
    assert thumb["url"].endswith("-128.png") and thumb["id"] == original["id"]
    assert same["url"] == original["url"]  # never larger than the original
    assert served.status_code == 200
    assert served.headers["cache-control"] == "public, max-age=31536000, immutable"
    with Image.open(io.BytesIO(served.content)) as image:
        assert (image.format, image.size) == ("PNG", (128, 64))
    assert len(after) == len(before) + 1
    assert (folder / thumb["url"].rsplit("/", 1)[1]).read_bytes() == served.content


@pytest.mark.parametrize(
    "name",
    ["nothing.png", "a" * 64 + ".png", "a" * 64 + "-100.png", "../../etc/passwd", "a" * 64 + "-128.exe"],
)
async def test_unknown_image_names_are_404(oms_http, name):
    response = await oms_http.get(f"/media/images/{name}")

    assert response.status_code == 404


async def test_a_thumbnail_size_outside_the_set_is_404(oms_http, oms_accounts, poster):
    added = await upload(oms_http, oms_accounts.staff, poster, picture())
    url = path_of(added["image"]["url"])

    response = await oms_http.get(url.replace(".png", "-100.png"))

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b"%PDF-1.4 not an image", "not an image", id="not-an-image"),
        pytest.param(picture(100, 50, fmt="BMP"), "Only JPEG, PNG, GIF and WebP", id="bmp"),
        pytest.param(picture(fmt="JPEG")[:300], "damaged", id="truncated"),
        pytest.param(picture(2000, 1000), "pixels", id="too-many-pixels"),
        pytest.param(b"", "empty", id="empty"),
    ],
)
async def test_upload_refuses_what_is_not_a_usable_image(oms_app, oms_http, oms_accounts, poster, content, message):
    added = await upload(oms_http, oms_accounts.staff, poster, content)

    assert errors(added) == [(["file"], "INVALID")]
    assert message in added["userErrors"][0]["message"]
    assert not Path(oms_app.state.settings.media_root, "images").exists()


async def test_upload_refuses_an_image_over_the_size_cap(oms_http, oms_accounts, poster):
    big = noise(150_000)
    assert len(big) > 100_000

    added = await upload(oms_http, oms_accounts.staff, poster, big)

    assert errors(added) == [(["file"], "INVALID")]
    assert "larger than 100000 bytes" in added["userErrors"][0]["message"]


async def test_only_catalog_staff_add_images(oms_http, oms_accounts, poster):
    refused = await upload(oms_http, oms_accounts.customer, poster, picture())

    assert [e["code"] for e in refused["userErrors"]] == ["PERMISSION_DENIED"]
    assert refused["image"] is None


async def test_either_a_file_or_a_url(oms_graphql, oms_accounts, poster):
    data = await oms_graphql.as_(oms_accounts.staff).query(
        ADD_IMAGE, {"productId": to_global_id("Product", poster.id)})

    assert errors(data["addProductImage"]) == [(["file"], "REQUIRED")]


async def test_remove_and_reorder(oms_http, oms_graphql, oms_accounts, poster):
    staff = oms_graphql.as_(oms_accounts.staff)
    for n, color in enumerate(["red", "green", "blue"]):
        await upload(oms_http, oms_accounts.staff, poster, picture(color=color), alt=f"image {n}")
    ids = [image["id"] for image in (await staff.query(IMAGES, {"slug": "poster"}))["product"]["images"]]
    product_id = to_global_id("Product", poster.id)

    reordered = await staff.query(REORDER, {"productId": product_id, "imageIds": [ids[2], ids[0], ids[1]]})
    incomplete = await staff.query(REORDER, {"productId": product_id, "imageIds": [ids[2], ids[0]]})
    twice = await staff.query(REORDER, {"productId": product_id, "imageIds": [ids[2], ids[0], ids[0]]})
    removed = await staff.query(REMOVE, {"id": ids[0]})
    gone = await staff.query(REMOVE, {"id": ids[0]})

    assert reordered["reorderProductImages"]["product"]["images"] == [
        {"alt": "image 2"}, {"alt": "image 0"}, {"alt": "image 1"}]
    assert errors(incomplete["reorderProductImages"]) == [(["imageIds"], "INVALID")]
    assert errors(twice["reorderProductImages"]) == [(["imageIds"], "INVALID")]
    assert removed["removeProductImage"]["product"]["images"] == [{"alt": "image 2"}, {"alt": "image 1"}]
    assert errors(gone["removeProductImage"]) == [(["id"], "NOT_FOUND")]


# -- by URL --------------------------------------------------------------------------------


@pytest.fixture
def image_server() -> Iterator[dict]:
    """A plain HTTP server on a loopback port: ``routes[path] = (status, headers, body)``."""
    routes: dict[str, tuple[int, dict[str, str], bytes]] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
            status, headers, body = routes.get(self.path, (404, {}, b"no"))
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield {"routes": routes, "base": f"http://127.0.0.1:{server.server_address[1]}"}
    finally:
        server.shutdown()
        server.server_close()


async def test_a_private_url_is_refused_by_default(oms_graphql, oms_accounts, poster, image_server):
    image_server["routes"]["/p.png"] = (200, {"Content-Type": "image/png"}, picture())

    data = await oms_graphql.as_(oms_accounts.staff).query(
        ADD_IMAGE, {"productId": to_global_id("Product", poster.id), "url": image_server["base"] + "/p.png"})

    assert errors(data["addProductImage"]) == [(["url"], "INVALID")]
    assert "public addresses only" in data["addProductImage"]["userErrors"][0]["message"]


@pytest.mark.parametrize(
    "url",
    ["ftp://example.com/a.png", "http://user:pw@example.com/a.png", "http://169.254.169.254/latest", "not a url"],
)
async def test_bad_urls_are_refused(oms_graphql, oms_accounts, poster, url):
    data = await oms_graphql.as_(oms_accounts.staff).query(
        ADD_IMAGE, {"productId": to_global_id("Product", poster.id), "url": url})

    assert errors(data["addProductImage"]) == [(["url"], "INVALID")]


@pytest.mark.limits(image_fetch_allow_private=True)
async def test_an_image_by_url(oms_http, oms_graphql, oms_accounts, poster, image_server):
    content = picture(300, 300, fmt="JPEG")
    image_server["routes"]["/old.jpg"] = (302, {"Location": "/p.jpg"}, b"")
    image_server["routes"]["/p.jpg"] = (200, {"Content-Type": "image/jpeg"}, content)

    data = await oms_graphql.as_(oms_accounts.staff).query(
        ADD_IMAGE, {"productId": to_global_id("Product", poster.id), "url": image_server["base"] + "/old.jpg"})

    assert data["addProductImage"]["userErrors"] == []
    assert (data["addProductImage"]["image"]["width"], data["addProductImage"]["image"]["height"]) == (300, 300)
    assert data["addProductImage"]["image"]["url"].endswith(".jpg")
    assert (await oms_http.get(path_of(data["addProductImage"]["image"]["url"]))).content == content


async def test_fetch_refuses_errors_loops_and_big_answers(image_server):
    routes, base = image_server["routes"], image_server["base"]
    routes["/loop"] = (302, {"Location": "/loop"}, b"")
    routes["/big"] = (200, {}, b"x" * 5000)
    routes["/ok"] = (200, {}, b"fine")

    async def refusal(path: str) -> str:
        with pytest.raises(DomainError) as caught:
            await fetch_image(base + path, max_bytes=1000, allow_private=True)
        return caught.value.errors[0].message

    assert "HTTP 404" in await refusal("/missing")
    assert "redirects" in await refusal("/loop")
    assert "larger than 1000 bytes" in await refusal("/big")
    assert await fetch_image(base + "/ok", max_bytes=1000, allow_private=True) == b"fine"


@pytest.mark.limits(media_root="/proc/oms-no-media-here")
async def test_an_unwritable_media_root_is_said_in_one_line(oms_http, oms_accounts, poster, caplog):
    added = await upload(oms_http, oms_accounts.staff, poster, picture())

    assert errors(added) == [(None, "SERVICE_UNAVAILABLE")]
    (record,) = [r for r in caplog.records if r.name == "oms.catalog"]
    assert record.getMessage().startswith("OMS_MEDIA_ROOT: cannot write /proc/oms-no-media-here/images")
    assert "\n" not in record.getMessage()
