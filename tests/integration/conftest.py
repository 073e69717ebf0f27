"""Real serial plumbing for device tests: pseudo-terminal pairs, a pluggable pty, a byte collector, waiting helpers;
and the whole kiosk on a real SQLite file: its config file, its services, a staff team."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import sys
import threading
import time
import tty
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from kiosk.bootstrap import Services
    from kiosk.clock import Clock
    from kiosk.config import Settings
    from kiosk.db.models import Person
    from kiosk.services.jobs.signups import Signups


def wait_until(predicate: Callable[[], bool], timeout: float, interval: float = 0.01) -> bool:
    """True as soon as `predicate()` holds, False after `timeout` seconds.  For states with no event to wait on."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


@dataclass
class PtyPair:
    """The test holds `master`; the code under test opens `path` (the slave's /dev/pts/N) like a real port."""

    master: int
    slave: int
    path: str

    def close(self) -> None:
        """Pull the cable: both ends go, /dev/pts/N disappears."""
        for fd in (self.master, self.slave):
            with contextlib.suppress(OSError):
                os.close(fd)


@pytest.fixture
def pty_pair() -> Iterator[PtyPair]:
    master, slave = os.openpty()
    tty.setraw(master)
    tty.setraw(slave)
    pair = PtyPair(master, slave, os.ttyname(slave))
    yield pair
    pair.close()


DLE_EOT = b"\x10\x04"
HEALTHY_PRINTER = {1: 0x12, 2: 0x12, 4: 0x12}  # DLE EOT 1/2/4: online, no offline cause, paper present
PAPER_OUT = {1: 0x1A, 2: 0x32, 4: 0x72}  # offline, stopped at paper end, paper-end sensor


