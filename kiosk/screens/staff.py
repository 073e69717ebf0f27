"""Personale: "Tast din kode" on a large numpad.  A placeholder until the staff menu exists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.lang import Builder

import kiosk.widgets.header  # kv rules of the widgets used below
import kiosk.widgets.numpad  # noqa: F401
from kiosk.screens.base import KioskScreen


class StaffScreen(KioskScreen):
    def refresh(self) -> None:
        self.ids.numpad.clear()

    def on_leave(self, *args: Any) -> None:
        self.ids.numpad.clear()  # never leave a half-typed PIN behind


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
