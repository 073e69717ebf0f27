"""Hours as data: a day's line (check-in screen, hour sheet) and the monthly hour sheet.  The services build these
(kiosk.services.checkin, kiosk.services.reports.hours); the CSV and the PDF (kiosk.printouts.hours_sheet) read them."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from kiosk.config import ShopSettings
from kiosk.domain import shift_text as txt
from kiosk.domain.shifts import DayHours, Totals
from kiosk.i18n import L_


@dataclass(frozen=True)
class DayLine:
    hours: DayHours
    day_text: str  # 'mandag 23. november'
    first_in_text: str  # '09.02'
    last_out_text: str  # '13.14', '' while in or unknown
    duration_text: str  # '4 t 12 min'
    notes: str

    @property
    def day(self) -> dt.date:
        return self.hours.day

    @property
    def minutes(self) -> int:
        return self.hours.minutes


@dataclass(frozen=True)
class PersonMonth:
    person_id: uuid.UUID
    name: str
    days: tuple[DayLine, ...]
    totals: Totals

    @property
    def total_text(self) -> str:
        """'12 t 30 min'."""
        return txt.duration_text(self.totals.minutes)

    @property
    def total_hours(self) -> str:
        """'12,50'."""
        return txt.hours_decimal(self.totals.minutes)


@dataclass(frozen=True)
class HoursSheet:
    month: str  # '2026-11'
    first: dt.date
    end: dt.date  # exclusive
    people: tuple[PersonMonth, ...]
    shop: ShopSettings
    generated_at: dt.datetime

    @property
    def title(self) -> str:
        """'Timeregistrering november 2026'."""
        return L_("Timeregistrering {month}", month=txt.month_text(self.first))  # the sheet prints the Danish

    @property
    def period_text(self) -> str:
        """'1.–30. november 2026'."""
        last = self.end - dt.timedelta(days=1)
        return f"{self.first.day}.–{txt.long_date_text(last)}"

    @property
    def total_minutes(self) -> int:
        return sum(p.totals.minutes for p in self.people)
