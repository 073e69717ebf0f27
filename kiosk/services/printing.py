"""Printing off the UI thread.  One worker thread owns the printer; callers get a callback with the outcome,
so a slow serial printer or a missing one never freezes the screen."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.devices.base import ReceiptPrinter
from kiosk.errors import KioskError
from kiosk.receipts.document import Document

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PrintOutcome:
    document: Document
    ok: bool
    message: str  # plain Danish, for the screen


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
            try:
                if drawer:
                    self._printer.open_drawer()
                self._printer.print_document(doc)
                outcome = PrintOutcome(doc, True, "Kvitteringen er udskrevet")
            except KioskError as exc:
                log.warning("print failed: %s", exc)
                outcome = PrintOutcome(doc, False, exc.user_message)
            except Exception as exc:  # a printer bug must not kill the print thread
                log.exception("unexpected printer error")
                outcome = PrintOutcome(doc, False, f"Printeren fejlede: {exc}")
            if done is not None:
                try:
                    done(outcome)
                except Exception:
                    log.exception("print callback failed")
