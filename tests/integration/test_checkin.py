"""Mød ind / Gå hjem against a real SQLite file, with a clock the test moves by hand."""

from __future__ import annotations

import json
import os
import uuid
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.clock import LOCAL_TZ
from kiosk.config import Settings, ShopSettings
from kiosk.db.engine import unit_of_work
from kiosk.db.models import JournalEntry, Shift
from kiosk.devices.escpos_decode import decode_escpos_text, qr_payloads
from kiosk.devices.scanner import SerialScanner
from kiosk.domain.scan import classify
from kiosk.domain.shifts import ClockWrongError, ShiftRuleError
from kiosk.printouts.badge import badge_slip
from kiosk.printouts.document import QR, Line
from kiosk.services.checkin import CheckIn, NotAllowedError, WrongPinError
from kiosk.services.people import (
    NotABadgeError,
    People,
    PersonView,
    ResidentCardError,
    RevokedBadgeError,
    UnknownBadgeError,
)
from tests.integration.conftest import PtyPair, ScanCollector


class FakeClock:
    """The kiosk's clock, set by the test."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, y: int, mo: int, d: int, h: int, mi: int = 0) -> None:
        self.now = cph(y, mo, d, h, mi)


def cph(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=LOCAL_TZ).astimezone(UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(cph(2026, 11, 23, 9, 2))


@pytest.fixture
def service(sessions: sessionmaker[Session], clock: FakeClock) -> CheckIn:
    return CheckIn(sessions, "kiosk-1", clock, time(17), timedelta(hours=1))


@pytest.fixture
def people(sessions: sessionmaker[Session]) -> dict[str, PersonView]:
    p = People(sessions)
    return {
        "åse": p.add("Åse Ørbæk", "worker"),
        "mads": p.add("Mads Ødegaard", "worker", pin="4321"),
        "jørgen": p.add("Jørgen Bækgaard", "supervisor"),
        "ahmad": p.add("Ahmad Karimi", "resident"),
    }


def token(sessions: sessionmaker[Session], person: PersonView) -> str:
    t = People(sessions).badge_token(person.id)
    assert t is not None
    return t


def count(sessions: sessionmaker[Session], model: type[Shift] | type[JournalEntry]) -> int:
    with unit_of_work(sessions) as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_checking_in_and_out_a_few_hours_later_greets_and_thanks_with_the_right_duration(
    service: CheckIn, sessions: sessionmaker[Session], people: dict[str, PersonView], clock: FakeClock
) -> None:
    badge = token(sessions, people["åse"])
    hello = service.scan_badge(badge)
    assert hello.status == "checked_in"
    assert hello.message == "Godmorgen, Åse! Du er mødt ind kl. 09.02"
    assert hello.lines == ("1. gang denne uge",)
    clock.set(2026, 11, 23, 13, 14)
    bye = service.scan_badge(badge)
    assert bye.status == "checked_out"
    assert bye.message == "Tak for i dag, Åse! Du har været her 4 t 12 min."
    assert (bye.worked_minutes, bye.week_minutes, bye.flagged) == (252, 252, False)
    assert bye.lines == ("1. gang denne uge", "4 t 12 min denne uge")
    with unit_of_work(sessions) as s:
        entries = list(s.scalars(select(JournalEntry).order_by(JournalEntry.seq)))
    assert [e.kind for e in entries] == ["check_in", "check_out"]
    assert all(e.person_id == people["åse"].id and "Åse" not in e.payload for e in entries)
    assert json.loads(entries[1].payload)["minutes"] == 252


def test_this_weeks_visits_hours_and_longest_streak_are_shown_and_absences_never_are(
    service: CheckIn, sessions: sessionmaker[Session], people: dict[str, PersonView], clock: FakeClock
) -> None:
    badge = token(sessions, people["åse"])
    for day in (9, 16, 23, 24):  # three Mondays in a row, then a Tuesday
        clock.set(2026, 11, day, 10)
        service.scan_badge(badge)
        clock.set(2026, 11, day, 12)
        service.scan_badge(badge)
    clock.set(2026, 11, 25, 16)
    result = service.scan_badge(badge)
    assert result.message.startswith("Goddag, Åse!")
    assert result.lines == ("3. gang denne uge", "4 t denne uge", "Din rekord: 3 uger i træk")


def test_the_same_badge_twice_within_seconds_does_not_toggle(
    service: CheckIn, sessions: sessionmaker[Session], people: dict[str, PersonView], clock: FakeClock
) -> None:
    badge = token(sessions, people["åse"])
    service.scan_badge(badge)
    clock.now += timedelta(seconds=4)
    again = service.scan_badge(badge)
    assert (again.status, again.message) == ("already_in", "Du er allerede mødt ind")
    assert count(sessions, Shift) == 1
    clock.set(2026, 11, 23, 12)
    assert service.scan_badge(badge).status == "checked_out"
    clock.now += timedelta(seconds=9)
    assert service.scan_badge(badge).status == "already_out"
    clock.now += timedelta(seconds=2)
    assert service.scan_badge(badge).status == "checked_in"  # past the window: a real second visit


def test_a_name_and_pin_toggle_like_a_badge_and_a_wrong_pin_is_refused_plainly(
    service: CheckIn, people: dict[str, PersonView]
) -> None:
    with pytest.raises(WrongPinError) as caught:
        service.check_in_with_pin(people["mads"].id, "1111")
    assert caught.value.user_message == "Forkert kode. Prøv igen."
    result = service.check_in_with_pin(people["mads"].id, "4321")
    assert result.message == "Godmorgen, Mads! Du er mødt ind kl. 09.02"
    assert service.is_checked_in(people["mads"].id)


def test_the_next_day_check_in_asks_when_they_went_home_and_closing_time_is_stored_as_self_reported(
    service: CheckIn, sessions: sessionmaker[Session], people: dict[str, PersonView], clock: FakeClock
) -> None:
    badge = token(sessions, people["åse"])
    monday = service.scan_badge(badge).shift_id
    clock.set(2026, 11, 24, 8, 55)
    tuesday = service.scan_badge(badge)
    assert tuesday.needs_answer and tuesday.status == "checked_in"  # the arrival is stored either way
    assert tuesday.message == "Godmorgen, Åse! Du er mødt ind kl. 08.55"
    question = tuesday.forgotten
    assert question is not None and question.shift_id == monday
    assert question.question == "Hvornår gik du hjem?"
    assert question.context_text == "Du mødte ind mandag 23. november kl. 09.02."
    assert question.closing_choice_text == "Ved lukketid (17.00)"

    answer = service.answer_forgotten(question.shift_id, "closing")
    assert answer.check_out == cph(2026, 11, 23, 17)
    assert answer.message == "Tak! Vi har skrevet kl. 17.00. En leder kigger på det."
    with unit_of_work(sessions) as s:
        stored = s.get(Shift, answer.shift_id)
        assert stored is not None
        assert (stored.source, stored.needs_review, stored.corrects_id) == ("self_reported", True, monday)
        original = s.get(Shift, monday)
        assert original is not None and original.check_out_at is None  # what was recorded stays as recorded
    week = service.my_hours(people["åse"].id, "week")
    assert [(d.day_text, d.duration_text, d.notes) for d in week.days] == [
        ("mandag 23. november", "7 t 58 min", "selv oplyst – afventer leder"),
        ("tirsdag 24. november", "–", "er her nu"),
    ]
    assert (week.total_minutes, week.pending_minutes) == (478, 478)
    assert [item.kind for item in service.pending_reviews()] == ["self_reported"]


def test_ved_ikke_stores_no_end_and_no_hours_until_a_supervisor_decides(
    service: CheckIn, sessions: sessionmaker[Session], people: dict[str, PersonView], clock: FakeClock
) -> None:
    badge = token(sessions, people["åse"])
    service.scan_badge(badge)
    clock.set(2026, 11, 24, 9)
    question = service.scan_badge(badge).forgotten
    assert question is not None
    answer = service.answer_forgotten(question.shift_id, "unknown")
    assert answer.check_out is None
    assert answer.message == "Tak! En leder hjælper med at finde tiden."
    month = service.my_hours(people["åse"].id, "month")
    assert month.title == "november 2026"
    assert month.total_minutes == 0
    assert "sluttid ukendt – tæller ikke endnu" in month.days[0].notes
    [item] = service.pending_reviews()
    assert item.kind == "end_unknown" and item.original is not None and item.original.id == question.shift_id
    with pytest.raises(ShiftRuleError):  # nothing to approve: a supervisor must set the time
        service.approve(item.record.id, people["jørgen"].id)


def test_a_scan_the_same_evening_after_closing_asks_first_and_stores_nothing(
    service: CheckIn, sessions: sessionmaker[Session], people: dict[str, PersonView], clock: FakeClock
) -> None:
    badge = token(sessions, people["åse"])
    service.scan_badge(badge)
    clock.set(2026, 11, 23, 18, 30)
    result = service.scan_badge(badge)
    assert (result.status, result.message, result.needs_answer) == ("needs_answer", "Hej, Åse!", True)
    assert count(sessions, Shift) == 1
    answer = service.answer_forgotten(result.forgotten.shift_id, "time", time(15, 30))  # type: ignore[union-attr]
    assert answer.check_out == cph(2026, 11, 23, 15, 30)
    with pytest.raises(ShiftRuleError):  # answered already: the open record is gone
        service.answer_forgotten(result.forgotten.shift_id, "closing")  # type: ignore[union-attr]


def test_a_chosen_time_before_check_in_or_in_the_future_is_refused(
    service: CheckIn, sessions: sessionmaker[Session], people: dict[str, PersonView], clock: FakeClock
) -> None:
    service.scan_badge(token(sessions, people["åse"]))
    clock.set(2026, 11, 23, 18, 30)
    shift_id = service.scan_badge(token(sessions, people["åse"])).forgotten.shift_id  # type: ignore[union-attr]
    with pytest.raises(ShiftRuleError) as early:
        service.answer_forgotten(shift_id, "time", time(8, 0))
    assert early.value.user_message == "Sluttiden skal ligge efter mødetiden."
    with pytest.raises(ShiftRuleError) as late:
        service.answer_forgotten(shift_id, "time", time(21, 0))
    assert late.value.user_message == "Sluttiden ligger ude i fremtiden."


def test_a_supervisor_correction_is_a_new_record_the_original_stays_and_totals_use_the_correction(
    service: CheckIn, sessions: sessionmaker[Session], people: dict[str, PersonView], clock: FakeClock
) -> None:
    badge = token(sessions, people["åse"])
    first = service.scan_badge(badge).shift_id
    assert first is not None
    clock.set(2026, 11, 24, 9)
    question = service.scan_badge(badge).forgotten
    assert question is not None
    answer = service.answer_forgotten(question.shift_id, "closing")
    with pytest.raises(NotAllowedError):
        service.correct(answer.shift_id, people["mads"].id, cph(2026, 11, 23, 9), cph(2026, 11, 23, 15), "x")
    with pytest.raises(ShiftRuleError) as odd:  # a reason with an escape sequence (a wedge scan in the field)
        service.correct(answer.shift_id, people["jørgen"].id, cph(2026, 11, 23, 9), cph(2026, 11, 23, 15), "Gik\x1b[2J")
    assert odd.value.user_message == "Teksten har et usynligt styretegn (U+001B). Skriv teksten igen uden det."
    fixed = service.correct(
        answer.shift_id, people["jørgen"].id, cph(2026, 11, 23, 9), cph(2026, 11, 23, 15, 30), "Gik kl. 15.30"
    )
    assert (fixed.source, fixed.recorded_by_id, fixed.reason) == ("correction", people["jørgen"].id, "Gik kl. 15.30")
    assert [r.id for r in service.history(first)] == [first, answer.shift_id, fixed.id]
    week = service.my_hours(people["åse"].id, "week")
    assert (week.days[0].duration_text, week.days[0].notes) == (
        "6 t 30 min",
        "rettet af Jørgen Bækgaard (først 09.02–?): Gik kl. 15.30",  # who, the time first recorded, why
    )
    assert week.pending_minutes == 0
    assert service.pending_reviews() == []
    with pytest.raises(ShiftRuleError):  # only the newest record can be corrected again
        service.correct(answer.shift_id, people["jørgen"].id, cph(2026, 11, 23, 9), cph(2026, 11, 23, 10), "x")
    with unit_of_work(sessions) as s:
        kinds = list(s.scalars(select(JournalEntry.kind).order_by(JournalEntry.seq)))
    assert kinds == ["check_in", "check_in", "forgotten_answer", "shift_correction"]


def test_a_very_long_shift_is_flagged_and_a_supervisor_approves_it_as_a_new_record(
    service: CheckIn, sessions: sessionmaker[Session], people: dict[str, PersonView], clock: FakeClock
) -> None:
    badge = token(sessions, people["åse"])
    clock.set(2026, 11, 23, 0, 30)
    service.scan_badge(badge)
    clock.set(2026, 11, 23, 17, 45)
    result = service.scan_badge(badge)
    assert (result.worked_minutes, result.flagged) == (17 * 60 + 15, True)
    [item] = service.pending_reviews()
    assert item.kind == "long"
    approved = service.approve(item.record.id, people["jørgen"].id)
    assert approved.corrects_id == item.record.id and not approved.needs_review
    assert service.my_hours(people["åse"].id, "week").days[0].notes == "godkendt af leder"


def test_a_clock_jump_back_and_a_1970_clock_are_refused_and_nothing_is_stored(
    service: CheckIn, sessions: sessionmaker[Session], people: dict[str, PersonView], clock: FakeClock
) -> None:
    badge = token(sessions, people["åse"])
    service.scan_badge(badge)
    before = (count(sessions, Shift), count(sessions, JournalEntry))
    for wrong in (cph(2026, 11, 23, 8), datetime(1970, 1, 1, 0, 0, 12, tzinfo=UTC)):
        clock.now = wrong
        with pytest.raises(ClockWrongError) as caught:
            service.scan_badge(badge)
        assert caught.value.user_message == "Kiosken har forkert tid – tiden er ikke gemt. Spørg en medarbejder."
        with pytest.raises(ClockWrongError):
            service.check_in_with_pin(people["mads"].id, "4321")
    assert (count(sessions, Shift), count(sessions, JournalEntry)) == before
    clock.set(2026, 11, 23, 9, 0)  # two minutes behind: NTP trimming, tolerated, but no negative duration
    assert service.scan_badge(badge).status == "already_in"


def test_after_a_clock_that_ran_ahead_is_fixed_a_supervisor_can_accept_the_time(
    service: CheckIn, sessions: sessionmaker[Session], people: dict[str, PersonView], clock: FakeClock
) -> None:
    clock.set(2027, 6, 1, 9)  # a wrong NTP answer
    service.scan_badge(token(sessions, people["mads"]))
    clock.set(2026, 11, 23, 9, 30)
    with pytest.raises(ClockWrongError):
        service.scan_badge(token(sessions, people["åse"]))
    with pytest.raises(NotAllowedError):
        service.accept_clock(people["åse"].id)
    service.accept_clock(people["jørgen"].id)
    assert service.scan_badge(token(sessions, people["åse"])).status == "checked_in"


def test_after_a_reissue_the_old_badge_is_refused_as_replaced_and_the_new_one_works(
    service: CheckIn, sessions: sessionmaker[Session], people: dict[str, PersonView]
) -> None:
    old = token(sessions, people["åse"])
    new = service.reissue_badge(people["åse"].id, by_id=people["jørgen"].id)
    assert new != old
    with pytest.raises(RevokedBadgeError) as caught:
        service.scan_badge(old)
    assert "virker ikke længere" in caught.value.user_message
    assert service.scan_badge(new).status == "checked_in"
    with unit_of_work(sessions) as s:
        payloads = " ".join(s.scalars(select(JournalEntry.payload)))
    assert old not in payloads and new not in payloads  # the journal never holds a usable badge


def test_unknown_badges_resident_cards_and_garbage_get_clear_messages(
    service: CheckIn, sessions: sessionmaker[Session], people: dict[str, PersonView]
) -> None:
    with pytest.raises(UnknownBadgeError) as unknown:
        service.scan_badge("nobody-has-this-token")
    assert unknown.value.user_message == "Kortet kendes ikke. Spørg en medarbejder."
    with pytest.raises(ResidentCardError) as resident:
        service.scan_badge(token(sessions, people["ahmad"]))
    assert resident.value.user_message == "Det kort er til småjobs – spørg en medarbejder"
    with pytest.raises(ResidentCardError):
        service.scan_code("HK1:C:abc123")
    with pytest.raises(NotABadgeError):
        service.scan_code("5701234567892")
    assert service.scan_code(f"HK1:B:{token(sessions, people['åse'])}\r\n").status == "checked_in"
    assert count(sessions, Shift) == 1


def test_the_badge_slip_carries_a_qr_that_the_scanner_path_reads_as_that_persons_badge(
    sessions: sessionmaker[Session], people: dict[str, PersonView]
) -> None:
    badge = token(sessions, people["åse"])
    doc = badge_slip("Åse Ørbæk", badge, ShopSettings())
    [qr] = [el for el in doc.elements if isinstance(el, QR)]
    scan = classify(qr.data)
    assert (scan.kind, scan.value) == ("badge", badge)
    texts = [el.text for el in doc.elements if isinstance(el, Line)]
    assert {"Åse Ørbæk", "Hedemarkens Butik", "Scan mig ved kiosken"} <= set(texts)
    assert str(people["åse"].id) not in doc.as_text(48)  # the token, never the database id
    assert uuid.UUID(str(people["åse"].id))


def test_kiosk_badge_print_sends_bytes_whose_qr_the_serial_scanner_reads_as_a_check_in(
    sessions: sessionmaker[Session],
    people: dict[str, PersonView],
    settings: Settings,
    tmp_path: Path,
    pty_pair: PtyPair,
    scans: ScanCollector,
) -> None:
    """The whole road of a badge: `kiosk badge print` → ESC/POS bytes → the QR in them → a scanner on a serial
    port → Mød ind for the right person."""
    lp = tmp_path / "lp0"
    config = tmp_path / "kiosk.toml"
    config.write_text(f'data_dir = "{settings.data_dir}"\n[printer]\nurl = "file:{lp}"\n', encoding="utf-8")
    assert _badge_cli(["--config", str(config), "badge", "print", "åse"]) == 0

    printed = lp.read_bytes()
    assert "Åse Ørbæk" in decode_escpos_text(printed)
    [payload] = qr_payloads(printed)

    scanner = SerialScanner(f"serial:{pty_pair.path}?baudrate=9600")
    scanner.start(scans)
    try:
        assert scanner.wait_connected(5)
        os.write(pty_pair.master, payload.encode("ascii") + b"\r\n")
        [code] = scans.wait_for(1, timeout=5)
    finally:
        scanner.stop()
    result = CheckIn(
        sessions, "kiosk-1", lambda: datetime(2026, 11, 23, 8, 2, tzinfo=UTC), time(17), timedelta(hours=1)
    )
    checked = result.scan_code(code)
    assert (checked.status, checked.person_id) == ("checked_in", people["åse"].id)
    assert checked.message == "Godmorgen, Åse! Du er mødt ind kl. 09.02"


def _badge_cli(argv: list[str]) -> int:
    import argparse

    from kiosk.cli_checkin import register

    parser = argparse.ArgumentParser(prog="kiosk")
    parser.add_argument("--config", type=Path, default=None)
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.handler(args))
