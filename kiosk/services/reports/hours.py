"""Monthly hours per person per day, for payroll and the jobcenter: CSV for spreadsheets, PDF for signing.

`export_hours(sessions, "2026-11", Path("timer.pdf"))` picks the format by suffix.  Only effective records
count (a corrected record gives way to its correction); self-reported or unapproved days are counted but
marked, and a day whose end is unknown counts nothing until a supervisor decides.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
from pathlib import Path

from babel.dates import format_date
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.clock import to_local, utc_now
from kiosk.config import ShopSettings
from kiosk.db.engine import unit_of_work
from kiosk.db.models import Person
from kiosk.domain import shift_text as txt
from kiosk.domain import shifts as rules
from kiosk.domain.hours import HoursSheet, PersonMonth
from kiosk.domain.shifts import ShiftRuleError
from kiosk.i18n import L_
from kiosk.services.checkin import corrections_by_day, day_line
from kiosk.services.checkin import shift_store as store

log = logging.getLogger(__name__)

CSV_HEADER = ("Navn", "Dato", "Ugedag", "Mødt ind", "Gået hjem", "Timer", "Tid", "Til kontrol", "Bemærkning")


def danish_sort_key(name: str) -> str:
    """Æ, Ø, Å come after Z, in that order (plain code-point order would put Å first)."""
    return name.casefold().translate({ord("æ"): "{", ord("ø"): "|", ord("å"): "}"})


def collect(
    sessions: sessionmaker[Session], month: str, *, shop: ShopSettings | None = None, now: dt.datetime | None = None
) -> HoursSheet:
    first, end = rules.month_bounds(month)
    start, stop = rules.local_range(first, end)
    moment = now or utc_now()
    today = to_local(moment).date()
    with unit_of_work(sessions) as s:
        records = store.effective_between(s, start, stop)
        ids = sorted({r.person_id for r in records})
        names = {pid: name for pid, name in s.execute(select(Person.id, Person.name).where(Person.id.in_(ids)))}
        corrections = {pid: corrections_by_day(s, [r for r in records if r.person_id == pid]) for pid in ids}
    people: list[PersonMonth] = []
    for pid in ids:
        days = rules.summarize_days(r for r in records if r.person_id == pid)
        lines = tuple(day_line(d, today, corrections[pid].get(d.day, ())) for d in days)
        people.append(PersonMonth(pid, names.get(pid, "?"), lines, rules.totals(days)))
    people.sort(key=lambda p: danish_sort_key(p.name))
    return HoursSheet(month, first, end, tuple(people), shop or ShopSettings(), moment)


def to_csv(sheet: HoursSheet) -> bytes:
    """Semicolon-separated UTF-8 with BOM: Danish Excel opens it with æøå and decimal commas intact."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for person in sheet.people:
        for line in person.days:
            d = line.hours
            writer.writerow(
                (
                    person.name,
                    format_date(d.day, "short", locale=txt.LOCALE),
                    format_date(d.day, "EEEE", locale=txt.LOCALE),
                    line.first_in_text,
                    line.last_out_text,
                    txt.hours_decimal(d.minutes),
                    line.duration_text,
                    "ja" if d.flagged else "",
                    line.notes,
                )
            )
        pending = person.totals.pending_minutes
        note = f"heraf {txt.hours_decimal(pending)} timer afventer leder" if pending else ""
        writer.writerow(
            (person.name, "I alt", "", "", "", person.total_hours, person.total_text, "ja" if pending else "", note)
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_hours(
    sessions: sessionmaker[Session],
    month: str,
    out: Path,
    *,
    shop: ShopSettings | None = None,
    now: dt.datetime | None = None,
) -> HoursSheet:
    """Write FILE.csv or FILE.pdf for a month ('2026-11'); returns what was written (for the CLI's message)."""
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".pdf"):
        raise ShiftRuleError(f"unsupported suffix {suffix!r}", user_message=L_("Filen skal hedde .csv eller .pdf."))
    sheet = collect(sessions, month, shop=shop, now=now)
    if suffix == ".csv":
        data = to_csv(sheet)
    else:
        from kiosk.printouts.hours_sheet import render_pdf  # fpdf2 import cost only when a PDF is wanted

        data = render_pdf(sheet)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    log.info("hours for %s: %d people, %d minutes -> %s", month, len(sheet.people), sheet.total_minutes, out)
    return sheet
