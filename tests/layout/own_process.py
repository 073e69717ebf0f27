"""`python -m <module> ARGS` in a process of its own, for what needs a window of another size than the UI session's
1280x800 (Kivy allows one window per process): offscreen, and its answer the JSON on the last line it prints."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


def run_module(module: str, *args: str, timeout: float) -> Any:
    """Run `module` as a program (offscreen, in the repository); fail with its stderr's end unless it exits 0."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(KIVY_NO_ARGS="1", KIVY_LOG_MODE="PYTHON", KIVY_NO_CONSOLELOG="1")
    run = subprocess.run(
        [sys.executable, "-m", module, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert run.returncode == 0, run.stderr[-4000:]
    return json.loads(run.stdout.strip().splitlines()[-1])
