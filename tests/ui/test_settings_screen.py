"""Opsætning in the running app: an admin opens it from the staff menu and sees what the kiosk is set up with and
whether the printer answers; "Udskriv testseddel" prints the printer-test slip, and a dead printer is said
plainly; a supervisor has no such entry.  Also: an admin changes a person's role on Personer.  Set
UI_SHOTS=DIR to save PNGs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from tests.ui.helpers import (
    assert_big_buttons,
    button_with_text,
    close_previews,
    key,
    log_in_staff,
    menu_titles,
    modal,
    pump,
    shot,
    tap,
    tap_in_view,
    wait_for,
)

ADMIN_PIN, LEADER_PIN = "482655", "391766"  # a leader's code: 6 digits or more


def tap_person(people: Any, person_id: Any) -> None:
    """Scrolled into view first: the shared UI database may hold more people than fit on the screen."""
    pump()  # the list may have just been rebuilt (a role changed): let it lay out before scrolling
    tile = next(t for t in people.ids.people.children if t.person.person.id == person_id)
    tap_in_view(tile)


@pytest.fixture(scope="module")
def team(services: Any) -> dict[str, Any]:
    people = services.people
    return {
        "admin": people.add("Sigrid Opsæt", "admin", pin=ADMIN_PIN),
        "leader": people.add("Lasse Leder", "supervisor", pin=LEADER_PIN),
    }


@pytest.fixture
def printer(services: Any) -> Iterator[Any]:
    """The session's PreviewPrinter, switched back on afterwards."""
    yield services.printer
    services.printer.online = True


def test_an_admin_sees_the_shop_and_the_printers_state_and_prints_a_test_slip(
    app: Any, services: Any, team: dict[str, Any], printer: Any
) -> None:
    from kiosk.services.shop import system_status

    menu = log_in_staff(app, ADMIN_PIN)
    tap(button_with_text(menu.ids.entries, "Opsætning"))
    assert app.sm.current == "settings"
    screen = app.sm.get_screen("settings")
    facts = {row.label: row.value for row in screen.ids.shop_rows.children}
    assert facts["Navn"] == services.settings.shop.name == "Hedemarkens Butik"
    assert facts["CVR"] == services.settings.shop.cvr
    assert facts["QR på bonen"] == "https://example.org/hedemarken/"  # the demo prints the job board's example
    kiosk_facts = {row.label: row.value for row in screen.ids.kiosk_rows.children}
    assert kiosk_facts["Tilbage til start"] == "efter 90 sekunder"
    assert kiosk_facts["Kiosktilstand"] == "Fra"
    assert kiosk_facts["Datamappe"] == str(services.settings.data_dir)
    assert wait_for(lambda: screen.printer_text == "Printeren svarer."), screen.printer_text
    assert screen.printer_ok
    path = system_status.config_file(services.settings)
    assert screen.hint == f"Resten ændres i opsætningsfilen {path} – spørg den ansvarlige."
    assert screen.version_text.startswith("Version ")
    assert_big_buttons(screen)
    shot(app, "settings")

    before = len(printer.printed)
    tap(screen.ids.print_test)
    assert wait_for(lambda: app.toast.text == "Testsedlen er udskrevet. Er ÆØÅ og QR-koden pæne?"), app.toast.text
    close_previews()
    assert len(printer.printed) == before + 1
    assert "Testudskrift" in printer.texts[-1] and "ÆØÅ æøå €" in printer.texts[-1]

    printer.online = False  # the printer is switched off: the screen says so, in words
    tap(screen.ids.print_test)
    assert wait_for(lambda: app.toast.text == "Printeren svarer ikke. Tjek at den er tændt og har papir.")
    assert screen.printer_text == "Printeren svarer ikke. Tjek strøm og kabel." and not screen.printer_ok
    assert len(printer.printed) == before + 1

    app.go("home")  # and when it is on again, the screen asks again when opened
    printer.online = True
    log_in_staff(app, ADMIN_PIN)
    tap(button_with_text(app.sm.get_screen("staff_menu").ids.entries, "Opsætning"))
    assert wait_for(lambda: screen.printer_text == "Printeren svarer."), screen.printer_text

    tap(button_with_text(screen, "Tilbage"))
    assert app.sm.current == "staff_menu"
    assert app.sm.get_screen("staff_menu").supervisor.id == team["admin"].id


