"""Backups of the SQLite database (bogføringsloven: records kept safely, with automatic backup).

`take_backup` copies the live database with SQLite's online backup API while the kiosk keeps selling: one
backup step reads a consistent snapshot, and in WAL mode a reader never blocks the till's writes.  The copy is
written under a temporary name, made self-contained (journal mode DELETE) and checked — it opens, `PRAGMA
integrity_check` says ok, the schema version is one this build knows, every kiosk's journal verifies, and the
whole database agrees with the journal (kiosk.services.records.integrity: every sale, line and payment, the
counters, the guard triggers and nothing planted beside them).  Only then does it get its name,
``<db>-YYYYMMDD-HHMMSS.sqlite``, with the SHA-256 of the file beside it in ``<backup>.sha256`` (the format
`sha256sum` writes and `sha256sum -c` reads).  The newest `keep` backups stay; older ones are deleted with their
checksums.  Each backup is journaled with its file name, size and counts (never anything about a person).
Backups, checksums and side copies are created 0600, a folder the kiosk creates 0700: they hold PIN hashes and
residents' phone numbers.

`restore` checks the checksum first (a backup without one is refused: `sha256sum FILE > FILE.sha256` makes one
for a backup from before checksums, a conscious act), then everything a backup is checked for, and refuses an
empty one — all before it touches the live database.  It refuses while a kiosk has the database open, keeps the
current database as a side copy, copies the backup in beside it and only then swaps it in with one rename: when
the disk is full (or anything fails) before the swap, every file it made is removed and the database is as it
was.  The checksum finds a damaged or accidentally changed file; it is no seal against someone who rewrites it
too — the comparison with the journal (and the journal's signatures) is what catches that.  `status` says when
the last good backup was taken and whether that is more than two days ago.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import logging
import os
import re
import shutil
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session, sessionmaker

import kiosk.services.records.journal as journal
from kiosk.clock import to_local, utc_now
from kiosk.config import Settings
from kiosk.db.engine import is_disk_full, sqlite_file, unit_of_work
from kiosk.db.migrate import head_revision, known_revisions
from kiosk.db.models import JournalEntry, Sale
from kiosk.domain import shift_text as txt
from kiosk.domain.chain_head import key_fingerprint
from kiosk.errors import KioskError
from kiosk.fsync import fsync_dir
from kiosk.i18n import L_, _, joined
from kiosk.services.records.images import PICTURE_FOLDERS
from kiosk.services.records.integrity import check_database
from kiosk.services.records.journal_key import (
    KEY_FIELD,
    KEY_KIND,
    journal_key_path,
    load_signer,
)

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(days=2)
SUFFIX = ".sqlite"
CHECKSUM = ".sha256"  # beside each backup: "<hex>  <file name>", as sha256sum writes it
PICTURES = "pictures"  # beside the backups: one shared copy of the photo folders
_STAMP = re.compile(r"-(\d{8}-\d{6})(?:-(\d+))?\.sqlite$")
_SQLITE_MAGIC = b"SQLite format 3\x00"
_SHM_DMS_BYTE = 128  # sqlite's WAL index: every open connection holds a shared lock on this byte of the -shm file
_NO_ROOM = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)  # the disk, the user's quota, or the largest file allowed


class BackupError(KioskError):
    user_message = L_("Backuppen kunne ikke tages. Tjek at backup-mappen findes og ikke er fuld.")


class RestoreRefused(KioskError):
    user_message = L_("Backuppen kan ikke bruges. Intet er ændret.")
    problems: tuple[str, ...] = ()


class KioskRunning(RestoreRefused):
    user_message = L_("Kiosken kører og bruger databasen. Stop den først (sudo systemctl stop kiosk), og prøv igen.")


class RestoreFailed(KioskError):
    user_message = L_("Gendannelsen fejlede. Databasen er som før, og intet er efterladt.")


@dataclass(frozen=True)
class BackupCheck:
    problems: tuple[str, ...] = ()  # Danish sentences, for the CLI and the screen; the first is the one to fix
    journal_entries: int = 0
    sales: int = 0
    headline: bool = True  # say "Backuppen kan ikke bruges." first (not when the problem already says it)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def problem(self) -> str | None:
        return self.problems[0] if self.problems else None

    def refused(self) -> RestoreRefused:
        """The refusal a restore raises: the first problem in the message, all of them in the exception."""
        said = [_("Backuppen kan ikke bruges.")] if self.headline else []
        said.append(self.problems[0])
        if len(self.problems) > 1:
            said.append(_("({n} andre problemer mere.)").format(n=len(self.problems) - 1))
        said.append(_("Intet er ændret."))
        refusal = RestoreRefused("; ".join(self.problems), user_message=joined(said))
        refusal.problems = self.problems
        return refusal


def _refused(*problems: str, headline: bool = True) -> BackupCheck:
    return BackupCheck(problems, headline=headline)


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
    pictures_ok: bool = True  # False: the database is back, but the photos could not be copied (see the log)


@dataclass(frozen=True)
class BackupStatus:
    last_at: datetime | None
    file: str | None
    stale: bool  # no backup, or the last one is older than two days: show it in red

    @property
    def text(self) -> str:
        if self.last_at is None:
            return L_("Der er endnu ikke taget nogen backup.")
        when = L_(
            "{date} kl. {time}",
            date=txt.long_date_text(to_local(self.last_at).date()),
            time=txt.clock_text(self.last_at),
        )
        if self.stale:
            return L_("Sidste backup: {when} – for længe siden!", when=when)
        return L_("Sidste backup: {when}", when=when)


# --- where ------------------------------------------------------------------------------------------------------


def database_file(settings: Settings) -> Path:
    path = sqlite_file(settings.database_url)
    if path is None:
        raise BackupError(
            f"not an SQLite file: {settings.database_url}",
            user_message=L_("Databasen er ikke en SQLite-fil: tag backup med databasens eget værktøj (pg_dump)."),
        )
    return path


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
    a stored picture never changes (each gets a fresh name), so one shared copy beside the backups is enough.
    Workers' photos are personal data: folders the kiosk makes here are 0700, the copies 0600."""
    copied = 0
    for folder in PICTURE_FOLDERS:
        source = source_root / folder
        if not source.is_dir():
            continue
        target = target_root / folder
        private_folder(target)
        for picture in source.iterdir():
            if picture.is_file() and not (target / picture.name).exists():
                partial = target / f".{picture.name}.partial"
                partial.unlink(missing_ok=True)  # left by a copy that was cut off
                try:
                    copy_private(picture, partial)
                    os.replace(partial, target / picture.name)
                except OSError:
                    partial.unlink(missing_ok=True)
                    raise
                copied += 1
    return copied


