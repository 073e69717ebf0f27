"""Mød ind / Gå hjem: name tiles ("inde" on those here now) -> "Tast din kode" -> the confirmation.

The routing a badge scan takes lives here too (`checkin_scan`), so the scan router only calls it: outside a sale in
progress a badge (or a resident card at the worker flow) goes to the check-in service, and the worker sees the
confirmation, the forgotten check-out question, or a calm message — never a crash.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kivy.lang import Builder
from kivy.properties import ColorProperty, ObjectProperty, StringProperty

import kiosk.widgets.even_grid  # the tile grids below keep their columns' width
import kiosk.widgets.header
import kiosk.widgets.numpad  # noqa: F401
from kiosk.errors import KioskError
from kiosk.i18n import _
from kiosk.screens.base import KioskScreen
from kiosk.services.checkin import CheckInResult
from kiosk.services.people import CodeLockedError, PersonView, WrongCodeError
from kiosk.widgets import theme
from kiosk.widgets.pin_popup import code_refusal
from kiosk.widgets.tile import PersonTile, person_tile

if TYPE_CHECKING:
    from kiosk.screens.shell import Shell

log = logging.getLogger(__name__)


# ---- what the scan router and other screens call -------------------------------------------------------


def checkin_scan(shell: Shell, code: str) -> bool:
    """A badge or card scan: True when the check-in flow took it (not while a sale is in progress)."""
    if shell.sale_in_progress():
        return False
    try:
        result = shell.services.checkin.scan_code(code)
    except KioskError as exc:
        log.warning("check-in scan refused: %s", exc)
        show_problem(shell, exc.user_message)
        return True
    show_result(shell, result)
    return True


def show_result(shell: Shell, result: CheckInResult, note: str = "") -> None:
    if result.forgotten is not None and not note:
        shell.go("forgotten", result=result)
    else:
        shell.go("checkin_done", result=result, note=note, problem="")


def show_problem(shell: Shell, message: str) -> None:
    shell.go("checkin_done", result=None, note="", problem=message)


# ---- the screens ---------------------------------------------------------------------------------


class InTile(PersonTile):
    """A name tile with a small "inde" marker for those checked in now."""

    marker = StringProperty("")


class CheckinScreen(KioskScreen):
    def refresh(self) -> None:
        grid = self.ids.people
        grid.clear_widgets()
        checkin = self.services.checkin
        for n, person in enumerate(self.services.people.staff()):
            grid.add_widget(self._tile(person, n, checkin.is_checked_in(person.id)))

    def _tile(self, person: PersonView, n: int, inside: bool) -> InTile:
        tile = person_tile(person, n, InTile)
        tile.marker = _("inde") if inside else ""
        tile.bind(on_release=lambda t: self.shell.go("checkin_pin", person=t.person))
        return tile


class CheckinPinScreen(KioskScreen):
    person = ObjectProperty(None, allownone=True)
    hint = StringProperty("")
    hint_colour = ColorProperty(theme.TEXT_MUTED)

    def refresh(self) -> None:
        self.ids.numpad.clear()
        if self.person is not None and not self.person.has_pin:
            self.hint = _("Du har ingen kode endnu – spørg en leder, eller brug dit kort")
        else:
            self.hint = _("Fire tal – dem du plejer")
        self.hint_colour = theme.TEXT_MUTED

    def on_leave(self, *args: Any) -> None:
        self.ids.numpad.clear()  # never leave a half-typed PIN behind

    def submit(self, pin: str) -> None:
        if self.person is None or not pin:
            return
        try:
            result = self.services.checkin.check_in_with_pin(self.person.id, pin)
        except (WrongCodeError, CodeLockedError) as exc:  # counted by the code guard; five lock this person's code
            self.ids.numpad.clear()
            self.hint = code_refusal(exc)
            self.hint_colour = theme.TEXT
            return
        except KioskError as exc:
            log.warning("PIN check-in refused: %s", exc)
            show_problem(self.shell, exc.user_message)
            return
        show_result(self.shell, result)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
