"""Printing off the UI thread.  One worker thread owns the printer; callers get a callback with the outcome,
so a slow serial printer or a missing one never freezes the screen.

The printer's status query (DLE EOT, where the transport can answer) happens inside `print_document`, so here
on the print thread: a printer that took the bytes but does not answer, or is out of paper, is a failed job.
A drawer kick that fails is reported as the drawer's failure (`drawer_opened`), and the receipt is still tried.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.devices.base import DRAWER_NOT_OPENED, ReceiptPrinter
from kiosk.errors import KioskError
from kiosk.i18n import L_
from kiosk.printouts.document import Document

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PrintOutcome:
    document: Document
    ok: bool  # the receipt printed (and, where the printer can answer, it said it is fine afterwards)
    message: str  # plain Danish, for the screen
    drawer_opened: bool | None = None  # None: no drawer kick was asked for

    @property
    def drawer_failed(self) -> bool:
        return self.drawer_opened is False


Done = Callable[[PrintOutcome], None]


class PrintQueue:
    def __init__(self, printer: ReceiptPrinter) -> None:
        self._printer = printer
        self._jobs: queue.Queue[tuple[Document, bool, Done | None] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="printer", daemon=True)
        self._thread.start()

    def submit(self, doc: Document, done: Done | None = None, *, open_drawer: bool = False) -> None:
        self._jobs.put((doc, open_drawer, done))

    def stop(self, timeout: float = 5.0) -> None:
        self._jobs.put(None)
        self._thread.join(timeout)

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            doc, drawer, done = job
            drawer_opened = self._kick() if drawer else None
            try:
                self._printer.print_document(doc)
                outcome = PrintOutcome(doc, True, L_("Kvitteringen er udskrevet"), drawer_opened)
            except KioskError as exc:
                log.warning("print failed: %s", exc)
                outcome = PrintOutcome(doc, False, exc.user_message, drawer_opened)
            except Exception as exc:  # a printer bug must not kill the print thread
                log.exception("unexpected printer error")
                outcome = PrintOutcome(doc, False, L_("Printeren fejlede: {problem}", problem=exc), drawer_opened)
            if outcome.ok and outcome.drawer_failed:
                outcome = PrintOutcome(doc, True, DRAWER_NOT_OPENED, False)
            if done is not None:
                try:
                    done(outcome)
                except Exception:
                    log.exception("print callback failed")

    def _kick(self) -> bool:
        """Open the drawer; False (logged) if it did not, never an exception: the receipt comes next."""
        try:
            self._printer.open_drawer()
        except KioskError as exc:
            log.warning("drawer did not open: %s", exc)
            return False
        except Exception:  # a printer bug must not kill the print thread
            log.exception("drawer kick failed")
            return False
        return True
