"""Personale: staff mode.  A supervisor or admin opens it with their badge (scanned on this screen) or their code;
five wrong codes lock code entry for five minutes, doubling on repeat (the code guard keeps count, in the journal:
kiosk/services/people/code_guard.py).  A leader's code shorter than 6 digits opens the menu only after a new one
is chosen (the code popup's "Vælg en ny kode på 6 cifre").

The staff menu draws one button per STAFF_ENTRIES line the leader's role allows, shows who is logged in, and has
"Log ud".  The staff session (who, since when) is kept by a service (kiosk/services/people/staff_session.py);
staff screens get the leader as their `supervisor` (`shell.go(name, supervisor=person)`).  Going to any screen
without a `supervisor` (home, Køb, ...), "Log ud" or the idle timeout ends the session: every screen forgets the
leader.
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
from kiosk.i18n import _, n_
from kiosk.screens.base import KioskScreen
from kiosk.screens.people.staff_entries import STAFF_ENTRIES
from kiosk.services.people import STAFF, CodeLockedError, MustChangeCodeError, PersonView, WrongCodeError
from kiosk.widgets import icon, theme
from kiosk.widgets.bigbutton import BigButton
from kiosk.widgets.explained import explained
from kiosk.widgets.pin_popup import PinPopup, code_refusal

if TYPE_CHECKING:
    from kiosk.screens.shell import Shell

log = logging.getLogger(__name__)

MENU = "staff_menu"


def role_name(role: str) -> str:
    return {"worker": _("Medarbejder"), "supervisor": _("Leder"), "admin": _("Administrator")}.get(role, role)


# ---- the staff session (kiosk/services/people/staff_session.py keeps it; the shell and the router call these) ----


def is_staff_screen(name: str) -> bool:
    """Staff screens are the ones that take the leader (`supervisor`); the PIN screen itself is not one."""
    from kiosk.screens import SCREENS

    ref = SCREENS.get(name)
    return ref is not None and hasattr(ref.load(), "supervisor")


def start_staff_session(shell: Shell, leader: PersonView) -> None:
    shell.staff.start(leader)  # another leader's session ends first (journaled)
    shell.go(MENU, supervisor=leader)
    shell.show_toast(_("Hej, {name}!").format(name=leader.first_name), "ok")


def staff_scan(shell: Shell, scan: Scan) -> bool:
    """A badge or card while staff mode is open, or on the Personale screen: True when staff mode took it.

    A badge on Personale opens staff mode for a leader; in staff mode a badge never clocks anyone in or out."""
    if scan.kind not in ("badge", "card"):
        return False
    if scan.kind == "card":
        shell.show_toast(_("Det er et beboerkort. Personale bruger deres eget kort."), "error", theme.TOAST_LONG)
        return True
    leader = shell.staff.leader
    if leader is not None and leader.id == getattr(shell.services.people.by_badge(scan.value), "id", None):
        shell.show_toast(_("Du er allerede logget ind, {name}.").format(name=leader.first_name), "info")
        return True  # a double read: nothing new to journal
    with explained(shell, what="badge refused at staff mode"):
        start_staff_session(shell, shell.services.staff_access.log_in_with_badge(scan.value))
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
        return "" if until is None else code_refusal(CodeLockedError(until))

    def pin_entered(self, pin: str) -> None:
        self.ids.numpad.clear()
        if not pin:
            return
        access = self.services.staff_access
        try:
            leader = access.log_in_with_pin(pin)
        except MustChangeCodeError as exc:
            popup = PinPopup(
                [exc.person],
                self.services.code_guard,
                STAFF,
                change=lambda who, old, new: access.log_in_with_new_code(who.id, old, new),
                title=_("Personale"),
            )
            popup.ask_new_code(exc.person, pin)
            popup.bind(on_accepted=lambda _p, who: start_staff_session(self.shell, who))
            popup.open(animation=False)
            return
        except WrongCodeError as exc:
            self.hint = _("Koden passer ikke til en leder. Prøv igen.")
            if exc.tries_left <= 2:
                self.hint += " " + n_("1 forsøg tilbage.", "{n} forsøg tilbage.", exc.tries_left)
            return
        except KioskError as exc:
            self.hint = code_refusal(exc)
            return
        start_staff_session(self.shell, leader)


class StaffMenuScreen(KioskScreen):
    supervisor: PersonView | None = ObjectProperty(None, allownone=True)
    who = StringProperty("")

    def on_supervisor(self, _screen: Any, leader: PersonView | None) -> None:
        if leader is not None:
            self.shell.staff.hand_to(leader)  # the menu is staff mode: whoever it is opened for has it

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
        if self.supervisor is None:
            return
        self.shell.go(name, supervisor=self.supervisor)

    def log_out(self) -> None:
        self.shell.staff.end("logout")
        self.shell.go_home()
        self.shell.show_toast(_("Du er logget ud."), "ok")


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
