"""Danish phrasing for working time: "4 t 12 min", "kl. 09.02", "3. gang denne uge".  Dates and numbers go
through Babel, like money does.  Wording is warm and never mentions absences."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from babel.dates import format_date, format_time
from babel.numbers import format_decimal

from kiosk.clock import LOCAL_TZ, to_local
from kiosk.domain.shifts import DayHours

LOCALE = "da_DK"
QUESTION = "Hvornår gik du hjem?"


def duration_text(minutes: int) -> str:
    """252 -> '4 t 12 min', 180 -> '3 t', 45 -> '45 min' (how Danes shorten timer/minutter)."""
    hours, rest = divmod(max(minutes, 0), 60)
    if hours and rest:
        return f"{hours} t {rest} min"
    if hours:
        return f"{hours} t"
    return f"{rest} min"


def hours_decimal(minutes: int) -> str:
    """252 -> '4,20': decimal hours for payroll, from the exact minutes (never summed from rounded days)."""
    return format_decimal(Decimal(minutes) / Decimal(60), format="#,##0.00", locale=LOCALE)


def clock_text(moment: datetime) -> str:
    """'09.02', the shop's local time (Danes write a dot between hours and minutes)."""
    return format_time(moment, "HH.mm", tzinfo=LOCAL_TZ, locale=LOCALE)


def day_text(day: date) -> str:
    """'mandag 23. november'."""
    return format_date(day, "EEEE d. MMMM", locale=LOCALE)


def short_day_text(day: date) -> str:
    """'man. 23. nov.' for narrow table columns."""
    return format_date(day, "EEE d. MMM", locale=LOCALE)


def long_date_text(day: date) -> str:
    """'23. november 2026'."""
    return format_date(day, "d. MMMM y", locale=LOCALE)


def month_text(first: date) -> str:
    """'november 2026'."""
    return format_date(first, "LLLL y", locale=LOCALE)


def week_text(day: date) -> str:
    return f"Uge {day.isocalendar().week}"


def greeting(moment: datetime) -> str:
    """By the local hour: Godmorgen before 10, Goddag until 17, Godaften after."""
    hour = to_local(moment).hour
    if hour < 10:
        return "Godmorgen"
    if hour < 17:
        return "Goddag"
    return "Godaften"


def visits_text(days: int) -> str:
    """'3. gang denne uge' – counts days here, so a second scan the same day does not inflate it."""
    return f"{max(days, 1)}. gang denne uge"


def week_hours_text(minutes: int) -> str:
    return f"{duration_text(minutes)} denne uge"


def streak_text(weeks: int) -> str:
    """Only said when there is something to celebrate: one week is not a streak yet."""
    return f"Din rekord: {weeks} uger i træk" if weeks >= 2 else ""


def checked_in_text(first_name: str, moment: datetime) -> str:
    return f"{greeting(moment)}, {first_name}! Du er mødt ind kl. {clock_text(moment)}"


def checked_out_text(first_name: str, minutes: int) -> str:
    return f"Tak for i dag, {first_name}! Du har været her {duration_text(minutes)}."


def correction_text(leader: str, first_in: datetime, first_out: datetime | None, reason: str) -> str:
    """'rettet af Bo Hansen (først 09.00–?): glemte at gå hjem' (who, the time first recorded, why)."""
    span = f"{clock_text(first_in)}–{clock_text(first_out) if first_out else '?'}"
    who = f"rettet af {leader}" if leader else "rettet af leder"
    return f"{who} (først {span})" + (f": {reason}" if reason else "")


def day_notes(day: DayHours, today: date | None = None, corrections: Sequence[str] = ()) -> str:
    """The remark column on the sheet and in "Mine timer".  An open record from an earlier day is a check-out
    nobody answered for yet, not someone who is still here."""
    notes: list[str] = []
    if day.open:
        notes.append("gå hjem mangler" if today is not None and day.day < today else "er her nu")
    if day.end_unknown:
        notes.append("sluttid ukendt – tæller ikke endnu")
    if day.self_reported and day.needs_review:
        notes.append("selv oplyst – afventer leder")
    elif day.needs_review:
        notes.append("afventer leder")
    if day.corrected:
        notes.extend(corrections or ["rettet af leder"])
    if day.approved:
        notes.append("godkendt af leder")
    if day.records > 1:
        notes.append(f"{day.records} registreringer")
    return ", ".join(notes)
