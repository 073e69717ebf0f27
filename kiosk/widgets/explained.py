"""`explained(...)`: a tap's work whose refusal (a KioskError) is told to the user in plain Danish instead of
crashing the kiosk.  One helper instead of a hand-written `try/except KioskError` in every screen.  No Kivy import.

    with explained(self.kiosk):              # a red toast on the shell for the refusal's user_message
        saved = self.services.x.save(...)
        self.kiosk.go("y")                   # only when the work went through

    with explained(self.over):               # or hand the refusal to the screen's own way of saying it
        ...
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol, runtime_checkable

from kiosk.errors import DiskFullError, KioskError, StorageError
from kiosk.widgets import theme

log = logging.getLogger(__name__)


@runtime_checkable
class Toaster(Protocol):
    """What `explained` needs of the app (or the shell a screen gets): a toast."""

    def show_toast(self, text: str, kind: str = ..., seconds: float = ...) -> None: ...


@contextmanager
def explained(
    to: Toaster | Callable[[KioskError], object], seconds: float = theme.TOAST_LONG, *, what: str = "refused"
) -> Iterator[None]:
    """Run the block; a KioskError ends it and is logged (`what`) and told: as an error toast for `seconds` on
    `to` when it has `show_toast`, else by calling `to(error)`.  Anything else is a bug and passes on."""
    try:
        yield
    except KioskError as exc:
        log.warning("%s: %s", what, exc)
        if isinstance(to, Toaster):
            # Nothing can be stored (the database gone, a read-only card): a toast that goes after seconds would
            # leave the till looking fine while every sale is refused, so it stays until the next message.
            stays = isinstance(exc, StorageError) and not isinstance(exc, DiskFullError)
            to.show_toast(exc.user_message, "error", theme.TOAST_STAYS if stays else seconds)
        else:
            to(exc)
