"""Personale: staff mode.  A supervisor or admin opens it with their badge (scanned on this screen) or their PIN;
five wrong PINs lock PIN entry for five minutes (kiosk/services/people/staff_access.py keeps count, in the journal).

The staff menu draws one button per STAFF_ENTRIES line the leader's role allows, shows who is logged in, and has
"Log ud".  The staff session is the leader on the menu (`StaffMenuScreen.supervisor`); staff screens get the
leader as their `supervisor` (`open_screen(app, name, supervisor=person)`).  Going to any screen without a
`supervisor` (home, Køb, ...), "Log ud" or the idle timeout ends the session: every screen forgets the leader.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kivy.lang import Builder
from kivy.properties import ObjectProperty, StringProperty

import kiosk.widgets.bigbutton
import kiosk.widgets.header  # kv rules of the widgets used below
import kiosk.widgets.numpad  # noqa: F401
from kiosk.domain.scan import Scan
from kiosk.errors import KioskError
from kiosk.i18n import _, format_clock, n_
from kiosk.screens.base import KioskScreen
from kiosk.screens.people.staff_entries import STAFF_ENTRIES
from kiosk.services.people.directory import PersonView
from kiosk.services.people.staff_access import StaffPinLockedError, WrongStaffPinError
from kiosk.widgets import icon, theme
from kiosk.widgets.bigbutton import BigButton
from kiosk.widgets.explained import explained

if TYPE_CHECKING:
    from kiosk.app import KioskApp

log = logging.getLogger(__name__)

MENU = "staff_menu"


def role_name(role: str) -> str:
    return {"worker": _("Medarbejder"), "supervisor": _("Leder"), "admin": _("Administrator")}.get(role, role)


# ---- the staff session (what the app calls) --------------------------------------------------------------


def staff_leader(app: KioskApp) -> PersonView | None:
    """Who has staff mode open, or None."""
    if MENU not in app.sm.screen_names:  # not built yet: nobody has opened staff mode
        return None
    leader: PersonView | None = app.sm.get_screen(MENU).supervisor
    return leader


def is_staff_screen(name: str) -> bool:
    """Staff screens are the ones that take the leader (`supervisor`); the PIN screen itself is not one."""
    from kiosk.screens import SCREENS

    ref = SCREENS.get(name)
    return ref is not None and hasattr(ref.load(), "supervisor")


def start_staff_session(app: KioskApp, leader: PersonView) -> None:
    from kiosk.screens.checkin.checkin import open_screen

    current = staff_leader(app)
    if current is not None and current.id != leader.id:
        end_staff_session(app, "logout")
    open_screen(app, MENU, supervisor=leader)
    app.show_toast(_("Hej, {name}!").format(name=leader.first_name), "ok")


def end_staff_session(app: KioskApp, reason: str) -> None:
    """Forget the leader on every screen and journal it.  Nothing happens when no staff session is open."""
    leader = staff_leader(app)
    if leader is None:
        return
    for screen in app.sm.screens:
        if getattr(screen, "supervisor", None) is not None:
            screen.supervisor = None
    log.info("staff mode closed for %s (%s)", leader.id, reason)
    try:
        app.services.staff_access.log_out(leader.id, reason)
    except KioskError:
        log.exception("could not journal the staff logout")


def staff_scan(app: KioskApp, scan: Scan) -> bool:
    """A scan while staff mode is open, or on the Personale screen: True when staff mode took it.

    The screen on show may take it first (`take_scan`: a barcode for the product form).  A badge on Personale
    opens staff mode for a leader; in staff mode a badge never clocks anyone in or out."""
    on_pin_screen = app.sm.current == "staff"
    if not on_pin_screen and staff_leader(app) is None:
        return False
    take = getattr(app.sm.current_screen, "take_scan", None)
    if take is not None and take(scan):
        return True
    if scan.kind not in ("badge", "card"):
        return False
    if scan.kind == "card":
        app.show_toast(_("Det er et beboerkort. Personale bruger deres eget kort."), "error", 6)
        return True
    leader = staff_leader(app)
    if leader is not None and leader.id == getattr(app.services.people.by_badge(scan.value), "id", None):
        app.show_toast(_("Du er allerede logget ind, {name}.").format(name=leader.first_name), "info")
        return True  # a double read: nothing new to journal
    with explained(app, what="badge refused at staff mode"):
        start_staff_session(app, app.services.staff_access.log_in_with_badge(scan.value))
    return True


# ---- the screens ----------------------------------------------------------------------------------------


class StaffScreen(KioskScreen):
    hint = StringProperty("")

    def refresh(self) -> None:
        self.ids.numpad.clear()
        self.hint = self._locked_hint() or _("Eller scan dit kort")

    def on_leave(self, *args: Any) -> None:
        self.ids.numpad.clear()  # never leave a half-typed PIN behind

    def _locked_hint(self) -> str:
        until = self.services.staff_access.pin_state().locked_until
        if until is None:
            return ""
        return _("For mange forkerte koder. Prøv igen kl. {time}, eller scan dit kort.").format(
            time=format_clock(until)
        )

    def pin_entered(self, pin: str) -> None:
        self.ids.numpad.clear()
        if not pin:
            return
        try:
            leader = self.services.staff_access.log_in_with_pin(pin)
        except StaffPinLockedError:
            self.hint = self._locked_hint()
            return
        except WrongStaffPinError as exc:
            self.hint = _("Koden passer ikke til en leder. Prøv igen.")
            if exc.tries_left <= 2:
                self.hint += " " + n_("1 forsøg tilbage.", "{n} forsøg tilbage.", exc.tries_left)
            return
        start_staff_session(self.kiosk, leader)


class StaffMenuScreen(KioskScreen):
    supervisor: PersonView | None = ObjectProperty(None, allownone=True)
    who = StringProperty("")

    def refresh(self) -> None:
        leader = self.supervisor
        grid = self.ids.entries
        grid.clear_widgets()
        if leader is None:
            self.who = ""
            return
        self.who = _("Logget ind: {name} · {role}").format(name=leader.name, role=role_name(leader.role))
        for entry in STAFF_ENTRIES:
            if not entry.allowed(leader.role):
                continue
            button = BigButton(
                text=_(entry.title),
                subtext=_(entry.subtitle),
                icon=icon(entry.icon),
                colour=theme.STAFF if entry.role == "admin" else theme.CHECKIN,
                font_size=34,
                icon_size=64,
            )
            button.entry = entry
            button.bind(on_release=lambda b: self.open_entry(b.entry.screen))
            grid.add_widget(button)

    def open_entry(self, name: str) -> None:
        from kiosk.screens.checkin.checkin import open_screen

        if self.supervisor is None:
            return
        open_screen(self.kiosk, name, supervisor=self.supervisor)

    def log_out(self) -> None:
        end_staff_session(self.kiosk, "logout")
        self.kiosk.go_home()
        self.kiosk.show_toast(_("Du er logget ud."), "ok")


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
