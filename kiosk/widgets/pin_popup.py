"""PinPopup: "Vælg dit navn", then "Tast din kode" on a big numpad.  Used to open the till (a name tile was
tapped: one person, straight to the code) and to let a supervisor approve something (several to choose from).

Every code goes through the code guard (kiosk/services/people/code_guard.py) with the popup's `entry`: wrong tries
are counted and journaled, five lock that person's code, and the popup says until when.  A worker's four digits
check at once, without OK; a leader's code (6 to 8 digits) ends with OK.  A leader's code from before the 6-digit
rule is right but opens nothing yet: the popup asks for a new one ("Vælg en ny kode på 6 cifre", then again) and
goes on once it is stored.  The staff menu and the time clock use the same two steps (`ask_new_code`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from kivy.lang import Builder
from kivy.properties import ObjectProperty, OptionProperty, StringProperty
from kivy.uix.modalview import ModalView

import kiosk.widgets.bigbutton  # kv rules of the widgets used below
import kiosk.widgets.numpad
import kiosk.widgets.tile  # noqa: F401
from kiosk.domain.pins import LONGEST, WORKER_DIGITS, code_problem, valid_pin
from kiosk.domain.roles import LEADER_ROLES
from kiosk.errors import KioskError
from kiosk.i18n import _, format_clock, n_
from kiosk.services.people import CodeLockedError, MustChangeCodeError, PersonView, WrongCodeError
from kiosk.widgets.tile import person_tile

# The new code, stored in place of the old one: who it is for, the old code, the new one -> the person.
Change = Callable[[PersonView, str, str], PersonView]


class Codes(Protocol):
    """What the popup asks of the code guard (kiosk.services.people.CodeGuard)."""

    def enter(self, person_id: Any, pin: str, entry: str, *, short_ok: bool = False) -> PersonView: ...

    def change_code(self, person_id: Any, old_pin: str, new_pin: str, entry: str) -> PersonView: ...


def code_refusal(exc: KioskError) -> str:
    """What a refused code says on screen (the popup, Personale, Mød ind): a lock names its end, a wrong code the
    tries left when few are."""
    if isinstance(exc, CodeLockedError):
        return _("For mange forkerte koder. Prøv igen kl. {time}, eller brug dit kort.").format(
            time=format_clock(exc.until)
        )
    if isinstance(exc, WrongCodeError):
        said = _("Forkert kode – prøv igen")
        if 0 < exc.tries_left <= 2:
            said += ". " + n_("1 forsøg tilbage.", "{n} forsøg tilbage.", exc.tries_left)
        return said
    return _(exc.user_message)  # the code rules' reasons are in the catalogue too


def is_leader(person: PersonView | None) -> bool:
    return person is not None and person.role in LEADER_ROLES


class PinPopup(ModalView):
    title = StringProperty("")
    person = ObjectProperty(None, allownone=True)
    message = StringProperty("")
    prompt = StringProperty("")
    step = OptionProperty("choose", options=("choose", "pin", "new", "again"))

    __events__ = ("on_accepted",)

    def __init__(
        self, people: Sequence[PersonView], codes: Codes, entry: str, *, change: Change | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("auto_dismiss", False)
        super().__init__(**kwargs)
        self._people = list(people)
        self._codes = codes
        self._entry = entry
        self._change: Change = change or (lambda who, old, new: codes.change_code(who.id, old, new, entry))
        self._old = self._new = ""  # only between the steps of a new code; forgotten on dismiss
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
        self._show("pin")
        if self._choose_step.parent is not None:
            self._choose_step.parent.remove_widget(self._choose_step)
        if self._pin_step.parent is None:
            self.ids.body.add_widget(self._pin_step)

    def ask_new_code(self, person: PersonView, old_pin: str) -> None:
        """Straight to "Vælg en ny kode på 6 cifre": `old_pin` was right but too short for a leader."""
        self.choose(person)
        self._old = old_pin
        self.message = _("Ledere skal nu have en kode på mindst 6 cifre.")
        self._show("new")

    def _show(self, step: str) -> None:
        self.step = step
        self.prompt = {
            "pin": _("Tast din kode"),
            "new": _("Vælg en ny kode på 6 cifre"),
            "again": _("Tast den nye kode igen"),
        }.get(step, "")
        # A worker's four digits check at once; a leader's code, and any new code, ends with OK.
        quick = step == "pin" and not is_leader(self.person)
        self.ids.numpad.max_length = WORKER_DIGITS if quick else LONGEST
        self.ids.numpad.clear()

    def typed(self, value: str) -> None:
        if self.step == "pin" and not is_leader(self.person) and len(value) == WORKER_DIGITS:
            self.submit(value)

    def submit(self, pin: str) -> None:
        person = self.person
        if person is None:
            return
        self.ids.numpad.clear()
        if self.step == "new":
            problem = code_problem(pin, person.role)
            if problem is not None:
                self.message = _(problem)
                return
            self._new = pin
            self.message = ""
            self._show("again")
        elif self.step == "again":
            self._store_new_code(person, pin)
        elif not valid_pin(pin):
            self.message = _("Koden har mindst 6 cifre") if is_leader(person) else _("Koden har 4 cifre")
        else:
            self._check(person, pin)

    def _check(self, person: PersonView, pin: str) -> None:
        try:
            who = self._codes.enter(person.id, pin, self._entry)
        except MustChangeCodeError:
            self.ask_new_code(person, pin)
            return
        except KioskError as exc:
            self.message = code_refusal(exc)
            return
        self._accept(who)

    def _store_new_code(self, person: PersonView, again: str) -> None:
        new, self._new = self._new, ""
        if again != new:
            self.message = _("De to koder er ikke ens. Prøv igen.")
            self._show("new")
            return
        try:
            who = self._change(person, self._old, new)
        except KioskError as exc:
            self.message = code_refusal(exc)
            self._show("new")
            return
        self._accept(who)

    def _accept(self, person: PersonView) -> None:
        self._old = self._new = ""
        self.dismiss(animation=False)
        self.dispatch("on_accepted", person)

    def on_dismiss(self) -> None:
        self.ids.numpad.clear()  # never leave a half-typed code behind
        self._old = self._new = ""

    def on_accepted(self, person: PersonView) -> None:
        pass


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
