"""Engine factory: SQLite pragmas for a till that must survive power cuts; writers take the lock up front."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from kiosk.errors import DiskFullError

log = logging.getLogger(__name__)


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Python 3.11's sqlite3 opens transactions behind our back; take control (SQLAlchemy's documented recipe).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")  # a power cut must not roll back a paid sale
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


READ_ONLY = "kiosk_read_only"  # an execution option: sessions that only read (web pages) never take the write lock


def _sqlite_on_begin(conn: Any) -> None:
    # BEGIN IMMEDIATE: take the write lock at the start, so two writers never deadlock on a lock upgrade.  A reader
    # (engine.execution_options(kiosk_read_only=True)) reads a WAL snapshot instead and never holds up a sale.
    conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get(READ_ONLY) else "BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


SQLITE_FULL = 13  # "database or disk is full": the disk, or the file's PRAGMA max_page_count


def is_disk_full(exc: BaseException) -> bool:
    """True for SQLite's SQLITE_FULL (and PostgreSQL's disk_full, 53100), however SQLAlchemy wraps it."""
    orig = getattr(exc, "orig", exc)
    code = getattr(orig, "sqlite_errorcode", None)
    if code is not None:
        return int(code) & 0xFF == SQLITE_FULL
    return getattr(orig, "pgcode", None) == "53100" or "database or disk is full" in str(orig)


@contextmanager
def unit_of_work(factory: sessionmaker[Session], *, full_message: str | None = None) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back (nothing half-stored) if it raises.
    A full disk becomes DiskFullError (its `user_message`, or `full_message` when the caller says what was lost)."""
    try:
        with factory() as session, session.begin():
            yield session
    except DBAPIError as exc:
        if not is_disk_full(exc):
            raise
        log.error("disk full, transaction rolled back: %s", exc.orig)
        raise DiskFullError(str(exc.orig), user_message=full_message) from exc
