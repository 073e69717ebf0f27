"""Staff mode in the running app: a leader's PIN or badge opens it, a worker's does not, five wrong PINs lock PIN
entry; the menu shows what the role allows; an admin creates a product on the kiosk (barcode scanned into the
form, photo from a USB stick) that the till then sells; an admin replaces a lost badge.  Set UI_SHOTS=DIR to
save PNGs of each screen."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.conftest import SettableClock, same_picture
from tests.ui.conftest import NOW
from tests.ui.helpers import (
    assert_big_buttons,
    button_with_text,
    lock_till,
    log_in_staff,
    menu_titles,
    pump,
    scan,
    shot,
    staff_member,
    tap,
    tap_in_view,
    type_staff_pin,
    wait_for,
)

ADMIN_PIN, LEADER_PIN, WORKER_PIN = "739155", "628466", "5173"  # a leader's code: 6 digits or more
BARCODE = "5709998887776"


# ---- helpers ---------------------------------------------------------------------------------------------


def badge(services: Any, person: Any) -> str:
    from kiosk.domain.scan import make_payload

    return make_payload("badge", services.people.badge_token(person.id))


def popup(kind: type) -> Any:
    from kivy.core.window import Window

    found = [w for w in Window.children if isinstance(w, kind)]
    assert found, f"no {kind.__name__} open"
    return found[0]


def type_on_keyboard(popup_view: Any, text: str) -> None:
    from kiosk.widgets.keyboard import KeyboardKey

    keys = {b.key: b for b in popup_view.walk(restrict=True) if isinstance(b, KeyboardKey)}
    for char in text.lower():
        tap(keys[char])
    tap(keys["enter"])


def journal(services: Any, kind: str) -> list[tuple[Any, dict[str, Any]]]:
    from kiosk.db.models import JournalEntry

    with services.sessions() as s:
        q = select(JournalEntry).where(JournalEntry.kind == kind).order_by(JournalEntry.seq)
        return [(e.person_id, json.loads(e.payload)) for e in s.scalars(q)]


# ---- fixtures --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def team(services: Any) -> dict[str, Any]:
    """Our own people, with codes nobody in the demo data has."""
    people = services.people
    return {
        "admin": people.add("Yasmin Admin", "admin", pin=ADMIN_PIN),
        "leader": people.add("Leif Leder", "supervisor", pin=LEADER_PIN),
        "worker": people.add("Walter Hansen", "worker", pin=WORKER_PIN),
    }


@pytest.fixture
def clock(services: Any) -> Iterator[SettableClock]:
    """The staff service's and the code guard's clock, moved by the test (the rest of the app keeps the session's
    clock)."""
    settable = SettableClock(NOW)
    originals = services.staff_access._clock, services.code_guard._clock
    services.staff_access._clock = services.code_guard._clock = settable
    yield settable
    services.staff_access._clock, services.code_guard._clock = originals


@pytest.fixture
def sold_out(services: Any, team: dict[str, Any]) -> Iterator[None]:
    """The product a test makes leaves the till afterwards: other tests count the till's tiles."""
    yield
    made = services.catalog.by_barcode(BARCODE)
    if made is not None:
        services.product_admin.set_active(team["admin"].id, made.id, False)


# ---- staff mode ------------------------------------------------------------------------------------------


def test_a_workers_code_does_not_open_staff_mode_and_five_wrong_codes_lock_it(
    app: Any, services: Any, team: dict[str, Any], clock: SettableClock
) -> None:
    app.go("staff")
    pump()
    staff = app.sm.get_screen("staff")
    type_staff_pin(app, WORKER_PIN)
    assert app.sm.current == "staff"
    assert staff.hint == "Koden passer ikke til en leder. Prøv igen."
    for _ in range(3):
        type_staff_pin(app, "0000")
    assert staff.hint.endswith("1 forsøg tilbage.")
    type_staff_pin(app, "0000")
    assert staff.hint == "For mange forkerte koder. Prøv igen kl. 14.10, eller brug dit kort."
    shot(app, "staff_locked")
    type_staff_pin(app, LEADER_PIN)  # even the right code waits
    assert app.sm.current == "staff"
    assert staff.hint == "For mange forkerte koder. Prøv igen kl. 14.10, eller brug dit kort."
    wrong = [(who, p["entry"], p["try"]) for who, p in journal(services, "code_wrong")][-5:]
    assert wrong == [(None, "staff", n) for n in (1, 2, 3, 4, 5)], "nobody was chosen: the kiosk's count"
    assert journal(services, "code_locked")[-1][1]["until"] == (NOW + timedelta(minutes=5)).isoformat()

    clock.now = NOW + timedelta(minutes=5)
    app.go_home()
    app.go("staff")
    pump()
    assert staff.hint == "Eller scan dit kort"
    type_staff_pin(app, LEADER_PIN)
    assert app.sm.current == "staff_menu"
    assert journal(services, "staff_login")[-1] == (team["leader"].id, {"method": "pin"})


