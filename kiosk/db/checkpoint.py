"""WAL checkpoints between sales, never inside one.

In WAL mode a commit appends its pages to `<db>-wal` and fsyncs that file; now and then the pages must be copied
back into the database file (a checkpoint, with an fsync of the database file).  By default SQLite does that inside
whichever commit takes the WAL past 1,000 pages: for the till that is every seventy-odd sales, and that sale's
"Betal" waited for the copy too (bench/checkout_latency.py: a commit's p99 2 ms where the others took 0.4 ms).

So the till's own connections never checkpoint (`PRAGMA wal_autocheckpoint=0`), and this thread does it instead,
on a connection of its own, just after a sale is stored, once `pages` pages (SQLite's own 1,000) wait in the WAL
(read from the WAL-index's header): while the receipt prints and the change is counted, long before the next sale.
First without any lock a sale needs (PASSIVE), so a sale that comes meanwhile goes on; then, holding the write gate
(kiosk.db.write_gate), the few pages added meanwhile, and the WAL is started again from the top.  SQLite restarts a
WAL only in a write that began on a complete one, and with synchronous=FULL that write syncs the WAL's new header
too: done here, it is not the next sale's fsync more.  Other processes on the same file (`kiosk web`, a command)
keep SQLite's own checkpoints; the kiosk closing its last connection checkpoints and removes the WAL, as before."""

from __future__ import annotations

import logging
import sqlite3
import struct
import threading
import time
from pathlib import Path

from kiosk.db.write_gate import WriteGate

log = logging.getLogger(__name__)

# The WAL-index (`<db>-shm`, https://www.sqlite.org/walformat.html): its header's mxFrame (frames in the WAL) at
# byte 16 and the checkpoint info's nBackfill (frames already copied back) at byte 96, in the machine's byte order.
_MX_FRAME, _N_BACKFILL = struct.Struct("=I"), struct.Struct("=I")
_HEADER = 100


def pending_frames(shm: Path) -> int:
    """Pages in the WAL not yet copied back into the database (0 without a WAL-index)."""
    try:
        with open(shm, "rb") as f:
            header = f.read(_HEADER)
    except FileNotFoundError:
        return 0
    if len(header) < _HEADER:
        return 0
    return max(0, int(_MX_FRAME.unpack_from(header, 16)[0]) - int(_N_BACKFILL.unpack_from(header, 96)[0]))


class Checkpointer:
    """Woken each time a write transaction of this process lets the write gate go (a sale was stored); copies the
    WAL back when `pages` wait in it.  Without a gate (a read-only card: no lock file) it never runs, and SQLite's
    own checkpoints stay on."""

    def __init__(self, database: Path, gate: WriteGate, *, pages: int = 1000) -> None:
        self.database = database
        self.shm = database.with_name(database.name + "-shm")
        self.gate = gate
        self.pages = pages
        self.took_ms: list[float] = []  # each checkpoint's time (bench/checkout_latency.py prints them)
        self.idle = threading.Event()  # set while nothing is to be done (the bench waits for it between sales)
        self.idle.set()
        self._wake = threading.Event()
        self._stop = False
        gate.after_release = self._woken
        self._thread = threading.Thread(target=self._run, name="wal checkpoint", daemon=True)
        self._thread.start()

    def _woken(self) -> None:
        self.idle.clear()  # on the thread that stored the sale: a waiter never sees "idle" before this one looked
        self._wake.set()

    def stop(self) -> None:
        self._stop = True
        self._wake.set()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=5)

    def checkpoint(self) -> None:
        """On a connection of its own, opened only for it: never a new file where the database went missing
        (mode=rw), and nothing held open between checkpoints."""
        start = time.perf_counter()
        try:
            conn = sqlite3.connect(f"file:{self.database}?mode=rw", uri=True, isolation_level=None)
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
            if pending_frames(self.shm) >= self.pages:
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
