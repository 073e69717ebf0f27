"""Making a file's new name durable: after a rename (or a new file), the folder itself is fsynced, or a power cut
can leave the folder without the entry.  Best effort: some file systems (a FAT stick) refuse to open a folder."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
