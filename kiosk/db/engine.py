"""Engine factory: SQLite pragmas for a till that must survive power cuts; writers take the lock up front."""

from __future__ import annotations

import logging
import sqlite3
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from kiosk.db.checkpoint import Checkpointer
from kiosk.db.file_guard import FileWatch, make_private
from kiosk.db.write_gate import WriteGate
from kiosk.errors import DiskFullError, StorageError
from kiosk.i18n import L_

log = logging.getLogger(__name__)


class DatabaseReadOnlyError(StorageError):
    """SQLite may not write the file: the SD card was remounted read-only (the kernel does that after errors)."""

    user_message = L_(
        "Kiosken kan ikke skrive på sit SD-kort (det er skrivebeskyttet), så intet bliver gemt. "
        "Ring til den ansvarlige."
    )


class DiskIOError(StorageError):
    """The disk answered a read or write with an error, or the file cannot be opened (a failing or pulled SD card;
    on a read-only one SQLite may not be able to make the files it needs beside the database)."""

    user_message = L_(
        "Kiosken kan ikke læse eller skrive sit SD-kort (det kan være skrivebeskyttet eller i stykker), "
        "så intet bliver gemt. Ring til den ansvarlige."
    )


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Python 3.11's sqlite3 opens transactions behind our back; take control (SQLAlchemy's documented recipe).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")  # a power cut must not roll back a paid sale
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


CHECKPOINTERS: weakref.WeakKeyDictionary[Engine, Checkpointer] = weakref.WeakKeyDictionary()  # gated engines

READ_ONLY = "kiosk_read_only"  # an execution option: sessions that only read (web pages) never take the write lock


def _sqlite_on_begin(conn: Any) -> None:
    # BEGIN IMMEDIATE: take the write lock at the start, so two writers never deadlock on a lock upgrade.  A reader
    # (engine.execution_options(kiosk_read_only=True)) reads a WAL snapshot instead and never holds up a sale.
    if conn.get_execution_options().get(READ_ONLY):
        conn.exec_driver_sql("BEGIN")
        return
    dbapi = conn.connection.driver_connection
    gate: WriteGate | None = getattr(dbapi, "gate", None)
    if gate is not None:
        gate.acquire(dbapi)  # in line for the write lock, the till first (kiosk.db.write_gate)
    try:
        # On the driver's connection: SQLAlchemy's execution machinery took ~30 µs of every write transaction for
        # this one fixed statement.  Its error is wrapped as SQLAlchemy would (a full or read-only disk's message).
        dbapi.execute("BEGIN IMMEDIATE")
    except BaseException as exc:
        if gate is not None:
            gate.release(dbapi)
        if isinstance(exc, sqlite3.Error):
            raise DBAPIError.instance("BEGIN IMMEDIATE", (), exc, sqlite3.Error, dialect=conn.dialect) from exc
        raise


class _GatedConnection(sqlite3.Connection):
    """sqlite3's connection that lets the write gate go once its transaction has ended (SQLAlchemy's commit and
    rollback events fire before the COMMIT, so the gate is let go here, after it)."""

    gate: WriteGate | None = None

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._let_go()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._let_go()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._let_go()

    def _let_go(self) -> None:
        if self.gate is not None:
            self.gate.release(self)


def sqlite_file(url: str) -> Path | None:
    """The file an SQLite URL opens (`sqlite:///path`, or `sqlite:///file:path?mode=ro&uri=true`); None for
    another database or SQLite in memory."""
    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    if parsed.query.get("uri") == "true" and database.startswith("file:"):
        database = database[len("file:") :]
        if not database or database == ":memory:" or parsed.query.get("mode") == "memory":
            return None
    return Path(database)