def test_a_leaders_badge_on_the_staff_screen_opens_staff_mode_and_a_workers_does_not(
    app: Any, services: Any, team: dict[str, Any]
) -> None:
    app.go("staff")
    pump()
    scan(services, badge(services, team["worker"]))
    assert app.sm.current == "staff", "a worker's badge at Personale neither opens the menu nor clocks in"
    assert app.toast.text == "Dit kort åbner ikke personale-menuen. Den er kun for ledere."
    scan(services, badge(services, team["leader"]))
    assert app.sm.current == "staff_menu"
    assert app.sm.get_screen("staff_menu").supervisor.id == team["leader"].id
    logins = len(journal(services, "staff_login"))
    scan(services, badge(services, team["leader"]))  # a double read never clocks the leader in or out
    assert app.sm.current == "staff_menu"
    assert app.toast.text == "Du er allerede logget ind, Leif."
    assert len(journal(services, "staff_login")) == logins
    assert not services.checkin.is_checked_in(team["leader"].id)


def test_a_supervisor_does_not_see_the_admin_entries_and_log_ud_forgets_the_leader(
    app: Any, services: Any, team: dict[str, Any]
) -> None:
    menu = log_in_staff(app, LEADER_PIN)
    assert menu.who == "Logget ind: Leif Leder · Leder"
    titles = menu_titles(app)
    assert "Godkend timer" in titles
    assert "Varer" not in titles and "Personer" not in titles
    assert_big_buttons(menu)
    shot(app, "staff_menu_supervisor")
    tap(menu.ids.logout)
    assert app.sm.current == "home"
    assert menu.supervisor is None
    assert app.toast.text == "Du er logget ud."
    assert journal(services, "staff_logout")[-1] == (team["leader"].id, {"reason": "logout"})

    menu = log_in_staff(app, ADMIN_PIN)
    assert {"Godkend timer", "Varer", "Personer"} <= set(menu_titles(app))
    shot(app, "staff_menu")


def test_left_alone_the_kiosk_goes_home_and_forgets_the_leader(app: Any, services: Any, team: dict[str, Any]) -> None:
    log_in_staff(app, ADMIN_PIN)
    tap(button_with_text(app.sm.get_screen("staff_menu"), "Varer"))
    assert app.sm.current == "products_admin"
    app._last_activity = time.monotonic() - app.idle_timeout_s - 1
    app._check_idle(1.0)
    pump()
    assert app.sm.current == "home"
    assert [s.name for s in app.sm.screens if getattr(s, "supervisor", None) is not None] == []
    assert journal(services, "staff_logout")[-1] == (team["admin"].id, {"reason": "idle"})


# ---- products --------------------------------------------------------------------------------------------


