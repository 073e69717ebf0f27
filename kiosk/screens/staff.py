"""Personale: "Tast din kode" on a large numpad; a supervisor's or admin's PIN opens the staff menu."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from kivy.lang import Builder
from kivy.properties import ObjectProperty, StringProperty

import kiosk.widgets.header  # kv rules of the widgets used below
import kiosk.widgets.numpad  # noqa: F401
from kiosk.i18n import _
from kiosk.screens.base import KioskScreen
from kiosk.services.people import PersonView

log = logging.getLogger(__name__)

SUPERVISOR_ROLES = ("supervisor", "admin")


class StaffScreen(KioskScreen):
    hint = StringProperty("")

    def refresh(self) -> None:
        self.ids.numpad.clear()
        self.hint = ""

    def on_leave(self, *args: Any) -> None:
        self.ids.numpad.clear()  # never leave a half-typed PIN behind

    def pin_entered(self, pin: str) -> None:
        from kiosk.screens.checkin import open_screen

        self.ids.numpad.clear()
        people = self.services.people
        leader = next(
            (p for p in people.staff() if p.role in SUPERVISOR_ROLES and p.has_pin and people.check_pin(p.id, pin)),
            None,
        )
        if leader is None:
            self.hint = _("Koden passer ikke til en leder. Prøv igen.")
            return
        log.info("staff menu opened by %s", leader.id)
        open_screen(self.kiosk, "staff_menu", supervisor=leader)


class StaffMenuScreen(KioskScreen):
    supervisor: PersonView | None = ObjectProperty(None, allownone=True)

    def open_reviews(self) -> None:
        from kiosk.screens.checkin import open_screen

        open_screen(self.kiosk, "shift_review", supervisor=self.supervisor)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
