"""WAL checkpoints between sales, never inside one.

In WAL mode a commit appends its pages to `<db>-wal` and fsyncs that file; now and then the pages must be copied
back into the database file (a checkpoint, with an fsync of the database file).  By default SQLite does that inside
whichever commit takes the WAL past 1,000 pages: for the till that is every sixty-odd sales, and that sale's
"Betal" waited for the copy too (bench/checkout_latency.py: a commit's p99 2 ms where the others took 0.4 ms).

So the till's own connections never checkpoint (`PRAGMA wal_autocheckpoint=0`), and this thread does it instead,
on a connection of its own, just after every sixtieth sale is stored (a sale writes ~16 pages: about SQLite's own
1,000-page mark): while the receipt prints and the change is counted, long before the next sale.
First without any lock a sale needs (PASSIVE), so a sale that comes meanwhile goes on; then, holding the write gate
(kiosk.db.write_gate), the few pages added meanwhile, and the WAL is started again from the top.  SQLite restarts a
WAL only in a write that began on a complete one, and with synchronous=FULL that write syncs the WAL's new header
too: done here, it is not the next sale's fsync more.  Other processes on the same file (`kiosk web`, a command)
do the same with a thread of their own (a checkpoint inside `kiosk web`'s commit would hold the write gate, and the
till's next sale would wait for it); the last connection to close checkpoints and removes the WAL, as before."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from pathlib import Path
from urllib.parse import quote

from kiosk.db.write_gate import WriteGate

log = logging.getLogger(__name__)


class Checkpointer:
    """Woken each time a write transaction of this process lets the write gate go (a sale was stored); copies the
    WAL back after every `commits` of them.  Counted, not read from the WAL-index (`<db>-shm`): opening and
    closing that file in a process that has the database open drops every POSIX lock SQLite holds on it (docs/
    TRAPS.md), and with them the mark that tells another process the WAL-index is in use."""

    def __init__(self, database: Path, gate: WriteGate, *, commits: int = 60) -> None:
        self.database = database
        # its path %-quoted: SQLite's URIs end at "?" or "#" and decode "%xx" (a data folder may have them); mode=rw
        # never makes a new file where the database went missing
        self._uri = f"file:{quote(str(database))}?mode=rw"
        self.gate = gate
        self.commits = commits
        self._since = 0  # write transactions since the last checkpoint
        self.took_ms: list[float] = []  # each checkpoint's time (bench/checkout_latency.py prints them)
        self.idle = threading.Event()  # set while nothing is to be done (the bench waits for it between sales)
        self.idle.set()
        self._wake = threading.Event()
        self._stop = False
        gate.after_release = self._woken
        self._thread = threading.Thread(target=self._run, name="wal checkpoint", daemon=True)
        self._thread.start()

    def _woken(self) -> None:
        if threading.current_thread() is self._thread:
            return  # its own hold of the gate
        self._since += 1
        if self._since >= self.commits:
            self._since = 0
            self.idle.clear()  # on the thread that stored the sale: a waiter never sees "idle" before it is done
            self._wake.set()

    def stop(self) -> None:
        self._stop = True
        self._wake.set()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=5)

    def checkpoint(self) -> None:
        """On a connection of its own, opened only for it: nothing held open between checkpoints."""
        start = time.perf_counter()
        try:
            conn = sqlite3.connect(self._uri, uri=True, isolation_level=None)
            try:
                _passive(conn)
                # No sale is open while the gate is held, and the next begins after it is let go, on a complete
                # WAL: so the pages added meanwhile are copied too, and the WAL is started again from the top.
                self.gate.acquire(conn)
                try:
                    _passive(conn)
                    _restart(conn)
                finally:
                    self.gate.release(conn)
            finally:
                conn.close()
            self.took_ms.append((time.perf_counter() - start) * 1000)
        except sqlite3.Error as exc:  # a busy, missing or failing file: the next sale wakes it again
            log.warning("WAL checkpoint of %s not done: %s", self.database.name, exc)

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            if self._stop:
                return
            self.checkpoint()
            if not self._wake.is_set():
                self.idle.set()


def _restart(conn: sqlite3.Connection) -> None:
    """Start the complete WAL again from the top now, rather than in the next sale.  The write is the database
    header's user_version, set to what it is: nothing changes."""
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA busy_timeout=5000")
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        conn.execute(f"PRAGMA user_version = {version}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _passive(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
