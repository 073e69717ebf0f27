"""One writer at a time on an SQLite file, in line, with the till first.

SQLite has one write lock per file, and a writer that finds it taken sleeps and polls (its busy handler: 1, 2, 5 …
up to 100 ms between tries).  With `kiosk web` on the same file, twenty phones signing up took turns so quickly that
the till, asleep between its polls, lost the lock again and again: a checkout waited past the 5 s busy timeout and
failed ("database is locked").  So every write transaction first takes this gate, a lock file beside the database
(`<name>-writer.lock`, flock: the kernel lets it go when a process dies), and the till takes it before anyone else:
while the till waits, the others step back (`<name>-till.lock`, held by the till while it waits).  A writer waits
asleep in the kernel (a blocking flock, on a helper thread since flock has no timeout), not polling.

The gate is an addition, never a new way to fail: a lock file that cannot be made (a read-only card) or a gate not
had within the busy timeout leaves the transaction to SQLite's own lock, as before."""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

WAIT_S = 5.0  # as long as SQLite's busy_timeout: past it, SQLite's own lock decides


class WriteGate:
    def __init__(self, database: Path, *, first_in_line: bool = False) -> None:
        self.first_in_line = first_in_line
        self._local = threading.Lock()  # the threads of this process, one at a time
        self._holder: int | None = None  # id() of the DB-API connection in its write transaction
        self._held: int | None = None  # the descriptor holding the gate for it
        self.after_release: Callable[[], None] | None = None  # told each time a write transaction let it go
        self._gate_path = database.with_name(database.name + "-writer.lock")
        self._till_path = database.with_name(database.name + "-till.lock")
        # Kept open for the tries that need no wait (most); a wait has a descriptor of its own (_wait).
        self._gate = _open(self._gate_path)
        self._till = _open(self._till_path)

    @property
    def usable(self) -> bool:
        """Its lock files are open (not on a read-only card or folder)."""
        return self._gate is not None and self._till is not None

    def acquire(self, connection: Any) -> None:
        """Before BEGIN IMMEDIATE on `connection`.  Returns held, or (after WAIT_S) not held: SQLite decides."""
        if not self.usable:
            return
        deadline = time.monotonic() + WAIT_S
        if not self._local.acquire(timeout=WAIT_S):
            log.warning("write gate: another thread of this process kept it for %.0f s", WAIT_S)
            return
        try:
            self._held = self._take(deadline)
            if self._held is not None:
                self._holder = id(connection)
                return
        except OSError as exc:
            log.warning("write gate not used: %s", exc)
        self._local.release()
        log.warning("write gate not had within %.0f s: SQLite's own lock decides", WAIT_S)

    def release(self, connection: Any) -> None:
        """After COMMIT or ROLLBACK on `connection` (or its close); nothing when it did not hold the gate."""
        if self._holder != id(connection) or self._held is None:
            return
        held, self._holder, self._held = self._held, None, None
        try:
            self._let_go(held)
        finally:
            self._local.release()
        if self.after_release is not None:
            self.after_release()

    def _take(self, deadline: float) -> int | None:
        """The descriptor now holding the gate, or None when not had by `deadline`."""
        assert self._gate is not None and self._till is not None
        if self.first_in_line:
            # Held while this process waits: the others see it and step back (a second till on the same file
            # would wait here for the first; there is one till per database).
            till = self._lock(self._till, self._till_path, fcntl.LOCK_EX, deadline)
            if till is None:
                return None
            try:
                return self._lock(self._gate, self._gate_path, fcntl.LOCK_EX, deadline)
            finally:
                self._let_go(till)
        while True:
            no_till = self._lock(self._till, self._till_path, fcntl.LOCK_SH, deadline)  # asleep while a till waits
            if no_till is None:
                return None
            self._let_go(no_till)
            gate = self._lock(self._gate, self._gate_path, fcntl.LOCK_EX, deadline)
            if gate is None:
                return None
            if _try(self._till, fcntl.LOCK_SH):  # still no till waiting: the gate is ours
                fcntl.flock(self._till, fcntl.LOCK_UN)
                return gate
            self._let_go(gate)  # a till began to wait while we did: it goes first, we wait for it to be done

    def _lock(self, kept: int, path: Path, how: int, deadline: float) -> int | None:
        return kept if _try(kept, how) else _wait(path, how, deadline)

    def _let_go(self, fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)  # explicitly: a forked child may share the descriptor, so close is not enough
        if fd not in (self._gate, self._till):
            os.close(fd)

    def close(self) -> None:
        if self._held is not None:  # a transaction that never ended: its gate goes with the rest
            self._let_go(self._held)
            self._held = None
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


def _wait(path: Path, how: int, deadline: float) -> int | None:
    """A new descriptor of `path` holding flock `how`, or None when not had by `deadline`.  flock has no timeout, so
    the wait is a blocking flock on a helper thread, asleep in the kernel until the holder lets go (no polling), and
    this thread waits for it until the deadline.  Had after that, nobody wants it: the helper lets it go at once.
    (Only a holder stuck past WAIT_S leaves helpers asleep, one per write tried meanwhile; they end when it lets go.)"""
    fd = os.open(path, os.O_RDWR | os.O_CLOEXEC)
    had = threading.Event()
    mutex = threading.Lock()
    wanted = True

    def wait() -> None:
        try:
            fcntl.flock(fd, how)
        except OSError as exc:
            log.warning("write gate: waiting for %s failed: %s", path.name, exc)
            os.close(fd)
            return
        with mutex:
            if wanted:
                had.set()
                return
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    threading.Thread(target=wait, name=f"wait for {path.name}", daemon=True).start()
    had.wait(max(0.0, deadline - time.monotonic()))
    with mutex:
        if had.is_set():
            return fd
        wanted = False
    return None
