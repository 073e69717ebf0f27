"""`python -m tests.layout.keyboard_page`: at 800x480, type "Rugbrød 2" on the name popup's on-screen keyboard by
real touches, the digit through its "123" page, and print what the popup gave back (as JSON).  Its own process:
the window of the UI tests' session is 1280x800 and cannot be made a 7" screen for one test."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any


def _keys(popup: Any) -> dict[str, Any]:
    from kiosk.widgets.keyboard import KeyboardKey

    return {key.key: key for key in popup.walk(restrict=True) if isinstance(key, KeyboardKey)}


def main() -> None:
    import dataclasses

    for var in ("DISPLAY", "WAYLAND_DISPLAY"):  # offscreen, as the UI tests
        os.environ.pop(var, None)
    import kiosk.app
    from kiosk.bootstrap import build_services
    from kiosk.config import Settings
    from kiosk.devices.printer import PreviewPrinter
    from kiosk.devices.scanner import FakeScanner
    from kiosk.screenshot import start_app, stop_app
    from kiosk.widgets.entry_popups import TextEntryPopup
    from tests.ui.helpers import pump, tap, wait_modal

    kiosk.app.PREBUILD_AFTER_S = 24 * 3600.0  # one popup is typed on: no idle building of every screen meanwhile
    data_dir = Path(tempfile.mkdtemp(prefix="kiosk-keys-"))
    settings = dataclasses.replace(Settings(), data_dir=data_dir).as_demo()
    services = build_services(settings, printer=PreviewPrinter(settings.printer.columns), scanner=FakeScanner())
    app = start_app(services, (800, 480))
    given: list[str] = []
    try:
        TextEntryPopup(title="Varens navn", max_length=120).open(animation=False)
        popup = wait_modal(TextEntryPopup)
        popup.bind(on_accept=lambda _p, text: given.append(text))
        pump(4)
        keyboard = popup.ids.keyboard
        seen = {"compact": keyboard.compact, "letters_page_has_2": "2" in _keys(popup)}
        for char in "rugbrød ":
            tap(_keys(popup)[char])
        tap(_keys(popup)["page"])  # "123"
        seen["digits_page_has_2"] = "2" in _keys(popup)
        tap(_keys(popup)["2"])
        tap(_keys(popup)["enter"])
        pump(2)
        seen["given"] = given
    finally:
        stop_app(app)
        services.close()
        shutil.rmtree(data_dir, ignore_errors=True)
    print(json.dumps(seen, ensure_ascii=False))


if __name__ == "__main__":
    main()
