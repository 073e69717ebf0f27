"""Where a scan goes: ONE table, the scan's kind × where the kiosk is → its handler.

Every scan (serial scanner, keyboard wedge, the camera of a test) reaches `route` once, on the UI thread.  Where
the kiosk is (`where`) is decided first, in this order:

- ``setup``: Kom i gang is running: only the scanner step takes a scan (kiosk/screens/shop/setup_steps.py);
- ``staff``: staff mode is open, or Personale's PIN screen is on show: a badge opens or keeps staff mode, the
  screen on show may take a scan first (a product form takes its barcode); other kinds go as ``elsewhere``;
- ``sale`` / ``pay``: the till is on screen (Køb, Betal): a badge opens the till, nothing clocks in;
- ``signup``: a job's screens (a resident signing up): a card signs up for the job on show;
- ``elsewhere``: everything else.

The handlers live in their flows (check-in, småjobs, staff mode, refund); the ones that only answer are here.
A KioskError from any of them becomes its plain Danish message on screen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.domain.scan import FOREIGN, Kind, Scan, classify
from kiosk.errors import KioskError
from kiosk.i18n import _
from kiosk.screens.checkin import checkin_scan
from kiosk.screens.jobs import SIGNUP_SCREENS, day_scan, open_job_by_token, sign_up_by_card
from kiosk.screens.people import staff_scan
from kiosk.screens.sales import receipt_scan
from kiosk.screens.shop import setup_scan

if TYPE_CHECKING:
    from kiosk.screens.shell import Shell
    from kiosk.services.sales import ProductView

log = logging.getLogger(__name__)

Where = str  # "setup", "staff", "sale", "pay", "signup" or "elsewhere"
Handler = Callable[["Shell", Scan, str], None]  # (shell, the scan, the code as read)


def where(shell: Shell) -> Where:
    if shell.in_setup:
        return "setup"
    if shell.current == "staff" or shell.staff.is_open:
        return "staff"
    if shell.current in ("sale", "pay"):
        return shell.current
    if shell.current in SIGNUP_SCREENS:
        return "signup"
    return "elsewhere"


def route(shell: Shell, code: str) -> None:
    """On the UI thread: what a scanned code means, wherever the kiosk is."""
    if shell.in_setup:
        setup_scan(shell, code)  # the scanner check, or "finish setting up first"
        return
    try:
        scan = classify(code, shell.services.settings.job_urls)
        here = where(shell)
        log.info("scan: %s at %s", scan.kind, here)
        ROUTES[scan.kind, here](shell, scan, code)
    except KioskError as exc:
        log.warning("scan %r failed: %s", code, exc)
        shell.show_toast(exc.user_message, "error", 6)


# ---- the handlers that only answer (the flows' own are imported above) --------------------------------------


def _say(text: Callable[[], str], kind: str = "error") -> Handler:
    def say(shell: Shell, _scan: Scan, _code: str) -> None:
        shell.show_toast(text(), kind, 6)  # translated when said: the language may have changed

    return say


def product(shell: Shell, scan: Scan, _code: str) -> None:
    """A product scanned anywhere: one more in the open sale (kept while a payment is half taken)."""
    _sell(shell, shell.services.catalog.by_barcode(scan.value))


def product_at_sale(shell: Shell, scan: Scan, _code: str) -> None:
    """At Køb an unknown barcode is offered to staff (the till is open), who can attach it to a product."""
    found = shell.services.catalog.by_barcode(scan.value)
    if found is None and shell.counter.seller is not None:
        shell.screen_takes("unknown_barcode", scan.value)
    else:
        _sell(shell, found)


def _sell(shell: Shell, found: ProductView | None) -> None:
    if found is None:
        shell.show_toast(_("Ukendt vare – spørg en leder"), "error", 6)  # who scans a product is staff already
    elif shell.counter.busy:
        shell.show_toast(_("Gør betalingen færdig først"), "error", 6)
    else:
        shell.go("sale")
        shell.screen_takes("add_scanned", found)


def badge_at_till(shell: Shell, scan: Scan, _code: str) -> None:
    """At Køb a badge opens a locked till (this person sells now); at Betal it only says hello."""
    person = shell.services.people.by_badge(scan.value)
    if person is None:
        shell.show_toast(_("Ukendt kort – spørg en medarbejder"), "error", 6)
    elif shell.current == "sale" and shell.counter.seller is None:
        shell.screen_takes("log_in", person)
    else:
        shell.show_toast(_("Hej, {name}!").format(name=person.first_name), "ok")


def card_at_signup(shell: Shell, scan: Scan, code: str) -> None:
    """A resident card on a job's screens signs up for that job; with no job open it is an ordinary card."""
    if shell.job is not None:
        sign_up_by_card(shell, code, scan.value)
    else:
        day_scan(shell, code)


def garbage(shell: Shell, scan: Scan, _code: str) -> None:
    if scan.value == FOREIGN:
        shell.show_toast(_("Den kode er ikke fra kiosken – den hører til et andet system"), "error", 6)
    else:
        shell.show_toast(_("Koden kunne ikke læses – prøv igen"), "error", 6)


def _screen_first(then: Handler) -> Handler:
    """Staff mode: the screen on show may take the scan itself (a product form takes a barcode)."""

    def handler(shell: Shell, scan: Scan, code: str) -> None:
        if not shell.screen_takes("take_scan", scan):
            then(shell, scan, code)

    return handler


# ---- the table ----------------------------------------------------------------------------------------------

_job = lambda shell, scan, _code: open_job_by_token(shell, scan.value)  # noqa: E731
_slip = lambda shell, _scan, code: day_scan(shell, code)  # noqa: E731  (check in/out, or the resident's list)
_checkin = lambda shell, _scan, code: checkin_scan(shell, code)  # noqa: E731  (Mød ind / Gå hjem)
_staff = lambda shell, scan, _code: staff_scan(shell, scan)  # noqa: E731  (opens or keeps staff mode)
_receipt = lambda shell, scan, _code: receipt_scan(shell, scan.value)  # noqa: E731  (Retur: that sale)
_finish_sale = _say(lambda: _("Gør salget færdigt først"))
_not_here = _say(lambda: _("Den kode kan ikke bruges her endnu"), "info")
_worker_badge = _say(lambda: _("Det er et medarbejderkort. Beboere bruger deres eget kort."))

# Columns, where the kiosk is: elsewhere, signup, sale, pay, staff (the screen on show may take it first)
_TABLE: dict[Kind, tuple[Handler, Handler, Handler, Handler, Handler]] = {
    "product": (product, product, product_at_sale, product, product),
    "badge": (_checkin, _worker_badge, badge_at_till, badge_at_till, _staff),
    "card": (_slip, card_at_signup, _not_here, _not_here, _staff),
    "job": (_job, _job, _finish_sale, _finish_sale, _job),
    "signup": (_slip, _slip, _finish_sale, _finish_sale, _slip),
    "receipt": (_receipt, _receipt, _receipt, _receipt, _receipt),
    "garbage": (garbage, garbage, garbage, garbage, garbage),
}
ROUTES: dict[tuple[Kind, Where], Handler] = {}
for _kind, _row in _TABLE.items():
    for _where, _handler in zip(("elsewhere", "signup", "sale", "pay", "staff"), _row, strict=True):
        ROUTES[_kind, _where] = _screen_first(_handler) if _where == "staff" else _handler