def make_engine(url: str, *, first_in_line: bool = False) -> Engine:
    """`first_in_line`: this process is the till, whose writes go before any other's (kiosk.db.write_gate)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"check_same_thread": False, "factory": _GatedConnection})
        event.listen(engine, "connect", _sqlite_on_connect)
        path = sqlite_file(url)
        if path is not None:
            if parsed.query.get("mode") != "ro":
                make_private(path)  # created 0600 in a 0700 folder: PIN hashes and phone numbers stay ours
                gate = WriteGate(path, first_in_line=first_in_line)
                _use_gate(engine, gate)
                if gate.usable:
                    _checkpoint_between_sales(engine, path, gate)
            _watch_file(engine, FileWatch(path))  # its "begin" first: the file is checked before BEGIN IMMEDIATE
        event.listen(engine, "begin", _sqlite_on_begin)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    return engine


def _use_gate(engine: Engine, gate: WriteGate) -> None:
    def connected(dbapi_connection: Any, _record: Any) -> None:
        if isinstance(dbapi_connection, _GatedConnection):  # a connection made otherwise (a test's) goes ungated
            dbapi_connection.gate = gate

    event.listen(engine, "connect", connected)
    weakref.finalize(engine, gate.close)  # its two lock files' descriptors go with the engine


def _checkpoint_between_sales(engine: Engine, path: Path, gate: WriteGate) -> None:
    """No commit on this engine copies the WAL back into the database: a thread does, just after (kiosk.db.checkpoint).
    Every process that writes through the gate does so: one that checkpointed inside its commit would hold the
    gate meanwhile, and the till's next sale would wait for its checkpoint."""

    def connected(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA wal_autocheckpoint=0")

    event.listen(engine, "connect", connected)
    checkpointer = CHECKPOINTERS[engine] = Checkpointer(path, gate)
    weakref.finalize(engine, checkpointer.stop)


def _watch_file(engine: Engine, watch: FileWatch) -> None:
    """Before each connection and each transaction: the file at the path is still the one we have open."""

    def before_connect(_dialect: Any, _record: Any, _cargs: Any, _cparams: Any) -> None:
        watch.before_connect()

    def before_begin(conn: Any) -> None:
        watch.before_begin(conn.connection.driver_connection)

    event.listen(engine, "do_connect", before_connect)
    event.listen(engine, "connect", lambda _conn, _record: watch.connected())
    event.listen(engine, "close", lambda _conn, _record: watch.closed())
    event.listen(engine, "close_detached", lambda _conn: watch.closed())
    event.listen(engine, "begin", before_begin)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def bound_engine(factory: sessionmaker[Session]) -> Engine:
    """The engine `make_session_factory` bound its sessions to."""
    engine = factory.kw["bind"]
    assert isinstance(engine, Engine)
    return engine


SQLITE_READONLY = 8  # "attempt to write a readonly database": a read-only mount, or the file opened read-only
SQLITE_IOERR = 10  # "disk I/O error"
SQLITE_FULL = 13  # "database or disk is full": the disk, or the file's PRAGMA max_page_count
SQLITE_CANTOPEN = 14  # "unable to open database file": on a read-only mount, SQLite cannot make its -shm file


def is_disk_full(exc: BaseException) -> bool:
    """True for SQLite's SQLITE_FULL (and PostgreSQL's disk_full, 53100), however SQLAlchemy wraps it."""
    orig = getattr(exc, "orig", exc)
    code = getattr(orig, "sqlite_errorcode", None)
    if code is not None:
        return int(code) & 0xFF == SQLITE_FULL
    return getattr(orig, "pgcode", None) == "53100" or "database or disk is full" in str(orig)


def storage_problem(exc: BaseException, *, full_message: str | None = None) -> StorageError | None:
    """The one place a database error the disk caused becomes a Danish message: a full disk, a read-only
    disk, a disk I/O error, a file that cannot be opened.  None for anything else (a bug, a constraint)."""
    orig = getattr(exc, "orig", exc)
    code = getattr(orig, "sqlite_errorcode", None)
    text = str(orig)
    primary = int(code) & 0xFF if code is not None else None
    if is_disk_full(exc):
        return DiskFullError(text, user_message=full_message)
    if primary == SQLITE_READONLY or "readonly database" in text or getattr(orig, "pgcode", None) == "25006":
        return DatabaseReadOnlyError(text)
    if primary in (SQLITE_IOERR, SQLITE_CANTOPEN) or "disk I/O error" in text or "unable to open database" in text:
        return DiskIOError(text)
    return None


def ensure_writable(engine: Engine) -> None:
    """At start: DatabaseReadOnlyError (or DiskIOError) now, on the screen, rather than at the first sale.  The
    probe writes the header's user_version as it is and rolls back: nothing changes."""
    if engine.dialect.name != "sqlite":
        return
    try:
        with engine.connect() as conn, conn.begin() as tx:
            version = int(conn.exec_driver_sql("PRAGMA user_version").scalar() or 0)
            conn.exec_driver_sql(f"PRAGMA user_version = {version}")
            tx.rollback()
    except DBAPIError as exc:
        problem = storage_problem(exc)
        if problem is None:
            raise
        log.error("the database cannot be written: %s", exc.orig)
        raise problem from exc


@contextmanager
def unit_of_work(factory: sessionmaker[Session], *, full_message: str | None = None) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back (nothing half-stored) if it raises.
    A disk that cannot take it (full, read-only, failing) becomes a StorageError with a Danish message: a full
    disk says `full_message` when the caller says what was lost (storage_problem)."""
    with storage_errors(full_message), factory() as session, session.begin():
        yield session


@contextmanager
def storage_errors(full_message: str | None = None) -> Iterator[None]:
    """Around a transaction: a database error the disk caused (storage_problem) comes out as that StorageError,
    logged; anything else (a bug, a constraint) as it is."""
    try:
        yield
    except DBAPIError as exc:
        problem = storage_problem(exc, full_message=full_message)
        if problem is None:
            raise
        log.error("%s, transaction rolled back: %s", type(problem).__name__, exc.orig)
        raise problem from exc
