""" "Gem på USB" for any screen: one call copies a file onto the USB stick and says where it went, or says plainly
that there is no stick.  The copying itself is kiosk/devices/usb_storage.py (no Kivy there)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.i18n import _
from kiosk.widgets import theme
from kiosk.widgets.explained import explained

if TYPE_CHECKING:
    from kiosk.app import KioskApp


def save_on_usb(app: KioskApp, source: Path, name: str | None = None) -> Path | None:
    """Copy `source` onto the first USB stick (as `name`, default its own name); a toast tells how it went.
    Returns where the copy went, or None when it did not happen."""
    saved: Path | None = None
    with explained(app, what="save on USB failed"):
        saved = app.services.usb.copy_to_stick(source, name)
        app.show_toast(_("Gemt på USB-nøglen: {name}").format(name=saved.name), "ok", theme.TOAST_LONG)
    return saved
