"""Room on the disk before a sale begins.  A full disk must stop a sale before the customer pays, not after:
the check is a free-space floor (`[kiosk] min_free_mb`) on the disk that holds the database.  The last line of
defence is SQLite itself: a write that does not fit fails with SQLITE_FULL, the transaction is rolled back whole
and `unit_of_work` turns it into DiskFullError."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from kiosk.config import Settings
from kiosk.db.engine import sqlite_file
from kiosk.errors import DiskFullError
from kiosk.i18n import L_

log = logging.getLogger(__name__)

MB = 1024 * 1024
SALE_NOT_STORED = L_("Disken er fuld – salget kan ikke gemmes. Ring til den ansvarlige.")


def database_dir(settings: Settings) -> Path:
    """The folder the database file lives in (the data dir for PostgreSQL, whose disk is not ours to watch)."""
    if (db := sqlite_file(settings.database_url)) is not None:
        return db.parent
    return settings.data_dir


def free_bytes(folder: Path) -> int:
    """Free bytes for an ordinary user on the disk holding `folder` (its nearest existing parent)."""
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return shutil.disk_usage(folder).free


def ensure_room(folder: Path, min_free_bytes: int, *, message: str = SALE_NOT_STORED) -> None:
    """Refuse (DiskFullError) when the disk holding `folder` has less than `min_free_bytes` free."""
    if min_free_bytes <= 0:
        return
    free = free_bytes(folder)
    if free < min_free_bytes:
        log.error("disk nearly full: %d MB free in %s, %d MB needed", free // MB, folder, min_free_bytes // MB)
        raise DiskFullError(f"{free} bytes free in {folder}", user_message=message)
