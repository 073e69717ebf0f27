"""Backups of the SQLite database (bogføringsloven: records kept safely, with automatic backup).

`take_backup` copies the live database with SQLite's online backup API while the kiosk keeps selling: one
backup step reads a consistent snapshot, and in WAL mode a reader never blocks the till's writes.  The copy is
written under a temporary name, made self-contained (journal mode DELETE), verified — it opens, `PRAGMA
integrity_check` says ok, every kiosk's journal hash chain is whole — and only then renamed to
``<db>-YYYYMMDD-HHMMSS.sqlite``.  The newest `keep` backups stay; older ones are deleted.  Each backup is
journaled with its file name, size and counts (never anything about a person).

`restore` refuses a backup that does not verify, refuses while a kiosk has the database open, keeps the
current database as a side copy, then puts the backup in its place.  `status` says when the last good backup
was taken and whether that is more than two days ago.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

import kiosk.services.records.journal as journal
from kiosk.clock import to_local, utc_now
from kiosk.config import Settings
from kiosk.db.engine import unit_of_work
from kiosk.db.models import JournalEntry, Sale
from kiosk.domain import shift_text as txt
from kiosk.errors import KioskError
from kiosk.services.records.images import PICTURE_FOLDERS

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(days=2)
SUFFIX = ".sqlite"
PICTURES = "pictures"  # beside the backups: one shared copy of the photo folders
_STAMP = re.compile(r"-(\d{8}-\d{6})(?:-(\d+))?\.sqlite$")
_SQLITE_MAGIC = b"SQLite format 3\x00"
_SHM_DMS_BYTE = 128  # sqlite's WAL index: every open connection holds a shared lock on this byte of the -shm file


class BackupError(KioskError):
    user_message = "Backuppen kunne ikke tages. Tjek at backup-mappen findes og ikke er fuld."


class RestoreRefused(KioskError):
    user_message = "Backuppen kan ikke bruges. Intet er ændret."


class KioskRunning(RestoreRefused):
    user_message = "Kiosken kører og bruger databasen. Stop den først (sudo systemctl stop kiosk), og prøv igen."


@dataclass(frozen=True)
class BackupCheck:
    ok: bool
    problem: str | None = None  # Danish, for the CLI and the screen
    journal_entries: int = 0
    sales: int = 0


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    check: BackupCheck
    removed: tuple[Path, ...]


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    side_copy: Path | None
    check: BackupCheck


@dataclass(frozen=True)
class BackupStatus:
    last_at: datetime | None
    file: str | None
    stale: bool  # no backup, or the last one is older than two days: show it in red

    @property
    def text(self) -> str:
        if self.last_at is None:
            return "Der er endnu ikke taget nogen backup."
        when = f"{txt.long_date_text(to_local(self.last_at).date())} kl. {txt.clock_text(self.last_at)}"
        return f"Sidste backup: {when}" + (" – for længe siden!" if self.stale else "")


# --- where ------------------------------------------------------------------------------------------------------


def database_file(settings: Settings) -> Path:
    url = make_url(settings.database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BackupError(
            f"not an SQLite file: {settings.database_url}",
            user_message="Databasen er ikke en SQLite-fil: tag backup med databasens eget værktøj (pg_dump).",
        )
    return Path(url.database)


def backup_folder(settings: Settings) -> Path:
    """The configured folder (a relative one lies in the data dir); default <data_dir>/backups."""
    folder = Path(settings.backup.folder).expanduser() if settings.backup.folder else Path("backups")
    return folder if folder.is_absolute() else settings.data_dir / folder


def backups_in(folder: Path, stem: str) -> list[Path]:
    """This database's finished backups in `folder`, oldest first (the names sort by time)."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob(f"{stem}-*{SUFFIX}"):
        m = _STAMP.fullmatch(path.name[len(stem) :])
        if m:
            found.append(((m[1], int(m[2] or 1)), path))  # a second backup in the same second is "-2"
    return [path for _key, path in sorted(found)]


# --- copy and check --------------------------------------------------------------------------------------------


