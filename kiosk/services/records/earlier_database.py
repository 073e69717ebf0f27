"""Never a fresh, empty database where there are signs of an earlier one.

SQLite makes a new empty file when the one it is told to open is missing, and the kiosk migrates it: receipt
numbers would begin again at 1, the journal would start over, and a shop would sell on for days before anyone
noticed that the records are gone.  So before the database is opened: if the file is missing (or empty) but
this kiosk's journal key, a backup of this database or a copy rescued from a running kiosk is there, the kiosk
refuses to start and says how to put the database back (`kiosk restore <the newest>`).  The demo is exempt:
its data is invented, and deleting demo.sqlite is how a demo is started over.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from pathlib import Path

from kiosk.config import Settings
from kiosk.db.engine import sqlite_file
from kiosk.errors import StorageError
from kiosk.i18n import L_, Ln_
from kiosk.services.records.backup import backup_folder, backups_in
from kiosk.services.records.journal_key import journal_key_path

log = logging.getLogger(__name__)


class EarlierDatabaseMissing(StorageError):
    """The database file is gone but the kiosk has been used here before: it will not start on an empty one."""

    exit_status = 2  # `kiosk ...` exits 2: nothing was done, a person must put the database back first


def rescued_copies(db: Path) -> list[Path]:
    """Copies a running kiosk made when its database vanished under it (kiosk.db.file_guard), oldest first."""
    return sorted(db.parent.glob(f"{db.stem}.rescued-*.sqlite"))


def refuse_fresh_database(settings: Settings) -> None:
    """Raise EarlierDatabaseMissing when the SQLite file is missing or empty and signs of an earlier one exist,
    or when the file is older than a copy rescued from it (its WAL was deleted: the file alone misses the last
    sales, and their receipt numbers would be given out again)."""
    db = sqlite_file(settings.database_url)
    if db is None or settings.demo:
        return
    if db.exists() and db.stat().st_size > 0:
        _refuse_older_than_rescued(db, settings.kiosk.id)
        return
    key = journal_key_path(settings)
    copies = backups_in(backup_folder(settings), db.stem) + rescued_copies(db)
    if not key.exists() and not copies:
        return  # a new kiosk: the database is made now
    signs = []
    if key.exists():
        signs.append(L_("journalens nøglefil {name}", name=key.name))
    if copies:
        signs.append(Ln_("en backup", "{n} backup(s)", len(copies)))
    newest = max(copies, key=lambda p: p.stat().st_mtime) if copies else None
    how = (
        L_("Læg den nyeste backup tilbage: kiosk restore {newest}", newest=newest)
        if newest is not None
        else L_("Læg databasen tilbage fra en backup: kiosk restore <backup-fil>")
    )
    said = L_(
        "Databasen {db} mangler, men kiosken har været brugt før ({signs} findes). "
        "Kiosken starter ikke med en ny, tom database. {how}",
        db=db,
        signs=L_("{a} og {b}", a=signs[0], b=signs[1]) if len(signs) == 2 else signs[0],
        how=how,
    )
    log.critical("refusing to start on an empty database: %s is missing, %s found", db, ", ".join(signs))
    raise EarlierDatabaseMissing(f"{db} missing; found {', '.join(signs)}", user_message=said)


def _last_entry(path: Path, kiosk_id: str) -> int:
    """The journal's last number for this kiosk in an SQLite file (read-only; 0 when it has none or no journal)."""
    try:
        with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            row = conn.execute("SELECT max(seq) FROM journal WHERE kiosk_id = ?", (kiosk_id,)).fetchone()
    except sqlite3.Error:
        return 0
    return int(row[0] or 0) if row else 0


def _refuse_older_than_rescued(db: Path, kiosk_id: str) -> None:
    copies = rescued_copies(db)
    if not copies:
        return
    live = _last_entry(db, kiosk_id)
    ahead = [(n, copy) for copy in copies if (n := _last_entry(copy, kiosk_id)) > live]
    if not ahead:
        return  # the rescued copy was put back (or is older): nothing is missing
    entries, newest = max(ahead)
    said = L_(
        "Databasen {db} mangler det sidste, kiosken gemte: den har {live} journalposter, men kopien reddet fra den "
        "har {entries}. Kiosken starter ikke, for så ville kvitteringsnumre blive brugt igen. "
        "Læg kopien tilbage: kiosk restore {newest}",
        db=db,
        live=live,
        entries=entries,
        newest=newest,
    )
    log.critical("refusing to start: %s has %d journal entries, the rescued %s has %d", db, live, newest, entries)
    raise EarlierDatabaseMissing(f"{db} is older than {newest}", user_message=said)
