"""USB sticks: find the mounted ones, copy a file onto one, list the pictures on them.

The desktop's automounter (udisks2) or usbmount puts a stick at /media/<user>/<LABEL>, /run/media/<user>/<LABEL>
or /media/<LABEL>: a stick is a writable directory that is a mount point, at most two levels under one of the
configured roots (``[usb] mount_roots``).  Copies are written to a hidden temporary name, flushed to the stick and
then renamed, so a stick pulled out mid-copy never holds a half file under the real name.  No Kivy here.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from kiosk.errors import DeviceError
from kiosk.fsync import fsync_dir
from kiosk.i18n import L_

log = logging.getLogger(__name__)

DEFAULT_ROOTS = ("/media", "/run/media")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')  # characters FAT32 (most sticks) refuses in a file name


class UsbError(DeviceError):
    user_message = L_("USB-nøglen kunne ikke bruges. Er den fuld eller låst?")


class NoStickError(UsbError):
    user_message = L_("Sæt en USB-nøgle i kiosken, og prøv igen.")


def safe_name(name: str) -> str:
    """A file name any stick accepts: no path separators or FAT-forbidden characters, never empty or hidden."""
    cleaned = _UNSAFE.sub("_", name).strip(" .")
    return cleaned or "fil"


@dataclass(frozen=True)
class UsbStorage:
    roots: tuple[Path, ...]
    # The mount table is the edge of the world: tests pass their own predicate for a temporary "mount".
    is_mount: Callable[[Path], bool] = os.path.ismount

    @classmethod
    def from_roots(cls, roots: Iterable[str | Path]) -> UsbStorage:
        return cls(tuple(Path(r) for r in roots))

    def sticks(self) -> list[Path]:
        """The mounted, writable sticks under the roots, by path."""
        found: list[Path] = []
        for root in self.roots:
            for entry in _subdirs(root):
                if self.is_mount(entry):
                    found.append(entry)
                else:  # /media/<user>/<LABEL>
                    found += [inner for inner in _subdirs(entry) if self.is_mount(inner)]
        return sorted(p for p in found if os.access(p, os.W_OK))

    def first_stick(self) -> Path:
        sticks = self.sticks()
        if not sticks:
            raise NoStickError(f"no writable stick under {', '.join(map(str, self.roots))}")
        return sticks[0]

    def copy_to_stick(self, source: Path, name: str | None = None, stick: Path | None = None) -> Path:
        """Copy `source` onto the stick (the first one unless named) under `name`; an existing file is kept and
        the copy gets " (2)", " (3)"... added.  Returns where it went."""
        target_dir = stick or self.first_stick()
        target = _free_name(target_dir / safe_name(name or source.name))
        part = target.with_name(f".{target.name}.part")
        try:
            with source.open("rb") as src, part.open("wb") as dst:
                shutil.copyfileobj(src, dst, 1024 * 1024)
                dst.flush()
                os.fsync(dst.fileno())
            os.replace(part, target)
            fsync_dir(target_dir)
        except OSError as exc:
            with contextlib.suppress(OSError):
                part.unlink()
            log.warning("copy of %s to %s failed: %s", source, target, exc)
            raise UsbError(f"copy to {target} failed: {exc}") from exc
        log.info("copied %s to %s", source, target)
        return target

    def images(self, *, depth: int = 3, limit: int = 200) -> list[Path]:
        """Picture files (png, jpg) on the sticks, at most `depth` folders down, hidden folders skipped."""
        found: list[Path] = []
        for stick in self.sticks():
            for folder, dirs, files in os.walk(stick):
                level = len(Path(folder).relative_to(stick).parts)
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and level < depth)
                found += [
                    Path(folder) / f
                    for f in sorted(files)
                    if not f.startswith(".") and f.lower().endswith(IMAGE_SUFFIXES)
                ]
                if len(found) >= limit:
                    return found[:limit]
        return found


def _subdirs(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.is_dir())
    except OSError:  # the root does not exist, or we may not look inside
        return []


def _free_name(target: Path) -> Path:
    n = 2
    candidate = target
    while candidate.exists():
        candidate = target.with_name(f"{target.stem} ({n}){target.suffix}")
        n += 1
    return candidate
