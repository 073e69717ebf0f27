"""Reusable touch widgets: big buttons, tiles, numpad, toast, receipt preview.  Each is one .py + one .kv.

Importing a widget module loads its kv rule; none of them creates the Window (no TextInput import at module level).
`theme` holds colours and sizes; `icon(name)` gives the path of a PNG in kiosk/assets/icons (drawn by
assets/make_icons.py).
"""

from __future__ import annotations

import os

os.environ.setdefault("KIVY_NO_ARGS", "1")  # before the first kivy import: Kivy must not parse our argv

from pathlib import Path

ICON_DIR = Path(__file__).resolve().parents[1] / "assets" / "icons"


def icon(name: str) -> str:
    """Path of an icon PNG (white on transparent; tint it with the Image's `color`)."""
    return str(ICON_DIR / f"{name}.png")
