"""Daily upkeep for småjobs: closing jobs that have ended (no-shows) and deleting residents' personal data a set
time after their last job (DANISH.md, GDPR: default 12 months).

Erasing a resident: the person row stays but is emptied (name replaced, phone, card token, photo and PIN removed,
marked inactive).  The row cannot simply be deleted: the append-only journal refers to it by id and must never be
rewritten, and keeping the row with its sign-ups lets aggregate counts (sign-ups, completions, no-shows, hours per
job, new residents per period) survive.  Nothing left points back to a human being.  The journal gets only counts."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.db.engine import unit_of_work
from kiosk.db.models import Job, Person, Signup
from kiosk.domain import jobs as jt
from kiosk.i18n import L_
from kiosk.services.jobs.signup_types import CloseResult, RetentionResult
from kiosk.services.records import journal

log = logging.getLogger(__name__)

ERASED_NAME = "Slettet beboer"


def close_past_jobs(sessions: sessionmaker[Session], kiosk_id: str, now: datetime) -> CloseResult:
    """For every ended job: signed up but never came -> no_show; came but never checked out -> completed, credited
    until the job's end.  Safe to run any number of times a day."""
    no_shows = completed = 0
    jobs: set[uuid.UUID] = set()
    with unit_of_work(sessions) as s:
        rows = s.scalars(
            select(Signup)
            .join(Job, Job.id == Signup.job_id)
            .where(Job.ends_at <= now, Signup.status.in_(("signed_up", "checked_in")))
        )
        for su in rows:
            jobs.add(su.job_id)
            if su.status == "signed_up":
                su.status, kind = "no_show", "job_no_show"
                no_shows += 1
            else:
                su.status, su.checked_out_at, kind = "completed", su.job.ends_at, "job_check_out"
                completed += 1
            journal.append(
                s,
                kiosk_id=kiosk_id,
                kind=kind,
                at=now,
                person_id=su.person_id,
                payload={"job": str(su.job_id), "signup": str(su.id), "by": "close_past_jobs"},
            )
        if jobs:
            journal.append(
                s,
                kiosk_id=kiosk_id,
                kind="jobs_closed",
                at=now,
                payload={"jobs": len(jobs), "no_shows": no_shows, "completed": completed},
            )
    log.info("closed %d jobs: %d no-shows, %d auto check-outs", len(jobs), no_shows, completed)
    return CloseResult(len(jobs), no_shows, completed)


def erase(person: Person) -> None:
    """Remove everything that identifies a resident; the row and its sign-ups stay for counting."""
    person.name = ERASED_NAME
    person.phone = None
    person.badge_token = None
    person.pin_hash = None
    person.photo = None
    person.active = False
    person.last_activity_at = None


def _last_seen(s: Session, person: Person) -> datetime:
    last_job = s.scalar(
        select(func.max(Job.ends_at)).join(Signup, Signup.job_id == Job.id).where(Signup.person_id == person.id)
    )
    return max(m for m in (last_job, person.last_activity_at, person.created_at) if m is not None)


def delete_inactive_residents(
    sessions: sessionmaker[Session], kiosk_id: str, now: datetime, retention_months: int
) -> RetentionResult:
    """Erase residents whose last job (or last activity) is more than `retention_months` ago."""
    cutoff = jt.months_before(now, retention_months)
    erased = 0
    with unit_of_work(sessions) as s:
        residents = s.scalars(select(Person).where(Person.role == "resident", Person.name != ERASED_NAME))
        for person in residents:
            if _last_seen(s, person) < cutoff:
                erase(person)
                erased += 1
        if erased:
            journal.append(
                s,
                kiosk_id=kiosk_id,
                kind="residents_erased",
                at=now,
                payload={"count": erased, "retention_months": retention_months, "cutoff": cutoff.isoformat()},
            )
    log.info("erased %d residents inactive since before %s", erased, cutoff.isoformat())
    return RetentionResult(erased, L_("sidste job før {date}", date=jt.date_text(cutoff)))
