"""What the kiosk's first frame needs, and nothing more: the settings (the shop's name, the language), the clock and
the devices (the home screen's lamps).  `kiosk run` draws the home screen from this, then loads the database layer
(SQLAlchemy, the models, migrations, the journal key, every service: `load`) off the UI thread; the till opens
when that is in (kiosk/app.py).  Nothing here imports SQLAlchemy or Kivy: that is the point of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.clock import Clock, utc_now
from kiosk.config import Settings
from kiosk.devices.base import ReceiptPrinter, Scanner

if TYPE_CHECKING:
    from kiosk.bootstrap import Services


@dataclass
class Starting:
    settings: Settings
    clock: Clock
    printer: ReceiptPrinter
    scanner: Scanner
    sync: None = None  # the home screen's line about the other kiosks: nothing to say before the services are in

    @classmethod
    def from_settings(cls, settings: Settings, *, clock: Clock | None = None) -> Starting:
        from kiosk.devices.factory import make_printer, make_scanner

        return cls(settings, clock or utc_now, make_printer(settings.printer), make_scanner(settings.scanner))

    def load(self) -> Services:
        """The database layer and every service, with these devices (the lamps already watch them).  Raises what
        `build_services` raises: a KioskError for a start the kiosk must refuse (its database gone, a read-only card,
        a missing journal key), said on the screen."""
        from kiosk.bootstrap import build_services

        return build_services(self.settings, printer=self.printer, scanner=self.scanner, clock=self.clock)
