"""Whether a device works, as last seen, and who wants to know when that changes.

Devices own one ``DeviceState`` each (the scanner: its port is open; the printer: its last job or status query
went through).  The screens show it; the core never imports Kivy, so listeners are plain callables, called on
whatever thread saw the change (a scanner's reader thread, the print thread): a UI listener hands the news to
its own thread (``Clock.schedule_once``).
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable

log = logging.getLogger(__name__)

StateListener = Callable[[bool], None]


class DeviceState:
    def __init__(self, ok: bool = True) -> None:
        self._ok = ok
        self._lock = threading.Lock()
        self._listeners: list[StateListener | weakref.WeakMethod[StateListener]] = []

    @property
    def ok(self) -> bool:
        return self._ok

    def set(self, ok: bool) -> None:
        """Record what was just seen; listeners hear only about changes."""
        with self._lock:
            changed = ok != self._ok
            self._ok = ok
            if changed:
                self._listeners = [entry for entry in self._listeners if _alive(entry) is not None]
            listeners = [listener for entry in self._listeners if (listener := _alive(entry)) is not None]
        if not changed:
            return
        for listener in listeners:
            try:
                listener(ok)
            except Exception:  # a broken screen must not take the scanner's reader or the print thread down
                log.exception("device state listener failed")

    def add_listener(self, listener: StateListener, *, weak: bool = False) -> None:
        """`weak`: for a bound method of a widget, which must not be kept alive by the device (screens are
        rebuilt when the language changes, without being left first)."""
        entry: StateListener | weakref.WeakMethod[StateListener] = listener
        if weak:
            entry = weakref.WeakMethod(listener)  # type: ignore[arg-type]
        with self._lock:
            self._listeners.append(entry)

    def remove_listener(self, listener: StateListener) -> None:
        """Forget `listener`; one that was never added is ignored (a screen left before it was shown)."""
        with self._lock:
            self._listeners = [entry for entry in self._listeners if _alive(entry) not in (listener, None)]


def _alive(entry: StateListener | weakref.WeakMethod[StateListener]) -> StateListener | None:
    return entry() if isinstance(entry, weakref.WeakMethod) else entry
