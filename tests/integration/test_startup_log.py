"""What a start writes to the log: one clean line per event, Kivy's own lines included, and no traceback for an
input library the kiosk does not use (Kivy probes mtdev at import; without libmtdev it logged an ERROR with a
traceback on every start).  The real `kiosk run --demo` is started as systemd would (no DISPLAY: offscreen,
kiosk mode as on the Pi), stopped with SIGTERM, and its stderr read as journald would get it."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from tests.integration.conftest import kiosk_run_until

START_TIMEOUT_S = 120.0  # Kivy, SQLAlchemy and the demo seed on a busy 2-core machine
STARTED = "Base: Start application main loop"
# cli.main()'s one format: "2026-12-03 09:23:50,037 INFO kiosk.bootstrap: ..."
OUR_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (DEBUG|INFO|WARNING|ERROR|CRITICAL) [\w.]+: ")


def _run_kiosk_until_started(tmp_path: Path) -> str:
    (tmp_path / "kiosk.toml").write_text("[kiosk]\nkiosk_mode = true\n", encoding="utf-8")
    env = {
        "KIOSK_CONFIG": str(tmp_path / "kiosk.toml"),
        "KIOSK_DATA_DIR": str(tmp_path / "data"),
        "KCFG_KIVY_LOG_LEVEL": "debug",  # Kivy names every input provider it creates (at debug)
    }
    status, log = kiosk_run_until(tmp_path, STARTED, "--demo", env=env, timeout=START_TIMEOUT_S)
    assert status == 0
    return log


def test_a_start_logs_each_event_once_in_one_format_with_no_input_probe_traceback(tmp_path: Path) -> None:
    log = _run_kiosk_until_started(tmp_path)
    lines = [line for line in log.splitlines() if line.strip()]

    assert "MTDev" not in log
    assert "Traceback" not in log
    assert not [line for line in lines if " ERROR " in line or " CRITICAL " in line]

    # One handler: every line is cli.main()'s format (Kivy's own console handler printed "[INFO   ] [Kivy ] ...").
    assert [line for line in lines if not OUR_LINE.match(line)] == []
    events = Counter(line.split(" ", 2)[2] for line in lines)  # without the timestamp
    assert [event for event, n in events.items() if n > 1] == []
    assert sum("INFO kivy: Kivy: v" in line for line in lines) == 1  # Kivy's log through Python logging, once
    assert sum("kiosk.app: signal 15: stopping" in line for line in lines) == 1

    # One input provider, or a tap arrives twice (DESIGN §5): SDL2's pointer, which the touchscreen drives.
    providers = [line.split("Create provider from ", 1)[1] for line in lines if "Create provider from " in line]
    assert len(providers) == 1 and providers[0].split(",")[0] == "mouse", providers
