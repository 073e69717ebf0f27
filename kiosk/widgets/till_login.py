"""TillLogin: what Køb shows while the till is locked: "Scan dit kort" big, or a name tile to tap (then the
code on a PinPopup).  Fires `on_person(person)` when a tile is tapped; the screen asks for the code."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kivy.lang import Builder
from kivy.uix.boxlayout import BoxLayout

import kiosk.widgets.bigbutton  # kv rules of the widgets used below
import kiosk.widgets.even_grid  # the tile grids below keep their columns' width
import kiosk.widgets.tile  # noqa: F401
from kiosk.services.people.directory import PersonView
from kiosk.widgets.tile import person_tile


class TillLogin(BoxLayout):
    __events__ = ("on_person",)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._people: list[PersonView] = []

    def show_people(self, people: Sequence[PersonView]) -> None:
        if list(people) == self._people:
            return  # the same tiles: nothing to draw again
        self._people = list(people)
        grid = self.ids.people
        grid.clear_widgets()
        for n, person in enumerate(people):
            tile = person_tile(person, n)
            tile.bind(on_release=lambda t: self.dispatch("on_person", t.person))
            grid.add_widget(tile)

    def on_person(self, person: PersonView) -> None:
        pass


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
