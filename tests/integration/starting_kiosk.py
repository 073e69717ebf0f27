"""`kiosk run --demo` as cmd_run starts it (the home screen from `Starting`, the services loaded on a thread after
the first frame), offscreen, with the loading held until this script lets it go, so a tap can land before the
services are in.  Driven with the UI tests' real touches; prints what a person would see, one line each:

    python -m tests.integration.starting_kiosk

The test (tests/integration/test_first_frame.py) runs it in its own process: one Kivy window per process."""

from __future__ import annotations

import os
import sys
import threading
from typing import TYPE_CHECKING

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")

from kiosk.config import load_settings
from kiosk.starting import Starting
from tests.ui.helpers import pump, tap, wait_until

if TYPE_CHECKING:
    from kiosk.bootstrap import Services

LET_GO = threading.Event()


class HeldStart(Starting):
    """The real `load`, once the script says so (as on a slow SD card, where it takes seconds)."""

    def load(self) -> Services:
        LET_GO.wait(timeout=120)
        return super().load()


def main() -> None:
    from kiosk.app import KioskApp
    from kiosk.widgets.kivy_setup import configure_kivy

    settings = load_settings(demo=True)
    configure_kivy(kiosk_mode=False, size=(1280, 800))
    from kivy.base import EventLoop

    app = KioskApp(HeldStart.from_settings(settings))
    app._run_prepare()  # build and on_start, as App.run does before its loop
    EventLoop.ensure_window()
    if EventLoop.status != "started":
        EventLoop.start()
    pump(3)  # the first frame: the loading thread starts (and waits)
    home = app.sm.get_screen("home")
    print(f"SCREEN {app.sm.current} READY {app.ready} SHOP {home.ids.shop.text}", flush=True)
    # What the first frame waited for: the database layer (0.3 s of imports on this machine) must not be among it.
    print(f"LOADED_BEFORE_SERVICES {sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'kiosk'})}")
    tap(home.ids.buy)  # Køb before the services are in
    print(f"AFTER_TAP {app.sm.current} TOAST {app.toast.text}", flush=True)
    LET_GO.set()
    wait_until(lambda: app.ready, timeout=120, what="the services")
    tap(home.ids.buy)
    print(f"AFTER_READY {app.sm.current}", flush=True)
    app._stop()
    pump(1)


if __name__ == "__main__":
    main()
    sys.exit(0)
