"""The 7" screen's on-screen keyboard (800x480): the letters fill its rows, so the digits are on a page of their
own behind the "123" key.  A product named with a digit is typed there by real touches: tests/layout/keyboard_page.py
in a process of its own, as the 800x480 walk is (the UI session's window is 1280x800)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(300)
def test_a_name_with_a_digit_is_typed_through_the_123_key() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(KIVY_NO_ARGS="1", KIVY_LOG_MODE="PYTHON", KIVY_NO_CONSOLELOG="1")
    run = subprocess.run(
        [sys.executable, "-m", "tests.layout.keyboard_page"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert run.returncode == 0, run.stderr[-4000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["compact"], "the 7-inch keyboard"
    assert not seen["letters_page_has_2"], "no digits among the letters: they have a page of their own"
    assert seen["digits_page_has_2"]
    assert seen["given"] == ["Rugbrød 2"]
