"""The rules of the impact report (effektmåling), pure: discretion for small counts, weeks of a period,
attendance stability.  No database and no clock; days are the shop's local calendar.

Discretion: a count of people, or of things people did, between 1 and 4 is shown as "<5"; a rate or an
average worked out over fewer than 5 people is not shown at all.  Zero is shown: it points at nobody.

Attendance stability of one worker: the share of weeks in which they came at least once, counted from the
week of their first-ever shift (or the period's first week, if they started earlier) to the period's last
week (or the current week, if the period is not over).  The report gives the average over the workers, and
how many of them came in at least 3 of every 4 weeks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal

from kiosk.domain.shifts import week_start

LOCALE = "da_DK"
MIN_GROUP = 5  # counts below this (but above 0) are hidden
SUPPRESSED = "<5"
NOT_SHOWN = "–"  # a rate or average over fewer than MIN_GROUP people
STABLE_SHARE = Decimal("0.75")  # "stabilt fremmøde": at least 3 of every 4 weeks


def hidden(count: int) -> bool:
    return 0 < count < MIN_GROUP


def count_text(count: int) -> str:
    """12 -> '12', 3 -> '<5', 0 -> '0', 1234 -> '1.234'."""
    return SUPPRESSED if hidden(count) else format_decimal(count, locale=LOCALE)


def plain_count_text(count: int) -> str:
    """A count of things that are not people (jobs, places offered, receipts): always shown."""
    return format_decimal(count, locale=LOCALE)


def percent_text(share: Decimal | None, people: int) -> str:
    """0.8333 -> '83 %'; '–' when worked out over fewer than 5 people (or nothing to divide)."""
    if share is None or people < MIN_GROUP:
        return NOT_SHOWN
    return f"{(share * 100).quantize(Decimal(1), ROUND_HALF_UP)} %"


def decimal_text(value: Decimal | None, people: int, digits: int = 1) -> str:
    """An average over people: '7,5'; '–' when over fewer than 5 people."""
    if value is None or people < MIN_GROUP:
        return NOT_SHOWN
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    # Halfway up, as a coordinator rounds by hand and as the percentages do (Babel alone rounds half to even).
    rounded = value.quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)
    return format_decimal(rounded, format=pattern, locale=LOCALE)


def share(part: int, whole: int) -> Decimal | None:
    return None if whole <= 0 else Decimal(part) / Decimal(whole)


def weeks_between(first: date, last: date) -> list[date]:
    """The Mondays of every week touching the local days [first, last] (last included)."""
    if last < first:
        return []
    start, end = week_start(first), week_start(last)
    return [start + timedelta(weeks=i) for i in range((end - start).days // 7 + 1)]


@dataclass(frozen=True)
class Attendance:
    """One worker within a period (never shown one by one: only totals and averages leave the report)."""

    weeks_counted: int  # weeks from their start (or the period's) to the period's end
    weeks_present: int  # of those, weeks with at least one shift
    minutes: int

    @property
    def stability(self) -> Decimal | None:
        return share(self.weeks_present, self.weeks_counted)

    @property
    def stable(self) -> bool:
        value = self.stability
        return value is not None and value >= STABLE_SHARE

    @property
    def hours_per_week(self) -> Decimal:
        return Decimal(self.minutes) / 60 / max(self.weeks_counted, 1)


def attendance(days: Iterable[date], minutes: int, first_ever: date, first: date, last: date) -> Attendance:
    """`days`: the local days this worker was present within [first, last]; `first_ever`: their first shift."""
    weeks = weeks_between(max(first, first_ever), last)
    present = {week_start(d) for d in days if first <= d <= last}
    return Attendance(len(weeks), len(present & set(weeks)), minutes)


HOUR_BANDS: tuple[tuple[str, Decimal, Decimal | None], ...] = (
    ("under 5 timer", Decimal(0), Decimal(5)),
    ("5–10 timer", Decimal(5), Decimal(10)),
    ("10–20 timer", Decimal(10), Decimal(20)),
    ("20 timer og derover", Decimal(20), None),
)


def hour_bands(workers: Iterable[Attendance]) -> list[tuple[str, int]]:
    """How many workers averaged how many hours a week (each worker counted once, in one band)."""
    counts = dict.fromkeys((label for label, _lo, _hi in HOUR_BANDS), 0)
    for w in workers:
        h = w.hours_per_week
        for label, lo, hi in HOUR_BANDS:
            if h >= lo and (hi is None or h < hi):
                counts[label] += 1
                break
    return list(counts.items())
