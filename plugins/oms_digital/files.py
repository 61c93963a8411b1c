"""Files for sale, stored under ``OMS_MEDIA_ROOT``.

Each stored file gets its own directory (``downloads/<sku>/<random>/<name>``), so a new
upload never overwrites a file that earlier buyers' grants still point to.
"""

from __future__ import annotations

import asyncio
import mimetypes
import os
import re
import secrets
import shutil
import tempfile
import unicodedata
from collections.abc import AsyncIterator
from pathlib import Path

from oms.api import DomainError, ErrorCode
from oms.api.models import Variant

TYPE_NAME = "digital"
CHUNK_BYTES = 1024 * 1024
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


def safe_file_name(name: str) -> str:
    """A file name fit for a path and a Content-Disposition: no directories, no control
    characters; accents folded to ASCII."""
    base = os.path.basename(name.replace("\\", "/")).strip()
    folded = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    cleaned = _UNSAFE.sub("_", folded).strip(" .")[:150]
    return cleaned or "download"


def media_path(media_root: str | os.PathLike[str], relative: str) -> Path:
    """The absolute path of a stored file; refuses anything outside the media root."""
    root = Path(media_root).resolve()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise ValueError(f"{relative!r} is outside the media root")
    return path


async def _variant(sku: str) -> Variant:
    variant = await Variant.get_or_none(sku=sku).select_related("product")
    if variant is None:
        raise DomainError.of(ErrorCode.NOT_FOUND, f"No variant with sku {sku!r}.", ["sku"])
    if variant.product.product_type != TYPE_NAME:
        raise DomainError.of(
            ErrorCode.INVALID, f"{sku} is a {variant.product.product_type} product, not a digital one.", ["sku"]
        )
    return variant


async def store_file(
    sku: str, chunks: AsyncIterator[bytes], *, file_name: str, content_type: str | None, media_root: str
) -> Variant:
    """Store the file read from ``chunks`` as the one sold with ``sku`` and point the
    variant's attributes at it. Written to a temporary file first and moved into place, so
    a failed upload leaves nothing behind."""
    variant = await _variant(sku)
    name = safe_file_name(file_name)
    relative = f"downloads/{safe_file_name(sku)}/{secrets.token_hex(8)}/{name}"
    target = media_path(media_root, relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    size = 0
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as temp:
        try:
            async for chunk in chunks:
                # A write may wait on the disk: in a thread, so the event loop never does.
                await asyncio.to_thread(temp.write, chunk)
                size += len(chunk)
        except BaseException:
            os.unlink(temp.name)
            raise
    if size == 0:
        os.unlink(temp.name)
        raise DomainError.of(ErrorCode.INVALID, "The file is empty.", ["file"])
    os.replace(temp.name, target)
    content_type = (content_type or "").strip() or mimetypes.guess_type(name)[0] or "application/octet-stream"
    variant.attributes = {
        **(variant.attributes or {}),
        "file": relative,
        "file_name": name,
        "content_type": content_type[:100],
    }
    await variant.save(update_fields=["attributes"])
    return variant


async def file_chunks(path: str | os.PathLike[str]) -> AsyncIterator[bytes]:
    with open(path, "rb") as source:
        while chunk := await asyncio.to_thread(source.read, CHUNK_BYTES):
            yield chunk


async def add_file(sku: str, path: str, *, media_root: str) -> Variant:
    """``oms add-file SKU PATH``: copy a local file in as the one sold with ``sku``."""
    source = Path(path)
    if not source.is_file():
        raise DomainError.of(ErrorCode.NOT_FOUND, f"No file at {path}.", ["path"])
    return await store_file(sku, file_chunks(source), file_name=source.name, content_type=None, media_root=media_root)


def copy_into_media(source: Path, relative: str, media_root: str) -> None:
    """Put a file at ``relative`` under the media root (the demo seed's file)."""
    target = media_path(media_root, relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
