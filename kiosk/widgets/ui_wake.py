"""Wake Kivy's clock for a scan: the UI thread takes it now instead of at the end of its frame's sleep.

Kivy's default clock sleeps until the next frame (up to 1/60 s) and cannot be woken: a scan handed over by the
scanner's thread waited out that sleep (8 ms on average, 16 ms at worst) before the cart changed.  Kivy's
``interrupt`` clock wakes on every event anyone schedules, animations' included, and drew frames back to back
while anything moved (README, Performance).  Here only what `call_soon` hands over wakes it: the sleep waits on
an event this module sets, and the clock's "is the next frame due" check says yes once it is set.  Everything
else keeps the frame rate it had.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from kivy.clock import Clock, ClockBase

_wake = threading.Event()
_installed = False


def install() -> None:
    """Make the default clock's sleep wakeable (once; on the UI thread, before its loop runs)."""
    global _installed
    if _installed or not isinstance(Clock, ClockBase):  # another clock (KIVY_CLOCK): it wakes by itself or never
        return
    _installed = True
    check_ready = Clock._check_ready

    def usleep(microseconds: float) -> None:
        _wake.wait(microseconds / 1_000_000)

    def ready(fps: float, min_sleep: float, undershoot: float) -> tuple[bool, float]:
        if _wake.is_set():
            _wake.clear()
            return True, 0.0
        done, sleeptime = check_ready(fps, min_sleep, undershoot)
        return done, sleeptime

    Clock.usleep = usleep  # the instance's, read by ClockBase.idle on each frame
    Clock._check_ready = ready


def call_soon(callback: Callable[[], Any]) -> None:
    """From any thread: run `callback` on the UI thread at once (before the frame it starts is drawn)."""
    Clock.schedule_once(lambda _dt: callback())
    _wake.set()


install()
