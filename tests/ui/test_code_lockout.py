"""Guessing a code through the real screens, with real touches: Køb's log-in, the refund approval, the barcode
approval and Mød ind / Gå hjem each lock that person's code after five wrong tries, say until when on screen,
refuse the right code while locked, and journal the five wrong tries by person id.  (The staff menu's lock is in
test_staff_mode.py.)  A leader's 4-digit code opens the staff menu only after "Vælg en ny kode på 6 cifre".

Each test makes its own people: a locked code stays locked for the rest of the session (its clock stands still),
so they are deactivated afterwards and the name tiles other tests see are as before."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import select

from tests.ui.helpers import (
    button_with_text,
    lock_till,
    modal,
    open_till,
    pump,
    staff_member,
    tap,
    tap_in_view,
    type_staff_pin,
    wait_modal,
)

# The session's clock says 14.05 in Copenhagen: five minutes on.
LOCKED = "For mange forkerte koder. Prøv igen kl. 14.10, eller brug dit kort."
UNKNOWN = "5709990001114"


@pytest.fixture
def fresh(services: Any) -> Iterator[Callable[[str, str, str], Any]]:
    made: list[Any] = []

    def make(name: str, role: str, pin: str) -> Any:
        made.append(services.people.add(name, role, pin=pin))
        return made[-1]

    yield make
    admin = next(p for p in services.people.staff() if p.role == "admin")
    for person in made:
        services.people_admin.set_active(admin.id, person.id, False)


@pytest.fixture
def till(app: Any) -> Iterator[None]:
    """Nobody at the till before and after (the tests log in through the popup, or not at all)."""
    lock_till(app)
    yield
    lock_till(app)


def wrong_tries(services: Any, person_id: Any) -> list[tuple[str, int]]:
    from kiosk.db.models import JournalEntry

    with services.sessions() as s:
        q = select(JournalEntry).where(JournalEntry.kind == "code_wrong", JournalEntry.person_id == person_id)
        return [(json.loads(e.payload)["entry"], json.loads(e.payload)["try"]) for e in s.scalars(q.order_by("seq"))]


def type_code(root: Any, digits: str, *, ok: bool) -> None:
    """Real touches on the numpad's keys as a quick finger types them: a key acts on its touch's up, and the
    screen is drawn once the code is in (a frame under a popup is slow to draw offscreen)."""
    for digit in digits:
        tap(button_with_text(root, digit), frames=0)
    if ok:
        tap(button_with_text(root, "OK"), frames=0)
    pump(1)


def guess_five_times(popup: Any, wrong: str, *, ok: bool) -> None:
    """Five wrong codes through the popup's numpad: the fourth says one try is left, the fifth locks."""
    for n in range(1, 6):
        type_code(popup, wrong, ok=ok)
        if n == 4:
            assert popup.ids.message.text == "Forkert kode – prøv igen. 1 forsøg tilbage."
    assert popup.ids.message.text == LOCKED


def test_guessing_a_code_at_the_tills_log_in_locks_it(app: Any, services: Any, fresh: Any, till: None) -> None:
    from kiosk.widgets.pin_popup import PinPopup

    gitte = fresh("Gitte Gætter", "worker", "4826")
    tap(app.sm.get_screen("home").ids.buy)
    sale = app.sm.current_screen
    tap_in_view(next(t for t in sale.ids.login.ids.people.children if t.name == "Gitte"))
    popup = wait_modal(PinPopup)
    guess_five_times(popup, "0000", ok=False)  # a worker's four digits check at once
    type_code(popup, "4826", ok=False)
    assert popup.ids.message.text == LOCKED, "the right code waits too"
    assert app.counter.seller is None and modal(PinPopup) is popup
    assert wrong_tries(services, gitte.id) == [("till", n) for n in range(1, 6)]


