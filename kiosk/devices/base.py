"""The device ports the services depend on.  Real and fake implementations are chosen by URL (factory.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

from kiosk.receipts.document import Document

ScanCallback = Callable[[str], None]


@runtime_checkable
class ReceiptPrinter(Protocol):
    columns: int

    def print_document(self, doc: Document) -> None:
        """Print and cut.  Raises PrinterOfflineError when the printer cannot be reached.  Blocking: never call
        it on the UI thread."""

    def open_drawer(self) -> None:
        """Kick the cash drawer connected to the printer."""

    def is_online(self) -> bool:
        """Best effort: True if the transport opens.  Not proof that paper came out."""

    def describe(self) -> str: ...


@runtime_checkable
class Scanner(Protocol):
    def start(self, on_scan: ScanCallback) -> None:
        """Begin delivering decoded frames (AIM prefix stripped, no terminator) to `on_scan`, from any thread."""

    def stop(self) -> None: ...

    @property
    def connected(self) -> bool: ...

    def describe(self) -> str: ...
