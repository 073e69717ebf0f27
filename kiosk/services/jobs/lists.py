"""Lists around småjob sign-ups: a resident's own upcoming jobs (what their card or slip shows outside a job's
hours, each with Afmeld), and a job's list for staff (who is signed up, waiting, came; phone numbers to call).

Queries only, inside the caller's transaction; kiosk.services.jobs.signups wraps them."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.db.models import Job, Person, Signup
from kiosk.domain import jobs as jt
from kiosk.domain.scan import classify
from kiosk.i18n import L_
from kiosk.services.jobs.board import JobNotFound, job_view
from kiosk.services.jobs.on_the_day import ACTIVE, news, position, resident
from kiosk.services.jobs.signup_types import MyJob, MyJobs, Roster, RosterLine, SignupRefused, UnknownCode

_ORDER = {"checked_in": 0, "signed_up": 1, "waitlist": 2, "completed": 3, "no_show": 4, "cancelled": 5}


def credited_minutes(signup: Signup) -> int:
    """Minutes between check-in and check-out (0 until the resident has checked out or the job was closed)."""
    if signup.checked_in_at is None or signup.checked_out_at is None:
        return 0
    return max(int((signup.checked_out_at - signup.checked_in_at).total_seconds() // 60), 0)


def person_for_code(s: Session, code: str) -> tuple[Person, Signup | None]:
    """A resident card or a confirmation slip (raw scanned text): the resident, and the slip's sign-up."""
    found = classify(code)
    if found.kind == "card":
        return resident(s, found.value), None
    if found.kind == "signup":
        signup = s.scalar(select(Signup).where(Signup.token == found.value))
        if signup is None or not signup.person.active:
            raise UnknownCode(f"unknown signup token {found.value!r}")
        return signup.person, signup
    if found.kind == "badge":
        raise UnknownCode("badge", user_message=L_("Det er et medarbejderkort. Brug dit kort til småjobs."))
    raise UnknownCode(f"not a card: {found.kind}", user_message=L_("Koden er ikke fra kiosken."))


def mine(s: Session, code: str, now: datetime) -> MyJobs:
    """The resident's sign-ups for jobs not yet over (a slip shows only its own), soonest first."""
    person, slip = person_for_code(s, code)
    if slip is not None:
        if slip.job.cancelled:
            rows = []  # staff cancelled the job: the news below says so
        elif slip.status not in ACTIVE or slip.job.ends_at <= now:
            raise SignupRefused("slip for a closed sign-up", user_message=L_("Den tilmelding er afsluttet."))
        else:
            rows = [slip]
    else:
        rows = list(
            s.scalars(
                select(Signup)
                .join(Job, Job.id == Signup.job_id)
                .where(Signup.person_id == person.id, Signup.status.in_(ACTIVE), Job.ends_at > now, ~Job.cancelled)
                .order_by(Job.starts_at)
            )
        )
    items = tuple(
        MyJob(su.id, su.token, job_view(s, su.job), su.status, position(s, su) if su.status == "waitlist" else None)
        for su in rows
    )
    return MyJobs(person.id, person.name, items, news(s, person.id, now))


def roster(s: Session, job_id: uuid.UUID) -> Roster:
    """Everyone on a job (cancelled ones last), with phone numbers for the staff who call them."""
    job = s.get(Job, job_id)
    if job is None:
        raise JobNotFound(f"no job {job_id}")
    rows = sorted(job.signups, key=lambda su: (_ORDER.get(su.status, 9), su.created_at))
    lines = tuple(
        RosterLine(
            su.id,
            su.person.name,
            jt.phone_text(su.person.phone) if su.person.phone else "intet nummer",
            su.status,
            position(s, su) if su.status == "waitlist" else None,
            credited_minutes(su),
        )
        for su in rows
    )
    return Roster(job_view(s, job), lines)