def online_copy(source: Path, target: Path) -> None:
    """A consistent copy of a live database (sqlite3 backup API, all pages in one step), as one file.  `target`
    is made 0600 first (sqlite gives its rollback journal the same mode)."""
    _private_file(target)
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


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def checksum_file(backup: Path) -> Path:
    return backup.with_name(backup.name + CHECKSUM)


def write_checksum(backup: Path, digest: str) -> Path:
    """`<backup>.sha256` in sha256sum's format, written whole or not at all."""
    sidecar = checksum_file(backup)
    partial = sidecar.with_name(f".{sidecar.name}.partial")
    partial.unlink(missing_ok=True)
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(f"{digest}  {backup.name}\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(partial, sidecar)
    return sidecar


def checksum_problem(path: Path) -> str | None:
    """Checked before anything else is read: the file is the one the backup wrote, bit for bit."""
    sidecar = checksum_file(path)
    try:
        text = sidecar.read_text(encoding="utf-8")
    except FileNotFoundError:
        said = _(
            "Backuppen har ingen kontrolsum ({checksum} mangler). Er den fra før kontrolsummer, kan du selv "
            "lave en (sha256sum {file} > {checksum})."
        )
        return said.format(checksum=sidecar.name, file=path.name)
    except (OSError, UnicodeDecodeError):
        return _("Kontrolsummen i {checksum} kan ikke læses.").format(checksum=sidecar.name)
    fields = text.split()
    if not fields or not re.fullmatch(r"[0-9a-fA-F]{64}", fields[0]):
        return _("Kontrolsummen i {checksum} kan ikke læses.").format(checksum=sidecar.name)
    try:
        actual = sha256_of(path)
    except OSError as exc:
        return _("Filen kan ikke læses ({reason}).").format(reason=exc.strerror)
    if actual != fields[0].lower():
        return _("Backuppens kontrolsum passer ikke: filen er ændret eller beskadiget, efter backuppen blev taget.")
    return None


def verify_backup(path: Path) -> BackupCheck:
    """A finished backup: its checksum first, then everything `check_copy` asks."""
    problem = checksum_problem(path)
    return _refused(problem, headline=False) if problem else check_copy(path)


def check_copy(path: Path) -> BackupCheck:
    """Opens read-only; integrity_check; a schema this build knows; every kiosk's journal verified (as `kiosk
    journal verify`); the whole database against the journal (integrity.check_database)."""
    try:
        with path.open("rb") as f:
            if f.read(16) != _SQLITE_MAGIC:
                return _refused(_("Filen er ikke en SQLite-database."))
    except OSError as exc:
        return _refused(_("Filen kan ikke læses ({reason}).").format(reason=exc.strerror))
    try:
        con = _read_only(path)
        try:
            rows = con.execute("PRAGMA integrity_check").fetchall()
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            revision = (
                con.execute("SELECT max(version_num) FROM alembic_version").fetchone()[0]
                if "alembic_version" in tables
                else None
            )
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return _refused(_("Databasen er beskadiget ({reason}).").format(reason=exc))
    if rows != [("ok",)]:
        return _refused(_("Databasen er beskadiget ({reason}).").format(reason="; ".join(str(r[0]) for r in rows[:3])))
    if not {"journal", "sales", "people", "alembic_version"} <= tables:
        return _refused(_("Filen er ikke en kiosk-database."))
    if revision not in known_revisions():
        said = _(
            "Backuppen er fra en nyere version af kiosken (skemaversion {revision}; denne version kender op til "
            "{head}). Opdatér kiosken, før den gendannes."
        )
        return _refused(said.format(revision=revision, head=head_revision()), headline=False)
    engine = create_engine("sqlite://", creator=lambda: _read_only(path))
    try:
        with Session(engine) as s:
            kiosks = list(s.scalars(select(JournalEntry.kiosk_id).distinct()))
            entries = 0
            for kiosk_id in kiosks:
                result = journal.verify(s, kiosk_id)
                if not result.ok:
                    said = _("Journalen for {kiosk} er brudt: {problem}.")
                    return _refused(said.format(kiosk=kiosk_id, problem=str(result.problem).rstrip(".")))
                entries += result.checked
            whole = check_database(s)
            if not whole.ok:
                return BackupCheck(tuple(whole.problems), entries, whole.sales)
            sales = int(s.scalar(select(func.count()).select_from(Sale)) or 0)
    except Exception as exc:  # a database that passes integrity_check but not our schema
        log.warning("backup %s does not read as a kiosk database: %s", path, exc)
        return _refused(_("Filen kan ikke læses som kiosk-database."))
    finally:
        engine.dispose()
    return BackupCheck((), entries, sales)


def _read_only(path: Path) -> sqlite3.Connection:
    """Read-only by URI (nothing is written, no -journal or -wal made beside it), any file name."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


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
        private_folder(target_dir)
        for stale in target_dir.glob(f".{source.stem}-*.partial*"):
            stale.unlink()  # left by a backup that was cut off (and its rollback journal)
        target = _free(target_dir / f"{source.stem}-{to_local(moment):%Y%m%d-%H%M%S}{SUFFIX}")
        partial = target_dir / f".{target.stem}.partial"
        online_copy(source, partial)
    except (OSError, sqlite3.Error) as exc:
        _remove(target_dir.glob(f".{source.stem}-*.partial*"))
        _journal_failure(settings, sessions, moment, f"kopien fejlede ({exc})")
        raise BackupError(f"backup of {source} to {target_dir} failed: {exc}") from exc
    check = check_copy(partial)
    if not check.ok:
        partial.unlink(missing_ok=True)
        _journal_failure(settings, sessions, moment, check.problem or "")
        said = _("Backuppen fejlede: {problem}").format(problem=check.problem)
        raise BackupError(f"backup did not verify: {check.problem}", user_message=said)
    try:
        write_checksum(target, sha256_of(partial))  # first: a checksum without its backup is harmless
        os.replace(partial, target)
    except OSError as exc:
        _remove([partial, checksum_file(target)])
        _journal_failure(settings, sessions, moment, f"kopien fejlede ({exc})")
        raise BackupError(f"backup of {source} to {target_dir} failed: {exc}") from exc
    fsync_dir(target_dir)
    try:
        pictures = copy_pictures(settings.data_dir, target_dir / PICTURES)
    except OSError as exc:  # the database backup above is whole; the pictures are tried again tomorrow
        log.warning("pictures not backed up: %s", exc)
        pictures = 0
    copy_key(journal_key_path(settings), target_dir)
    removed = tuple(backups_in(target_dir, source.stem)[: -max(keep, 1)])
    for old in removed:
        old.unlink(missing_ok=True)
        checksum_file(old).unlink(missing_ok=True)
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
    """Put a verified backup in place of the database.  The kiosk must be stopped first.  Every refusal comes
    before the live database is touched; a failure before the swap (a full disk) removes what it made."""
    moment = now or utc_now()
    check = verify_backup(backup)
    if check.ok and check.journal_entries == 0:
        said = _(
            "Backuppen er tom: dens journal har ingen poster, så en gendannelse ville slette alt, kiosken har gemt."
        )
        check = _refused(said, headline=False)
    if not check.ok:
        raise check.refused()
    db = database_file(settings)
    if in_use(db):
        raise KioskRunning(f"{db} is open in another process")
    key_to_bring = _key_for(settings, backup)  # refuses a backup whose key the kiosk cannot have
    incoming = db.with_name(f".{db.name}.restoring")
    _remove(_with_journal(incoming))  # left by a restore that was cut off before this one
    side: Path | None = None
    made: list[Path] = []
    try:
        private_folder(db.parent)  # a new SD card has no data folder yet
        if db.exists():
            side = _free(db.with_name(f"{db.stem}.before-restore-{to_local(moment):%Y%m%d-%H%M%S}{SUFFIX}"))
            made += _with_journal(side)
            online_copy(db, side)  # everything the current database holds, its WAL included
        made.append(incoming)
        copy_private(backup, incoming)
    except (OSError, sqlite3.Error) as exc:
        _remove(made)
        no_room = is_disk_full(exc) if isinstance(exc, sqlite3.Error) else exc.errno in _NO_ROOM
        raise RestoreFailed(
            f"restore of {backup} onto {db} failed before the swap: {exc}",
            user_message=(
                _(
                    "Der er ikke plads på disken til gendannelsen. Databasen er som før, og intet er efterladt. "
                    "Gør plads (fx ældre backups eller kiosk.before-restore-filer), og prøv igen."
                )
                if no_room
                else _("Gendannelsen fejlede. Databasen er som før, og intet er efterladt.")
            ),
        ) from exc
    for leftover in (db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        leftover.unlink(missing_ok=True)  # a WAL from the old database must never be replayed onto the backup
    os.replace(incoming, db)
    fsync_dir(db.parent)
    if key_to_bring is not None:  # a new SD card: the key copy kept beside the backups goes back in place
        key = journal_key_path(settings)
        if key.exists():  # a fresh kiosk's own key, set aside like its database (never deleted)
            os.replace(key, _free(key.with_name(f"{key.name}.before-restore-{to_local(moment):%Y%m%d-%H%M%S}")))
        copy_private(key_to_bring, key)
    pictures_ok = True
    pictures = backup.parent / PICTURES
    if pictures.is_dir():
        try:
            copy_pictures(pictures, settings.data_dir)  # the products' and workers' photos the database names
        except OSError as exc:  # the database is back; the photos can be copied again by another restore
            log.warning("pictures not restored: %s", exc)
            pictures_ok = False
    log.warning("database %s restored from %s (previous kept as %s)", db, backup, side)
    return RestoreResult(backup, side, check, pictures_ok)


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


# --- the journal key beside the backups ----------------------------------------------------------------------
# A signed journal needs its key to go on (a new key would re-sign history, so the kiosk refuses to start without
# it).  A dead SD card takes the key with it, so every backup folder keeps a copy of the key (0600), and a restore
# onto a new card brings it back.  The copy lies where the backups lie: the Z paper anchor, not the key's secrecy,
# is what catches someone who holds both (README, Reliability).


def copy_key(key: Path, folder: Path) -> None:
    """The key file beside the backups, once (the same bytes are not copied again)."""
    target = folder / key.name
    try:
        if not key.is_file() or (target.is_file() and target.read_bytes() == key.read_bytes()):
            return
        partial = folder / f".{key.name}.partial"
        partial.unlink(missing_ok=True)
        copy_private(key, partial)
        os.replace(partial, target)
    except OSError as exc:  # the backup itself is whole; the key copy is tried again with the next one
        log.warning("journal key not copied beside the backups: %s", exc)


def _key_for(settings: Settings, backup: Path) -> Path | None:
    """The key file a restore must bring along (the copy kept beside the backup), None when the kiosk's own key
    file already fits.  Refused, before anything is touched, when neither fits the backup's journal: the kiosk
    could not start on it.  (A kiosk's own other key is set aside by the restore, as its database is.)"""
    wanted = _journal_key_of(backup, settings.kiosk.id)
    if wanted is None:
        return None  # an unsigned journal: the kiosk makes or keeps its key as at any start
    live = load_signer(journal_key_path(settings))
    if live is not None and live.public_key == wanted:
        return None
    beside = backup.parent / journal_key_path(settings).name
    copy = load_signer(beside)
    if copy is not None and copy.public_key == wanted:
        return beside
    raise RestoreRefused(
        f"{backup} is signed with {key_fingerprint(wanted)} and no key file for it was found",
        user_message=_(
            "Backuppen er underskrevet med nøglen {theirs}, men hverken kioskens nøglefil eller en kopi ved "
            "backuppen ({name}) passer. Læg den rigtige nøglefil i backup-mappen, og prøv igen. Intet er ændret."
        ).format(theirs=key_fingerprint(wanted), name=beside.name),
    )


def _journal_key_of(backup: Path, kiosk_id: str) -> bytes | None:
    """The public key the backup's journal names (seq 1's payload, or its first journal_key entry)."""
    with contextlib.closing(_read_only(backup)) as conn:
        rows = conn.execute(
            "SELECT payload FROM journal WHERE kiosk_id = ? AND (seq = 1 OR kind = ?) ORDER BY seq LIMIT 2",
            (kiosk_id, KEY_KIND),
        ).fetchall()
    for (payload,) in rows:
        try:
            value = json.loads(payload).get(KEY_FIELD)
        except (ValueError, AttributeError):
            continue
        if isinstance(value, str):
            try:
                return bytes.fromhex(value)
            except ValueError:
                return None
    return None


def private_folder(folder: Path) -> None:
    """A folder the kiosk makes is 0700 (the backups hold PIN hashes and phone numbers); one that exists is left
    as it is (it may be a mounted disk); the files in it are 0600 either way."""
    if not folder.is_dir():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(folder, 0o700)  # mkdir's mode passes through the umask


def _private_file(path: Path) -> None:
    """An empty file only this user can read, made before anything is written into it."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def copy_private(source: Path, target: Path) -> None:
    """Copy into a new 0600 file and fsync it; an error (a full disk) leaves the partial file to the caller."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out, source.open("rb") as src:
        shutil.copyfileobj(src, out, 1 << 20)
        out.flush()
        os.fsync(out.fileno())


def _with_journal(path: Path) -> list[Path]:
    """A database file and the rollback journal sqlite may make beside it while writing it."""
    return [path, path.with_name(path.name + "-journal")]


def _remove(paths: Iterable[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def _free(path: Path) -> Path:
    n, candidate = 2, path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate


def _fsync(path: Path) -> None:
    with path.open("rb+") as f:
        os.fsync(f.fileno())
