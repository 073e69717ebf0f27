"""Mød ind / Gå hjem in the running app: badge scans over a real pseudo-terminal, name + PIN, the forgotten
check-out question, and a supervisor's correction.  Set UI_SHOTS=DIR to save PNGs of each screen."""

from __future__ import annotations

import logging
import os
import statistics
import time
import tty
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from kiosk.services.shop.demo import DEMO_PINS
from tests.conftest import SettableClock
from tests.ui.helpers import assert_big_buttons, button_with_text, log_in_staff, pump, shot, tap, wait_for

log = logging.getLogger(__name__)

# Tuesday 24 November 2026, 09.02 in Copenhagen: after the session's NOW, so the clock guard is happy.
START = datetime(2026, 11, 24, 8, 2, tzinfo=UTC)


def person(services: Any, first_name: str) -> Any:
    return next(p for p in services.people.staff() if p.first_name == first_name)


def badge_code(services: Any, first_name: str) -> str:
    from kiosk.domain.scan import make_payload

    return make_payload("badge", services.people.badge_token(person(services, first_name).id))


@pytest.fixture(scope="module")
def clock(services: Any) -> Iterator[SettableClock]:
    """The check-in service's clock, moved by the tests; afterwards the session's clock and guard are restored."""
    settable = SettableClock(START)
    original = services.checkin._clock
    services.checkin._clock = settable
    yield settable
    services.checkin._clock = original
    services.checkin.accept_clock(person(services, "Jørgen").id)


@pytest.fixture
def scanner_pty(app: Any) -> Iterator[int]:
    """A real pseudo-terminal with the kiosk's serial scanner on its slave end; yields the master fd."""
    from kiosk.devices.scanner import SerialScanner

    master, slave = os.openpty()
    tty.setraw(master)
    tty.setraw(slave)
    scanner = SerialScanner(f"serial:{os.ttyname(slave)}")
    scanner.start(app._scan_from_device)
    assert scanner.wait_connected(5)
    yield master
    scanner.stop()
    for fd in (master, slave):
        os.close(fd)


