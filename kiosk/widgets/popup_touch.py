"""The tap that closes a popup never lands on what is beneath it: one guard on the Window for every ModalView.

Kivy hands a touch's down to the topmost popup, which keeps it, so only the popup's own button is grabbed and
its release (which closes the popup) reaches nothing else.  A closing tap still reached the screen beneath in
two ways, and this guard stops both:

1. The popup closed while its finger was still down (the idle timeout, a scan, a printer answer): the rest of
   that touch, its moves and its lift, went to the screen now on top, and the popup's own grabbed button still
   fired after the popup had gone.  Here the rest of such a touch is swallowed and its grabs dropped.
2. The same finger seen by a second input provider (on the Pi's touchscreen SDL's emulated mouse beside
   mtdev/hidinput): the mouse's `disable_on_activity` and OneFinger only drop a copy that overlaps the first,
   but after a slow frame (a code being checked, a screen being built) the first copy has gone down and up
   before the second begins, and the second begins on the button that the closed popup uncovered.  Here a
   touch from another device that begins right after, and right where, a popup's touch closed it is swallowed.

Bound before OneFinger, so that (bound handlers run last-bound first) OneFinger still sees every touch end.
"""

from __future__ import annotations

import logging
import math
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kivy.clock import Clock
from kivy.uix.modalview import ModalView

log = logging.getLogger(__name__)

COPY_WITHIN_S = 0.5  # a second provider's copy of a finger starts within a frame or two of the first one's end
COPY_WITHIN_PX = 60.0  # ... at the same spot, give or take the two providers' calibrations


@dataclass
class _Closing:
    """A touch that began on a popup and ended while it was open: it may have closed it."""

    device: str
    pos: tuple[float, float]
    popup: weakref.ref[ModalView]
    ended: float


def _is_open(popup: ModalView | None) -> bool:
    return popup is not None and popup.parent is not None  # removed from the Window when closed


class PopupTouchGuard:
    def __init__(self, window: Any, now: Callable[[], float] = time.monotonic) -> None:
        self._window = window
        self._now = now
        self._began_on: dict[Any, weakref.ref[ModalView]] = {}  # touch uid -> the popup its down went to
        self._swallowed: set[Any] = set()
        self._last: _Closing | None = None

    def handlers(self) -> list[tuple[str, Callable[..., bool]]]:
        return [("on_touch_down", self.on_down), ("on_touch_move", self.on_move), ("on_touch_up", self.on_up)]

    def on_down(self, _window: Any, touch: Any) -> bool:
        if self._is_copy_of_closing_tap(touch):
            log.info("touch %s is a second device's copy of the tap that closed a popup: ignored", touch.uid)
            self._swallowed.add(touch.uid)
            return True
        top = next((w for w in self._window.children if isinstance(w, ModalView)), None)
        if top is not None:
            self._began_on[touch.uid] = weakref.ref(top)
        return False

    def on_move(self, _window: Any, touch: Any) -> bool:
        if touch.uid in self._swallowed:
            return True
        if self._popup_gone(touch):
            self._swallow(touch)
            return True
        return False

    def on_up(self, _window: Any, touch: Any) -> bool:
        if touch.uid in self._swallowed:
            self._swallowed.discard(touch.uid)
            _drop_grabs(touch)
            return True
        if self._popup_gone(touch):
            self._began_on.pop(touch.uid, None)
            _drop_grabs(touch)
            return True
        popup = self._began_on.pop(touch.uid, None)
        if popup is not None:
            # Its release may close the popup now; the window for a copy starts after this frame's work (a
            # code checked, a screen built), which a second provider's copy waits behind too.
            closing = _Closing(str(touch.device), (float(touch.x), float(touch.y)), popup, math.inf)
            self._last = closing
            Clock.schedule_once(lambda _dt: setattr(closing, "ended", self._now()), 0)
        return False

    def _popup_gone(self, touch: Any) -> bool:
        popup = self._began_on.get(touch.uid)
        return popup is not None and not _is_open(popup())

    def _swallow(self, touch: Any) -> None:
        self._began_on.pop(touch.uid, None)
        self._swallowed.add(touch.uid)
        _drop_grabs(touch)

    def _is_copy_of_closing_tap(self, touch: Any) -> bool:
        last = self._last
        if last is None or str(touch.device) == last.device or _is_open(last.popup()):
            return False
        if self._now() - last.ended > COPY_WITHIN_S:  # inf - now: not yet stamped, the same frame
            return False
        if math.dist((touch.x, touch.y), last.pos) > COPY_WITHIN_PX:
            return False
        self._last = None  # one copy per tap
        return True


def _drop_grabs(touch: Any) -> None:
    """A closed popup's button keeps its grab: without this its release would still fire after it closed."""
    for ref in list(touch.grab_list):
        widget = ref()
        if widget is None:
            continue
        touch.ungrab(widget)
        if hasattr(widget, "state"):
            widget.state = "normal"  # not left looking pressed if the popup is opened again
