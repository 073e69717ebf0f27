"""The SQLite file under the kiosk's feet: made private, watched while the kiosk runs, and a read-only disk told.

Watched: an open SQLite connection keeps writing into the file it opened, even after that file was deleted
(`rm kiosk.sqlite`), or its WAL was (`rm kiosk.sqlite-wal`), or another file was moved in its place.  Sales are
then confirmed into a file nobody will ever open again, and a connection opened later starts a fresh one: the
receipt numbers begin again and what was sold is gone.  So before every transaction the file at the path is
compared with the one the kiosk opened (device and inode, of the database and of its WAL, which exists as long
as connections are open in WAL mode).  When they differ the kiosk stops storing: every transaction from then on
raises DatabaseGoneError (a KioskError: its message is shown, the kiosk stays up).  Once, at the first refusal,
everything the open connection still sees is copied with SQLite's backup API to `<stem>.rescued-<time>.sqlite`
beside the database: the message names that file, and `kiosk restore` puts it back.

Private: the database holds PIN hashes and residents' phone numbers, so a new file is created 0600 (its WAL and
shared-memory files take the same mode from SQLite) in a 0700 folder, and an older 0644 file is tightened.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import sqlite3
import stat
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.errors import StorageError
from kiosk.i18n import L_

log = logging.getLogger(__name__)

FILE_MODE = 0o600
FOLDER_MODE = 0o700
_SIDE_FILES = ("-wal", "-shm")


class DatabaseGoneError(StorageError):
    """The database (or its WAL) was deleted or replaced while the kiosk ran: nothing more is stored."""

    user_message = L_(
        "Databasen er slettet eller skiftet ud, mens kiosken kørte, så kiosken gemmer ikke mere. "
        "Sluk ikke kiosken – ring til den ansvarlige."
    )


def gone_message(rescued: Path | None) -> str:
    if rescued is None:
        return DatabaseGoneError.user_message
    # The file's name and the restore command go to the log and to `kiosk run`'s start screen (which names the
    # newest rescued copy): a long file name on the till would only be cut mid-word.
    log.critical("everything still seen was copied to %s; restore it with: kiosk restore %s", rescued.name, rescued)
    return L_(
        "Databasen er slettet eller skiftet ud, mens kiosken kørte, så kiosken gemmer ikke mere. "
        "Alt gemt indtil nu er reddet i en kopi. Ring til den ansvarlige."
    )


def identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the file at `path`, or None when there is none."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return st.st_dev, st.st_ino


def make_private(path: Path) -> None:
    """Before SQLite opens `path`: its folder exists (made 0700), the file exists (made 0600, so there is never a
    moment it is readable by others), and an existing file and its WAL/SHM lose any group/other access."""
    folder = path.parent
    if not folder.exists():
        folder.mkdir(parents=True, mode=FOLDER_MODE)
        os.chmod(folder, FOLDER_MODE)  # mkdir's mode is cut by the umask; 0700 is what is meant
    with contextlib.suppress(FileExistsError):  # SQLite takes an empty file for an empty database
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE))
    for file in (path, *(path.with_name(path.name + side) for side in _SIDE_FILES)):
        tighten(file, FILE_MODE)


def tighten(path: Path, mode: int) -> None:
    """Take away what `mode` does not allow (never add), on a file or folder of our own."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return
    current = stat.S_IMODE(st.st_mode)
    if current & ~mode and st.st_uid == os.geteuid():
        os.chmod(path, current & mode)
        log.warning("%s was readable by others (%o): now %o", path, current, current & mode)


class FileWatch:
    """One per engine: the database file and WAL the engine's connections have open, compared with the path."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.wal_path = path.with_name(path.name + "-wal")
        self.db: tuple[int, int] | None = None  # the file the first connection opened
        self.wal: tuple[int, int] | None = None  # the WAL our open connections share (None: none seen yet)
        self.connections = 0
        self.rescued: Path | None = None
        self.gone: str | None = None  # what was found; sticky: the kiosk never stores again until restarted
        self._lock = threading.Lock()

    # -- pool and connection events (wired in kiosk.db.engine) --

    def before_connect(self) -> None:
        """A new connection must not open (and SQLite create) a fresh file or WAL where ours went missing."""
        with self._lock:
            if self.db is not None:
                self._check(None)

    def connected(self) -> None:
        with self._lock:
            self.connections += 1
            if self.db is None:
                self.db = identity(self.path)

    def closed(self) -> None:
        with self._lock:
            self.connections = max(0, self.connections - 1)
            if self.connections == 0:
                self.wal = None  # the last connection checkpoints and deletes the WAL: a new one is legitimate

    def before_begin(self, dbapi_connection: Any) -> None:
        with self._lock:
            self._check(dbapi_connection)
            if self.wal is None:
                self.wal = identity(self.wal_path)

    # -- the comparison --

    def problem(self) -> str | None:
        found = identity(self.path)
        if found is None:
            return f"{self.path} is gone"
        if found != self.db:
            return f"{self.path} was replaced by another file"
        if self.wal is not None:
            wal = identity(self.wal_path)
            if wal is None:
                return f"{self.wal_path} is gone"
            if wal != self.wal:
                return f"{self.wal_path} was replaced by another file"
        return None

    def _check(self, dbapi_connection: Any) -> None:
        if self.gone is None:
            self.gone = self.problem()
            if self.gone is None:
                return
            log.critical("database file lost while running: %s; storing stops", self.gone)
        if self.rescued is None and dbapi_connection is not None:
            self.rescued = self._rescue(dbapi_connection)
        raise DatabaseGoneError(self.gone, user_message=gone_message(self.rescued))

    def _rescue(self, dbapi_connection: Any) -> Path | None:
        """Everything this connection still sees (the deleted file and WAL stay readable through it), as one file."""
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.stem}.rescued-{stamp}.sqlite")
        try:
            os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE))
            copy = sqlite3.connect(target)
            try:
                dbapi_connection.backup(copy)
                copy.execute("PRAGMA journal_mode=DELETE")  # self-contained: no -wal beside it
            finally:
                copy.close()
            # `kiosk restore` checks a backup's SHA-256 first: the sidecar in sha256sum's format, as backups have
            digest = hashlib.sha256(target.read_bytes()).hexdigest()
            target.with_name(target.name + ".sha256").write_text(f"{digest}  {target.name}\n", encoding="utf-8")
        except (OSError, sqlite3.Error):
            log.exception("could not copy the open database to %s", target)
            return None
        log.critical("everything the kiosk had stored is copied to %s (kiosk restore %s)", target, target)
        return target
