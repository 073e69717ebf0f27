"""The impact report for the municipality and the housing programme (effektmåling): workers, paid hours,
attendance stability, småjobs and sales for a chosen period, with every small count hidden.

`collect(sessions, first, last)` reads the database (local days, `last` included) and returns an ImpactReport;
kiosk.services.reports.impact_export writes it as files (PDF with charts, CSV).  Rules and wording: kiosk.domain.impact.

Who counts as what:
- a *worker* is a person with the role "worker" (leaders and administrators are staff, not participants);
  *active* means at least one shift in the period, *new* that their first shift ever lies in the period;
- *paid hours* are the same minutes as on the monthly hour sheet: effective records with a known end;
- a *småjob offered* is a job starting in the period that was not cancelled; a *place filled* is a sign-up
  that got a place (not the waitlist, not cancelled); *came* means checked in (completed or still there);
  the *no-show rate* is no-shows out of those who had a place on a job that is over;
- *residents engaged* are the distinct residents who signed up for a småjob in the period;
- *sales* are receipts (refunds subtracted, training receipts left out), amounts including VAT.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from babel.dates import format_date
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.clock import to_local, utc_now
from kiosk.config import ShopSettings
from kiosk.db.engine import unit_of_work
from kiosk.db.models import Job, Person, Sale, Shift, Signup
from kiosk.domain import impact as rules
from kiosk.domain.money import format_dkk
from kiosk.domain.shifts import ShiftRecord, local_range, summarize_days, week_start
from kiosk.errors import DomainError
from kiosk.services.checkin import shift_store as store

log = logging.getLogger(__name__)

HELD = ("signed_up", "checked_in", "completed", "no_show")  # sign-ups that got a place
CAME = ("checked_in", "completed")
SETTLED = ("completed", "no_show")  # the job is over and closed: they came or they did not
LOCALE = "da_DK"


class ImpactPeriodError(DomainError):
    user_message = "Perioden kan ikke bruges. Til-datoen skal ligge efter fra-datoen."


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
        return f"Uge {self.monday.isocalendar().week}"

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
        """'1.–30. november 2026', '1. januar – 31. marts 2026', '1. december 2025 – 31. januar 2026'."""
        if (self.first.year, self.first.month) == (self.last.year, self.last.month):
            return f"{self.first.day}.–{_long(self.last)}"
        if self.first.year == self.last.year:
            return f"{format_date(self.first, 'd. MMMM', locale=LOCALE)} – {_long(self.last)}"
        return f"{_long(self.first)} – {_long(self.last)}"

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


def _long(day: dt.date) -> str:
    return format_date(day, "d. MMMM y", locale=LOCALE)


# --- reading the database --------------------------------------------------------------------------------------


def collect(
    sessions: sessionmaker[Session],
    first: dt.date,
    last: dt.date,
    *,
    shop: ShopSettings | None = None,
    now: dt.datetime | None = None,
) -> ImpactReport:
    """Every figure for the local days [first, last]."""
    if last < first:
        raise ImpactPeriodError(f"{last} before {first}")
    moment = now or utc_now()
    start, stop = local_range(first, last + dt.timedelta(days=1))
    until = min(last, to_local(moment).date())  # stability counts no week that has not begun yet
    mondays = rules.weeks_between(first, last)
    with unit_of_work(sessions) as s:
        work = _workers(s, start, stop, first, until)
        jobs = _jobs(s, start, stop, moment)
        new_residents = int(
            s.scalar(
                select(func.count())
                .select_from(Person)
                .where(Person.role == "resident", Person.created_at >= start, Person.created_at < stop)
            )
            or 0
        )
        sales = s.execute(
            select(Sale.created_at, Sale.total_ore, Sale.kind).where(
                Sale.training.is_(False), Sale.created_at >= start, Sale.created_at < stop
            )
        ).all()
    sales_by_week: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0])
    refunds = 0
    for created, total, kind in sales:
        bucket = sales_by_week[week_start(to_local(created).date())]
        bucket[0] += total
        if kind == "sale":
            bucket[1] += 1
        else:
            refunds += 1
    weeks = tuple(
        Week(
            monday=m,
            workers=len(work.week_people.get(m, ())),
            minutes=work.week_minutes.get(m, 0),
            days=work.week_days.get(m, 0),
            signups=jobs.week_signups.get(m, 0),
            sales_ore=sales_by_week[m][0] if m in sales_by_week else 0,
            receipts=sales_by_week[m][1] if m in sales_by_week else 0,
        )
        for m in mondays
    )
    people = work.attendance
    stabilities = [a.stability for a in people if a.stability is not None]
    report = ImpactReport(
        first=first,
        last=last,
        shop=shop or ShopSettings(),
        generated_at=moment,
        active_workers=len(people),
        new_workers=work.new,
        worker_days=sum(w.days for w in weeks),
        minutes=sum(a.minutes for a in people),
        worker_weeks=sum(a.weeks_counted for a in people),
        mean_stability=(sum(stabilities, Decimal(0)) / len(stabilities)) if stabilities else None,
        stable_workers=sum(1 for a in people if a.stable),
        hour_bands=tuple(rules.hour_bands(people)),
        new_residents=new_residents,
        sales_ore=sum(total for _c, total, _k in sales),
        receipts=sum(1 for _c, _t, kind in sales if kind == "sale"),
        refunds=refunds,
        weeks=weeks,
        **jobs.figures,
    )
    log.info(
        "impact %s..%s: %d workers, %d sign-ups, %d receipts",
        first,
        last,
        len(people),
        jobs.figures["signups"],
        report.receipts,
    )
    return report


@dataclass
class _Work:
    attendance: list[rules.Attendance]
    new: int
    week_people: dict[dt.date, set[uuid.UUID]]
    week_minutes: dict[dt.date, int]
    week_days: dict[dt.date, int]


def _effective_between(s: Session, start: dt.datetime, stop: dt.datetime) -> list[ShiftRecord]:
    """Like shift_store.effective_between, without its correlated NOT EXISTS (a scan of every shift for every
    row: seconds on five years of history): the ids that some row corrects are few, so fetch them once."""
    corrected = set(s.scalars(select(Shift.corrects_id).where(Shift.corrects_id.is_not(None))))
    rows = s.scalars(select(Shift).where(Shift.check_in_at >= start, Shift.check_in_at < stop))
    return [store.record_of(r) for r in rows if r.id not in corrected]


def _workers(s: Session, start: dt.datetime, stop: dt.datetime, first: dt.date, until: dt.date) -> _Work:
    workers = set(s.scalars(select(Person.id).where(Person.role == "worker")))
    records = [r for r in _effective_between(s, start, stop) if r.person_id in workers]
    ids = {r.person_id for r in records}
    first_ever: dict[uuid.UUID, dt.datetime] = {}
    if ids:
        # Every row counts here, corrected or not: a correction keeps the day it corrects, and only the first
        # day matters (the (person_id, check_in_at) index answers this without reading the table).
        q = select(Shift.person_id, func.min(Shift.check_in_at)).where(Shift.person_id.in_(list(ids)))
        first_ever = {pid: when for pid, when in s.execute(q.group_by(Shift.person_id))}
    by_person: dict[uuid.UUID, list[ShiftRecord]] = defaultdict(list)
    for r in records:
        by_person[r.person_id].append(r)
    out = _Work([], 0, defaultdict(set), defaultdict(int), defaultdict(int))
    for pid, rows in by_person.items():
        days = summarize_days(rows)
        began = to_local(first_ever.get(pid, rows[0].check_in)).date()
        if began >= first:
            out.new += 1
        minutes = sum(d.minutes for d in days)
        out.attendance.append(rules.attendance((d.day for d in days), minutes, began, first, until))
        for d in days:
            monday = week_start(d.day)
            out.week_people[monday].add(pid)
            out.week_minutes[monday] += d.minutes
            out.week_days[monday] += 1
    return out


@dataclass
class _Jobs:
    figures: dict[str, int]
    week_signups: dict[dt.date, int]


def _jobs(s: Session, start: dt.datetime, stop: dt.datetime, now: dt.datetime) -> _Jobs:
    jobs = s.execute(
        select(Job.id, Job.capacity, Job.cancelled, Job.starts_at, Job.ends_at).where(
            Job.starts_at >= start, Job.starts_at < stop
        )
    ).all()
    rows = s.execute(
        select(Signup.job_id, Signup.person_id, Signup.status, Person.role)
        .join(Job, Job.id == Signup.job_id)
        .join(Person, Person.id == Signup.person_id)
        .where(Job.starts_at >= start, Job.starts_at < stop)
    ).all()
    by_job: dict[uuid.UUID, list[tuple[uuid.UUID, str, str]]] = defaultdict(list)
    for job_id, person_id, status, role in rows:
        by_job[job_id].append((person_id, status, role))
    f = dict.fromkeys(
        ("jobs_offered", "jobs_cancelled", "places_offered", "places_filled", "jobs_full", "jobs_done", "signups",
         "waitlisted", "signups_cancelled", "came", "no_shows", "settled", "residents_engaged", "residents_came"),
        0,
    )  # fmt: skip
    engaged: set[uuid.UUID] = set()
    came: set[uuid.UUID] = set()
    week_signups: dict[dt.date, int] = defaultdict(int)
    for job_id, capacity, cancelled, starts_at, ends_at in jobs:
        signups = by_job.get(job_id, [])
        if cancelled:
            f["jobs_cancelled"] += 1
            continue
        held = sum(1 for _p, status, _r in signups if status in HELD)
        f["jobs_offered"] += 1
        f["places_offered"] += capacity
        f["places_filled"] += min(held, capacity)
        f["jobs_full"] += 1 if capacity and held >= capacity else 0
        f["signups"] += len(signups)
        f["waitlisted"] += sum(1 for _p, status, _r in signups if status == "waitlist")
        f["signups_cancelled"] += sum(1 for _p, status, _r in signups if status == "cancelled")
        arrived = [p for p, status, _r in signups if status in CAME]
        f["came"] += len(arrived)
        f["no_shows"] += sum(1 for _p, status, _r in signups if status == "no_show")
        f["settled"] += sum(1 for _p, status, _r in signups if status in SETTLED)
        f["jobs_done"] += 1 if arrived and ends_at <= now else 0
        week_signups[week_start(to_local(starts_at).date())] += len(signups)
        engaged |= {p for p, _s, role in signups if role == "resident"}
        came |= {p for p, status, role in signups if role == "resident" and status in CAME}
    f["residents_engaged"], f["residents_came"] = len(engaged), len(came)
    return _Jobs(f, week_signups)