def test_guessing_a_code_at_the_refund_approval_locks_it(app: Any, services: Any, fresh: Any) -> None:
    from kiosk.domain.receipt import receipt_payload
    from kiosk.widgets.pin_popup import PinPopup
    from tests.ui.helpers import scan
    from tests.ui.test_till_admin import sell

    regnar = fresh("Regnar Retur", "supervisor", "739146")
    seller = staff_member(services, "Åse")
    original = sell(services, seller, [("Kaffe, kop", 1)], "cash")
    scan(services, receipt_payload(original.sale_id))
    popup = wait_modal(PinPopup)
    tap_in_view(next(t for t in popup.ids.people.children if t.name == "Regnar"))
    guess_five_times(popup, "000000", ok=True)  # a leader's code ends with OK
    type_code(popup, "739146", ok=True)
    assert popup.ids.message.text == LOCKED, "the right code waits too"
    assert app.sm.current != "refund"
    assert wrong_tries(services, regnar.id) == [("refund", n) for n in range(1, 6)]


def test_guessing_a_code_at_the_barcode_approval_locks_it(app: Any, services: Any, fresh: Any, till: None) -> None:
    from kiosk.widgets.dialog import ConfirmDialog
    from kiosk.widgets.pin_popup import PinPopup

    stine = fresh("Stine Stregkode", "supervisor", "284619")
    sale = open_till(app, services)
    app.handle_scan(UNKNOWN)
    tap(button_with_text(wait_modal(ConfirmDialog), "Tilknyt stregkode"))
    popup = wait_modal(PinPopup)
    tap_in_view(next(t for t in popup.ids.people.children if t.name == "Stine"))
    guess_five_times(popup, "000000", ok=True)
    type_code(popup, "284619", ok=True)
    assert popup.ids.message.text == LOCKED, "the right code waits too"
    assert sale.attach_code == ""
    assert wrong_tries(services, stine.id) == [("barcode", n) for n in range(1, 6)]


def test_guessing_a_code_at_mod_ind_locks_it(app: Any, services: Any, fresh: Any) -> None:
    mogens = fresh("Mogens Mødind", "worker", "6153")
    app.go("checkin")
    pump()
    tap_in_view(next(t for t in app.sm.get_screen("checkin").ids.people.children if t.name == "Mogens"))
    pin = app.sm.get_screen("checkin_pin")
    assert app.sm.current == "checkin_pin"
    for n in range(1, 6):
        type_code(pin.ids.numpad, "0000", ok=True)
        if n == 4:
            assert pin.ids.hint.text == "Forkert kode – prøv igen. 1 forsøg tilbage."
    assert pin.ids.hint.text == LOCKED
    type_code(pin.ids.numpad, "6153", ok=True)
    assert pin.ids.hint.text == LOCKED, "the right code waits too"
    assert app.sm.current == "checkin_pin" and not services.checkin.is_checked_in(mogens.id)
    assert wrong_tries(services, mogens.id) == [("checkin", n) for n in range(1, 6)]


def test_a_leaders_four_digit_code_opens_the_staff_menu_only_after_choosing_one_of_six(
    app: Any, services: Any, fresh: Any
) -> None:
    from kiosk.widgets.pin_popup import PinPopup

    kaj = fresh("Kaj Kortkode", "supervisor", "5937")  # set before leaders needed 6 digits
    app.go("staff")
    pump()
    type_staff_pin(app, "5937")
    popup = wait_modal(PinPopup)
    assert app.sm.current == "staff", "the menu waits for the new code"
    assert (popup.ids.prompt.text, popup.ids.message.text) == (
        "Vælg en ny kode på 6 cifre",
        "Ledere skal nu have en kode på mindst 6 cifre.",
    )
    type_code(popup, "1234", ok=True)
    assert popup.ids.message.text == "En leders kode skal være 6 til 8 tal"
    type_code(popup, "593711", ok=True)
    assert popup.ids.prompt.text == "Tast den nye kode igen"
    type_code(popup, "593712", ok=True)
    assert (popup.ids.prompt.text, popup.ids.message.text) == (
        "Vælg en ny kode på 6 cifre",
        "De to koder er ikke ens. Prøv igen.",
    )
    type_code(popup, "593711", ok=True)
    type_code(popup, "593711", ok=True)
    assert modal(PinPopup) is None
    assert app.sm.current == "staff_menu"
    assert app.sm.get_screen("staff_menu").supervisor.id == kaj.id
    assert services.people.check_pin(kaj.id, "593711") and not services.people.check_pin(kaj.id, "5937")
