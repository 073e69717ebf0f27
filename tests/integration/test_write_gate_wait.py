"""How a writer waits at the write gate (kiosk.db.write_gate): asleep, not polling (a waiting web page or CLI must
not take CPU from the till), never past its bound (then SQLite's own lock decides), and the till before a writer
that began to wait earlier."""

from __future__ import annotations

import fcntl
import os
import threading
import time
from pathlib import Path

import pytest

from kiosk.db import write_gate
from kiosk.db.write_gate import WriteGate
from tests.integration.conftest import wait_until


def _held_elsewhere(database: Path) -> int:
    """The gate taken by another writer (another descriptor: to flock, another process)."""
    fd = os.open(f"{database}-writer.lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def _free(database: Path) -> bool:
    fd = os.open(f"{database}-writer.lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


def _waiting_for(path: Path) -> int:
    """How many flock requests the kernel has asleep on `path` (/proc/locks: '->' before a blocked one)."""
    inode = f":{os.stat(path).st_ino}"
    lines = Path("/proc/locks").read_text().splitlines()
    return sum(1 for line in lines if "->" in line and any(f.endswith(inode) for f in line.split()))


@pytest.mark.parametrize("till", [False, True], ids=["other", "till"])
def test_a_writer_waits_asleep_and_not_past_its_bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, till: bool):
    monkeypatch.setattr(write_gate, "WAIT_S", 0.5)
    database = tmp_path / "kiosk.sqlite"
    gate = WriteGate(database, first_in_line=till)
    holder = _held_elsewhere(database)
    try:
        # This thread's CPU, not the process's: another test's threads left in this worker (a checkpoint, a
        # collection) are not this wait's polling.
        cpu, started = time.thread_time(), time.monotonic()
        gate.acquire(connection := object())
        waited, cpu = time.monotonic() - started, time.thread_time() - cpu
        assert 0.5 <= waited < 5, waited  # the bound, then SQLite decides
        assert cpu < 0.01, f"{cpu * 1000:.1f} ms of CPU to wait {waited:.2f} s"  # polling every 0.5 ms took 30 ms
        assert not _free(database)  # still the other writer's
    finally:
        fcntl.flock(holder, fcntl.LOCK_UN)
        os.close(holder)
    # The wait given up ends when the holder lets go, and lets the gate go at once: free for the next writer.
    assert wait_until(lambda: _free(database), 30)
    gate.release(connection)  # not held: nothing to let go
    gate.close()


def test_the_till_goes_before_a_writer_that_waited_longer(tmp_path: Path) -> None:
    database = tmp_path / "kiosk.sqlite"
    web, till = WriteGate(database), WriteGate(database, first_in_line=True)
    lock = Path(f"{database}-writer.lock")
    holder = _held_elsewhere(database)
    order: list[str] = []

    def write(name: str, gate: WriteGate) -> None:
        gate.acquire(connection := object())
        order.append(name)
        gate.release(connection)

    writers = [threading.Thread(target=write, args=("web", web)), threading.Thread(target=write, args=("till", till))]
    try:
        writers[0].start()
        assert wait_until(lambda: _waiting_for(lock) == 1, 30)  # the web page asleep at the gate first
        writers[1].start()
        assert wait_until(lambda: _waiting_for(lock) == 2, 30)  # then the till
    finally:
        fcntl.flock(holder, fcntl.LOCK_UN)
        os.close(holder)
    for writer in writers:
        writer.join(30)
    assert order == ["till", "web"]
    web.close()
    till.close()
