"""Mød ind / Gå hjem: "Vælg dit navn" with a tile per worker.  A tap greets them; the time clock comes later."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder

import kiosk.widgets.header  # noqa: F401  (kv rules of the widgets used below)
from kiosk.screens.base import KioskScreen
from kiosk.services.people import PersonView
from kiosk.widgets import theme
from kiosk.widgets.tile import PersonTile


class CheckinScreen(KioskScreen):
    def refresh(self) -> None:
        grid = self.ids.people
        grid.clear_widgets()
        for n, person in enumerate(self.services.people.staff()):
            grid.add_widget(self._tile(person, n))

    def _tile(self, person: PersonView, n: int) -> PersonTile:
        colour = theme.PERSON_COLOURS[n % len(theme.PERSON_COLOURS)]
        tile = PersonTile(initials=person.initials, name=person.first_name, colour=colour)
        tile.person = person
        tile.bind(on_release=lambda t: self.kiosk.greet(t.person))
        return tile


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
