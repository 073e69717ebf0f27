"""DeviceLamps: the scanner's and the printer's state in a corner of the home and Køb screens.

Each device is a small icon; when it is missing the icon turns red and a short word says what is wrong
("Scanner: ikke tilsluttet", "Printer svarer ikke"), so a dead scanner is seen before the first scan does nothing.
The devices keep their own state (kiosk.devices.state, no Kivy); the screen that shows the lamps calls
`watch(services)` when it is entered and `unwatch()` when it is left, so only what is on screen listens.  News
comes from the scanner's reader thread or the print thread and is handed to the UI thread (Clock.schedule_once).
While the printer is red, it is asked again now and then, on a thread of its own, so it turns back by itself.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

if TYPE_CHECKING:
    from kiosk.bootstrap import Services
    from kiosk.devices.state import DeviceState

PRINTER_PROBE_EVERY_S = 30.0  # only while the printer is red; a serial or network probe takes at most seconds


class DeviceLamp(BoxLayout):
    ok = BooleanProperty(True)
    source = StringProperty("")
    word = StringProperty("")  # shown next to the icon while not ok


class DeviceLamps(BoxLayout):
    scanner_ok = BooleanProperty(True)
    printer_ok = BooleanProperty(True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._services: Services | None = None
        self._watched: list[DeviceState] = []
        self._probe_event: Any = None
        self._probe: threading.Thread | None = None

    def watch(self, services: Services) -> None:
        """Follow this app's scanner and printer (again: the devices may have been replaced)."""
        self.unwatch()
        self._services = services
        self._watched = [services.scanner.state, services.printer.state]
        for state in self._watched:
            state.add_listener(self._changed, weak=True)
        self._show()

    def unwatch(self, *_args: Any) -> None:
        for state in self._watched:
            state.remove_listener(self._changed)
        self._watched = []
        self._stop_probing()

    def _changed(self, _ok: bool) -> None:  # on a device's thread
        Clock.schedule_once(self._show)

    def _show(self, *_args: Any) -> None:
        services = self._services
        if services is None or not self._watched:
            return
        # read now, on the UI thread: the latest state wins even if two changes arrive out of order
        self.scanner_ok = services.scanner.state.ok
        self.printer_ok = services.printer.state.ok
        if self.printer_ok:
            self._stop_probing()
        elif self._probe_event is None:
            self._probe_event = Clock.schedule_interval(self._probe_printer, PRINTER_PROBE_EVERY_S)

    def _probe_printer(self, _dt: float) -> None:
        services = self._services
        if services is None or (self._probe is not None and self._probe.is_alive()):
            return
        # is_online updates the printer's state; the listener above brings the answer back to the screen
        from kiosk.services.shop import system_status  # SQLAlchemy's import: not before the home screen's first frame

        self._probe = system_status.check_printer(services.printer, lambda _online: None)

    def _stop_probing(self) -> None:
        if self._probe_event is not None:
            self._probe_event.cancel()
            self._probe_event = None


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
