"""Personer (admin): everyone who works here, "Tilføj person" (name, role, then a phone number that may be
skipped); for the one chosen: print their badge, "Nyt kort" (the old badge stops working at once), "Ny kode",
"Skift rolle", "Billede fra USB" (the photo on their name tile) or "Fjern billede", and deactivate or bring back.
Each is one service call, journaled there with the admin as who."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import ObjectProperty, StringProperty
from kivy.uix.modalview import ModalView

import kiosk.widgets.bigbutton
import kiosk.widgets.dialog
import kiosk.widgets.even_grid  # the tile grids below keep their columns' width
import kiosk.widgets.header
import kiosk.widgets.tile  # noqa: F401
from kiosk.domain.jobs import clean_phone, phone_text
from kiosk.domain.pins import LONGEST, WORKER_DIGITS
from kiosk.domain.roles import LEADER_ROLES
from kiosk.errors import KioskError
from kiosk.i18n import _
from kiosk.screens.base import KioskScreen
from kiosk.screens.people.staff import role_name
from kiosk.services.people import ListedPerson, PersonView
from kiosk.services.shop import PrintOutcome
from kiosk.widgets import icon, theme
from kiosk.widgets.dialog import ReferencePopup, confirm
from kiosk.widgets.entry_popups import ImagePickerPopup, TextEntryPopup
from kiosk.widgets.explained import explained
from kiosk.widgets.tile import person_tile

log = logging.getLogger(__name__)


class RolePopup(ModalView):
    """Medarbejder / Leder / Administrator as three big buttons; `on_accept(role)`."""

    title = StringProperty("")

    __events__ = ("on_accept",)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("auto_dismiss", False)
        super().__init__(**kwargs)

    def choose(self, role: str) -> None:
        self.dismiss(animation=False)
        self.dispatch("on_accept", role)

    def on_accept(self, role: str) -> None:
        pass


class PeopleAdminScreen(KioskScreen):
    supervisor = ObjectProperty(None, allownone=True)
    chosen: ListedPerson | None = ObjectProperty(None, allownone=True)
    chosen_text = StringProperty("")

    def refresh(self, keep: uuid.UUID | None = None) -> None:
        grid = self.ids.people
        grid.clear_widgets()
        self.chosen, self.chosen_text = None, ""
        if self.supervisor is None:
            return
        for n, listed in enumerate(self.services.people_admin.everyone()):
            person = listed.person
            colour = theme.PERSON_COLOURS[n % len(theme.PERSON_COLOURS)] if listed.active else theme.BORDER
            name = person.first_name if listed.active else f"({person.first_name})"
            tile = person_tile(person, n, name=name, colour=colour, person=listed)
            tile.bind(on_release=lambda t: self.choose(t.person))
            grid.add_widget(tile)
            if person.id == keep:
                self.choose(listed)

    def choose(self, listed: ListedPerson) -> None:
        self.chosen = listed
        for tile in self.ids.people.children:  # the tapped one framed: whose buttons these are
            tile.chosen = tile.person.person.id == listed.person.id
        person = listed.person
        state = "" if listed.active else "  ·  " + _("deaktiveret")
        code = _("har en kode") if person.has_pin else _("ingen kode")
        phone = "\n" + _("Telefon {number}").format(number=phone_text(person.phone)) if person.phone else ""
        self.chosen_text = f"{person.name}\n{role_name(person.role)} · {code}{state}{phone}"

    # ---- the admin's actions (each one service call; its refusal shown as it is) ----

    def _do(self, work: Callable[[], Any], done: str) -> bool:
        try:
            work()
        except KioskError as exc:
            log.info("people admin refused: %s", exc)
            self.shell.show_toast(exc.user_message, "error", theme.TOAST_LONG)
            return False
        chosen = self.chosen.person.id if self.chosen is not None else None
        self.refresh(keep=chosen)
        self.shell.show_toast(done, "ok", theme.TOAST_MEDIUM)
        return True

    def ask_new_person(self) -> None:
        popup = TextEntryPopup(title=_("Navn på den nye person"), max_length=120)
        popup.bind(on_accept=lambda _p, name: self._ask_role(name))
        popup.open(animation=False)

    def _ask_role(self, name: str) -> None:
        popup = RolePopup(title=_("Hvad skal {name} være?").format(name=name))
        popup.bind(on_accept=lambda _p, role: self._ask_phone(name, role))
        popup.open(animation=False)

    def _ask_phone(self, name: str, role: str, typed: str = "") -> None:
        """On the numpad; OK with nothing typed skips it.  A number that is not Danish is said at once and the
        numpad comes back with what was typed, so the name and role need not be chosen again."""
        popup = ReferencePopup(typed, title=_("Telefonnummer (kan springes over)"))
        popup.ids.numpad.max_length = 8
        popup.bind(on_accept=lambda _p, phone: self._phone_typed(name, role, phone))
        popup.open(animation=False)

    def _phone_typed(self, name: str, role: str, phone: str) -> None:
        try:
            clean_phone(phone)
        except KioskError as exc:
            self.shell.show_toast(exc.user_message, "error", theme.TOAST_LONG)
            self._ask_phone(name, role, phone)
            return
        self._add(name, role, phone)

    def _add(self, name: str, role: str, phone: str = "") -> None:
        assert self.supervisor is not None
        added: list[Any] = []

        def work() -> None:
            added.append(self.services.people_admin.add(self.supervisor.id, name, role, phone or None))

        if self._do(work, _("{name} er tilføjet. Udskriv kortet, og giv en kode.").format(name=name)):
            self.refresh(keep=added[0].id)

    def print_badge(self) -> None:
        if self.chosen is None:
            return
        with explained(self.shell):
            doc = self.services.people_admin.badge(self.chosen.person.id, self.services.settings.shop)
            self.services.print_queue.submit(
                doc, lambda outcome: Clock.schedule_once(lambda _dt: self._printed(outcome))
            )
            self.shell.show_toast(_("Kortet udskrives …"), "info")

    def _printed(self, outcome: PrintOutcome) -> None:
        if outcome.ok:
            self.shell.show_toast(_("Kortet er udskrevet. Klip det ud."), "ok", theme.TOAST_LONG)
        else:
            self.shell.show_toast(outcome.message, "error", theme.TOAST_READ)

    def ask_new_badge(self) -> None:
        if self.chosen is None:
            return
        person = self.chosen.person
        confirm(
            _("Nyt kort til {name}?").format(name=person.first_name),
            _("Det gamle kort holder op med at virke med det samme."),
            lambda: self._new_badge(person.id),
            icon=icon("badge"),
            yes_text=_("Lav nyt kort"),
            no_text=_("Fortryd"),
            yes_colour=theme.STAFF,
        )

    def _new_badge(self, person_id: uuid.UUID) -> None:
        assert self.supervisor is not None
        by = self.supervisor.id
        if self._do(
            lambda: self.services.people_admin.reissue_badge(by, person_id), _("Det gamle kort virker ikke mere.")
        ):
            self.print_badge()

    def ask_pin(self) -> None:
        if self.chosen is None:
            return
        person = self.chosen.person
        leader = person.role in LEADER_ROLES  # a leader's or an admin's code: 6 to 8 digits, a worker's 4
        title = _("Ny kode til {name} (6 til 8 tal)") if leader else _("Ny kode til {name} (4 tal)")
        popup = ReferencePopup(title=title.format(name=person.first_name))
        popup.ids.numpad.max_length = LONGEST if leader else WORKER_DIGITS
        popup.bind(on_accept=lambda _p, pin: self._set_pin(person.id, pin))
        popup.open(animation=False)

    def _set_pin(self, person_id: uuid.UUID, pin: str) -> None:
        assert self.supervisor is not None
        by = self.supervisor.id
        self._do(lambda: self.services.people_admin.set_pin(by, person_id, pin), _("Koden er gemt."))

    def ask_role(self) -> None:
        if self.chosen is None:
            return
        person = self.chosen.person
        popup = RolePopup(title=_("Hvad skal {name} være?").format(name=person.first_name))
        popup.bind(on_accept=lambda _p, role: self._set_role(person, role))
        popup.open(animation=False)

    def _set_role(self, person: PersonView, role: str) -> None:
        assert self.supervisor is not None
        by = self.supervisor.id
        pin_removed: list[bool] = []
        done = _("{name} er nu {role}.").format(name=person.first_name, role=role_name(role).lower())

        def work() -> None:
            pin_removed.append(self.services.people_admin.set_role(by, person.id, role))

        if self._do(work, done) and pin_removed[0]:
            self.shell.show_toast(
                done + " " + _("Den gamle kode er slettet. Giv en ny kode."), "info", theme.TOAST_READ
            )

    def ask_photo(self) -> None:
        """The pictures on the USB stick, as in the product form; the one tapped becomes the person's photo."""
        if self.chosen is None:
            return
        person = self.chosen.person
        images = self.services.usb.images()
        if not images:
            self.shell.show_toast(
                _("Ingen billeder fundet. Sæt en USB-nøgle med billeder i kiosken."), "error", theme.TOAST_LONG
            )
            return
        popup = ImagePickerPopup(images)
        popup.bind(on_accept=lambda _p, path: self._set_photo(person.id, path))
        popup.open(animation=False)

    def _set_photo(self, person_id: uuid.UUID, path: Path) -> None:
        assert self.supervisor is not None
        by = self.supervisor.id
        self._do(lambda: self.services.people_admin.set_photo(by, person_id, path), _("Billedet er gemt."))

    def ask_remove_photo(self) -> None:
        if self.chosen is None or self.supervisor is None:
            return
        by, person = self.supervisor.id, self.chosen.person
        confirm(
            _("Fjern billedet af {name}?").format(name=person.first_name),
            _("Navnet vises med forbogstaver igen."),
            lambda: self._do(lambda: self.services.people_admin.remove_photo(by, person.id), _("Billedet er fjernet.")),
            yes_text=_("Fjern billede"),
            no_text=_("Fortryd"),
            yes_colour=theme.ERROR,
        )

    def toggle_active(self) -> None:
        if self.chosen is None or self.supervisor is None:
            return
        by, listed = self.supervisor.id, self.chosen
        if not listed.active:
            self._do(
                lambda: self.services.people_admin.set_active(by, listed.person.id, True), _("Personen er aktiv igen.")
            )
            return
        confirm(
            _("Deaktivér {name}?").format(name=listed.person.first_name),
            _("Kort og kode holder op med at virke. Timer og salg bliver gemt."),
            lambda: self._do(
                lambda: self.services.people_admin.set_active(by, listed.person.id, False),
                _("Personen er deaktiveret."),
            ),
            yes_text=_("Deaktivér"),
            no_text=_("Fortryd"),
            yes_colour=theme.ERROR,
        )


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
