"""``GET /media/images/<name>``: product images and their thumbnails.

Names are content-addressed (:mod:`oms.catalog.images`), so a response never goes stale:
it is cached for a year as immutable, and its ETag is the name itself.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from oms.catalog.images import CONTENT_TYPES, image_file

IMMUTABLE = "public, max-age=31536000, immutable"


async def product_image(request: Request) -> Response:
    name = request.path_params["name"]
    path = await image_file(request.app.state.settings.media_root, name)
    if path is None:
        return PlainTextResponse("No such image.", status_code=404, headers={"Cache-Control": "no-store"})
    etag = f'"{name}"'
    headers = {"Cache-Control": IMMUTABLE, "ETag": etag}
    if etag in {tag.strip().removeprefix("W/") for tag in request.headers.get("if-none-match", "").split(",")}:
        return Response(status_code=304, headers=headers)
    return FileResponse(path, media_type=CONTENT_TYPES[name.rsplit(".", 1)[1]], headers=headers)


ROUTES = [Route("/media/images/{name}", product_image, methods=["GET", "HEAD"])]
