"""Working time (arbejdstidsloven § 4b): presence records, what counts, and the rules that keep hours honest.

Pure: no database, no clock of its own.  Every time is an aware UTC datetime; days, weeks and months are the
shop's local calendar (Europe/Copenhagen), so a shift belongs to the local day it started on.  Durations are
real elapsed time (UTC difference), so the night clocks change counts what was actually worked.

Records are never rewritten.  A self-reported end, an approval and a supervisor's correction are each a NEW record
pointing at the one it replaces (``corrects_id``); the *effective* records are those no other record points at.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from kiosk.clock import LOCAL_TZ, to_local
from kiosk.errors import DomainError
from kiosk.i18n import L_

LIVE_SOURCES = ("badge", "pin")  # recorded by the kiosk as it happened
SELF_REPORTED = "self_reported"
CORRECTION = "correction"
APPROVED_REASON = "Godkendt uden ændringer"

EARLIEST_PLAUSIBLE = datetime(2024, 1, 1, tzinfo=UTC)  # a Pi without a real-time clock wakes up in 1970
LONG_SHIFT = timedelta(hours=16)  # longer than this is recorded but flagged for a supervisor
MAX_SHIFT = timedelta(hours=24)  # longer than this is never a shift; refused outright


class ClockWrongError(DomainError):
    """The kiosk's clock is before 2024 or behind the last time it recorded: storing now would lie."""

    user_message = L_("Kiosken har forkert tid – tiden er ikke gemt. Spørg en medarbejder.")


class ShiftRuleError(DomainError):
    """A time that cannot be right (end before start, longer than a day, in the future...)."""

    user_message = L_("Tiden kan ikke passe. Prøv igen.")


@dataclass(frozen=True)
class ShiftRecord:
    """One stored row of the shifts table, as the domain sees it."""

    id: uuid.UUID
    person_id: uuid.UUID
    check_in: datetime
    check_out: datetime | None
    source: str
    needs_review: bool = False
    corrects_id: uuid.UUID | None = None
    recorded_by_id: uuid.UUID | None = None
    reason: str | None = None
    created_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        """Still checked in: a live record with no end yet (a self-report without an end is not open)."""
        return self.check_out is None and self.source in LIVE_SOURCES

    @property
    def end_unknown(self) -> bool:
        """The worker answered "Ved ikke": no end, and no hours, until a supervisor decides."""
        return self.check_out is None and not self.is_open

    @property
    def minutes(self) -> int | None:
        return None if self.check_out is None else duration_minutes(self.check_in, self.check_out)

    @property
    def local_day(self) -> date:
        return to_local(self.check_in).date()

    @property
    def approved(self) -> bool:
        return self.source == CORRECTION and self.reason == APPROVED_REASON


def effective(records: Iterable[ShiftRecord]) -> list[ShiftRecord]:
    """The records that count: those no later record corrects.  The others stay stored and visible."""
    rows = list(records)
    corrected = {r.corrects_id for r in rows if r.corrects_id is not None}
    return [r for r in rows if r.id not in corrected]


def duration_minutes(start: datetime, end: datetime) -> int:
    """Whole minutes worked.  Never negative and never over a day: those come from a wrong clock, not work."""
    span = end - start
    if span < timedelta(0):
        raise ShiftRuleError(f"end {end} before start {start}", user_message=L_("Sluttiden ligger før mødetiden."))
    if span > MAX_SHIFT:
        raise ShiftRuleError(f"{span} is longer than a day", user_message=L_("En vagt kan ikke vare over et døgn."))
    return int(span.total_seconds() // 60)


def needs_review_for(start: datetime, end: datetime) -> bool:
    return end - start > LONG_SHIFT


def check_clock(now: datetime, last_good: datetime | None, tolerance: timedelta) -> None:
    """Refuse to record at a time that cannot be true.  A small step back (NTP trimming a few seconds or
    minutes) is tolerated; more means the clock jumped, and every time stored from it would be wrong."""
    if now < EARLIEST_PLAUSIBLE:
        raise ClockWrongError(f"clock says {now.isoformat()}, before {EARLIEST_PLAUSIBLE.date()}")
    if last_good is not None and now < last_good - tolerance:
        raise ClockWrongError(f"clock says {now.isoformat()}, last good time was {last_good.isoformat()}")


def closing_at(day: date, closing: time) -> datetime:
    """Closing time on a local day, as UTC (DST-correct: 17.00 is 16.00 UTC in winter, 15.00 in summer)."""
    return datetime.combine(day, closing, tzinfo=LOCAL_TZ).astimezone(UTC)


def forgotten_deadline(check_in: datetime, closing: time, margin: timedelta) -> datetime:
    """After this moment an open record is a forgotten check-out.  Someone who came after closing (an evening
    event) has until local midnight, not until a closing time that already passed."""
    day = to_local(check_in).date()
    close = closing_at(day, closing)
    if check_in < close:
        return close + margin
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=LOCAL_TZ).astimezone(UTC)


def is_forgotten(record: ShiftRecord, now: datetime, closing: time, margin: timedelta) -> bool:
    if not record.is_open:
        return False
    later_day = to_local(now).date() > record.local_day
    return later_day or now >= forgotten_deadline(record.check_in, closing, margin)


