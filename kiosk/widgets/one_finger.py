"""Kiosk mode: one finger at a time.

A second finger, a palm or a whole hand on the screen while one finger is already down is ignored, from its
touch-down to its touch-up: two buttons are never pressed at once, a button is never pressed twice by two
fingers, and a touchscreen seen by two input providers (SDL's mouse and hidinput/mtdev) cannot double a tap.
The first finger acts as usual.  Bound on the Window before any widget sees the touch.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

STUCK_AFTER_S = 30.0  # a finger "down" this long without moving is a lost touch-up: it stops blocking


class OneFinger:
    def __init__(self, active: Callable[[], bool], stuck_after_s: float = STUCK_AFTER_S) -> None:
        self.active = active  # kiosk mode on?
        self.stuck_after_s = stuck_after_s
        self._down: dict[Any, Any] = {}  # uid -> the finger that acts
        self._ignored: set[Any] = set()

    def handlers(self) -> list[tuple[str, Callable[..., bool]]]:
        return [("on_touch_down", self.on_down), ("on_touch_move", self.on_move), ("on_touch_up", self.on_up)]

    def on_down(self, _window: Any, touch: Any) -> bool:
        if getattr(touch, "is_mouse_scrolling", False):
            return False
        self._forget_stuck(touch.time_start)
        if self.active() and self._down:
            self._ignored.add(touch.uid)
            log.info("another finger is down: touch %s ignored", touch.uid)
            return True  # consumed: no widget sees it
        self._down[touch.uid] = touch
        return False

    def on_move(self, _window: Any, touch: Any) -> bool:
        return touch.uid in self._ignored

    def on_up(self, _window: Any, touch: Any) -> bool:
        self._down.pop(touch.uid, None)
        if touch.uid in self._ignored:
            self._ignored.discard(touch.uid)
            return True
        return False

    def _forget_stuck(self, now: float) -> None:
        for uid, touch in list(self._down.items()):
            if now - max(touch.time_update, touch.time_start) > self.stuck_after_s:
                log.warning("touch %s never ended: no longer blocking", uid)
                del self._down[uid]
