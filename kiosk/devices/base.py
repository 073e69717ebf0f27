"""The device ports the services depend on.  Real and fake implementations are chosen by URL (factory.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

from kiosk.devices.state import DeviceState
from kiosk.i18n import L_
from kiosk.printouts.document import Document

ScanCallback = Callable[[str], None]

# The drawer kick's own failure message (not the receipt's: the cashier can still open the drawer by hand).
DRAWER_NOT_OPENED = L_("Skuffen åbnede ikke – brug nøglen.")


@runtime_checkable
class ReceiptPrinter(Protocol):
    columns: int
    state: DeviceState  # bad after a job or check that failed, good again after one that worked

    @property
    def answers_status(self) -> bool:
        """Whether the printer is asked, after each job, if it can print (serial, USB, network)."""

    def print_document(self, doc: Document) -> None:
        """Print and cut.  Raises PrinterOfflineError when the printer cannot be reached or (where it can
        answer) does not answer its status, is out of paper or open.  Blocking: never on the UI thread."""

    def open_drawer(self) -> None:
        """Kick the cash drawer connected to the printer.  Raises PrinterOfflineError with the drawer's own
        user_message (DRAWER_NOT_OPENED)."""

    def is_online(self) -> bool:
        """Best effort: True if the printer answers its status, or where it cannot, if the transport opens.
        Blocking.  Updates `state`."""

    def describe(self) -> str: ...


@runtime_checkable
class Scanner(Protocol):
    def start(self, on_scan: ScanCallback) -> None:
        """Begin delivering decoded frames (AIM prefix stripped, no terminator) to `on_scan`, from any thread."""

    def stop(self) -> None: ...

    @property
    def connected(self) -> bool: ...

    @property
    def state(self) -> DeviceState:
        """`connected`, with listeners told when it changes (from the scanner's own threads)."""

    def describe(self) -> str: ...
