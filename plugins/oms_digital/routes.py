"""``GET /downloads/{token}``: the file of a download grant, streamed from disk.

A forged or unknown token gets 404 and an unusable grant 410, each with a short text that
says nothing about any other grant. Starlette's FileResponse streams in chunks (the file
never sits in memory) and answers Range requests with 206, so a broken download resumes.
"""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from oms.api import RateLimited, Settings, token_route_lookup, too_many_requests
from oms_digital import services
from oms_digital.files import media_path

logger = logging.getLogger("oms.digital")


class StreamedFile(FileResponse):
    # Bigger reads than Starlette's 64 kB: far fewer event-loop turns for a large file.
    chunk_size = 1024 * 1024


def download_routes(settings: Settings) -> list[BaseRoute]:
    async def download(request: Request) -> Response:
        token = request.path_params["token"]
        try:
            grant = await token_route_lookup(request, lambda: services.grant_for_token(token, settings.secret_key))
        except RateLimited as exc:
            return too_many_requests(exc)
        if grant is None:
            return PlainTextResponse("Not found.", 404)
        try:
            path = media_path(settings.media_root, grant.file)
        except ValueError:
            path = None
        if path is None or not path.is_file():
            logger.error("Download grant %s: the file %r is missing from the media root.", grant.id, grant.file)
            return PlainTextResponse("The file is unavailable right now; the store has been told.", 503)
        if request.method == "HEAD":  # a look at the headers is not a download
            refusal = services.check_grant(grant)
        else:
            refusal = (await services.claim_download(grant)).refusal
        if refusal is not None:
            return PlainTextResponse(refusal.value, 410)
        return StreamedFile(
            path,
            media_type=grant.content_type,
            filename=grant.file_name,
            headers={"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"},
        )

    return [Route("/downloads/{token}", download, methods=["GET", "HEAD"])]
