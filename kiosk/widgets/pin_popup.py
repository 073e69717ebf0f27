"""PinPopup: "Vælg dit navn", then "Tast din kode" on a big numpad.  Used to open the till (a name tile was
tapped: one person, straight to the code) and to let a supervisor approve something (several to choose from).

The code is checked by the `check(person, pin)` callable given by the screen (a service call); four digits
check at once, without OK.  A wrong code clears the dots and says so; nothing else happens.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kivy.lang import Builder
from kivy.properties import ObjectProperty, StringProperty
from kivy.uix.modalview import ModalView

import kiosk.widgets.bigbutton  # kv rules of the widgets used below
import kiosk.widgets.numpad
import kiosk.widgets.tile  # noqa: F401
from kiosk.domain.pins import valid_pin
from kiosk.i18n import _
from kiosk.services.people.directory import PersonView
from kiosk.widgets.tile import person_tile

PIN_LENGTH = 4

Check = Callable[[PersonView, str], bool]


class PinPopup(ModalView):
    title = StringProperty("")
    person = ObjectProperty(None, allownone=True)
    message = StringProperty("")

    __events__ = ("on_accepted",)

    def __init__(self, people: Sequence[PersonView], check: Check, **kwargs: Any) -> None:
        kwargs.setdefault("auto_dismiss", False)
        super().__init__(**kwargs)
        self._people = list(people)
        self._check = check
        # Strong references: kv ids are weak, and the step not shown is out of the tree.
        self._choose_step = self.ids.choose_step.__self__
        self._pin_step = self.ids.pin_step.__self__
        self.ids.body.remove_widget(self._pin_step)
        if len(self._people) == 1:
            self.choose(self._people[0])
        else:
            self._fill_people()

    def _fill_people(self) -> None:
        grid = self.ids.people
        grid.clear_widgets()
        for n, person in enumerate(self._people):
            tile = person_tile(person, n)
            tile.bind(on_release=lambda t: self.choose(t.person))
            grid.add_widget(tile)

    def choose(self, person: PersonView) -> None:
        self.person = person
        self.message = ""
        self.ids.numpad.clear()
        if self._choose_step.parent is not None:
            self._choose_step.parent.remove_widget(self._choose_step)
        if self._pin_step.parent is None:
            self.ids.body.add_widget(self._pin_step)

    def typed(self, value: str) -> None:
        if len(value) == PIN_LENGTH:
            self.submit(value)

    def submit(self, pin: str) -> None:
        if self.person is None:
            return
        if not valid_pin(pin):
            self.message = _("Koden har 4 cifre")
        elif self._check(self.person, pin):
            person = self.person
            self.dismiss(animation=False)
            self.dispatch("on_accepted", person)
            return
        else:
            self.message = _("Forkert kode – prøv igen")
        self.ids.numpad.clear()

    def on_dismiss(self) -> None:
        self.ids.numpad.clear()  # never leave a half-typed code behind

    def on_accepted(self, person: PersonView) -> None:
        pass


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
