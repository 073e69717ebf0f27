"""Working-time rules and their Danish wording, without a database."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

import pytest

from kiosk.clock import LOCAL_TZ
from kiosk.domain import shift_text as txt
from kiosk.domain import shifts as rules
from kiosk.domain.shifts import ClockWrongError, ShiftRecord, ShiftRuleError

PERSON = uuid.uuid4()


def cph(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    """A Copenhagen wall-clock time, as the aware UTC moment the kiosk stores."""
    return datetime(y, mo, d, h, mi, tzinfo=LOCAL_TZ).astimezone(UTC)


def rec(start: datetime, end: datetime | None, source: str = "badge", **kw: object) -> ShiftRecord:
    return ShiftRecord(uuid.uuid4(), PERSON, start, end, source, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("minutes", "text"), [(252, "4 t 12 min"), (750, "12 t 30 min"), (180, "3 t"), (45, "45 min"), (0, "0 min")]
)
def test_durations_read_the_way_danes_shorten_hours_and_minutes(minutes: int, text: str) -> None:
    assert txt.duration_text(minutes) == text


def test_decimal_hours_use_a_comma_and_come_from_exact_minutes() -> None:
    assert txt.hours_decimal(252) == "4,20"
    assert txt.hours_decimal(812) == "13,53"
    assert txt.hours_decimal(90_000) == "1.500,00"


@pytest.mark.parametrize(
    ("hour", "minute", "word"),
    [(7, 0, "Godmorgen"), (9, 59, "Godmorgen"), (10, 0, "Goddag"), (16, 59, "Goddag"), (17, 0, "Godaften")],
)
def test_the_greeting_follows_the_local_time_of_day(hour: int, minute: int, word: str) -> None:
    assert txt.greeting(cph(2026, 11, 23, hour, minute)) == word


def test_the_check_in_line_shows_local_time_with_a_dot_in_summer_and_winter() -> None:
    assert txt.checked_in_text("Åse", cph(2026, 11, 23, 9, 2)) == "Godmorgen, Åse! Du er mødt ind kl. 09.02"
    assert txt.clock_text(cph(2026, 7, 1, 9, 2)) == "09.02"


def test_visits_and_a_streak_are_celebrated_and_a_single_week_is_not_called_a_streak() -> None:
    assert txt.visits_text(3) == "3. gang denne uge"
    assert txt.streak_text(5) == "Din rekord: 5 uger i træk"
    assert txt.streak_text(1) == ""


def test_the_longest_streak_counts_consecutive_weeks_with_a_visit() -> None:
    mondays = [date(2026, 11, 2) + timedelta(weeks=w) for w in (0, 1, 2, 4, 5)]
    days = [*mondays, date(2026, 11, 4)]  # a second day in the same week does not lengthen it
    assert rules.longest_week_streak(days) == 3
    assert rules.longest_week_streak([date(2026, 12, 28), date(2027, 1, 4)]) == 2  # across the new year
    assert rules.longest_week_streak([]) == 0


def test_a_shift_across_the_october_clock_change_counts_the_real_time_worked() -> None:
    # 25 Oct 2026, clocks go back at 03.00: 00.30 to 05.30 on the wall is six real hours.
    assert rules.duration_minutes(cph(2026, 10, 25, 0, 30), cph(2026, 10, 25, 5, 30)) == 6 * 60


def test_negative_and_over_a_day_durations_are_refused_not_stored() -> None:
    start = cph(2026, 11, 23, 9)
    with pytest.raises(ShiftRuleError):
        rules.duration_minutes(start, start - timedelta(minutes=1))
    with pytest.raises(ShiftRuleError):
        rules.duration_minutes(start, start + timedelta(hours=24, minutes=1))
    assert rules.needs_review_for(start, start + timedelta(hours=16, minutes=1))
    assert not rules.needs_review_for(start, start + timedelta(hours=8))


def test_the_clock_guard_refuses_1970_and_a_jump_back_but_tolerates_a_small_trim() -> None:
    last = cph(2026, 11, 23, 12)
    five = timedelta(minutes=5)
    with pytest.raises(ClockWrongError) as caught:
        rules.check_clock(datetime(1970, 1, 1, tzinfo=UTC), None, five)
    assert caught.value.user_message == "Kiosken har forkert tid – tiden er ikke gemt. Spørg en medarbejder."
    with pytest.raises(ClockWrongError):
        rules.check_clock(last - timedelta(minutes=6), last, five)
    rules.check_clock(last - timedelta(minutes=2), last, five)
    rules.check_clock(last + timedelta(days=1), last, five)


def test_an_open_record_is_forgotten_after_closing_plus_margin_or_on_a_later_day() -> None:
    closing, margin = time(17), timedelta(hours=1)
    morning = rec(cph(2026, 11, 23, 9), None)
    assert not rules.is_forgotten(morning, cph(2026, 11, 23, 17, 59), closing, margin)
    assert rules.is_forgotten(morning, cph(2026, 11, 23, 18), closing, margin)
    assert rules.is_forgotten(morning, cph(2026, 11, 24, 7), closing, margin)


def test_someone_who_came_after_closing_has_until_midnight() -> None:
    evening = rec(cph(2026, 11, 23, 19), None)
    assert rules.forgotten_deadline(evening.check_in, time(17), timedelta(hours=1)) == cph(2026, 11, 24)
    assert not rules.is_forgotten(evening, cph(2026, 11, 23, 23, 30), time(17), timedelta(hours=1))


def test_only_records_nobody_corrected_are_effective() -> None:
    original = rec(cph(2026, 11, 23, 9), None)
    answer = rec(original.check_in, cph(2026, 11, 23, 17), "self_reported", corrects_id=original.id)
    fix = rec(original.check_in, cph(2026, 11, 23, 15), "correction", corrects_id=answer.id)
    other = rec(cph(2026, 11, 24, 9), cph(2026, 11, 24, 12))
    assert rules.effective([original, answer, fix, other]) == [fix, other]


def test_days_group_by_local_start_and_an_unknown_end_counts_nothing() -> None:
    records = [
        rec(cph(2026, 11, 23, 9), cph(2026, 11, 23, 11)),
        rec(cph(2026, 11, 23, 12), cph(2026, 11, 23, 14, 30)),
        rec(cph(2026, 11, 24, 0, 30), None, "self_reported", needs_review=True),  # 23.30 UTC the day before
    ]
    days = rules.summarize_days(records)
    assert [(d.day, d.minutes, d.records) for d in days] == [(date(2026, 11, 23), 270, 2), (date(2026, 11, 24), 0, 1)]
    assert days[0].last_out == cph(2026, 11, 23, 14, 30)
    assert days[1].end_unknown and days[1].flagged and days[1].last_out is None
    assert "sluttid ukendt" in txt.day_notes(days[1])
    totals = rules.totals(days)
    assert (totals.minutes, totals.days, totals.unknown_ends) == (270, 2, 1)


def test_months_run_from_the_first_to_the_first_of_the_next_including_december() -> None:
    assert rules.month_bounds("2026-11") == (date(2026, 11, 1), date(2026, 12, 1))
    assert rules.month_bounds("2026-12") == (date(2026, 12, 1), date(2027, 1, 1))
    with pytest.raises(ShiftRuleError):
        rules.month_bounds("november")
    assert txt.month_text(date(2026, 11, 1)) == "november 2026"
    assert txt.day_text(date(2026, 11, 23)) == "mandag 23. november"