def copy_pictures(source_root: Path, target_root: Path) -> int:
    """Copy the photo folders (products, workers) from one root to another, only the files the target lacks:
    a stored picture never changes (each gets a fresh name), so one shared copy beside the backups is enough."""
    copied = 0
    for folder in PICTURE_FOLDERS:
        source = source_root / folder
        if not source.is_dir():
            continue
        target = target_root / folder
        target.mkdir(parents=True, exist_ok=True)
        for picture in source.iterdir():
            if picture.is_file() and not (target / picture.name).exists():
                partial = target / f".{picture.name}.partial"
                shutil.copyfile(picture, partial)
                os.replace(partial, target / picture.name)
                copied += 1
    return copied


def online_copy(source: Path, target: Path) -> None:
    """A consistent copy of a live database (sqlite3 backup API, all pages in one step), as one file."""
    src = sqlite3.connect(source, timeout=30)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # self-contained: no -wal beside the copy
        finally:
            dst.close()
    finally:
        src.close()
    _fsync(target)


def verify_backup(path: Path) -> BackupCheck:
    """Opens read-only; integrity_check; every kiosk's journal chain verified (as `kiosk journal verify`)."""
    try:
        with path.open("rb") as f:
            if f.read(16) != _SQLITE_MAGIC:
                return BackupCheck(False, "filen er ikke en SQLite-database")
    except OSError as exc:
        return BackupCheck(False, f"filen kan ikke læses ({exc.strerror})")
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = con.execute("PRAGMA integrity_check").fetchall()
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return BackupCheck(False, f"databasen er beskadiget ({exc})")
    if rows != [("ok",)]:
        return BackupCheck(False, "databasen er beskadiget: " + "; ".join(str(r[0]) for r in rows[:3]))
    if not {"journal", "sales", "people"} <= tables:
        return BackupCheck(False, "filen er ikke en kiosk-database")
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        with Session(engine) as s:
            kiosks = list(s.scalars(select(JournalEntry.kiosk_id).distinct()))
            entries = 0
            for kiosk_id in kiosks:
                result = journal.verify(s, kiosk_id)
                if not result.ok:
                    return BackupCheck(False, f"journalen for {kiosk_id} er brudt: {result.problem}")
                entries += result.checked
            sales = int(s.scalar(select(func.count()).select_from(Sale)) or 0)
    except Exception as exc:  # a database that passes integrity_check but not our schema
        log.warning("backup %s does not read as a kiosk database: %s", path, exc)
        return BackupCheck(False, "filen kan ikke læses som kiosk-database")
    finally:
        engine.dispose()
    return BackupCheck(True, None, entries, sales)


# --- backup -----------------------------------------------------------------------------------------------------


def take_backup(
    settings: Settings,
    sessions: sessionmaker[Session],
    *,
    folder: Path | None = None,
    keep: int | None = None,
    now: datetime | None = None,
) -> BackupResult:
    """Back up the live database into `folder` (default: the configured one), keep the newest `keep`."""
    moment = now or utc_now()
    source = database_file(settings)
    target_dir = folder or backup_folder(settings)
    keep = settings.backup.keep if keep is None else keep
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        for stale in target_dir.glob(f".{source.stem}-*.partial"):
            stale.unlink()  # left by a backup that was cut off
        target = _free(target_dir / f"{source.stem}-{to_local(moment):%Y%m%d-%H%M%S}{SUFFIX}")
        partial = target_dir / f".{target.stem}.partial"
        online_copy(source, partial)
    except (OSError, sqlite3.Error) as exc:
        _journal_failure(settings, sessions, moment, f"kopien fejlede ({exc})")
        raise BackupError(f"backup of {source} to {target_dir} failed: {exc}") from exc
    check = verify_backup(partial)
    if not check.ok:
        partial.unlink(missing_ok=True)
        _journal_failure(settings, sessions, moment, check.problem or "")
        raise BackupError(f"backup did not verify: {check.problem}", user_message=f"Backuppen fejlede: {check.problem}")
    os.replace(partial, target)
    _fsync_dir(target_dir)
    try:
        pictures = copy_pictures(settings.data_dir, target_dir / PICTURES)
    except OSError as exc:  # the database backup above is whole; the pictures are tried again tomorrow
        log.warning("pictures not backed up: %s", exc)
        pictures = 0
    removed = tuple(backups_in(target_dir, source.stem)[: -max(keep, 1)])
    for old in removed:
        old.unlink(missing_ok=True)
    size = target.stat().st_size
    with unit_of_work(sessions) as s:
        journal.append(
            s,
            kiosk_id=settings.kiosk.id,
            kind="backup",
            at=moment,
            payload={
                "file": target.name,
                "bytes": size,
                "journal_entries": check.journal_entries,
                "sales": check.sales,
                "kept": keep,
                "removed": len(removed),
                "pictures_copied": pictures,
            },
        )
    log.info(
        "backup %s: %d bytes, %d journal entries; %d old removed", target, size, check.journal_entries, len(removed)
    )
    return BackupResult(target, size, check, removed)


