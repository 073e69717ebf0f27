"""Time limits for the slow drills that hold on a busy machine.

pytest-timeout (`timeout` in pyproject.toml) is there to stop a hang, never to judge speed: speed is measured in
bench/.  So a drill's limit is its amount of work times what one step may take on a loaded, shared 2-core CI
machine (several test runs at once; load 6-8 measured), with a wide margin: at least 4x what it took there.
Each drill also bounds every single wait by itself, so a real hang still fails fast, naming the step.

KIOSK_TEST_TIME_SCALE multiplies every budget, for a machine slower still (a Pi, an emulator).
"""

from __future__ import annotations

import os

SCALE = max(float(os.environ.get("KIOSK_TEST_TIME_SCALE", "1")), 1.0)


def budget(seconds: float) -> float:
    """`seconds` as given for a busy CI machine, times KIOSK_TEST_TIME_SCALE."""
    return seconds * SCALE
