"""Deleting personal data when the kiosk no longer needs it (DANISH.md, GDPR), and never before the law allows.

Run once a day (kiosk.services.records.daily).  In order:
1. ended småjobs are closed (no-shows settled) and residents are erased a set time after their last job
   (`[kiosk] resident_retention_months`, default 12): the rules of kiosk.services.jobs.upkeep (`jobs_upkeep`,
   which the daily job also runs alone when the rest is already done for the day);
2. staff who have left (marked inactive) are erased once nothing they appear in is still inside the five-year
   rules: their own shifts, shifts they corrected, sales they made, journal entries naming them;
3. shifts (working-time records) are deleted once past the five-year rule.

The five-year rules: working time must be kept 5 years (arbejdstidsloven § 4b), bookkeeping records 5 years
from the end of the financial year (bogføringsloven § 12).  So a record may go on 1 January of the sixth year
after the year it belongs to: the cutoff is 1 January (Danish time) five years before the current year.

Sales, sale lines and the electronic journal are never deleted: they are bookkeeping records, the journal is
append-only by law (§ 65) and refers to sales and people by id.  An erased person keeps their row (the journal
and sales point at it) but nothing in it names a human being.  The journal gets the counts, never a name.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.clock import LOCAL_TZ, to_local
from kiosk.config import Settings
from kiosk.db.engine import unit_of_work
from kiosk.db.models import JournalEntry, Person, Sale, Shift
from kiosk.services.jobs import close_past_jobs, delete_inactive_residents, erase
from kiosk.services.records import journal

log = logging.getLogger(__name__)

RECORD_YEARS = 5
REFERENCE_PERIOD_YEARS = 1  # the longest reference period for working time, rounded up to whole years
STAFF_ROLES = ("worker", "supervisor", "admin")
ERASED_STAFF_NAME = "Tidligere medarbejder"
_CHUNK = 500


@dataclass(frozen=True)
class JobsUpkeep:
    """The småjobs part: ended jobs closed (their no-shows settled), residents erased past the limit."""

    jobs_closed: int
    no_shows: int
    residents_erased: int


@dataclass(frozen=True)
class RetentionReport:
    jobs_closed: int
    no_shows: int
    residents_erased: int
    staff_erased: int
    shifts_deleted: int
    records_cutoff: datetime  # time records (and former staff) from before this moment are past the rules

    @property
    def jobs(self) -> JobsUpkeep:
        return JobsUpkeep(self.jobs_closed, self.no_shows, self.residents_erased)


def records_cutoff(now: datetime) -> datetime:
    """1 January, Danish time, five years before this year: in 2026 everything from 2020 and earlier may go."""
    year = to_local(now).year - RECORD_YEARS
    return datetime(year, 1, 1, tzinfo=LOCAL_TZ).astimezone(UTC)


def working_time_cutoff(now: datetime) -> datetime:
    """Time records are kept 5 years after the end of their *reference period* (arbejdstidsloven § 4b), and a
    reference period may run up to 12 months (§ 4, by agreement): a shift from 2020 may belong to a period ending
    late in 2021, so it may go on 1 January 2027, one year after the bookkeeping records of 2020.  The same cutoff
    guards former staff, so a kept time record never loses the name it belongs to."""
    year = to_local(now).year - RECORD_YEARS - REFERENCE_PERIOD_YEARS
    return datetime(year, 1, 1, tzinfo=LOCAL_TZ).astimezone(UTC)


def jobs_upkeep(sessions: sessionmaker[Session], settings: Settings, now: datetime) -> JobsUpkeep:
    """Ended jobs closed, then residents past the limit erased; safe to run any number of times a day."""
    kiosk_id = settings.kiosk.id
    closed = close_past_jobs(sessions, kiosk_id, now)
    residents = delete_inactive_residents(sessions, kiosk_id, now, settings.kiosk.resident_retention_months)
    return JobsUpkeep(closed.jobs, closed.no_shows, residents.erased)


def run_retention(sessions: sessionmaker[Session], settings: Settings, now: datetime) -> RetentionReport:
    kiosk_id = settings.kiosk.id
    jobs = jobs_upkeep(sessions, settings, now)
    cutoff = working_time_cutoff(now)
    with unit_of_work(sessions) as s:
        staff = erase_departed_staff(s, cutoff)
        shifts = delete_old_shifts(s, cutoff)
        report = RetentionReport(jobs.jobs_closed, jobs.no_shows, jobs.residents_erased, staff, shifts, cutoff)
        journal.append(
            s,
            kiosk_id=kiosk_id,
            kind="retention",
            at=now,
            payload={
                "jobs_closed": report.jobs_closed,
                "no_shows": report.no_shows,
                "residents_erased": report.residents_erased,
                "resident_retention_months": settings.kiosk.resident_retention_months,
                "staff_erased": report.staff_erased,
                "shifts_deleted": report.shifts_deleted,
                "working_time_cutoff": to_local(cutoff).date().isoformat(),
            },
        )
    log.info(
        "retention: %d residents and %d former staff erased, %d shifts from before %s deleted",
        report.residents_erased,
        staff,
        shifts,
        to_local(cutoff).date(),
    )
    return report


def last_trace(s: Session, person_id: uuid.UUID) -> datetime | None:
    """The latest record that still names this person: a shift (theirs, or one they corrected), a sale they
    made, a journal entry about them or mentioning them (an approval, a correction)."""
    found = [
        s.scalar(
            select(func.max(Shift.check_in_at)).where(
                or_(Shift.person_id == person_id, Shift.recorded_by_id == person_id)
            )
        ),
        s.scalar(select(func.max(Sale.created_at)).where(Sale.seller_id == person_id)),
        s.scalar(
            select(func.max(JournalEntry.created_at)).where(
                or_(JournalEntry.person_id == person_id, JournalEntry.payload.contains(str(person_id)))
            )
        ),
    ]
    moments = [m for m in found if m is not None]
    return max(moments) if moments else None


def erase_departed_staff(s: Session, cutoff: datetime) -> int:
    """Workers, leaders and admins marked as left, with nothing naming them after the cutoff: erased."""
    erased = 0
    departed = s.scalars(
        select(Person).where(Person.role.in_(STAFF_ROLES), Person.active.is_(False), Person.name != ERASED_STAFF_NAME)
    )
    for person in departed:
        moments = [m for m in (last_trace(s, person.id), person.created_at, person.last_activity_at) if m is not None]
        if max(moments) < cutoff:
            erase(person)
            person.name = ERASED_STAFF_NAME
            erased += 1
    return erased


def delete_old_shifts(s: Session, cutoff: datetime) -> int:
    """Shifts that started before the cutoff.  A row still corrected by a kept row stays (and so does what it
    corrects), so a correction never loses the record it points at."""
    rows = s.execute(select(Shift.id, Shift.corrects_id, Shift.check_in_at)).all()
    doomed = {sid for sid, _c, start in rows if start < cutoff}
    changed = True
    while changed:
        kept_refs = {c for sid, c, _s in rows if c is not None and sid not in doomed}
        changed = bool(doomed & kept_refs)
        doomed -= kept_refs
    ids = list(doomed)
    for i in range(0, len(ids), _CHUNK):
        s.execute(delete(Shift).where(Shift.id.in_(ids[i : i + _CHUNK])))
    return len(ids)
