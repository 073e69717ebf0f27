"""`kiosk run` draws the home screen before the database layer is loaded (issue 18): a tap on Køb in that moment
says the kiosk is starting and stays home, and once the services are in the same tap opens the till."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kiosk.config import load_settings
from tests.conftest import REPO


def test_a_tap_before_the_services_are_in_says_the_kiosk_is_starting_then_the_till_opens(
    data_dir: Path, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KIVY_", "KCFG_"))}
    for var in ("DISPLAY", "WAYLAND_DISPLAY", "NOTIFY_SOCKET"):
        env.pop(var, None)
    env |= {"KIVY_HOME": str(tmp_path / "kivy"), "KIVY_NO_ARGS": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "tests.integration.starting_kiosk"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    said = dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)
    assert said["SCREEN"] == f"home READY False SHOP {load_settings(demo=True).shop.name}"  # drawn from the settings
    assert said["LOADED_BEFORE_SERVICES"] == "['kiosk']", "the home screen waited for SQLAlchemy"
    assert said["AFTER_TAP"] == "home TOAST Kiosken starter – et øjeblik."
    assert said["AFTER_READY"] == "sale"
    assert "Traceback" not in done.stderr
