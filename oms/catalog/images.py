"""Product images: validated with Pillow, stored content-addressed under the media root,
thumbnails made on first request and kept on disk.

Files live at ``<media root>/images/<sha256>.<ext>`` (the original) and
``<media root>/images/<sha256>-<size>.<ext>`` (a thumbnail at most ``size`` pixels wide and
high). A name never changes content, so the HTTP route serves them as immutable. Decoding,
hashing, resizing and disk writes run in a thread (``asyncio.to_thread``), never on the
event loop.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import io
import logging
import os
import re
import tempfile
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from pathlib import Path
from typing import cast

from PIL import Image, UnidentifiedImageError
from tortoise.transactions import in_transaction

from oms.catalog import audit
from oms.catalog.image_models import ProductImage
from oms.catalog.models import Product
from oms.errors import DomainError, ErrorCode
from oms.oncommit import on_commit

logger = logging.getLogger("oms.catalog")

# Pillow format -> (extension, content type). Anything else is refused.
FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "GIF": ("gif", "image/gif"),
    "WEBP": ("webp", "image/webp"),
}
CONTENT_TYPES = {ext: content_type for ext, content_type in FORMATS.values()}
# Thumbnail sizes (the longest side, in pixels); a requested size is rounded up to one.
THUMBNAIL_SIZES = (64, 128, 256, 512, 1024, 2048)
MAX_ALT = 300
MAX_IMAGES_PER_PRODUCT = 50
# "<64 hex>.<ext>" or "<64 hex>-<size>.<ext>"
FILE_NAME = re.compile(r"^(?P<digest>[0-9a-f]{64})(?:-(?P<size>[1-9][0-9]{0,4}))?\.(?P<ext>jpg|png|gif|webp)$")


@dataclasses.dataclass(frozen=True)
class CheckedImage:
    digest: str
    extension: str
    content_type: str
    width: int
    height: int


def _invalid(message: str, field: str = "file") -> DomainError:
    return DomainError.of(ErrorCode.INVALID, message, [field])


def images_dir(media_root: str) -> Path:
    return Path(media_root) / "images"


def check_image(data: bytes, *, max_pixels: int) -> CheckedImage:
    """The image's format and size, or INVALID: not an image, a format other than JPEG,
    PNG, GIF or WebP, more than ``max_pixels`` pixels, or damaged. Blocking: call in a thread."""
    try:
        with warnings.catch_warnings():
            # Pillow warns (and past twice its limit raises) on huge images: our own limit decides.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                fmt = image.format or ""
                width, height = image.size
                if fmt not in FORMATS:
                    raise _invalid("Only JPEG, PNG, GIF and WebP images are accepted.")
                if width * height > max_pixels:
                    raise _invalid(f"The image has {width}x{height} pixels; at most {max_pixels} in all.")
                image.load()  # decodes it all: a truncated or damaged file fails here
    except DomainError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError):
        raise _invalid("The file is not an image (JPEG, PNG, GIF or WebP).") from None
    except (OSError, ValueError, SyntaxError, EOFError):
        raise _invalid("The image is damaged or truncated.") from None
    extension, content_type = FORMATS[fmt]
    return CheckedImage(hashlib.sha256(data).hexdigest(), extension, content_type, width, height)


def _write_once(path: Path, data: bytes) -> None:
    """Write ``data`` at ``path`` unless it is there already (content-addressed: same bytes).
    Through a temporary file and a rename, so a reader never sees half a file."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as temp:
        temp.write(data)
    os.replace(temp.name, path)


def _store(data: bytes, media_root: str, max_pixels: int) -> CheckedImage:
    checked = check_image(data, max_pixels=max_pixels)
    target = images_dir(media_root) / f"{checked.digest}.{checked.extension}"
    try:
        _write_once(target, data)
    except OSError as exc:
        # The operator's problem, said in one line; the client hears the service is unavailable.
        logger.error("OMS_MEDIA_ROOT: cannot write %s (%s)", target.parent, exc.strerror or exc)
        raise DomainError.of(
            ErrorCode.SERVICE_UNAVAILABLE, "Images cannot be stored at the moment (the media folder is not writable)."
        ) from None
    return checked


