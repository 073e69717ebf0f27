"""The impact report as data (kiosk.services.reports.impact collects it from the database): the figures, the weeks,
their Danish wording.  The staff screen, the CSV and the PDF (kiosk.printouts.impact_pdf) all read this."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from babel.dates import format_date

from kiosk.config import ShopSettings
from kiosk.domain import impact as rules
from kiosk.domain import shift_text as txt
from kiosk.domain.money import format_dkk
from kiosk.i18n import BABEL_LOCALES, in_language


@dataclass(frozen=True)
class Figure:
    """One line of the key figures: the same text goes to the PDF, the CSV and the staff screen."""

    key: str
    group: str
    label: str
    text: str
    note: str = ""


@dataclass(frozen=True)
class Week:
    monday: dt.date
    workers: int  # distinct workers with a shift this week
    minutes: int  # their paid minutes
    days: int  # worker-days present
    signups: int  # sign-ups to småjobs starting this week
    sales_ore: int
    receipts: int

    @property
    def label(self) -> str:
        return txt.week_text(self.monday)  # "Uge 48" / "Week 48"; the report's CSV keeps the Danish

    @property
    def hours(self) -> Decimal | None:
        """Hidden (None) when fewer than 5 workers are behind the figure."""
        return None if rules.hidden(self.workers) else Decimal(self.minutes) / 60


@dataclass(frozen=True)
class ImpactReport:
    first: dt.date
    last: dt.date  # included
    shop: ShopSettings
    generated_at: dt.datetime
    active_workers: int = 0
    new_workers: int = 0
    worker_days: int = 0
    minutes: int = 0
    worker_weeks: int = 0  # sum over workers of the weeks counted for stability
    mean_stability: Decimal | None = None
    stable_workers: int = 0
    hour_bands: tuple[tuple[str, int], ...] = ()
    jobs_offered: int = 0
    jobs_cancelled: int = 0
    places_offered: int = 0
    places_filled: int = 0
    jobs_full: int = 0
    jobs_done: int = 0  # jobs that are over where at least one resident came
    signups: int = 0
    waitlisted: int = 0
    signups_cancelled: int = 0
    came: int = 0
    no_shows: int = 0
    settled: int = 0
    residents_engaged: int = 0
    residents_came: int = 0
    new_residents: int = 0
    sales_ore: int = 0
    receipts: int = 0
    refunds: int = 0
    weeks: tuple[Week, ...] = field(default=())

    # --- derived ---------------------------------------------------------------------------------------------

    @property
    def period_text(self) -> str:
        """'1.–30. november 2026', '1. januar – 31. marts 2026', '1. december 2025 – 31. januar 2026'; a Text: the
        report's files print the Danish, the screen says it in the kiosk's language ('1–30 November 2026')."""
        return in_language(lambda language: _period(self.first, self.last, language))

    @property
    def hours_per_worker_week(self) -> Decimal | None:
        return None if not self.worker_weeks else Decimal(self.minutes) / 60 / self.worker_weeks

    @property
    def no_show_rate(self) -> Decimal | None:
        return rules.share(self.no_shows, self.settled)

    @property
    def hours_text(self) -> str:
        """Total paid hours; hidden when fewer than 5 workers are behind them."""
        if rules.hidden(self.active_workers):
            return rules.SUPPRESSED
        return rules.decimal_text(Decimal(self.minutes) / 60, rules.MIN_GROUP, 1)

    def figures(self) -> list[Figure]:
        c, p = rules.count_text, rules.plain_count_text
        n = self.active_workers
        out = [
            Figure("active_workers", "Medarbejdere", "Aktive medarbejdere", c(n), "mindst én vagt i perioden"),
            Figure("new_workers", "Medarbejdere", "Nye medarbejdere", c(self.new_workers), "første vagt i perioden"),
            Figure("worker_days", "Medarbejdere", "Fremmødedage", c(self.worker_days), "dage med fremmøde i alt"),
            Figure("hours", "Medarbejdere", "Betalte timer i alt", self.hours_text, "timer med kendt sluttid"),
            Figure(
                "hours_per_week",
                "Medarbejdere",
                "Timer pr. medarbejder pr. uge",
                rules.decimal_text(self.hours_per_worker_week, n),
                "gennemsnit over ugerne fra personens start",
            ),
            Figure(
                "stability",
                "Medarbejdere",
                "Stabilt fremmøde (gennemsnit)",
                rules.percent_text(self.mean_stability, n),
                "andel af uger med mindst ét fremmøde",
            ),
            Figure(
                "stable_workers",
                "Medarbejdere",
                "Mødt mindst 3 af 4 uger",
                c(self.stable_workers),
                "antal medarbejdere",
            ),
            Figure(
                "jobs_offered", "Småjobs", "Småjobs udbudt", p(self.jobs_offered), f"{p(self.places_offered)} pladser"
            ),
            Figure(
                "places_filled",
                "Småjobs",
                "Pladser besat",
                c(self.places_filled),
                f"af {p(self.places_offered)}; {p(self.jobs_full)} job fuldt booket",
            ),
            Figure("jobs_done", "Småjobs", "Småjobs gennemført", p(self.jobs_done), "mindst én beboer mødte op"),
            Figure(
                "signups",
                "Småjobs",
                "Tilmeldinger",
                c(self.signups),
                f"heraf venteliste {c(self.waitlisted)}, afmeldt {c(self.signups_cancelled)}",
            ),
            Figure("came", "Småjobs", "Mødte op", c(self.came), "tjekket ind på jobbet"),
            Figure("no_shows", "Småjobs", "Udeblev", c(self.no_shows), "tilmeldt, men kom ikke"),
            Figure(
                "no_show_rate",
                "Småjobs",
                "Udeblivelser",
                rules.percent_text(self.no_show_rate, self.settled),
                "af tilmeldte på afsluttede job",
            ),
            Figure(
                "residents_engaged",
                "Beboere",
                "Beboere engageret",
                c(self.residents_engaged),
                "forskellige beboere tilmeldt et småjob",
            ),
            Figure("residents_came", "Beboere", "Beboere, der mødte op", c(self.residents_came), ""),
            Figure("new_residents", "Beboere", "Nye beboere", c(self.new_residents), "oprettet ved første tilmelding"),
            Figure("sales", "Butikken", "Salg i alt", format_dkk(self.sales_ore), "inkl. moms, retur trukket fra"),
            Figure("receipts", "Butikken", "Antal køb", p(self.receipts), f"returneringer: {p(self.refunds)}"),
            Figure(
                "sales_per_week",
                "Butikken",
                "Salg pr. uge (gennemsnit)",
                format_dkk(self.sales_ore // max(len(self.weeks), 1)),
                f"over {len(self.weeks)} uger",
            ),
        ]
        return out


def _long(day: dt.date, language: str = "da") -> str:
    return format_date(day, "d. MMMM y" if language == "da" else "d MMMM y", locale=BABEL_LOCALES[language])


def _period(first: dt.date, last: dt.date, language: str) -> str:
    stop = "." if language == "da" else ""  # Danish writes a day as an ordinal: "1.–30. november"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}{stop}–{_long(last, language)}"
    if first.year == last.year:
        day_month = format_date(first, f"d{stop} MMMM", locale=BABEL_LOCALES[language])
        return f"{day_month} – {_long(last, language)}"
    return f"{_long(first, language)} – {_long(last, language)}"