def validate_span(start: datetime, end: datetime, now: datetime, tolerance: timedelta) -> None:
    """A reported or corrected span: after 2024, end after start, at most a day, not in the future."""
    if start < EARLIEST_PLAUSIBLE:
        raise ShiftRuleError("start before 2024", user_message=L_("Mødetiden kan ikke passe."))
    if end <= start:
        raise ShiftRuleError("end not after start", user_message=L_("Sluttiden skal ligge efter mødetiden."))
    if end > now + tolerance:
        raise ShiftRuleError("end in the future", user_message=L_("Sluttiden ligger ude i fremtiden."))
    duration_minutes(start, end)


def reported_end(
    record: ShiftRecord,
    choice: str,
    when: time | datetime | None,
    closing: time,
    now: datetime,
    tolerance: timedelta,
) -> datetime | None:
    """The end a worker gave for a forgotten check-out: "closing", "time" (a wall time on the day they came,
    or an exact moment) or "unknown" (None: nothing is invented)."""
    if choice == "unknown":
        return None
    if choice == "closing":
        end = closing_at(record.local_day, closing)
        if end <= record.check_in:
            raise ShiftRuleError("came after closing", user_message=L_("Du kom efter lukketid. Vælg et tidspunkt."))
    elif isinstance(when, datetime):
        end = when
    elif isinstance(when, time):
        end = datetime.combine(record.local_day, when, tzinfo=LOCAL_TZ)
    else:
        raise ShiftRuleError(f"no time for {choice!r}", user_message=L_("Vælg et tidspunkt."))
    validate_span(record.check_in, end, now, tolerance)
    return end.astimezone(UTC)


# --- Summaries: days, weeks, streaks ---------------------------------------------------------------


@dataclass(frozen=True)
class DayHours:
    """One local day of one person: what "Mine timer" and the monthly sheet show on a line."""

    day: date
    first_in: datetime
    last_out: datetime | None  # None while still in, or when the end is unknown
    minutes: int  # counted minutes: only records with a known end
    records: int
    open: bool = False
    end_unknown: bool = False
    self_reported: bool = False
    needs_review: bool = False
    corrected: bool = False
    approved: bool = False

    @property
    def flagged(self) -> bool:
        """Marked on the sheet: a supervisor has something to look at."""
        return self.needs_review or self.end_unknown


def summarize_days(records: Iterable[ShiftRecord]) -> list[DayHours]:
    """Effective records grouped by the local day they started on, in date order."""
    by_day: dict[date, list[ShiftRecord]] = {}
    for r in sorted(records, key=lambda r: r.check_in):
        by_day.setdefault(r.local_day, []).append(r)
    days: list[DayHours] = []
    for day, rows in by_day.items():
        ends = [r.check_out for r in rows if r.check_out is not None]
        still_unsettled = any(r.check_out is None for r in rows)
        days.append(
            DayHours(
                day=day,
                first_in=rows[0].check_in,
                last_out=None if still_unsettled or not ends else max(ends),
                minutes=sum(r.minutes or 0 for r in rows),
                records=len(rows),
                open=any(r.is_open for r in rows),
                end_unknown=any(r.end_unknown for r in rows),
                self_reported=any(r.source == SELF_REPORTED for r in rows),
                needs_review=any(r.needs_review for r in rows),
                corrected=any(r.source == CORRECTION and not r.approved for r in rows),
                approved=any(r.approved for r in rows),
            )
        )
    return days


@dataclass(frozen=True)
class Totals:
    minutes: int  # every known minute, including self-reported ones awaiting approval
    pending_minutes: int  # of which a supervisor has not yet approved
    days: int  # days with presence ("3. gang denne uge")
    unknown_ends: int  # days where the end is unknown and nothing is counted


def totals(days: Sequence[DayHours]) -> Totals:
    return Totals(
        minutes=sum(d.minutes for d in days),
        pending_minutes=sum(d.minutes for d in days if d.needs_review),
        days=len(days),
        unknown_ends=sum(1 for d in days if d.end_unknown),
    )


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def month_bounds(month: str) -> tuple[date, date]:
    """'2026-11' -> (1 Nov, 1 Dec): the local days of a month, end exclusive."""
    try:
        first = date.fromisoformat(f"{month}-01")
    except ValueError as exc:
        raise ShiftRuleError(f"bad month {month!r}", user_message=L_("Skriv måneden som 2026-11.")) from exc
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following


def local_range(first: date, end: date) -> tuple[datetime, datetime]:
    """Local days [first, end) as a UTC range for a query."""
    return (
        datetime.combine(first, time(0), tzinfo=LOCAL_TZ).astimezone(UTC),
        datetime.combine(end, time(0), tzinfo=LOCAL_TZ).astimezone(UTC),
    )


def longest_week_streak(days: Iterable[date]) -> int:
    """Most consecutive calendar weeks with at least one visit.  Weeks rather than days: people come two or
    three days a week, and a day streak would break every weekend and every day off."""
    weeks = sorted({week_start(d) for d in days})
    best = run = 0
    previous: date | None = None
    for w in weeks:
        run = run + 1 if previous is not None and w - previous == timedelta(weeks=1) else 1
        best = max(best, run)
        previous = w
    return best