def _unlink_files(media_root: str, digest: str, extension: str) -> int:
    """Delete an original and every thumbnail of it; how many files went. Missing files
    are fine (idempotent: a second run, or thumbnails never made). Blocking: in a thread."""
    folder = images_dir(media_root)
    removed = 0
    for size in (None, *THUMBNAIL_SIZES):
        path = folder / file_name(digest, extension, size)
        try:
            path.unlink()
            removed += 1
        except FileNotFoundError:
            pass
        except OSError as exc:  # the row is gone either way; an orphan file only takes space
            logger.warning("cannot delete %s (%s)", path, exc.strerror or exc)
    return removed


async def drop_unused_files(files: Iterable[tuple[str, str]], media_root: str) -> int:
    """Delete the files (originals and thumbnails) of these ``(digest, extension)`` pairs
    that no image row references any more; how many files went. Call it after the commit
    that removed the rows (:func:`after_commit_drop_files`): two products may share a file."""
    removed = 0
    for digest, extension in sorted(set(files)):
        if await ProductImage.exists(digest=digest, extension=extension):
            continue
        removed += await asyncio.to_thread(_unlink_files, media_root, digest, extension)
    return removed


# Clean-ups started after a commit that no request awaits (a transaction nested in an
# outer one commits later): kept here so the loop does not drop them half-way.
_running: set[asyncio.Task[int]] = set()


class _DropAfterCommit:
    """An on-commit callback starting :func:`drop_unused_files`; ``task`` is set once
    the transaction committed (never when it rolled back)."""

    def __init__(self, start: Callable[[], Awaitable[int]]):
        self._start = start
        self.task: asyncio.Task[int] | None = None

    def __call__(self) -> None:
        self.task = asyncio.ensure_future(self._start())
        _running.add(self.task)
        self.task.add_done_callback(_running.discard)

    async def wait(self) -> None:
        """Wait for the clean-up if the commit already happened; errors are logged."""
        if self.task is None:
            return
        try:
            await self.task
        except Exception:  # the rows are gone and committed: a file left over only takes space
            logger.exception("deleting unused image files failed")


def after_commit_drop_files(files: Iterable[tuple[str, str]], media_root: str | None) -> _DropAfterCommit:
    """Inside the transaction that deletes image rows: delete their files once it has
    committed, off the event loop, when no other row uses them. Await ``.wait()`` after
    the transaction so the caller answers once the files are gone."""
    pairs = list(files)
    root = media_root or ""
    drop = _DropAfterCommit(lambda: drop_unused_files(pairs, root))
    if pairs and root:
        on_commit(drop)
    return drop


async def read_capped(chunks: AsyncIterator[bytes], max_bytes: int, field: str = "file") -> bytes:
    """All of ``chunks``, or INVALID as soon as they pass ``max_bytes``."""
    parts: list[bytes] = []
    size = 0
    async for chunk in chunks:
        size += len(chunk)
        if size > max_bytes:
            raise _invalid(f"The image is larger than {max_bytes} bytes.", field)
        parts.append(chunk)
    if size == 0:
        raise _invalid("The file is empty.", field)
    return b"".join(parts)


async def add_image(
    product_id: int, data: bytes, *, alt: str | None, media_root: str, max_pixels: int, actor: str
) -> ProductImage:
    """Validate and store ``data`` as the product's last image."""
    alt = (alt or "").strip()
    if len(alt) > MAX_ALT:
        raise _invalid(f"At most {MAX_ALT} characters.", "alt")
    if not await Product.exists(id=product_id):
        raise DomainError.of(ErrorCode.NOT_FOUND, "No such product.", ["productId"])
    checked = await asyncio.to_thread(_store, data, media_root, max_pixels)
    async with in_transaction():
        product = await Product.select_for_update().get_or_none(id=product_id)
        if product is None:
            raise DomainError.of(ErrorCode.NOT_FOUND, "No such product.", ["productId"])
        positions = await ProductImage.filter(product_id=product_id).values_list("position", flat=True)
        if len(positions) >= MAX_IMAGES_PER_PRODUCT:
            raise _invalid(f"A product has at most {MAX_IMAGES_PER_PRODUCT} images.", "productId")
        image = await ProductImage.create(
            product_id=product_id,
            digest=checked.digest,
            extension=checked.extension,
            content_type=checked.content_type,
            width=checked.width,
            height=checked.height,
            alt=alt,
            position=max(cast(list[int], positions), default=-1) + 1,
        )
        await audit.record([audit.change(product_id, "image.added", None, image.file_name, actor=actor)])
    # The same bytes may have been removed from their last product since _store found the
    # file on disk (the clean-up ran between that check and this commit): put it back.
    try:
        await asyncio.to_thread(_write_once, images_dir(media_root) / image.file_name, data)
    except OSError as exc:
        logger.error("OMS_MEDIA_ROOT: cannot write %s (%s)", image.file_name, exc.strerror or exc)
    return image