def test_badge_check_in_and_out_over_a_real_scanner_pty(
    app: Any, services: Any, clock: SettableClock, scanner_pty: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    done = app.sm.get_screen("checkin_done")
    frame = f"{badge_code(services, 'Åse')}\r\n".encode()

    os.write(scanner_pty, frame)
    assert wait_for(lambda: done.ids.headline.text == "Godmorgen, Åse! Du er mødt ind kl. 09.02")
    assert app.sm.current == "checkin_done"
    assert "1. gang denne uge" in done.ids.lines_label.text
    assert done.ids.my_hours.opacity == 1
    assert_big_buttons(done)
    shot(app, "checkin_done")

    clock.advance(hours=4, minutes=12)
    os.write(scanner_pty, frame)
    assert wait_for(lambda: done.ids.headline.text.startswith("Tak for i dag"))
    assert done.ids.headline.text == "Tak for i dag, Åse! Du har været her 4 t 12 min."
    assert "4 t 12 min denne uge" in done.ids.lines_label.text
    shot(app, "checkin_done_out")

    clock.advance(seconds=3)  # the same badge again at once: nothing toggles
    os.write(scanner_pty, frame)
    assert wait_for(lambda: done.ids.headline.text == "Du er allerede gået hjem")

    tap(done.ids.my_hours)
    hours = app.sm.get_screen("my_hours")
    assert app.sm.current == "my_hours"
    assert [(r["span"], r["duration"]) for r in hours.rows] == [("09.02–13.14", "4 t 12 min")]
    assert hours.total.startswith("I alt 4 t 12 min")
    assert_big_buttons(hours)
    shot(app, "my_hours")
    tap(hours.ids.month)
    assert hours.period == "month" and len(hours.rows) == 1

    # Scan-to-confirmation latency: pty write -> the confirmation's label shows the new text.
    latencies: list[float] = []
    for _ in range(20):
        clock.advance(minutes=1)
        before = done.ids.headline.text
        started = time.perf_counter()
        os.write(scanner_pty, frame)
        assert wait_for(lambda b=before: app.sm.current == "checkin_done" and done.ids.headline.text != b)
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    log.warning("scan-to-confirmation over a pty, %d scans: median %.1f ms, p95 %.1f ms, max %.1f ms",
                len(latencies), statistics.median(latencies), p95, latencies[-1])  # fmt: skip

    monkeypatch.setattr("kiosk.screens.checkin.checkin_done.BACK_HOME_S", 0.2)
    clock.advance(minutes=1)
    os.write(scanner_pty, frame)
    assert wait_for(lambda: app.sm.current == "checkin_done")
    assert wait_for(lambda: app.sm.current == "home", timeout=3), "the confirmation goes home by itself"


def test_name_tile_and_pin(app: Any, services: Any, clock: SettableClock) -> None:
    clock.advance(minutes=30)
    app.go("checkin")
    pump()
    screen = app.sm.get_screen("checkin")
    tiles = {t.name: t for t in screen.ids.people.children}
    assert {"Åse", "Mads", "Fatima", "Jørgen", "Line"} <= set(tiles)
    assert tiles["Mads"].marker == ""
    assert_big_buttons(screen)
    tap(tiles["Mads"])

    pin = app.sm.get_screen("checkin_pin")
    assert app.sm.current == "checkin_pin"
    for key in "9999":
        tap(button_with_text(pin.ids.numpad, key))
    tap(button_with_text(pin.ids.numpad, "OK"))
    assert pin.hint == "Forkert kode – prøv igen"
    assert app.sm.current == "checkin_pin" and pin.ids.numpad.value == ""
    for key in "1234":
        tap(button_with_text(pin.ids.numpad, key))
    assert_big_buttons(pin)
    shot(app, "checkin_pin")
    tap(button_with_text(pin.ids.numpad, "OK"))

    done = app.sm.get_screen("checkin_done")
    assert app.sm.current == "checkin_done"
    assert done.ids.headline.text.startswith("Goddag, Mads! Du er mødt ind kl.")

    app.go("checkin")
    pump()
    tiles = {t.name: t for t in screen.ids.people.children}
    assert tiles["Mads"].marker == "inde"
    shot(app, "checkin")


def test_forgotten_check_out_then_a_supervisor_corrects_it(app: Any, services: Any, clock: SettableClock) -> None:
    fatima = person(services, "Fatima")
    clock.now = datetime(2026, 11, 24, 14, 30, tzinfo=UTC)  # Tuesday 15.30
    app.handle_scan(badge_code(services, "Fatima"))
    clock.now = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)  # Wednesday 09.00: she never checked out
    app.handle_scan(badge_code(services, "Fatima"))
    pump()

    asked = app.sm.get_screen("forgotten")
    assert app.sm.current == "forgotten"
    assert asked.context == "Du mødte ind tirsdag 24. november kl. 15.30."
    assert asked.ids.closing.text == "Ved lukketid (17.00)"
    assert_big_buttons(asked)
    shot(app, "forgotten")
    tap(asked.ids.choose)
    assert_big_buttons(asked)
    shot(app, "forgotten_time")
    tap(button_with_text(asked, "Tilbage til valgene"))
    tap(asked.ids.closing)

    done = app.sm.get_screen("checkin_done")
    assert app.sm.current == "checkin_done"
    assert done.ids.headline.text == "Godmorgen, Fatima! Du er mødt ind kl. 09.00"
    assert "Vi har skrevet kl. 17.00. En leder kigger på det." in done.ids.lines_label.text
    flagged = [i for i in services.checkin.pending_reviews() if i.record.person_id == fatima.id]
    assert [i.kind for i in flagged] == ["self_reported"]

    # The supervisor: staff PIN -> menu -> Godkend timer -> Ret, with a reason.
    log_in_staff(app, DEMO_PINS["supervisor"])
    assert app.sm.get_screen("staff_menu").supervisor.first_name == "Jørgen"
    tap(button_with_text(app.sm.get_screen("staff_menu").ids.entries, "Godkend timer"))
    review = app.sm.get_screen("shift_review")
    assert app.sm.current == "shift_review"
    cards = [c for c in review.ids.cards.children if c.item.record.person_id == fatima.id]
    assert len(cards) == 1
    assert_big_buttons(review)
    shot(app, "shift_review")

    tap(button_with_text(cards[0], "Ret"))
    from kivy.core.window import Window

    from kiosk.screens.checkin.shift_review import CorrectionPopup

    popup = next(w for w in Window.children if isinstance(w, CorrectionPopup))
    pump()
    assert_big_buttons(popup)
    tap(button_with_text(popup.ids.check_out, "−"))  # 17.00 -> 16.00
    tap(button_with_text(popup.ids.reasons, "Glemte at gå hjem"))
    shot(app, "shift_review_correct")
    assert popup.ids.note.label == "Bemærkning (valgfri) – skriv ikke navne"  # the journal keeps it for good
    tap(popup.ids.save)
    assert popup.parent is None, popup.hint

    history = services.checkin.history(flagged[0].record.id)
    assert [r.source for r in history] == ["badge", "self_reported", "correction"]
    assert history[0].check_out is None  # the original stays as it was
    assert history[-1].reason == "Glemte at gå hjem"
    assert history[-1].check_out == datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
    assert "1. 15.30–?" in review.last_done and "3. 15.30–16.00  (leder: Glemte at gå hjem)" in review.last_done
    assert not [c for c in review.ids.cards.children if c.item.record.person_id == fatima.id]

    # Fatima's own "Mine timer": the day says who corrected it, the time first recorded and why, and she can
    # page back to earlier weeks and forward again.
    from kivy.metrics import dp

    from kiosk.widgets import theme

    app.go("my_hours", person_id=fatima.id, person_name="Fatima")
    hours = app.sm.get_screen("my_hours")
    pump()
    tuesday = next(r for r in hours.rows if r["day"] == "tirsdag 24. november")
    assert tuesday["notes"] == "rettet af Jørgen Bækgaard (først 15.30–?): Glemte at gå hjem"
    label = next(w for w in hours.ids.days.walk() if getattr(w, "text", None) == tuesday["notes"])
    row = label.parent
    assert row.y - 1 <= label.y and label.top <= row.top + 1, "the note is shown whole, inside its row"
    assert row.height - label.height - row.children[-1].height <= dp(2 * theme.SPACE_3) + 2, "no blank band"
    shot(app, "my_hours_corrected")
    assert hours.has_earlier is False and hours.ids.earlier.disabled  # her first week: nothing before it
    tap(hours.ids.month)
    assert hours.title == "november 2026"
    assert hours.ids.later.disabled  # the month of today


def test_wrong_cards_and_garbage_get_a_clear_message(app: Any, services: Any, clock: SettableClock) -> None:
    done = app.sm.get_screen("checkin_done")
    app.handle_scan("HK1:C:resident-card-1")  # resident cards belong to småjobs (tests/ui/test_jobs_flow.py)
    pump()
    assert app.sm.current == "job_done"
    assert app.sm.get_screen("job_done").heading == "Kortet kendes ikke. Spørg en medarbejder."
    shot(app, "checkin_problem")

    old = badge_code(services, "Line")
    services.checkin.reissue_badge(person(services, "Line").id)
    app.handle_scan(old)
    pump()
    assert done.ids.headline.text.startswith("Det kort virker ikke længere.")

    app.go_home()
    app.handle_scan("#?!")
    pump()
    assert app.toast.text == "Koden kunne ikke læses – prøv igen"
    assert app.sm.current == "home"


def test_a_badge_during_a_sale_is_left_to_the_till(app: Any, services: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.screens.checkin import checkin_scan

    monkeypatch.setattr(app, "sale_in_progress", lambda: True, raising=False)
    assert checkin_scan(app, badge_code(services, "Åse")) is False
    assert app.sm.current == "home"