class ByteCollector:
    """The printer's end of a pty: reads everything written to the master on a thread; `wait_for(marker)` blocks
    until it has arrived.  Answers the kiosk's status questions (DLE EOT n) as a healthy printer does; set
    `status` to other answers (PAPER_OUT), or to None for a printer that takes the bytes and says nothing."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.data = bytearray()
        self.status: dict[int, int] | None = dict(HEALTHY_PRINTER)
        self.queries = 0  # status questions seen
        self._scanned = 0
        self._marker = b""
        self._seen = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select([self.fd], [], [], 0.05)
                chunk = os.read(self.fd, 65536) if ready else b""
            except OSError:
                return
            if chunk:
                with self._lock:
                    self.data += chunk
                    if self._marker and self._marker in self.data:
                        self._seen.set()
                self._answer()

    def _answer(self) -> None:
        """Each complete DLE EOT n gets its one byte back, in order (a query may arrive split across reads)."""
        while True:
            at = self.data.find(DLE_EOT, self._scanned)
            if at < 0:
                self._scanned = max(self._scanned, len(self.data) - 1)
                return
            if at + 2 >= len(self.data):
                self._scanned = at
                return
            n, self._scanned = self.data[at + 2], at + 3
            self.queries += 1
            status = self.status
            if status is not None and n in status:
                try:
                    os.write(self.fd, bytes((status[n],)))
                except OSError:
                    return

    def wait_for(self, marker: bytes, timeout: float) -> bool:
        with self._lock:
            self._marker = marker
            if marker in self.data:
                self._seen.set()
        return self._seen.wait(timeout)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)


@pytest.fixture
def collect_bytes() -> Iterator[Callable[[int], ByteCollector]]:
    """`collect_bytes(fd)` starts a ByteCollector on `fd`; all are stopped after the test."""
    started: list[ByteCollector] = []

    def start(fd: int) -> ByteCollector:
        started.append(ByteCollector(fd))
        return started[-1]

    yield start
    for collector in started:
        collector.stop()


@pytest.fixture
def scans() -> ScanCollector:
    return ScanCollector()


@pytest.fixture(name="wait_until")
def wait_until_fixture() -> Callable[..., bool]:
    return wait_until


class ScanCollector:
    """An `on_scan` callback that remembers scans and lets the test wait for the n-th one."""

    def __init__(self) -> None:
        self.codes: list[str] = []
        self._cond = threading.Condition()

    def __call__(self, code: str) -> None:
        with self._cond:
            self.codes.append(code)
            self._cond.notify_all()

    def wait_for(self, count: int, timeout: float) -> list[str]:
        with self._cond:
            self._cond.wait_for(lambda: len(self.codes) >= count, timeout)
            return list(self.codes)


class PluggablePty:
    """A pseudo-terminal behind a stable symlink, like /dev/serial/by-id/...: stop() pulls the cable (the pty
    disappears, the reader gets EIO), start() plugs a new one in at the same path.  Needs nothing but the kernel."""

    def __init__(self, scanner_link: Path) -> None:
        self.scanner_link = scanner_link
        self._master: int | None = None
        self._slave: int | None = None

    def start(self) -> None:
        master, slave = os.openpty()
        tty.setraw(master)
        tty.setraw(slave)
        self._master, self._slave = master, slave
        tmp = self.scanner_link.with_suffix(".new")
        tmp.symlink_to(os.ttyname(slave))
        tmp.replace(self.scanner_link)  # atomic, as udev does it

    def write(self, data: bytes) -> None:
        assert self._master is not None, "plug the pty in first"
        os.write(self._master, data)

    def stop(self) -> None:
        self.scanner_link.unlink(missing_ok=True)
        for fd in (self._slave, self._master):
            if fd is not None:
                os.close(fd)
        self._master = self._slave = None


@pytest.fixture
def pluggable_pty(tmp_path: Path) -> Iterator[PluggablePty]:
    pair = PluggablePty(tmp_path / "scanner")
    yield pair
    pair.stop()


# --- the whole kiosk, through the composition root ---------------------------------------------------------------

ADMIN_CODE, LEADER_CODE, WORKER_CODE = "258025", "147036", "1357"  # the `team` fixture's codes


@pytest.fixture
def kiosk_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """`kiosk_toml(text, folder=".")` writes the kiosk's config file below the test's folder and returns its path;
    the data (database, journal key) go to tmp_path/data, as KIOSK_DATA_DIR tells an installed kiosk."""

    def write(text: str, folder: str = ".") -> Path:
        monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "data"))
        path = tmp_path / folder / "kiosk.toml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


@contextlib.contextmanager
def running_kiosk(settings: Settings, clock: Clock) -> Iterator[Services]:
    """The kiosk's services as the app builds them (a fake scanner: no port), closed afterwards; a second one on
    the same settings is the kiosk after a restart."""
    from kiosk.bootstrap import build_services
    from kiosk.devices.scanner import FakeScanner

    built = build_services(settings, scanner=FakeScanner(), clock=clock)
    try:
        yield built
    finally:
        built.close()


@pytest.fixture
def services(settings: Settings, clock: Clock) -> Iterator[Services]:
    """The kiosk on the test's settings, at the module's `clock` (each module that asks for this says its own)."""
    with running_kiosk(settings, clock) as built:
        yield built


@pytest.fixture
def signups(sessions: Any, clock: Clock) -> Signups:
    """Sign-ups on kiosk-1's database alone (no kiosk built), at the module's `clock`."""
    from kiosk.services.jobs.signups import Signups

    return Signups(sessions, "kiosk-1", clock)


@pytest.fixture
def staff(sessions: Any) -> tuple[Person, Person]:
    """A worker and a leader, stored without codes: the seller and the one who signs for the day."""
    from kiosk.db.engine import unit_of_work
    from kiosk.db.models import Person

    with unit_of_work(sessions) as s:
        worker, boss = Person(name="Åse Ørbæk", role="worker"), Person(name="Jørgen Bækgaard", role="supervisor")
        s.add_all([worker, boss])
    return worker, boss


@pytest.fixture
def team(services: Services) -> dict[str, Any]:
    """An admin, a leader and a worker, with the codes above."""
    people = services.people
    return {
        "admin": people.add("Line Sørensen", "admin", pin=ADMIN_CODE),
        "leader": people.add("Jørgen Bækgaard", "supervisor", pin=LEADER_CODE),
        "worker": people.add("Åse Ørbæk", "worker", pin=WORKER_CODE),
    }


def kiosk_run_until(
    tmp_path: Path, marker: str, *args: str, env: dict[str, str] | None = None, timeout: float = 120.0
) -> tuple[int, str]:
    """`kiosk run` (and `args`) as systemd starts it: no DISPLAY (offscreen), no Kivy settings or watchdog from
    the shell, stderr to a file as journald gets it (a pipe nobody reads would fill and hang the kiosk).  Once
    `marker` is in that log, the kiosk must still be up; then SIGTERM (systemctl stop).  Its exit status and log."""
    from tests.conftest import REPO

    started = {k: v for k, v in os.environ.items() if not k.startswith(("KIVY_", "KCFG_", "NOTIFY_", "WATCHDOG_"))}
    started = {k: v for k, v in started.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    started |= {"KIVY_HOME": str(tmp_path / "kivy"), "KIVY_NO_ARGS": "1", **(env or {})}
    log = tmp_path / "stderr.txt"
    with log.open("w", encoding="utf-8") as stderr:
        command = [sys.executable, "-m", "kiosk", "run", *args]
        kiosk = subprocess.Popen(command, cwd=REPO, env=started, stdout=subprocess.DEVNULL, stderr=stderr)
        try:
            deadline = time.monotonic() + timeout  # Kivy's start on a busy 2-core machine
            while marker not in log.read_text(encoding="utf-8"):
                assert kiosk.poll() is None, f"the kiosk exited ({kiosk.returncode}):\n{log.read_text()}"
                assert time.monotonic() < deadline, f"{marker!r} not in the kiosk's log in {timeout:.0f} s"
                time.sleep(0.2)
            assert kiosk.poll() is None, log.read_text(encoding="utf-8")  # up, as far as it got
            kiosk.send_signal(signal.SIGTERM)
            status = kiosk.wait(timeout=60)
        finally:
            if kiosk.poll() is None:
                kiosk.kill()
                kiosk.wait(timeout=10)
    return status, log.read_text(encoding="utf-8")