def test_a_product_made_on_the_kiosk_with_a_scanned_barcode_and_a_usb_photo_is_sold_at_the_till(
    app: Any, services: Any, team: dict[str, Any], stick: Path, sold_out: None
) -> None:
    from PIL import Image as PILImage

    from kiosk.widgets.entry_popups import AmountPopup, ImageChoice, ImagePickerPopup, TextEntryPopup

    PILImage.new("RGB", (64, 48), (200, 120, 40)).save(stick / "most.png")
    menu = log_in_staff(app, ADMIN_PIN)
    tap(button_with_text(menu, "Varer"))
    products = app.sm.get_screen("products_admin")
    shot(app, "products_admin")
    tap(products.ids.new)
    form = app.sm.get_screen("product_edit")
    assert app.sm.current == "product_edit"

    tap(form.ids.name)
    shot(app, "product_name")
    type_on_keyboard(popup(TextEntryPopup), "æblemost")
    assert form.name_text == "Æblemost"

    tap(form.ids.price)
    amount = popup(AmountPopup)
    for key in "999999":
        tap(button_with_text(amount.ids.numpad, key))
    assert amount.shown == "9.999,99\xa0kr."
    tap(button_with_text(amount.ids.numpad, "OK"))
    new_category = button_with_text(form.ids.categories, "Ny kategori")
    chosen = [b for b in form.ids.categories.children if b is not new_category and not b.outlined]
    assert not chosen and new_category.outlined, "nothing chosen yet, and Ny kategori must not look chosen"
    tap(new_category)
    type_on_keyboard(popup(TextEntryPopup), "saft")
    assert form.category == "Saft"
    saft = button_with_text(form.ids.categories, "Saft")
    assert not saft.outlined and button_with_text(form.ids.categories, "Ny kategori").outlined
    assert saft.colour != button_with_text(form.ids.categories, "Ny kategori").colour
    tap(form.ids.save)
    assert app.sm.current == "product_edit"
    assert form.hint == "Prisen er for høj. Den kan højst være 3.000,00\xa0kr."

    tap(form.ids.price)
    amount = popup(AmountPopup)
    for key in "2450":
        tap(button_with_text(amount.ids.numpad, key))
    tap(button_with_text(amount.ids.numpad, "OK"))
    assert form.ids.price.text == "24,50\xa0kr."

    scan(services, BARCODE)  # scanned while the form is open: the barcode field, not the till
    assert app.sm.current == "product_edit"
    assert form.barcodes_text == BARCODE
    assert form.hint == "Stregkoden er læst. Tryk Gem."

    tap(form.ids.usb_image)
    tap(next(w for w in popup(ImagePickerPopup).walk(restrict=True) if isinstance(w, ImageChoice)))
    assert form.image.endswith(".png")
    assert_big_buttons(form)
    shot(app, "product_edit")
    tap(form.ids.save)
    assert app.sm.current == "products_admin"
    assert app.toast.text == "Æblemost er gemt."
    made = services.catalog.by_barcode(BARCODE)
    assert (made.name, made.price_ore, made.category) == ("Æblemost", 2450, "Saft")
    assert same_picture(services.settings.data_dir / made.image, stick / "most.png")
    assert journal(services, "product_created")[-1][0] == team["admin"].id

    # The till sells it: Åse scans it at home, the Køb screen has it in the cart.
    tap(button_with_text(products, "Tilbage"))
    tap(button_with_text(menu, "Log ud"))
    app.counter.log_in(staff_member(services, "Åse"))
    scan(services, BARCODE)
    assert app.sm.current == "sale"
    assert [(line.name, line.unit_price_ore) for line in app.counter.cart.lines] == [("Æblemost", 2450)]
    tile = next(t for t in app.sm.get_screen("sale").ids.products.children if t.name == "Æblemost")
    assert tile.image == str(services.settings.data_dir / made.image), "the tile shows the product's photo"
    photo = next(w for w in tile.walk(restrict=True) if getattr(w, "source", None) == tile.image)
    assert photo.texture is not None and photo.opacity == 1
    pay = app.sm.get_screen("pay")
    tap(app.sm.get_screen("sale").ids.pay)
    tap(pay.ids.cash)
    tap(pay.ids.exact)
    sale_id = app.counter.finished.sale_id
    tap(pay.ids.receipt_no)
    from kiosk.db.models import SaleLine

    with services.sessions() as s:
        lines = s.scalars(select(SaleLine).where(SaleLine.sale_id == sale_id)).all()
        assert [(line.name, line.unit_price_ore, line.product_id) for line in lines] == [("Æblemost", 2450, made.id)]
    lock_till(app)


def test_ny_vares_red_problem_goes_as_soon_as_the_name_is_typed(app: Any, team: dict[str, Any]) -> None:
    from kiosk.widgets.entry_popups import TextEntryPopup

    menu = log_in_staff(app, ADMIN_PIN)
    tap(button_with_text(menu, "Varer"))
    tap(app.sm.get_screen("products_admin").ids.new)
    form = app.sm.get_screen("product_edit")
    tap(form.ids.save)  # nothing typed yet
    assert (app.sm.current, form.ids.hint.text) == ("product_edit", "Skriv varens navn")
    tap(form.ids.name)
    type_on_keyboard(popup(TextEntryPopup), "kakao")
    assert form.name_text == "Kakao"
    assert form.ids.hint.text == "", "the problem stood after it was put right"
    tap(form.ids.save)  # the next rule the form breaks is said in its place
    assert form.ids.hint.text == "Vælg en kategori"
    tap(button_with_text(form, "Tilbage"))


# ---- people ----------------------------------------------------------------------------------------------