def _journal_failure(settings: Settings, sessions: sessionmaker[Session], moment: datetime, problem: str) -> None:
    try:
        with unit_of_work(sessions) as s:
            journal.append(s, kiosk_id=settings.kiosk.id, kind="backup_failed", at=moment, payload={"problem": problem})
    except Exception:  # the failure is logged either way; never hide the backup error behind a journal error
        log.exception("could not journal a failed backup")


def status(sessions: sessionmaker[Session], kiosk_id: str, now: datetime | None = None) -> BackupStatus:
    """The last good backup, from the journal (one indexed look-up)."""
    with unit_of_work(sessions) as s:
        row = s.execute(
            select(JournalEntry.created_at, JournalEntry.payload)
            .where(JournalEntry.kiosk_id == kiosk_id, JournalEntry.kind == "backup")
            .order_by(JournalEntry.seq.desc())
            .limit(1)
        ).first()
    if row is None:
        return BackupStatus(None, None, True)
    at, payload = row
    return BackupStatus(at, json.loads(payload).get("file"), (now or utc_now()) - at > STALE_AFTER)


# --- restore ----------------------------------------------------------------------------------------------------


def in_use(db: Path) -> bool:
    """Another process has the database open (a running kiosk): it holds sqlite's lock in the -shm file.

    Call it only from a process that has not opened the database itself: closing our descriptor would drop
    that process's own POSIX locks on the file (the `kiosk restore` command opens it only afterwards)."""
    shm = db.with_name(db.name + "-shm")
    if not shm.exists():
        return False
    fd = os.open(shm, os.O_RDWR)
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, _SHM_DMS_BYTE, os.SEEK_SET)
    except OSError:
        return True
    else:
        fcntl.lockf(fd, fcntl.LOCK_UN, 1, _SHM_DMS_BYTE, os.SEEK_SET)
        return False
    finally:
        os.close(fd)


def restore(settings: Settings, backup: Path, *, now: datetime | None = None) -> RestoreResult:
    """Put a verified backup in place of the database.  The kiosk must be stopped first."""
    moment = now or utc_now()
    check = verify_backup(backup)
    if not check.ok:
        raise RestoreRefused(
            f"{backup}: {check.problem}", user_message=f"Backuppen kan ikke bruges: {check.problem}. Intet er ændret."
        )
    db = database_file(settings)
    if in_use(db):
        raise KioskRunning(f"{db} is open in another process")
    side: Path | None = None
    if db.exists():
        side = _free(db.with_name(f"{db.stem}.before-restore-{to_local(moment):%Y%m%d-%H%M%S}{SUFFIX}"))
        online_copy(db, side)  # everything the current database holds, its WAL included
    incoming = db.with_name(f".{db.name}.restoring")
    shutil.copyfile(backup, incoming)
    _fsync(incoming)
    for leftover in (db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        leftover.unlink(missing_ok=True)  # a WAL from the old database must never be replayed onto the backup
    os.replace(incoming, db)
    _fsync_dir(db.parent)
    pictures = backup.parent / PICTURES
    if pictures.is_dir():
        copy_pictures(pictures, settings.data_dir)  # the products' and workers' photos the database names
    log.warning("database %s restored from %s (previous kept as %s)", db, backup, side)
    return RestoreResult(backup, side, check)


def journal_restore(sessions: sessionmaker[Session], kiosk_id: str, result: RestoreResult, now: datetime) -> None:
    """After restoring (and migrating): the restore itself is an action the journal records."""
    with unit_of_work(sessions) as s:
        journal.append(
            s,
            kiosk_id=kiosk_id,
            kind="restore",
            at=now,
            payload={
                "file": result.restored_from.name,
                "journal_entries": result.check.journal_entries,
                "side_copy": result.side_copy.name if result.side_copy else None,
            },
        )


# --- files ------------------------------------------------------------------------------------------------------


def _free(path: Path) -> Path:
    n, candidate = 2, path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate


def _fsync(path: Path) -> None:
    with path.open("rb+") as f:
        os.fsync(f.fileno())


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
