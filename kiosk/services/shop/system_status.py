"""What the kiosk is set up with and whether its devices work, for the admin's "Opsætning" screen.

The settings come from the TOML file (kiosk.example.toml) and are never changed on the kiosk; this module only
reads them, together with the printer's and scanner's state, the last good backup and the app's version.
`overview` is quick (no device I/O); `printer_online` may take seconds (a dead network printer waits for its
timeout), so `check_printer` runs it on a thread of its own and hands the answer to a callback.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from importlib import metadata
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from kiosk.config import Settings, default_config_path
from kiosk.devices.base import ReceiptPrinter, Scanner
from kiosk.services.records import backup

log = logging.getLogger(__name__)

DISTRIBUTION = "hedemarken-kiosk"  # pyproject.toml [project] name


@dataclass(frozen=True)
class Overview:
    settings: Settings
    config_file: Path
    config_file_exists: bool  # False: no file, every setting is its default
    printer: str  # the printer's describe()
    scanner: str  # the scanner's describe()
    scanner_connected: bool
    scanner_is_keyboard: bool  # a keyboard-wedge scanner cannot be told apart from a keyboard until it scans
    backup: backup.BackupStatus
    version: str


def app_version() -> str:
    """The installed package's version, or the source tree's when it is not installed."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        from kiosk import __version__

        return __version__


def config_file(settings: Settings) -> Path:
    """The TOML file these settings came from (or the one the kiosk would read)."""
    return settings.config_file or default_config_path()


def overview(
    settings: Settings, printer: ReceiptPrinter, scanner: Scanner, sessions: sessionmaker[Session], now: datetime
) -> Overview:
    path = config_file(settings)
    return Overview(
        settings=settings,
        config_file=path,
        config_file_exists=path.is_file(),
        printer=printer.describe(),
        scanner=scanner.describe(),
        scanner_connected=bool(scanner.connected),
        scanner_is_keyboard=settings.scanner.url == "keyboard",
        backup=backup.status(sessions, settings.kiosk.id, now),
        version=app_version(),
    )


def printer_online(printer: ReceiptPrinter) -> bool:
    """Blocking (seconds for a dead network printer): never on the UI thread.  Any failure counts as offline."""
    try:
        return bool(printer.is_online())
    except Exception:
        log.exception("printer status check failed")
        return False


def check_printer(printer: ReceiptPrinter, done: Callable[[bool], None]) -> threading.Thread:
    """Ask the printer on a thread of its own; `done(online)` runs on that thread."""

    def run() -> None:
        online = printer_online(printer)
        try:
            done(online)
        except Exception:
            log.exception("printer status callback failed")

    thread = threading.Thread(target=run, name="printer-status", daemon=True)
    thread.start()
    return thread