def test_an_admin_adds_a_person_and_a_new_badge_makes_the_old_one_stop_working(
    app: Any, services: Any, team: dict[str, Any]
) -> None:
    from kiosk.screens.people.people_admin import RolePopup
    from kiosk.widgets.dialog import ConfirmDialog, ReferencePopup
    from kiosk.widgets.entry_popups import TextEntryPopup
    from kiosk.widgets.preview import ReceiptPreview

    menu = log_in_staff(app, ADMIN_PIN)
    tap(button_with_text(menu, "Personer"))
    people = app.sm.get_screen("people_admin")
    tap(people.ids.add)
    type_on_keyboard(popup(TextEntryPopup), "nora berg")
    tap(button_with_text(popup(RolePopup), "Medarbejder"))
    tap(button_with_text(popup(ReferencePopup).ids.numpad, "OK"))  # no phone number: skipped
    assert people.chosen.person.name == "Nora Berg"
    assert people.chosen.person.phone is None
    assert app.toast.text == "Nora Berg er tilføjet. Udskriv kortet, og giv en kode."
    framed = [t.person.person.name for t in people.ids.people.children if t.chosen]
    assert framed == ["Nora Berg"], "the new person's tile is framed: the buttons are hers"
    other = next(t for t in people.ids.people.children if not t.chosen)
    tap_in_view(other)
    assert [t for t in people.ids.people.children if t.chosen] == [other], "the frame follows a tap"
    tap_in_view(next(t for t in people.ids.people.children if t.person.person.name == "Nora Berg"))
    shot(app, "people_admin")
    assert_big_buttons(people)
    nora = people.chosen.person
    old = badge(services, nora)

    tap(people.ids.new_badge)
    tap(popup(ConfirmDialog).ids.yes)
    assert wait_for(lambda: app.toast.text == "Kortet er udskrevet. Klip det ud."), app.toast.text
    preview = popup(ReceiptPreview)  # the demo printer shows what came out
    assert preview.title == "Kort til Nora Berg"
    preview.dismiss(animation=False)
    new = badge(services, nora)
    assert new != old
    assert journal(services, "badge_reissued")[-1][1]["by"] == str(team["admin"].id)

    tap(button_with_text(people, "Tilbage"))
    tap(button_with_text(menu, "Log ud"))
    scan(services, old)  # at home: the lost badge is refused, with a message a worker understands
    assert app.sm.current == "checkin_done"
    assert "kort" in app.sm.get_screen("checkin_done").problem
    assert not services.checkin.is_checked_in(nora.id)
    app.go_home()
    scan(services, new)
    assert services.checkin.is_checked_in(nora.id)


def test_an_admin_adds_a_person_with_a_phone_number_typed_on_the_numpad(
    app: Any, services: Any, team: dict[str, Any]
) -> None:
    from kiosk.db.models import Person
    from kiosk.screens.people.people_admin import RolePopup
    from kiosk.widgets.dialog import ReferencePopup
    from kiosk.widgets.entry_popups import TextEntryPopup

    def type_digits(digits: str) -> None:
        numpad = popup(ReferencePopup).ids.numpad
        for digit in digits:
            tap(button_with_text(numpad, digit))
        tap(button_with_text(numpad, "OK"))

    menu = log_in_staff(app, ADMIN_PIN)
    tap(button_with_text(menu, "Personer"))
    people = app.sm.get_screen("people_admin")
    tap(people.ids.add)
    type_on_keyboard(popup(TextEntryPopup), "oskar lund")
    tap(button_with_text(popup(RolePopup), "Leder"))
    asked = popup(ReferencePopup)
    assert asked.title == "Telefonnummer (kan springes over)"
    shot(app, "people_admin_phone")

    type_digits("2012345")  # one digit short: said at once, and the numpad comes back with what was typed
    assert app.toast.text == "Skriv et dansk telefonnummer med 8 cifre."
    again = popup(ReferencePopup)
    assert again is not asked and again.ids.numpad.value == "2012345"
    with services.sessions() as s:
        assert s.scalars(select(Person).where(Person.name == "Oskar Lund")).all() == []

    type_digits("6")
    assert app.toast.text == "Oskar Lund er tilføjet. Udskriv kortet, og giv en kode."
    assert "Telefon 20 12 34 56" in people.chosen_text
    with services.sessions() as s:
        [oskar] = s.scalars(select(Person).where(Person.name == "Oskar Lund")).all()
        assert (oskar.role, oskar.phone, oskar.pin_hash) == ("supervisor", "20123456", None)
    by, payload = journal(services, "person_added")[-1]
    assert by == team["admin"].id
    assert payload == {"person": str(oskar.id), "role": "supervisor", "phone_given": True}  # never the number
    tap(button_with_text(people, "Tilbage"))
    tap(button_with_text(menu, "Log ud"))


# ---- Gem på USB ------------------------------------------------------------------------------------------


def test_gem_paa_usb_copies_in_one_call_and_says_so_plainly_without_a_stick(
    app: Any, services: Any, stick: Path, tmp_path: Path
) -> None:
    from kiosk.devices.usb_storage import UsbStorage
    from kiosk.widgets.usb_save import save_on_usb

    report = tmp_path / "z-rapport-7.pdf"
    report.write_bytes(b"%PDF-1.4")
    assert save_on_usb(app, report) == stick / "z-rapport-7.pdf"
    assert app.toast.text == "Gemt på USB-nøglen: z-rapport-7.pdf"
    services.usb = UsbStorage((tmp_path / "nothing-here",))
    assert save_on_usb(app, report) is None
    assert (app.toast.text, app.toast.kind) == ("Sæt en USB-nøgle i kiosken, og prøv igen.", "error")
