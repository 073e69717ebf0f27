"""A scanner that floods: a faulty scanner, a noisy cable or a scanner left in continuous mode can send thousands of
frames a second.  Each frame handed to the UI thread is a lookup and a message on screen: 10,000 of them froze the
kiosk for 12 s.  `ScanGate` sits between the scanner's thread and the UI thread and lets through what a person can
scan (a burst, then a steady few a second); past that it drops frames, says so once (`on_flood`), and opens again
after the line has been quiet for a moment.  Pure: the clock is injectable and nothing here touches Kivy."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from kiosk.devices.base import ScanCallback

log = logging.getLogger(__name__)

PER_SECOND = 10.0  # a cashier scanning as fast as she can does 2-3 a second: room to spare
BURST = 20  # a quick volley of scans all passes (a pile of the same item, badges at the start of a shift)
QUIET_S = 2.0  # a flood is over after this long without a frame


class ScanGate:
    """Callable as a scanner's `on_scan`, from any thread; calls `deliver` for the frames it lets through (on the
    caller's thread) and `on_flood` once when a flood begins."""

    def __init__(
        self,
        deliver: ScanCallback,
        on_flood: Callable[[], None],
        *,
        per_second: float = PER_SECOND,
        burst: int = BURST,
        quiet_s: float = QUIET_S,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self._deliver = deliver
        self._on_flood = on_flood
        self.per_second = per_second
        self.burst = burst
        self.quiet_s = quiet_s
        self._now = now
        self._lock = threading.Lock()
        self._tokens = float(burst)
        self._last = now()
        self._flooding = False
        self.dropped = 0  # in the flood going on (or the last one)

    @property
    def flooding(self) -> bool:
        with self._lock:
            return self._flooding and self._now() - self._last < self.quiet_s

    def __call__(self, code: str) -> None:
        with self._lock:
            t = self._now()
            since, self._last = t - self._last, t
            if self._flooding and since >= self.quiet_s:
                log.warning("scanner flood over: %d frames dropped", self.dropped)
                self._flooding, self._tokens = False, float(self.burst)
            self._tokens = min(float(self.burst), self._tokens + since * self.per_second)
            passes = not self._flooding and self._tokens >= 1.0
            began = False
            if passes:
                self._tokens -= 1.0
            else:
                began, self._flooding = not self._flooding, True
                self.dropped = 1 if began else self.dropped + 1
        if passes:
            self._deliver(code)
        elif began:
            log.warning(
                "scanner sends more than %.0f frames a second: dropping frames until it is quiet", self.per_second
            )
            self._on_flood()
