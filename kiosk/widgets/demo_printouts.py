"""Demo mode: each document the simulated printer prints opens on screen (ReceiptPreview), one at a time.

The printer tells its listener on the print thread; the preview opens on the UI thread.
"""

from __future__ import annotations

import contextlib
from typing import Any

from kivy.clock import Clock

from kiosk.printouts.document import Document
from kiosk.widgets.preview import ReceiptPreview


class DemoPrintouts:
    def __init__(self, printer: Any) -> None:
        self._printer = printer
        self._preview: ReceiptPreview | None = None

    def start(self) -> None:
        add_listener = getattr(self._printer, "add_listener", None)
        if add_listener is not None:
            add_listener(self._printed)

    def stop(self) -> None:
        remove_listener = getattr(self._printer, "remove_listener", None)
        if remove_listener is not None:
            with contextlib.suppress(ValueError):  # never added
                remove_listener(self._printed)

    def _printed(self, doc: Document, text: str) -> None:
        Clock.schedule_once(lambda _dt: self.show(doc.title, text))

    def show(self, title: str, text: str) -> ReceiptPreview:
        if self._preview is not None:
            self._preview.dismiss(animation=False)
        self._preview = ReceiptPreview(title=title, receipt=text, columns=self._printer.columns)
        self._preview.open()
        return self._preview
