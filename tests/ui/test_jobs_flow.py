"""Småjobs in the running app, driven by taps and scans like a resident and a supervisor would.

The printer is the real ESC/POS code (EscposPrinter on python-escpos' Dummy): every QR the tests scan is taken out
of the bytes a printer would have received (kiosk.devices.escpos_decode.qr_payloads), never built by the test.
Set UI_SHOTS=DIR to save PNGs of each screen."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from kiosk.db.models import JournalEntry
from kiosk.devices.escpos_decode import decode_escpos_text, qr_payloads
from tests.conftest import SettableClock, add_job
from tests.ui.helpers import (
    assert_big_buttons,
    button_with_text,
    buttons,
    key,
    modal,
    pump,
    shot,
    tap,
    tap_in_view,
    wait_for,
)

# Wednesday 9 December 2026, 10.00 in Copenhagen (after every other UI test's "now").
START = datetime(2026, 12, 9, 9, 0, tzinfo=UTC)
BEFORE = START - timedelta(days=3)


@pytest.fixture(scope="module")
def clock(services: Any) -> Iterator[SettableClock]:
    """One clock for the sign-up service and the screens, moved by the tests; restored afterwards."""
    settable = SettableClock(BEFORE)
    saved = services.clock, services.signups._clock, services.job_admin._clock
    services.clock = services.signups._clock = services.job_admin._clock = settable
    yield settable
    services.clock, services.signups._clock, services.job_admin._clock = saved


@pytest.fixture(scope="module")
def printer(services: Any) -> Iterator[Any]:
    """The real ESC/POS rendering into python-escpos' Dummy, behind the app's print queue."""
    from kiosk.config import PrinterSettings
    from kiosk.devices.printer import EscposPrinter
    from kiosk.services.shop.printing import PrintQueue

    escpos = EscposPrinter(PrinterSettings(url="dummy"))
    saved = services.print_queue
    services.print_queue = PrintQueue(escpos)
    yield escpos
    services.print_queue.stop()
    services.print_queue = saved


def printed(printer: Any, count: int) -> list[bytes]:
    """Wait for `count` more print jobs than before; returns all jobs so far."""
    assert wait_for(lambda: len(printer.jobs) >= count), f"expected {count} print jobs, got {len(printer.jobs)}"
    return list(printer.jobs)


def make_job(services: Any, title: str, capacity: int) -> Any:
    return add_job(services.sessions, title, START, capacity, description="Handsker ligger klar.",
                   place="Gården ved Nyvej 23")  # fmt: skip


def supervisor(services: Any) -> Any:
    return next(p for p in services.people.staff() if p.role == "supervisor")


def open_admin(app: Any, services: Any) -> Any:
    app.go("jobs_admin", supervisor=supervisor(services))
    pump()
    return app.sm.current_screen


def type_on_screen(screen: Any, text: str) -> None:
    for char in text:
        tap(key(screen, char.lower() if char.isalpha() else char))


def test_slip_qr_then_keyboard_sign_up_then_check_in_and_out_credits_hours_to_the_job(
    app: Any, services: Any, clock: SettableClock, printer: Any
) -> None:
    clock.now = BEFORE
    job = make_job(services, "Maling af cykelskuret", 4)

    admin = open_admin(app, services)
    row = next(r for r in admin.ids.jobs.children if r.job.id == job.id)
    tap(row)
    assert admin.selected.id == job.id
    shot(app, "jobs_admin")
    before = len(printer.jobs)
    tap(admin.ids.print_slip)
    slip = printed(printer, before + 1)[-1]
    assert "Maling af\ncykelskuret" in decode_escpos_text(slip)  # large letters, two lines
    shop = services.settings.shop
    assert f"{shop.name}\n{shop.address}" in decode_escpos_text(slip)  # whose job it is, and where
    [job_code] = qr_payloads(slip)
    assert job_code == f"{services.settings.shop.job_url}{job.qr_token}"  # a web address a phone can open too

    app.go_home()
    app.handle_scan(job_code)
    pump()
    assert app.sm.current == "job" and app.sm.current_screen.job.id == job.id
    assert app.sm.current_screen.places == "4 ledige pladser"
    assert_big_buttons(app.sm.current_screen, disabled_too=True)
    shot(app, "job")

    tap(app.sm.current_screen.ids.sign_up)
    form = app.sm.current_screen
    assert app.sm.current == "job_signup"
    assert "Vi sletter det 12 måneder efter dit sidste job." in form.consent
    type_on_screen(form, "åse holm")
    assert form.ids.name.text == "Åse Holm"  # each word starts with a capital by itself
    tap(key(form, "enter"))  # Næste: on to the phone number, a big numpad
    assert form.ids.phone.active and not form.ids.name.active  # the blue frame moved on with Næste
    assert form.ids.keyboard.target == form.ids.phone
    type_on_screen(form, "12345678")
    assert_big_buttons(form, disabled_too=True)
    shot(app, "job_signup")
    before = len(printer.jobs)
    tap(form.ids.send)

    done = app.sm.get_screen("job_done")
    assert app.sm.current == "job_done" and done.heading == "Du er tilmeldt!"
    slips = printed(printer, before + 2)[before:]
    confirmation, card = (decode_escpos_text(b) for b in slips)
    assert "Du er tilmeldt!" in confirmation and "Onsdag 9. december 2026" in confirmation
    assert "kl. 10.00-13.00" in confirmation and "Gården ved Nyvej 23" in confirmation
    assert "Afmeld: scan denne kode" in confirmation
    assert "Dit kort til småjobs" in card and "Åse Holm" in card
    assert all(f"{shop.name}\n{shop.address}" in paper for paper in (confirmation, card))
    [slip_code] = qr_payloads(slips[0])
    assert slip_code.startswith("HK1:S:")
    shot(app, "job_done")

    clock.now = START + timedelta(minutes=5)  # on the day
    app.go_home()
    app.handle_scan(slip_code)
    pump()
    assert app.sm.current == "job_done"
    assert done.heading == "Velkommen, Åse! Du er tjekket ind kl. 10.05"

    clock.now = START + timedelta(hours=2, minutes=35)
    app.go_home()
    app.handle_scan(slip_code)
    pump()
    assert done.heading == "Tak for hjælpen, Åse! Du har været med i 2 t 30 min."

    admin = open_admin(app, services)
    tap(next(r for r in admin.ids.jobs.children if r.job.id == job.id))
    assert "Timer i alt: 2 t 30 min" in admin.summary
    [line] = admin.ids.lines.children
    assert (line.name, line.phone, line.status) == ("Åse Holm", "12 34 56 78", "Kom · 2 t 30 min")
    assert services.signups.roster(job.id).minutes == 150


def test_a_full_job_puts_the_next_on_the_waitlist_and_a_cancellation_moves_them_up(
    app: Any, services: Any, clock: SettableClock, printer: Any
) -> None:
    clock.now = BEFORE
    job = make_job(services, "Kagebagning til loppemarked", 1)
    first = services.signups.sign_up_new(job.id, "Karim", "87654321", consent=True)
    from kiosk.domain.scan import job_payload

    app.handle_scan(job_payload(job.qr_token, services.settings.shop.job_url))
    pump()
    screen = app.sm.current_screen
    assert screen.places == "Fuldt – venteliste"
    assert screen.ids.sign_up.text == "Venteliste"
    tap(screen.ids.sign_up)
    form = app.sm.current_screen
    type_on_screen(form, "bo")
    before = len(printer.jobs)
    tap(form.ids.send)
    done = app.sm.get_screen("job_done")
    assert done.heading == "Du er på venteliste som nr. 1"
    bo_slip, bo_card = printed(printer, before + 2)[before:]
    assert "Venteliste nr. 1" in decode_escpos_text(bo_slip)
    [bo_card_code] = qr_payloads(bo_card)

    # Karim cancels with his slip (the bytes his printed slip carries): his jobs, and Afmeld.
    [karim_code] = qr_payloads(printer.render(first.slip))
    app.go_home()
    app.handle_scan(karim_code)
    pump()
    mine = app.sm.current_screen
    assert app.sm.current == "my_jobs"
    [line] = mine.ids.list.children
    assert line.title == "Kagebagning til loppemarked" and line.status == "Tilmeldt"
    assert_big_buttons(mine, disabled_too=True)
    shot(app, "my_jobs")
    tap(button_with_text(line, "Afmeld"))
    assert done.heading == "Du er afmeldt «Kagebagning til loppemarked». Tak fordi du sagde til."

    calls = services.signups.call_list()
    assert [(c.name, c.job_title) for c in calls if c.job_title == job.title] == [("Bo", job.title)]
    admin = open_admin(app, services)
    tap(admin.ids.calls)
    assert any(r.name == "Bo" for r in admin.ids.lines.children)
    shot(app, "jobs_admin_calls")

    app.go_home()
    app.handle_scan(bo_card_code)  # Bo's next scan tells him
    pump()
    mine = app.sm.current_screen
    assert app.sm.current == "my_jobs"
    assert mine.mine.news[0].message.startswith("Der er blevet plads! Du er nu tilmeldt «Kagebagning")
    assert [line.status for line in mine.ids.list.children] == ["Tilmeldt"]
    assert not [c for c in services.signups.call_list() if c.job_title == job.title]


def test_wrong_codes_and_wrong_input_get_plain_messages(
    app: Any, services: Any, clock: SettableClock, printer: Any
) -> None:
    from kiosk.domain.scan import job_payload, make_payload

    clock.now = BEFORE
    job = make_job(services, "Snerydning ved børnehaven", 2)
    code = job_payload(job.qr_token, services.settings.shop.job_url)

    app.handle_scan("https://another-system.example.com/ticket/12345")
    assert app.toast.text == "Den kode er ikke fra kiosken – den hører til et andet system"
    app.handle_scan("https://example.org/hedemarken/job/not a token")
    assert app.toast.text == "Den kode er ikke fra kiosken – den hører til et andet system"

    app.handle_scan(code)
    pump()
    assert app.sm.current == "job"
    worker_badge = make_payload("badge", services.people.badge_token(supervisor(services).id))
    app.handle_scan(worker_badge)
    assert app.toast.text == "Det er et medarbejderkort. Beboere bruger deres eget kort."
    assert app.sm.current == "job", "a badge on the resident screens clocks nobody in"

    tap(app.sm.current_screen.ids.sign_up)
    form = app.sm.current_screen
    tap(form.ids.send)
    assert form.ids.name.problem == "Skriv dit navn."
    type_on_screen(form, "-.,")  # no digits on the name keyboard; punctuation alone is no name
    tap(form.ids.send)
    assert form.ids.name.problem == "Skriv dit navn med bogstaver."
    for _ in range(3):
        tap(key(form, "⌫"))
    type_on_screen(form, "mia")
    tap(form.ids.phone)
    type_on_screen(form, "1234")
    tap(form.ids.send)
    assert form.ids.phone.problem == "Skriv et dansk telefonnummer med 8 cifre."
    assert app.sm.current == "job_signup"
    shot(app, "job_signup_problem")
    for _ in range(4):
        tap(key(form, "⌫"))
    tap(form.ids.send)  # the number is optional
    assert app.sm.get_screen("job_done").heading == "Du er tilmeldt!"
    mia = services.signups.roster(job.id).lines[0]
    assert (mia.name, mia.phone_text) == ("Mia", "intet nummer")

    # Someone already on the job scans their card on it again: told so, and shown their jobs (with Afmeld).
    app.handle_scan(code)
    pump()
    result = services.signups.sign_up_new(job.id, "Noor", "22334455", consent=True)
    app.handle_scan(make_payload("card", result.card_token))
    pump()
    assert app.sm.current == "my_jobs"
    assert app.sm.current_screen.note == "Du er allerede tilmeldt."

    clock.now = START + timedelta(hours=4)  # the job is over
    app.handle_scan(code)
    pump()
    assert app.sm.get_screen("job_done").heading == "Jobbet «Snerydning ved børnehaven» er slut."


def test_staff_create_a_job_on_the_keyboard_and_print_its_slip(
    app: Any, services: Any, clock: SettableClock, printer: Any
) -> None:
    clock.now = BEFORE
    admin = open_admin(app, services)
    tap(admin.ids.new_job)
    form = app.sm.current_screen
    assert app.sm.current == "job_edit"
    type_on_screen(form, "æbleplukning")
    tap(form.ids.place)
    type_on_screen(form, "frugthaven")
    tap(form.ids.day)
    type_on_screen(form, "10-12-2026")
    tap(form.ids.starts)
    type_on_screen(form, "9.30")
    tap(form.ids.ends)
    type_on_screen(form, "8.00")  # before the start: refused, said by the field
    tap(form.ids.capacity)
    type_on_screen(form, "5")
    tap(form.ids.save)
    assert form.ids.ends.problem == "Slut skal være efter start."
    assert app.sm.current == "job_edit"
    assert_big_buttons(form, disabled_too=True)
    shot(app, "job_edit")
    for _ in range(4):
        tap(key(form, "⌫"))
    type_on_screen(form, "12.00")
    tap(form.ids.contact)  # the first staff member as contact person
    tap(form.ids.save)
    assert app.sm.current == "jobs_admin"
    assert app.toast.text == "Jobbet er gemt"
    admin = app.sm.current_screen
    assert admin.selected.title == "Æbleplukning"
    assert admin.selected.place == "Frugthaven"
    assert admin.selected.time_text == "09.30–12.00" and admin.selected.capacity == 5
    assert admin.selected.contact_name is not None
    leader = supervisor(services).id
    with services.sessions() as s:
        entry = s.scalars(select(JournalEntry).where(JournalEntry.kind == "job_created")).all()[-1]
        assert entry.person_id == leader
        assert json.loads(entry.payload)["title"] == "Æbleplukning"


def test_staff_cancel_a_job_and_each_resident_hears_it_by_phone_or_at_their_next_scan(
    app: Any, services: Any, clock: SettableClock, printer: Any
) -> None:
    from kiosk.domain.scan import job_payload
    from kiosk.widgets.dialog import ConfirmDialog

    clock.now = BEFORE
    job = make_job(services, "Juletræer i gården", 1)
    services.signups.sign_up_new(job.id, "Nadia", "23456789", consent=True)
    omar = services.signups.sign_up_new(job.id, "Omar", None, consent=True)  # on the waitlist
    [omar_card] = qr_payloads(printer.render(omar.card))

    admin = open_admin(app, services)
    row = next(r for r in admin.ids.jobs.children if r.job.id == job.id)
    tap_in_view(row)
    assert admin.selected.id == job.id
    assert_big_buttons(admin)
    tap(admin.ids.cancel_job)
    dialog = modal(ConfirmDialog)
    assert dialog.title == "Aflys «Juletræer i gården»?"
    assert dialog.message.startswith("2 personer er tilmeldt eller venter.")
    assert_big_buttons(dialog)
    shot(app, "jobs_admin_cancel")
    tap(button_with_text(dialog, "Aflys jobbet"))

    assert app.toast.text == "Jobbet er aflyst. Ring til dem på listen."
    assert admin.calling
    calls = {r.name: (r.phone, r.news, r.job) for r in admin.ids.lines.children}
    assert calls["Nadia"] == ("23 45 67 89", "Aflyst", "Juletræer i gården, 9. december 2026 kl. 10.00–13.00")
    assert calls["Omar"][:2] == ("intet nummer", "Aflyst")
    shot(app, "jobs_admin_cancelled_calls")
    tap(next(b for r in admin.ids.lines.children if r.name == "Nadia" for b in buttons(r)))  # "Sagt til"
    assert [r.name for r in admin.ids.lines.children if r.job.startswith("Juletræer")] == ["Omar"]
    admin.select(services.jobs.get(job.id))
    assert admin.ids.cancel_job.disabled and admin.ids.edit.disabled

    # the poster's QR says so; Omar's card shows the news and takes him off the call list
    app.go_home()
    app.handle_scan(job_payload(job.qr_token, services.settings.shop.job_url))
    pump()
    assert app.sm.get_screen("job_done").heading == "Jobbet «Juletræer i gården» er aflyst."
    app.go_home()
    app.handle_scan(omar_card)
    pump()
    assert app.sm.current == "my_jobs"
    [news] = app.sm.current_screen.mine.news
    assert news.message == "«Juletræer i gården» 9. december 2026 kl. 10.00–13.00 er aflyst. Du skal ikke komme."
    shot(app, "my_jobs_cancelled")
    assert not [c for c in services.signups.call_list() if c.job_title == job.title]


def test_the_app_runs_the_daily_upkeep_which_marks_no_shows(
    app: Any, services: Any, clock: SettableClock, printer: Any
) -> None:
    clock.now = BEFORE
    job = make_job(services, "Fejning af p-pladsen", 3)
    services.signups.sign_up_new(job.id, "Villads", None, consent=True)
    assert len(app._upkeep_events) == 2, "scheduled at start: soon, then once a day"
    clock.now = START + timedelta(hours=5)
    app.daily_upkeep()  # the job runs on a worker thread: wait for it
    wait_for(lambda: services.signups.roster(job.id).lines[0].status != "signed_up", timeout=30)
    [line] = services.signups.roster(job.id).lines
    assert line.status == "no_show"
