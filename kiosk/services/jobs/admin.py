"""Småjobs for staff: create, change and cancel ("Aflys") a job at the kiosk.  Every change is journaled with who
made it, in the same transaction that stores it; a change keeps the old values beside the new ones.

Cancelling keeps the job and its sign-ups (they count in the impact report as a cancelled job) but takes every
place and waitlist spot back: those sign-ups become "cancelled" and un-told, so each resident hears it at their
next scan (the same news line as a waitlist move-up) and appears on the staff's "Ring til" list until told."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.clock import Clock
from kiosk.db.engine import unit_of_work
from kiosk.db.models import Job, Person, Signup
from kiosk.domain import jobs as jt
from kiosk.domain.jobs import JobInvalid, JobView
from kiosk.domain.pins import new_token
from kiosk.domain.roles import require_role
from kiosk.domain.text import text_problem
from kiosk.errors import DomainError
from kiosk.i18n import L_
from kiosk.services.jobs.board import JobNotFound, job_view, taken_places
from kiosk.services.records import journal

log = logging.getLogger(__name__)

OPEN = ("signed_up", "waitlist")  # sign-ups a cancellation takes back (checked-in ones have already come)


@dataclass(frozen=True)
class JobDraft:
    """What the Nyt job / Ret form holds."""

    title: str
    description: str
    place: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    contact: uuid.UUID | None = None


@dataclass(frozen=True)
class JobCancelled:
    job: JobView
    residents: int  # sign-ups taken back (places and waitlist)
    to_call: int  # of those, with a phone number: on the "Ring til" list


class JobAdmin:
    def __init__(self, sessions: sessionmaker[Session], kiosk_id: str, clock: Clock) -> None:
        self._sessions = sessions
        self.kiosk_id = kiosk_id
        self._clock = clock

    def save(self, by: uuid.UUID, draft: JobDraft, job_id: uuid.UUID | None = None) -> JobView:
        """Create (no `job_id`) or change a job; journaled as "job_created" / "job_changed".  A changed job keeps
        its QR token, so posters already hanging keep working; its places cannot drop below those taken."""
        problems = jt.job_problems(draft.title, draft.place, draft.starts_at, draft.ends_at, draft.capacity)
        if (odd := text_problem(draft.description, multiline=True)) is not None:
            problems["description"] = odd
        with unit_of_work(self._sessions) as s:
            require_role(s.get(Person, by), "supervisor", by)
            job = None if job_id is None else s.get(Job, job_id)
            if job_id is not None and job is None:
                raise JobNotFound(f"no job {job_id}")
            if job is not None:
                if job.cancelled:
                    raise DomainError(f"job {job.id} is cancelled", user_message=L_("Jobbet er aflyst."))
                taken = taken_places(s, job.id)
                if "capacity" not in problems and draft.capacity < taken:
                    problems["capacity"] = L_("{n} er allerede tilmeldt. Der skal være mindst {n} pladser.", n=taken)
            if problems:
                raise JobInvalid(problems)
            _check_contact(s, draft.contact)
            before = None if job is None else _fields(job)
            if job is None:
                job = Job(qr_token=new_token())
                s.add(job)
            job.title, job.description, job.place = draft.title.strip(), draft.description.strip(), draft.place.strip()
            job.starts_at, job.ends_at = draft.starts_at, draft.ends_at
            job.capacity, job.contact_person_id = draft.capacity, draft.contact
            s.flush()
            after = _fields(job)
            if before is None:
                kind, payload = "job_created", {"job": str(job.id), **after}
            else:
                changes = {k: {"old": before[k], "new": v} for k, v in after.items() if before[k] != v}
                kind, payload = "job_changed", {"job": str(job.id), "changes": changes}
            journal.append(s, kiosk_id=self.kiosk_id, kind=kind, at=self._clock(), person_id=by, payload=payload)
            log.info("%s %s by %s", kind, job.id, by)
            return job_view(s, job)

    def cancel(self, by: uuid.UUID, job_id: uuid.UUID) -> JobCancelled:
        """Aflys: the job leaves the residents' list, its QR says "Jobbet er aflyst", and everyone signed up or
        waiting is told at their next scan or called by staff.  A job that has begun cannot be cancelled."""
        now = self._clock()
        with unit_of_work(self._sessions) as s:
            require_role(s.get(Person, by), "supervisor", by)
            job = s.get(Job, job_id)
            if job is None:
                raise JobNotFound(f"no job {job_id}")
            if job.cancelled:
                raise DomainError(f"job {job.id} already cancelled", user_message=L_("Jobbet er allerede aflyst."))
            if now >= job.starts_at:
                raise DomainError(
                    f"job {job.id} has begun", user_message=L_("Jobbet er gået i gang og kan ikke aflyses.")
                )
            job.cancelled = True
            taken_back = list(s.scalars(select(Signup).where(Signup.job_id == job.id, Signup.status.in_(OPEN))))
            for signup in taken_back:
                signup.status, signup.notified = "cancelled", False
            to_call = sum(1 for su in taken_back if su.person.phone)
            journal.append(
                s,
                kiosk_id=self.kiosk_id,
                kind="job_cancelled",
                at=now,
                person_id=by,
                payload={"job": str(job.id), "signups": len(taken_back)},
            )
            s.flush()
            log.info("job %s cancelled by %s: %d sign-ups taken back", job.id, by, len(taken_back))
            return JobCancelled(job_view(s, job), len(taken_back), to_call)


def _fields(job: Job) -> dict[str, Any]:
    """What a journal entry keeps of a job (no personal data: the contact person by id)."""
    return {
        "title": job.title,
        "place": job.place,
        "description": job.description,
        "starts_at": job.starts_at.isoformat(),
        "ends_at": job.ends_at.isoformat(),
        "capacity": job.capacity,
        "contact": str(job.contact_person_id) if job.contact_person_id else None,
    }


def _check_contact(s: Session, contact: uuid.UUID | None) -> None:
    if contact is not None:
        person = s.get(Person, contact)
        if person is None or person.role == "resident" or not person.active:
            raise JobInvalid({"contact": L_("Kontaktpersonen skal være en medarbejder.")})
