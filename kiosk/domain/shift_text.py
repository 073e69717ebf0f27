"""Danish phrasing for working time: "4 t 12 min", "kl. 09.02", "3. gang denne uge".  Dates and numbers go
through Babel, like money does.  Wording is warm and never mentions absences.

Each phrase is a Text (kiosk.i18n): the Danish it reads as, which the hour sheet and the journal keep, and the
same phrase in the reader's language where a screen says it (`_(text)`): "4 h 12 min", "09:02", "Monday 23
November".  hours_decimal is payroll's figure and stays Danish."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from babel.numbers import format_decimal

from kiosk.clock import to_local
from kiosk.domain.shifts import DayHours
from kiosk.i18n import L_, joined, lazy_clock, lazy_date

LOCALE = "da_DK"
QUESTION = L_("Hvornår gik du hjem?")


def duration_text(minutes: int) -> str:
    """252 -> '4 t 12 min', 180 -> '3 t', 45 -> '45 min' (how Danes shorten timer/minutter)."""
    hours, rest = divmod(max(minutes, 0), 60)
    if hours and rest:
        return L_("{hours} t {minutes} min", hours=hours, minutes=rest)
    if hours:
        return L_("{hours} t", hours=hours)
    return L_("{minutes} min", minutes=rest)


def hours_decimal(minutes: int, locale: str = LOCALE) -> str:
    """252 -> '4,20': decimal hours for payroll, from the exact minutes (never summed from rounded days).
    Payroll's sheet keeps the Danish; a line printed for a reader passes their Babel locale ('4.20')."""
    return format_decimal(Decimal(minutes) / Decimal(60), format="#,##0.00", locale=locale)


def clock_text(moment: datetime) -> str:
    """'09.02', the shop's local time (Danes write a dot between hours and minutes; English '09:02')."""
    return lazy_clock(moment)


def day_text(day: date) -> str:
    """'mandag 23. november' / 'Monday 23 November'."""
    return lazy_date(day, "EEEE d. MMMM", "EEEE d MMMM")


def short_day_text(day: date) -> str:
    """'man. 23. nov.' / 'Mon 23 Nov' for narrow table columns."""
    return lazy_date(day, "EEE d. MMM", "EEE d MMM")


def long_date_text(day: date) -> str:
    """'23. november 2026' / '23 November 2026'."""
    return lazy_date(day, "d. MMMM y", "d MMMM y")


def month_text(first: date) -> str:
    """'november 2026' / 'November 2026'."""
    return lazy_date(first, "LLLL y", "LLLL y")


def week_text(day: date) -> str:
    return L_("Uge {n}", n=day.isocalendar().week)


def greeting(moment: datetime) -> str:
    """By the local hour: Godmorgen before 10, Goddag until 17, Godaften after."""
    hour = to_local(moment).hour
    if hour < 10:
        return L_("Godmorgen")
    if hour < 17:
        return L_("Goddag")
    return L_("Godaften")


def visits_text(days: int) -> str:
    """'3. gang denne uge' – counts days here, so a second scan the same day does not inflate it."""
    return L_("{n}. gang denne uge", n=max(days, 1))


def week_hours_text(minutes: int) -> str:
    return L_("{duration} denne uge", duration=duration_text(minutes))


def streak_text(weeks: int) -> str:
    """Only said when there is something to celebrate: one week is not a streak yet."""
    return L_("Din rekord: {n} uger i træk", n=weeks) if weeks >= 2 else ""


def checked_in_text(first_name: str, moment: datetime) -> str:
    return L_(
        "{greeting}, {name}! Du er mødt ind kl. {time}",
        greeting=greeting(moment),
        name=first_name,
        time=clock_text(moment),
    )


def checked_out_text(first_name: str, minutes: int) -> str:
    return L_("Tak for i dag, {name}! Du har været her {duration}.", name=first_name, duration=duration_text(minutes))


def correction_text(leader: str, first_in: datetime, first_out: datetime | None, reason: str) -> str:
    """'rettet af Bo Hansen (først 09.00–?): glemte at gå hjem' (who, the time first recorded, why)."""
    span = joined([clock_text(first_in), clock_text(first_out) if first_out else "?"], "–")
    if leader:
        said = L_("rettet af {leader} (først {span})", leader=leader, span=span)
    else:
        said = L_("rettet af leder (først {span})", span=span)
    return L_("{correction}: {reason}", correction=said, reason=reason) if reason else said


def day_notes(day: DayHours, today: date | None = None, corrections: Sequence[str] = ()) -> str:
    """The remark column on the sheet and in "Mine timer".  An open record from an earlier day is a check-out
    nobody answered for yet, not someone who is still here."""
    notes: list[str] = []
    if day.open:
        notes.append(L_("gå hjem mangler") if today is not None and day.day < today else L_("er her nu"))
    if day.end_unknown:
        notes.append(L_("sluttid ukendt – tæller ikke endnu"))
    if day.self_reported and day.needs_review:
        notes.append(L_("selv oplyst – afventer leder"))
    elif day.needs_review:
        notes.append(L_("afventer leder"))
    if day.corrected:
        notes.extend(corrections or [L_("rettet af leder")])
    if day.approved:
        notes.append(L_("godkendt af leder"))
    if day.records > 1:
        notes.append(L_("{n} registreringer", n=day.records))
    return joined(notes, ", ")
