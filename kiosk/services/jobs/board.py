"""Small jobs: listing upcoming ones with free places, finding one by id, QR or title, importing them from a
spreadsheet.  Creating, changing and cancelling one at the kiosk (journaled with who): kiosk.services.jobs.admin."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.db.engine import unit_of_work
from kiosk.db.models import Job, Person, Signup
from kiosk.domain.jobs import JobView, parse_jobs_csv
from kiosk.domain.pins import new_token
from kiosk.errors import DomainError
from kiosk.i18n import L_

log = logging.getLogger(__name__)

TAKING = ("signed_up", "checked_in", "completed")  # statuses that hold a place


@dataclass(frozen=True)
class JobImport:
    created: int
    already_there: int  # rows that were a job on the board already: left as they are
    over: int  # rows (new or not) whose job has already ended: stored, but shown nowhere


class JobNotFound(DomainError):
    user_message = L_("Jobbet findes ikke længere.")


def taken_places(s: Session, job_id: uuid.UUID) -> int:
    q = select(func.count()).where(Signup.job_id == job_id, Signup.status.in_(TAKING))
    return int(s.scalar(q) or 0)


def waiting_count(s: Session, job_id: uuid.UUID) -> int:
    return int(s.scalar(select(func.count()).where(Signup.job_id == job_id, Signup.status == "waitlist")) or 0)


def job_view(s: Session, job: Job) -> JobView:
    """The view of a job already loaded (inside a sign-up's own transaction)."""
    taken, waiting = s.execute(
        select(func.count().filter(Signup.status.in_(TAKING)), func.count().filter(Signup.status == "waitlist")).where(
            Signup.job_id == job.id
        )
    ).one()
    contact = s.get(Person, job.contact_person_id) if job.contact_person_id else None
    return JobView(
        job.id,
        job.title,
        job.place,
        job.starts_at,
        job.ends_at,
        job.capacity,
        int(taken),
        job.description,
        qr_token=job.qr_token,
        waiting=int(waiting),
        cancelled=job.cancelled,
        contact_person_id=job.contact_person_id,
        contact_name=contact.name if contact else None,
    )


def _counted(status: Any) -> Any:
    return select(func.count()).where(Signup.job_id == Job.id, status).correlate(Job).scalar_subquery()


# Job pages and lists read every job they show in one statement (places taken, the waitlist and the contact's name
# as subqueries), not four per job: the web page answers twenty phones at once.
_VIEWS = (
    select(
        Job.id,
        Job.title,
        Job.place,
        Job.starts_at,
        Job.ends_at,
        Job.capacity,
        _counted(Signup.status.in_(TAKING)),
        Job.description,
        Job.qr_token,
        _counted(Signup.status == "waitlist"),
        Job.cancelled,
        Job.contact_person_id,
        Person.name,
    )
    .select_from(Job)
    .outerjoin(Person, Person.id == Job.contact_person_id)
)


def _views(s: Session, *where: Any) -> list[JobView]:
    return [_view(*row) for row in s.execute(_VIEWS.where(*where).order_by(Job.starts_at))]


def _view(*r: Any) -> JobView:
    """One row of _VIEWS, in its column order."""
    job_id, title, place, starts_at, ends_at, capacity, taken, description, qr, waiting, cancelled, contact, name = r
    return JobView(
        job_id, title, place, starts_at, ends_at, capacity, int(taken), description, qr, int(waiting), cancelled,
        contact, name,
    )  # fmt: skip


class Jobs:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def upcoming(self, now: datetime) -> list[JobView]:
        """Jobs not yet over and not cancelled, soonest first, with their free places."""
        with unit_of_work(self._sessions) as s:
            return _views(s, Job.ends_at > now, ~Job.cancelled)

    def listing(self, since: datetime) -> list[JobView]:
        """For staff: every job that ends after `since` (cancelled ones too), soonest first."""
        with unit_of_work(self._sessions) as s:
            return _views(s, Job.ends_at > since)

    def get(self, job_id: uuid.UUID) -> JobView:
        with unit_of_work(self._sessions) as s:
            found = _views(s, Job.id == job_id)
        if not found:
            raise JobNotFound(f"no job {job_id}")
        return found[0]

    def by_qr(self, token: str) -> JobView:
        """The job behind a scanned poster or slip (the token from classify(), not the whole payload)."""
        with unit_of_work(self._sessions) as s:
            found = _views(s, Job.qr_token == token)
        if not found:
            raise JobNotFound(f"no job with qr {token!r}", user_message=L_("Den kode hører ikke til et job her."))
        return found[0]

    def find(self, wanted: str) -> JobView:
        """By id, or by a part of the title that only one job has (for the CLI)."""
        try:
            return self.get(uuid.UUID(wanted))
        except ValueError:
            pass
        with unit_of_work(self._sessions) as s:
            every = list(s.scalars(select(Job).order_by(Job.starts_at)))
            part = wanted.strip().casefold()
            matches = [j for j in every if part and part in j.title.casefold()]
            if len(matches) != 1:
                titles = ", ".join(j.title for j in matches)
                said = (
                    L_("Intet job hedder '{wanted}'.", wanted=wanted)
                    if not matches
                    else L_("'{wanted}' passer på flere: {titles}.", wanted=wanted, titles=titles)
                )
                raise JobNotFound(f"{len(matches)} jobs match {wanted!r}", user_message=said)
            return job_view(s, matches[0])

    def import_csv(self, data: bytes, now: datetime | None = None) -> JobImport:
        """All rows or none (ImportRejected names every bad row).  A row whose title and start are a job's already
        on the board (not cancelled) is that job: not added twice when the spreadsheet is imported again after a
        typo was fixed, and not changed either (a change at the kiosk, Personale > Småjobs, tells those signed up
        and goes in the journal; an import would do neither).  `now`: rows already over are counted, so the
        command can say why they do not show."""
        rows = parse_jobs_csv(data)
        created = 0
        with unit_of_work(self._sessions) as s:
            on_board = select(Job.title, Job.starts_at).where(Job.title.in_({r.title for r in rows}), ~Job.cancelled)
            there = {(title, starts) for title, starts in s.execute(on_board)}
            for r in rows:
                if (r.title, r.starts_at) in there:
                    continue
                there.add((r.title, r.starts_at))
                s.add(
                    Job(
                        title=r.title,
                        place=r.place,
                        starts_at=r.starts_at,
                        ends_at=r.ends_at,
                        capacity=r.capacity,
                        description=r.description,
                        qr_token=new_token(),
                    )
                )
                created += 1
        log.info("imported %d jobs (%d already there)", created, len(rows) - created)
        over = sum(1 for r in rows if now is not None and r.ends_at <= now)
        return JobImport(created, len(rows) - created, over)
