"""Home: three huge choices (Køb, Mød ind / Gå hjem, Småjobs), the shop's name, today's date and the time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import StringProperty

import kiosk.widgets.bigbutton
import kiosk.widgets.header  # noqa: F401  (kv rules of the widgets used below)
from kiosk.i18n import format_now_line
from kiosk.screens.base import KioskScreen


class HomeScreen(KioskScreen):
    shop_name = StringProperty("")
    now_text = StringProperty("")
    sync_text = StringProperty("")  # several kiosks: "Ikke forbundet – salget gemmes her (3 salg venter)"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._tick: Any = None

    def refresh(self) -> None:
        self.shop_name = self.services.settings.shop.name
        self.refresh_clock()

    def refresh_clock(self) -> None:
        self.now_text = format_now_line(self.services.clock())
        sync = self.services.sync
        self.sync_text = sync.status.text() if sync is not None else ""

    def on_enter(self, *args: Any) -> None:
        if self._tick is None:
            self._tick = Clock.schedule_interval(self._on_tick, 10)

    def on_leave(self, *args: Any) -> None:
        if self._tick is not None:
            self._tick.cancel()
            self._tick = None

    def _on_tick(self, _dt: float) -> bool:
        if self.manager is None or App.get_running_app() is None:  # replaced (language switch) or app stopped
            self._tick = None
            return False
        self.refresh_clock()
        return True


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
