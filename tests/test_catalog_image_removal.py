"""Deleting image files (issue 13 item 2): removeProductImage and deleteProduct delete an
image's file and thumbnails under OMS_MEDIA_ROOT once no image row uses them any more,
after the commit, in a thread, idempotently; the removal is on the catalog audit trail."""

from __future__ import annotations

from pathlib import Path

import pytest
from tortoise.transactions import in_transaction

from oms.catalog import images
from oms.catalog.audit import CatalogChange
from oms.catalog.image_models import ProductImage
from oms.graphql.common import to_global_id
from oms.testing import make_product
from tests.test_catalog_images import IMAGES, path_of, picture, upload

REMOVE = """
mutation Remove($id: ID!) { removeProductImage(id: $id) { product { images { alt } } userErrors { field code } } }
"""
DELETE_PRODUCT = """
mutation Delete($id: ID!) { deleteProduct(id: $id) { ok userErrors { field code message } } }
"""
CHANGES = """
query Changes($productId: ID!) { catalogChanges(productId: $productId) { edges { node { field oldValue } } } }
"""


@pytest.fixture
async def poster(oms_app):
    return await make_product(oms_app, product_type="digital", sku="POSTER", price="3.00", name="Poster")


@pytest.fixture
async def flyer(oms_app):
    return await make_product(oms_app, product_type="digital", sku="FLYER", price="1.00", name="Flyer")


@pytest.fixture
def staff(oms_graphql, oms_accounts):
    return oms_graphql.as_(oms_accounts.staff)


def stored(oms_app) -> list[str]:
    folder = Path(oms_app.state.settings.media_root, "images")
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


async def add_with_thumbnail(oms_http, oms_graphql, token, product, content: bytes) -> dict:
    """Upload ``content`` to ``product`` and fetch a thumbnail of it, so both are on disk."""
    added = await upload(oms_http, token, product, content)
    assert added["userErrors"] == []
    slug = (await oms_graphql.query(IMAGES, {"slug": product.slug, "size": 64}))["product"]["images"]
    thumb = next(image for image in slug if image["id"] == added["image"]["id"])
    assert (await oms_http.get(path_of(thumb["url"]))).status_code == 200
    return added["image"] | {"thumb": thumb["url"]}


async def test_removing_the_last_image_of_a_file_deletes_it_and_its_thumbnails(
    oms_app, oms_http, oms_graphql, oms_accounts, staff, poster
):
    kept = await add_with_thumbnail(oms_http, oms_graphql, oms_accounts.staff, poster, picture(color="red"))
    gone = await add_with_thumbnail(oms_http, oms_graphql, oms_accounts.staff, poster, picture(color="blue"))
    assert len(stored(oms_app)) == 4  # two originals, two thumbnails

    removed = await staff.query(REMOVE, {"id": gone["id"]})

    assert removed["removeProductImage"]["userErrors"] == []
    names = {url.rsplit("/", 1)[1] for url in (kept["url"], kept["thumb"])}
    assert stored(oms_app) == sorted(names)
    assert (await oms_http.get(path_of(gone["url"]))).status_code == 404
    assert (await oms_http.get(path_of(kept["url"]))).status_code == 200
    trail = (await staff.query(CHANGES, {"productId": to_global_id("Product", poster.id)}))["catalogChanges"]
    assert trail["edges"][0]["node"] == {"field": "image.removed", "oldValue": gone["url"].rsplit("/", 1)[1]}


async def test_a_file_another_product_uses_stays_until_its_last_image_goes(
    oms_app, oms_http, oms_graphql, oms_accounts, staff, poster, flyer
):
    content = picture(color="green")
    on_poster = await add_with_thumbnail(oms_http, oms_graphql, oms_accounts.staff, poster, content)
    on_flyer = await add_with_thumbnail(oms_http, oms_graphql, oms_accounts.staff, flyer, content)
    assert on_poster["url"] == on_flyer["url"]  # one file, content-addressed

    await staff.query(REMOVE, {"id": on_poster["id"]})
    assert len(stored(oms_app)) == 2
    assert (await oms_http.get(path_of(on_flyer["url"]))).status_code == 200

    await staff.query(REMOVE, {"id": on_flyer["id"]})
    assert stored(oms_app) == []


async def test_delete_product_deletes_the_files_only_it_used(
    oms_app, oms_http, oms_graphql, oms_accounts, staff, poster, flyer
):
    shared = picture(color="green")
    await add_with_thumbnail(oms_http, oms_graphql, oms_accounts.staff, poster, shared)
    await add_with_thumbnail(oms_http, oms_graphql, oms_accounts.staff, poster, picture(color="red"))
    on_flyer = await add_with_thumbnail(oms_http, oms_graphql, oms_accounts.staff, flyer, shared)

    deleted = await staff.query(DELETE_PRODUCT, {"id": to_global_id("Product", poster.id)})

    assert deleted["deleteProduct"] == {"ok": True, "userErrors": []}
    assert stored(oms_app) == sorted(url.rsplit("/", 1)[1] for url in (on_flyer["url"], on_flyer["thumb"]))
    fields = await CatalogChange.filter(product_id=poster.id).order_by("id").values_list("field", flat=True)
    assert fields[-3:] == ["image.removed", "image.removed", "deleted"]


async def test_nothing_is_deleted_when_the_removal_rolls_back(oms_app, oms_http, oms_accounts, poster):
    added = await upload(oms_http, oms_accounts.staff, poster, picture())
    image = await ProductImage.get(product_id=poster.id)
    media_root = oms_app.state.settings.media_root

    with pytest.raises(RuntimeError):
        async with in_transaction():
            await images.remove_image(image.id, actor="test", media_root=media_root)
            raise RuntimeError("the outer change failed")

    assert await ProductImage.exists(id=image.id)
    assert stored(oms_app) == [added["image"]["url"].rsplit("/", 1)[1]]


async def test_a_removal_inside_an_outer_transaction_deletes_the_file_after_its_commit(
    oms_app, oms_http, oms_accounts, poster
):
    await upload(oms_http, oms_accounts.staff, poster, picture())
    image = await ProductImage.get(product_id=poster.id)
    media_root = oms_app.state.settings.media_root

    async with in_transaction():
        await images.remove_image(image.id, actor="test", media_root=media_root)
        assert len(stored(oms_app)) == 1  # not committed yet: the file stays
    for task in list(images._running):
        await task

    assert stored(oms_app) == []


async def test_dropping_files_is_idempotent(oms_app, oms_http, oms_accounts, poster):
    await upload(oms_http, oms_accounts.staff, poster, picture())
    image = await ProductImage.get(product_id=poster.id)
    media_root = oms_app.state.settings.media_root
    pair = (image.digest, image.extension)

    assert await images.drop_unused_files([pair], media_root) == 0  # still used: kept
    await image.delete()
    first = await images.drop_unused_files([pair, pair], media_root)
    second = await images.drop_unused_files([pair], media_root)

    assert (first, second) == (1, 0)  # the original; no thumbnail was ever made
    assert stored(oms_app) == []


async def test_an_image_added_again_after_its_file_was_dropped_is_stored_again(
    oms_app, oms_http, oms_graphql, oms_accounts, staff, poster, flyer
):
    content = picture(color="purple")
    first = await upload(oms_http, oms_accounts.staff, poster, content)
    await staff.query(REMOVE, {"id": first["image"]["id"]})
    assert stored(oms_app) == []

    again = await upload(oms_http, oms_accounts.staff, flyer, content)

    served = await oms_http.get(path_of(again["image"]["url"]))
    assert served.status_code == 200 and served.content == content
