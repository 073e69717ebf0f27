"""One writer at a time on an SQLite file, in line, with the till first.

SQLite has one write lock per file, and a writer that finds it taken sleeps and polls (its busy handler: 1, 2, 5 …
up to 100 ms between tries).  With `kiosk web` on the same file, twenty phones signing up took turns so quickly that
the till, asleep between its polls, lost the lock again and again: a checkout waited past the 5 s busy timeout and
failed ("database is locked").  So every write transaction first takes this gate, a lock file beside the database
(`<name>-writer.lock`, flock: the kernel lets it go when a process dies), and the till takes it before anyone else:
while the till waits, the others step back (`<name>-till.lock`, held by the till while it waits).

The gate is an addition, never a new way to fail: a lock file that cannot be made (a read-only card) or a gate not
had within the busy timeout leaves the transaction to SQLite's own lock, as before."""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

WAIT_S = 5.0  # as long as SQLite's busy_timeout: past it, SQLite's own lock decides
POLL_S = 0.0005  # between tries: a write transaction here takes milliseconds, not SQLite's 100 ms naps


class WriteGate:
    def __init__(self, database: Path, *, first_in_line: bool = False) -> None:
        self.first_in_line = first_in_line
        self._local = threading.Lock()  # the threads of this process, one at a time
        self._holder: int | None = None  # id() of the DB-API connection in its write transaction
        self._gate = _open(database.with_name(database.name + "-writer.lock"))
        self._till = _open(database.with_name(database.name + "-till.lock"))

    def acquire(self, connection: Any) -> None:
        """Before BEGIN IMMEDIATE on `connection`.  Returns held, or (after WAIT_S) not held: SQLite decides."""
        if self._gate is None or self._till is None:
            return
        deadline = time.monotonic() + WAIT_S
        if not self._local.acquire(timeout=WAIT_S):
            log.warning("write gate: another thread of this process kept it for %.0f s", WAIT_S)
            return
        try:
            if self._take(deadline):
                self._holder = id(connection)
                return
        except OSError as exc:
            log.warning("write gate not used: %s", exc)
        self._local.release()
        log.warning("write gate not had within %.0f s: SQLite's own lock decides", WAIT_S)

    def release(self, connection: Any) -> None:
        """After COMMIT or ROLLBACK on `connection` (or its close); nothing when it did not hold the gate."""
        if self._holder != id(connection) or self._gate is None:
            return
        self._holder = None
        try:
            fcntl.flock(self._gate, fcntl.LOCK_UN)
        finally:
            self._local.release()

    def _take(self, deadline: float) -> bool:
        assert self._gate is not None and self._till is not None
        if self.first_in_line:
            # Held while this process waits: the others see it and step back (a second till on the same file
            # would wait here for the first; there is one till per database).
            if not _poll(self._till, fcntl.LOCK_EX, deadline):
                return False
            try:
                return _poll(self._gate, fcntl.LOCK_EX, deadline)
            finally:
                fcntl.flock(self._till, fcntl.LOCK_UN)
        while time.monotonic() < deadline:
            if _try(self._till, fcntl.LOCK_SH):  # no till waiting now
                fcntl.flock(self._till, fcntl.LOCK_UN)
                if _try(self._gate, fcntl.LOCK_EX):
                    return True
            time.sleep(POLL_S)
        return False

    def close(self) -> None:
        for fd in (self._gate, self._till):
            if fd is not None:
                os.close(fd)
        self._gate = self._till = None


def _open(path: Path) -> int | None:
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError as exc:  # a read-only card or folder: no gate, SQLite's lock alone (and its message)
        log.info("no write gate at %s: %s", path, exc)
        return None


def _try(fd: int, how: int) -> bool:
    try:
        fcntl.flock(fd, how | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _poll(fd: int, how: int, deadline: float) -> bool:
    while not _try(fd, how):
        if time.monotonic() >= deadline:
            return False
        time.sleep(POLL_S)
    return True
