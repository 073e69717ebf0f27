"""USB HID "keyboard wedge" scanners: the scanner types the code and presses Enter, faster than any person.

Pure logic, no Kivy: the UI forwards each key event (character and its time in seconds) and Enter.  A burst of
at least `min_length` characters, each within `max_key_interval_ms` of the one before and followed quickly by
Enter, is a scan; anything slower is a person typing and is left alone.  The scanner cannot tell the first
key of a scan from typing until the burst is over, so the UI removes ``len(code)`` characters that a focused
text field may already have taken (``enter()`` returns the burst exactly as typed).
"""

from __future__ import annotations

import logging

from kiosk.devices.base import ScanCallback
from kiosk.devices.frames import decode_frame
from kiosk.devices.state import DeviceState

log = logging.getLogger(__name__)


class WedgeBuffer:
    """Collects fast keystrokes; `enter()` returns the burst when it was a scan, else None."""

    def __init__(self, max_key_interval_ms: int = 50, min_length: int = 3) -> None:
        self.max_interval_s = max_key_interval_ms / 1000
        self.min_length = min_length
        self._chars: list[str] = []
        self._last_t: float | None = None

    @property
    def pending(self) -> str:
        """The characters of the burst so far (what a focused text field may have received)."""
        return "".join(self._chars)

    def reset(self) -> None:
        self._chars.clear()
        self._last_t = None

    def _in_time(self, t: float) -> bool:
        # 1 µs of slack: 0.05 s gaps built from float timestamps come out as 0.05000000000000004
        return self._last_t is not None and 0 <= t - self._last_t <= self.max_interval_s + 1e-6

    def key(self, char: str, t: float) -> None:
        """A printable key at time `t` (seconds, monotonic).  A slow key starts a new burst with itself."""
        if not char:
            return
        if not self._in_time(t):
            self._chars.clear()
        self._chars.append(char)
        self._last_t = t

    def enter(self, t: float) -> str | None:
        """Enter at time `t`: the burst if it was fast and long enough, else None.  The buffer empties."""
        burst = self.pending if self._in_time(t) and len(self._chars) >= self.min_length else None
        self.reset()
        return burst


class KeyboardScanner:
    """The Scanner port for a keyboard wedge; the UI feeds it from its window key events (see module doc)."""

    def __init__(self, max_key_interval_ms: int = 50, min_length: int = 3) -> None:
        self.buffer = WedgeBuffer(max_key_interval_ms, min_length)
        self._on_scan: ScanCallback | None = None
        self.state = DeviceState()  # never changes: see connected

    @property
    def connected(self) -> bool:
        return True  # a keyboard cannot be told apart from the scanner until it scans

    def start(self, on_scan: ScanCallback) -> None:
        self._on_scan = on_scan

    def stop(self) -> None:
        self._on_scan = None
        self.buffer.reset()

    def key(self, char: str, t: float) -> None:
        self.buffer.key(char, t)

    def enter(self, t: float) -> str | None:
        """Call on Enter.  Returns the burst as typed (remove that many characters from a focused field) and
        delivers the decoded code (AIM prefix stripped) to `on_scan`; None if it was not a scan or we are
        stopped."""
        burst = self.buffer.enter(t)
        if burst is None or self._on_scan is None:
            return None
        code = decode_frame(burst.encode("utf-8"))
        if code:
            self._on_scan(code)
        else:
            log.debug("keyboard burst %r held no code", burst)
        return burst

    def describe(self) -> str:
        ms = round(self.buffer.max_interval_s * 1000)
        return f"keyboard wedge scanner (keys <= {ms} ms apart, >= {self.buffer.min_length} chars)"
