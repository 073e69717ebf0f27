"""Which screens make up Kom i gang, and where a scan goes meanwhile.  Apart from the steps' own module, so the
scan router can route without loading their kv rules at start-up (a kiosk that is set up never shows them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.i18n import _
from kiosk.widgets import theme

if TYPE_CHECKING:
    from kiosk.screens.shell import Shell

STEPS = ("setup_shop", "setup_admin", "setup_printer", "setup_scanner", "setup_done")
FIRST = STEPS[0]
COUNTED = 4  # "Trin n af 4": the summary is not a step of its own


def is_setup_screen(name: str) -> bool:
    return name in STEPS


def setup_scan(shell: Shell, code: str) -> None:
    """While the kiosk is being set up, a scan only counts on the scanner step (as the check)."""
    if not shell.screen_takes("scanned", code):
        shell.show_toast(_("Gør opsætningen færdig først"), "info", theme.TOAST_SHORT)
