"""Pictures from a USB stick (a product's photo, a worker's photo): checked to be a PNG or JPEG (by its first bytes,
not its name) of at most 10 MB, then stored in a folder of the data dir under a fresh name, turned upright and
shrunk to at most MAX_SIDE_PX (a phone's 12-megapixel photo would be a ~48 MB texture on every tile showing it).
The database keeps that relative name ("product_images/<hex>.png"), never a path on the stick."""

from __future__ import annotations

import contextlib
import uuid
from pathlib import Path

from PIL import Image, ImageOps

from kiosk.errors import DomainError
from kiosk.i18n import L_

PHOTO_DIR = "people_photos"  # under the data dir; Person.photo holds "people_photos/<file>"
IMAGE_DIR = "product_images"  # under the data dir; Product.image holds "product_images/<file>"
PICTURE_FOLDERS = (IMAGE_DIR, PHOTO_DIR)  # what the backup copies beside the database

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_SIDE_PX = 800  # tiles and previews are a few hundred pixels wide
_IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": ".png", b"\xff\xd8\xff": ".jpg"}


def import_image(data_dir: Path, source: Path, folder: str) -> str:
    """Copy `source` into `data_dir/folder`; returns the name relative to the data dir ("<folder>/<hex>.png")."""
    try:
        size = source.stat().st_size
        with source.open("rb") as f:
            head = f.read(8)
    except OSError as exc:
        raise DomainError(f"cannot read {source}: {exc}", user_message=L_("Billedet kan ikke læses")) from exc
    suffix = next((sfx for magic, sfx in _IMAGE_MAGIC.items() if head.startswith(magic)), None)
    if suffix is None:
        raise DomainError(f"{source} is not PNG/JPEG", user_message=L_("Det er ikke et billede (PNG eller JPG)"))
    if size > MAX_IMAGE_BYTES:
        raise DomainError(f"{source}: {size} bytes", user_message=L_("Billedet er for stort – højst 10 MB"))
    name = f"{folder}/{uuid.uuid4().hex}{suffix}"
    target = data_dir / name
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with Image.open(source) as opened:
            picture = ImageOps.exif_transpose(opened)
            picture.thumbnail((MAX_SIDE_PX, MAX_SIDE_PX))
            if suffix == ".jpg":
                picture.convert("RGB").save(target, "JPEG", quality=88)
            else:
                picture.save(target, "PNG")
    except (OSError, Image.DecompressionBombError) as exc:  # unreadable or truncated pictures are OSErrors too
        with contextlib.suppress(OSError):  # no half-copied picture left behind
            target.unlink(missing_ok=True)
        raise DomainError(f"copy {source}: {exc}", user_message=L_("Billedet kunne ikke gemmes")) from exc
    return name
