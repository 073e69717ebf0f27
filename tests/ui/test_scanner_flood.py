"""A scanner that floods the kiosk with garbage (10,000 frames) used to freeze the screen for up to 12 s: every frame
was a lookup and a message on the UI thread.  Now the flood is held back on the scanner's thread: a person's
volley reaches the screen, then one message, and the kiosk sells again once the scanner is quiet (issue 17)."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest

from tests.ui.helpers import pump, wait_until

FLOOD = "Scanneren sender alt for mange koder. De springes over, til den falder til ro. Tjek scanneren."


def test_10000_garbage_frames_reach_the_screen_as_one_message_and_the_till_works_after(
    app: Any, services: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="kiosk.screens.scan_router")
    flood = threading.Thread(target=lambda: [services.scanner.feed(f"#?!{i}") for i in range(10_000)])
    flood.start()  # the scanner's own thread, as a serial reader calls back
    flood.join(timeout=60)
    wait_until(lambda: app.toast.text == FLOOD, what="the one flood message")
    handled = [r for r in caplog.records if r.getMessage().startswith("scan: garbage")]
    assert len(handled) <= app.scan_gate.burst, "the UI thread handled the flood frame by frame"
    assert app.toast.kind == "error"

    wait_until(lambda: not app.scan_gate.flooding, timeout=app.scan_gate.quiet_s + 10, what="the scanner is quiet")
    services.scanner.feed("2000000001012")
    pump()
    assert app.sm.current == "sale"
    assert app.toast.text == "Kaffe, kop – 15,00\xa0kr."
