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
  On the server of several kiosks: the server's own and every kiosk's synced sales (see _kiosks_sales).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.clock import to_local, utc_now
from kiosk.config import ShopSettings
from kiosk.db.engine import unit_of_work
from kiosk.db.models import FleetSale, Job, Person, Sale, Shift, Signup
from kiosk.domain import impact as rules
from kiosk.domain.impact_report import ImpactReport, Week
from kiosk.domain.shifts import ShiftRecord, local_range, summarize_days, week_start
from kiosk.errors import DomainError
from kiosk.i18n import L_
from kiosk.services.checkin import shift_store as store

log = logging.getLogger(__name__)

HELD = ("signed_up", "checked_in", "completed", "no_show")  # sign-ups that got a place
CAME = ("checked_in", "completed")
SETTLED = ("completed", "no_show")  # the job is over and closed: they came or they did not


class ImpactPeriodError(DomainError):
    user_message = L_("Perioden kan ikke bruges. Til-datoen skal ligge efter fra-datoen.")


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
        sales_by_week, refunds = _sales_by_week(s, start, stop, mondays)
        for created, total, kind in _kiosks_sales(s, start, stop):
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
        sales_ore=sum(total for total, _receipts in sales_by_week.values()),
        receipts=sum(receipts for _total, receipts in sales_by_week.values()),
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


def _sales_by_week(
    s: Session, start: dt.datetime, stop: dt.datetime, mondays: list[dt.date]
) -> tuple[defaultdict[dt.date, list[int]], int]:
    """This machine's sales in [start, stop) summed per local week by the database: Monday -> [amount, receipts],
    and the number of refunds.  A week is told by the UTC moment its Monday begins in Danish time, so no row
    comes back to Python (a month's ~2,700 receipts, read and converted one by one, were half the report's
    reading time)."""
    ends = [local_range(m + dt.timedelta(weeks=1), m + dt.timedelta(weeks=1))[0] for m in mondays]
    week = case(*((Sale.created_at < end, i) for i, end in enumerate(ends)))
    q = (
        select(
            week,
            func.sum(Sale.total_ore),
            func.sum(case((Sale.kind == "sale", 1), else_=0)),
            func.sum(case((Sale.kind == "sale", 0), else_=1)),
        )
        .where(Sale.training.is_(False), Sale.created_at >= start, Sale.created_at < stop)
        .group_by(week)
    )
    by_week: defaultdict[dt.date, list[int]] = defaultdict(lambda: [0, 0])
    refunds = 0
    for i, total, receipts, refunded in s.execute(q):
        by_week[mondays[i]] = [int(total or 0), int(receipts or 0)]
        refunds += int(refunded or 0)
    return by_week, refunds


def _kiosks_sales(s: Session, start: dt.datetime, stop: dt.datetime) -> list[tuple[dt.datetime, int, str]]:
    """On the server of several kiosks: each kiosk's synced sales, read where the server keeps them, once each
    (`fleet_sales`, the payload exactly as the kiosk sent it, under its hash).  They are never copied into `sales`:
    that table holds what was sold on this machine, with a receipt series and a day close (Z) of its own, while a
    kiosk's sale belongs to the kiosk's series and the kiosk's Z.  One copy, so nothing is counted twice.  Empty on
    a kiosk (training sales never leave one).  The period is read from the payload: a backlog arrives late."""
    out: list[tuple[dt.datetime, int, str]] = []
    for payload in s.scalars(select(FleetSale.payload)):
        sale = json.loads(payload)
        created = dt.datetime.fromisoformat(sale["created_at"])
        if start <= created < stop:
            out.append((created, int(sale["total_ore"]), str(sale["kind"])))
    return out


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