async def remove_image(image_id: int, *, actor: str, media_root: str | None = None) -> int:
    """Take an image off its product; the product's id. Once that has committed, its file
    and thumbnails under ``media_root`` are deleted unless another image row (of any
    product) still uses the same bytes. None keeps the files."""
    async with in_transaction():
        image = await ProductImage.select_for_update().get_or_none(id=image_id)
        if image is None:
            raise DomainError.of(ErrorCode.NOT_FOUND, "No such image.", ["id"])
        await image.delete()
        await audit.record([audit.change(image.product_id, "image.removed", image.file_name, None, actor=actor)])
        drop = after_commit_drop_files([(image.digest, image.extension)], media_root)
    await drop.wait()
    return image.product_id


async def reorder_images(product_id: int, image_ids: list[int], *, actor: str) -> None:
    """Put the product's images in the order given: every image of the product, once."""
    async with in_transaction():
        product = await Product.select_for_update().get_or_none(id=product_id)
        if product is None:
            raise DomainError.of(ErrorCode.NOT_FOUND, "No such product.", ["productId"])
        images = await ProductImage.filter(product_id=product_id)
        current = [image.id for image in images]
        if len(image_ids) != len(set(image_ids)) or set(image_ids) != set(current):
            raise _invalid("List every image of the product exactly once.", "imageIds")
        position = {pk: i for i, pk in enumerate(image_ids)}
        for image in images:
            if image.position != position[image.id]:
                await ProductImage.filter(id=image.id).update(position=position[image.id])
        if current != image_ids:
            await audit.record([audit.change(product_id, "image.order", current, image_ids, actor=actor)])


def thumbnail_size(size: int | None) -> int | None:
    """The stored size a request for ``size`` gets: the next size up (the largest past it);
    None (or 0 and less): the original."""
    if size is None or size <= 0:
        return None
    for allowed in THUMBNAIL_SIZES:
        if allowed >= size:
            return allowed
    return THUMBNAIL_SIZES[-1]


def scaled(width: int, height: int, size: int | None) -> tuple[int, int]:
    """Width and height of the thumbnail of ``size`` (never larger than the original)."""
    if size is None or (width <= size and height <= size):
        return width, height
    ratio = size / max(width, height)
    return max(1, round(width * ratio)), max(1, round(height * ratio))


def file_name(digest: str, extension: str, size: int | None) -> str:
    return f"{digest}-{size}.{extension}" if size else f"{digest}.{extension}"


def _make_thumbnail(original: Path, target: Path, size: int) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        with Image.open(original) as opened:
            fmt = opened.format or "PNG"
            width, height = scaled(opened.width, opened.height, size)
            if (width, height) == opened.size:
                _write_once(target, original.read_bytes())
                return
            image: Image.Image = opened
            if fmt == "JPEG" and image.mode not in ("RGB", "L", "CMYK"):
                image = image.convert("RGB")
            resized = image.resize((width, height), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            options = {"quality": 85, "optimize": True} if fmt in ("JPEG", "WEBP") else {}
            resized.save(out, format=fmt, **options)
    _write_once(target, out.getvalue())


def _locate(media_root: str, name: str) -> Path | None:
    match = FILE_NAME.match(name)
    if match is None:
        return None
    folder = images_dir(media_root)
    original = folder / file_name(match["digest"], match["ext"], None)
    if not original.is_file():
        return None
    if match["size"] is None:
        return original
    size = int(match["size"])
    if size not in THUMBNAIL_SIZES:
        return None
    target = folder / name
    if not target.is_file():
        _make_thumbnail(original, target, size)
    return target


async def image_file(media_root: str, name: str) -> Path | None:
    """The file to serve for ``name`` (an original, or a thumbnail of one, made now if
    missing), or None for a name that is not one of ours or whose original is not stored.
    Disk work and resizing run in a thread."""
    if FILE_NAME.match(name) is None:
        return None
    return await asyncio.to_thread(_locate, media_root, name)
