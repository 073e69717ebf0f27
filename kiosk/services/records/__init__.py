"""Records: what the shop keeps and must be able to show — the journal (only `journal` writes it), backups and
restore, the pictures folder.  Every other flow writes its journal entries through `journal`, so this package sits
below them all and imports no other flow.

Not exported here, imported by their own path by the one caller each: `daily` and `retention` (the once-a-day
upkeep: they use the jobs flow, which builds on this one) and `saft` / `saft_signing` (the tax export; they load
`cryptography`, which the kiosk does not need at start).
"""

import kiosk.services.records.backup as backup
import kiosk.services.records.clock_guard as clock_guard
import kiosk.services.records.journal as journal
import kiosk.services.records.journal_key as journal_key  # loaded by `journal` anyway; the fleet checks keys with it
from kiosk.services.records.backup import BackupError, RestoreRefused, journal_restore, restore, take_backup
from kiosk.services.records.earlier_database import EarlierDatabaseMissing, refuse_fresh_database
from kiosk.services.records.images import IMAGE_DIR, PHOTO_DIR, PICTURE_FOLDERS, import_image
from kiosk.services.records.journal_key import journal_key_path

__all__ = [
    "IMAGE_DIR",
    "PHOTO_DIR",
    "PICTURE_FOLDERS",
    "BackupError",
    "EarlierDatabaseMissing",
    "RestoreRefused",
    "backup",
    "clock_guard",
    "import_image",
    "journal",
    "journal_key",
    "journal_key_path",
    "journal_restore",
    "refuse_fresh_database",
    "restore",
    "take_backup",
]
