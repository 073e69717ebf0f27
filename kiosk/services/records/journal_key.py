"""The kiosk's journal key: an Ed25519 key in a 0600 file beside (never inside) the database.

Every journal entry is signed with it when it is written, so someone with the SD card who edits a sale and
recomputes the hash chain cannot make the signatures match without this file; and a chain re-signed with a
key of their own no longer matches the fingerprint printed on every Z report."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url

from kiosk.config import Settings
from kiosk.errors import KioskError


class JournalKeyMissing(KioskError):
    """The database has a journal, but the key that signed it is gone: a new key would re-sign history."""

    user_message = (
        "Journalens nøglefil mangler, men databasen har allerede en journal. "
        "Kiosken starter ikke med en ny nøgle – læg nøglefilen tilbage fra en sikkerhedskopi."
    )


def journal_key_path(settings: Settings) -> Path:
    """Where this kiosk's journal key lives: `<db folder>/<db stem>-journal.key` beside an SQLite file
    (kiosk.sqlite -> kiosk-journal.key, demo.sqlite -> demo-journal.key), else `<data_dir>/journal.key`."""
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        db = Path(url.database)
        return db.parent / f"{db.stem}-journal.key"
    return Path(settings.data_dir) / "journal.key"
