"""The device implementation each URL (DESIGN §2, parsed in kiosk.devices.urls) names.  Constructing opens nothing.

The devices are imported only inside the factories, so python-escpos and pyserial load only when one is asked for.
"""

from __future__ import annotations

from kiosk.config import PrinterSettings, ScannerSettings
from kiosk.devices.base import ReceiptPrinter, Scanner
from kiosk.devices.urls import PYSERIAL_URL_SCHEMES
from kiosk.errors import ConfigError, DeviceError
from kiosk.i18n import L_


def make_printer(settings: PrinterSettings) -> ReceiptPrinter:
    """``preview`` -> on-screen PreviewPrinter; everything else (``dummy``, ``file:``, ``serial:``, ``usb:``,
    ``tcp://``, ``cups:``, ``lp:``) -> EscposPrinter, which rejects an unknown URL with ConfigError."""
    if settings.url == "preview":
        from kiosk.devices.printer import PreviewPrinter

        return PreviewPrinter(settings.columns)
    from kiosk.devices.printer import EscposPrinter  # imports python-escpos only when a real printer is asked

    return EscposPrinter(settings)


def make_scanner(settings: ScannerSettings) -> Scanner:
    url = settings.url
    if url == "dummy":
        from kiosk.devices.scanner import FakeScanner

        return FakeScanner()
    if url == "keyboard":
        from kiosk.devices.wedge import KeyboardScanner

        return KeyboardScanner(settings.max_key_interval_ms, settings.min_length)
    if url.startswith("serial:") or url.startswith(PYSERIAL_URL_SCHEMES):
        from kiosk.devices.scanner import SerialScanner

        return SerialScanner(url)
    if url.startswith("evdev:"):
        raise DeviceError(
            f"scanner URL {url!r}: evdev scanners are not supported yet; use a serial URL or 'keyboard'",
            user_message=L_("Denne scanner-type er ikke understøttet endnu. Kontakt en administrator."),
        )
    raise ConfigError(f"scanner URL {url!r} is not one of dummy, keyboard, serial:..., evdev:...")