@pytest.fixture
def shop_file(services: Any, tmp_path: Any) -> Iterator[Any]:
    """The session's kiosk reads a real kiosk.toml for this test; its shop is put back afterwards."""
    import dataclasses

    path = tmp_path / "kiosk.toml"
    path.write_text("# Hedemarken\n[kiosk]\nidle_timeout_s = 90\n", encoding="utf-8")
    saved = services.settings
    services.settings = dataclasses.replace(saved, config_file=path)
    yield path
    services.settings = saved
    services.sales.use_settings(saved)


def retype(screen: Any, field: Any, text: str) -> None:
    tap(field)
    for _ in range(len(field.text)):
        tap(key(screen, "⌫"))
    for char in text:
        tap(key(screen, char))


def test_an_admin_changes_the_shops_cvr_and_mobilepay_number_on_the_keyboard(
    app: Any, services: Any, team: dict[str, Any], shop_file: Any
) -> None:
    from kiosk.config import load_settings

    menu = log_in_staff(app, ADMIN_PIN)
    tap(button_with_text(menu.ids.entries, "Opsætning"))
    tap(app.sm.get_screen("settings").ids.edit_shop)
    assert app.sm.current == "shop_edit"
    form = app.sm.current_screen
    assert (form.ids.name.text, form.ids.mobilepay.text) == ("Hedemarkens Butik", "12345")

    retype(form, form.ids.cvr, "1234")  # too short: said under the field, nothing saved
    tap(form.ids.save)
    assert form.ids.cvr.problem == "Et CVR-nummer har 8 cifre."
    assert app.sm.current == "shop_edit"
    assert_big_buttons(form)
    shot(app, "shop_edit")
    tap(key(form, "⌫"))  # the CVR field is picked again: the first key put right clears its problem
    assert (form.ids.cvr.text, form.ids.cvr.problem) == ("123", "")
    retype(form, form.ids.cvr, "29876543")
    retype(form, form.ids.mobilepay, "54321")
    tap(form.ids.save)

    assert app.sm.current == "settings"
    assert app.toast.text == "Butikken er gemt. Den næste kvittering viser det nye."
    facts = {row.label: row.value for row in app.sm.get_screen("settings").ids.shop_rows.children}
    assert (facts["CVR"], facts["MobilePay"]) == ("29876543", "54321")
    saved = load_settings(shop_file)
    assert (saved.shop.cvr, saved.shop.mobilepay, saved.kiosk.idle_timeout_s) == ("29876543", "54321", 90)
    assert "# Hedemarken" in shop_file.read_text(encoding="utf-8")
    assert services.settings.shop.mobilepay == "54321"  # the pay screen's MobilePay number from now on


def test_a_supervisor_has_no_settings_entry_and_godkend_timer_goes_back_to_the_menu(
    app: Any, team: dict[str, Any]
) -> None:
    menu = log_in_staff(app, LEADER_PIN)
    assert "Opsætning" not in menu_titles(app)
    assert "Godkend timer" in menu_titles(app)
    tap(button_with_text(menu.ids.entries, "Godkend timer"))
    assert app.sm.current == "shift_review"
    tap(button_with_text(app.sm.get_screen("shift_review"), "Tilbage"))
    assert app.sm.current == "staff_menu"
    assert menu.supervisor.id == team["leader"].id


def test_an_admin_makes_a_worker_a_leader_on_personer(app: Any, services: Any, team: dict[str, Any]) -> None:
    from kiosk.db.models import JournalEntry
    from kiosk.screens.people.people_admin import RolePopup

    ines = services.people.add("Ines Ibsen", "worker", pin="1593")
    menu = log_in_staff(app, ADMIN_PIN)
    tap(button_with_text(menu.ids.entries, "Personer"))
    people = app.sm.get_screen("people_admin")
    tap_person(people, ines.id)
    assert people.chosen.person.id == ines.id
    assert_big_buttons(people)
    shot(app, "people_admin_role")
    tap(people.ids.set_role)
    tap(button_with_text(modal(RolePopup), "Leder"))
    assert app.toast.text == "Ines er nu leder. Den gamle kode er slettet. Giv en ny kode."
    assert people.chosen.person.role == "supervisor"
    assert "Leder" in people.chosen_text and "ingen kode" in people.chosen_text
    with services.sessions() as s:
        entry = s.scalars(select(JournalEntry).where(JournalEntry.kind == "role_changed")).all()[-1]
        assert entry.person_id == team["admin"].id
        assert json.loads(entry.payload)["to"] == "supervisor"

    # the admin cannot take away their own rights
    tap_person(people, team["admin"].id)
    tap(people.ids.set_role)
    tap(button_with_text(modal(RolePopup), "Leder"))
    assert app.toast.text == "Du kan ikke fjerne dine egne administrator-rettigheder"
    assert people.chosen.person.role == "admin"
