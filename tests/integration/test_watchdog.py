"""systemd watchdog drill: the kiosk says READY=1 when its first frame is up and WATCHDOG=1 from the Kivy main
loop; when the UI thread hangs the pings stop while the process lives on, which is exactly when systemd
(WatchdogSec=) kills it and Restart=always brings it back.

The test plays systemd: it listens on a unix datagram socket and starts `kiosk run --demo` (offscreen, its own
data dir) with NOTIFY_SOCKET and WATCHDOG_USEC set.  The hang is a fault drill switched on only by
KIOSK_TEST_HANG (seconds): SIGUSR1 then makes the UI thread sleep, as a deadlock would.
"""

from __future__ import annotations

import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pytest

from kiosk.devices import systemd_notify
from tests.budget import budget
from tests.conftest import REPO

WATCHDOG_USEC = 2_000_000  # systemd's WatchdogSec=2: the kiosk pings every second
WATCHDOG_S = WATCHDOG_USEC / 1e6
HANG_S = 2 * WATCHDOG_S
START_TIMEOUT_S = budget(90.0)  # a loaded CI machine: Kivy, SQLAlchemy, the demo seed
# The whole drill: the start, ten pings, the hang and its end, the stop (~20 s idle; each wait bounded by itself).
DRILL_S = START_TIMEOUT_S + budget(360.0)


@dataclass
class FakeSystemd:
    """The receiving end of $NOTIFY_SOCKET: every datagram with the monotonic time it arrived."""

    sock: socket.socket
    address: str  # as written into NOTIFY_SOCKET
    seen: list[tuple[float, set[str]]] = field(default_factory=list)
    process: subprocess.Popen[str] | None = None  # the kiosk: waiting stops early if it dies

    def receive(self, timeout: float) -> set[str] | None:
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(4096)
        except TimeoutError:
            return None
        fields = set(data.decode().split("\n"))
        self.seen.append((time.monotonic(), fields))
        return fields

    def wait_for(self, wanted: str, timeout: float) -> float:
        """Seconds until a message holding `wanted` arrived (fails after `timeout`)."""
        start = deadline = time.monotonic()
        deadline += timeout
        while (left := deadline - time.monotonic()) > 0:
            if self.process is not None and self.process.poll() is not None:
                raise AssertionError(f"the kiosk exited ({self.process.returncode}) before {wanted!r}")
            fields = self.receive(min(left, 1.0))
            if fields is not None and any(f == wanted or f.startswith(wanted) for f in fields):
                return time.monotonic() - start
        raise AssertionError(f"no {wanted!r} from the kiosk within {timeout:.0f} s; got {self.seen}")


@pytest.fixture
def fake_systemd() -> Iterator[FakeSystemd]:
    name = f"hedemarken-watchdog-{uuid.uuid4().hex}"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind("\0" + name)  # the abstract namespace, as '@name' in NOTIFY_SOCKET
    yield FakeSystemd(sock, "@" + name)
    sock.close()


# ---- the sd_notify module on its own ------------------------------------------------------------------


def test_notify_messages_reach_a_path_socket_and_an_abstract_one(tmp_path: Path, fake_systemd: FakeSystemd) -> None:
    path = tmp_path / "notify"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(str(path))
    listener.settimeout(5)
    try:
        by_path = systemd_notify.Notifier.from_env({"NOTIFY_SOCKET": str(path)})
        assert by_path.ready(status="kiosken kører")
        assert listener.recv(4096) == "READY=1\nSTATUS=kiosken kører".encode()
        assert by_path.watchdog()
        assert listener.recv(4096) == b"WATCHDOG=1"
        by_path.close()
    finally:
        listener.close()

    abstract = systemd_notify.Notifier.from_env({"NOTIFY_SOCKET": fake_systemd.address})
    assert abstract.watchdog() and abstract.stopping()
    assert fake_systemd.receive(5) == {"WATCHDOG=1"}
    assert fake_systemd.receive(5) == {"STOPPING=1"}
    abstract.close()


def test_without_systemd_or_with_a_vanished_socket_nothing_breaks(tmp_path: Path) -> None:
    assert not systemd_notify.Notifier.from_env({}).enabled
    assert systemd_notify.Notifier.from_env({}).watchdog() is False
    gone = systemd_notify.Notifier.from_env({"NOTIFY_SOCKET": str(tmp_path / "no-such-socket")})
    assert gone.enabled and gone.watchdog() is False  # logged, never raised: the till keeps selling


def test_the_ping_interval_is_half_the_watchdog_time_and_only_for_the_watched_process() -> None:
    assert systemd_notify.watchdog_interval_s({"WATCHDOG_USEC": "30000000"}) == 15.0
    assert systemd_notify.watchdog_interval_s({}) is None
    assert systemd_notify.watchdog_interval_s({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"}, pid=2) is None
    assert systemd_notify.watchdog_interval_s({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "2"}, pid=2) == 15.0


# ---- the running kiosk ----------------------------------------------------------------------------------


def _start_kiosk(tmp_path: Path, notify_socket: str, log: IO[str]) -> subprocess.Popen[str]:
    (tmp_path / "kiosk.toml").write_text("[kiosk]\nkiosk_mode = true\n", encoding="utf-8")  # as on the Pi
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "WATCHDOG_PID")}
    env |= {
        "KIOSK_CONFIG": str(tmp_path / "kiosk.toml"),
        "KIOSK_DATA_DIR": str(tmp_path / "data"),
        "KIVY_HOME": str(tmp_path / "kivy"),
        "KIVY_NO_ARGS": "1",
        "KIVY_NO_CONSOLELOG": "1",
        "NOTIFY_SOCKET": notify_socket,
        "WATCHDOG_USEC": str(WATCHDOG_USEC),
        "KIOSK_TEST_HANG": str(HANG_S),
    }
    return subprocess.Popen(
        [sys.executable, "-c", "import sys; from kiosk.cli import main; sys.exit(main(['run', '--demo']))"],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,  # a file, not a pipe: a full pipe nobody reads would hang the kiosk itself
        text=True,
    )


@pytest.mark.slow
@pytest.mark.timeout(DRILL_S)
def test_a_hung_ui_thread_stops_the_watchdog_pings_while_the_process_lives(
    tmp_path: Path, fake_systemd: FakeSystemd
) -> None:
    log = (tmp_path / "kiosk.log").open("w+", encoding="utf-8")
    kiosk = _start_kiosk(tmp_path, fake_systemd.address, log)
    fake_systemd.process = kiosk
    try:
        fake_systemd.wait_for("READY=1", START_TIMEOUT_S)

        # A healthy kiosk pings regularly, at about half the watchdog time.  (Single gaps can be longer while
        # the screens are pre-built after start-up, one per frame: hence the median.)
        gaps = [fake_systemd.wait_for("WATCHDOG=1", 10 * WATCHDOG_S) for _ in range(10)]
        interval = statistics.median(gaps)
        assert interval < WATCHDOG_S, f"a healthy kiosk would be killed: median ping gap {interval:.2f} s"

        # The UI thread hangs: no ping for a whole watchdog period, and the process is still there.
        kiosk.send_signal(signal.SIGUSR1)
        fake_systemd.wait_for("STATUS=hang drill", 10 * WATCHDOG_S)
        hung_at = time.monotonic()
        assert fake_systemd.receive(timeout=WATCHDOG_S) is None, "pings went on while the UI thread hung"
        assert kiosk.poll() is None  # alive but silent: systemd's watchdog fires here and restarts it
        detected = time.monotonic() - hung_at

        # The hang ends (the drill's sleep is finite): the pings come back, so it was the hang that stopped them.
        fake_systemd.wait_for("WATCHDOG=1", HANG_S + 10 * WATCHDOG_S)

        kiosk.send_signal(signal.SIGTERM)  # systemctl stop: a kiosk-mode kiosk still ends cleanly
        fake_systemd.wait_for("STOPPING=1", 30)
        assert kiosk.wait(timeout=30) == 0
        print(
            f"\nwatchdog drill: ping gaps median {interval:.3f} s, longest {max(gaps):.3f} s; "
            f"silent for {detected:.2f} s while hung, process alive"
        )
    finally:
        if kiosk.poll() is None:
            kiosk.kill()
            kiosk.wait(timeout=10)
        log.close()
