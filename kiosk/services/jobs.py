"""Small jobs: listing upcoming ones with free places, and importing them from a spreadsheet."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.db.engine import unit_of_work
from kiosk.db.models import Job, Signup
from kiosk.domain.jobs import parse_jobs_csv
from kiosk.domain.pins import new_token


@dataclass(frozen=True)
class JobView:
    id: uuid.UUID
    title: str
    place: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    taken: int
    description: str

    @property
    def free(self) -> int:
        return max(self.capacity - self.taken, 0)


class Jobs:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def upcoming(self, now: datetime) -> list[JobView]:
        with unit_of_work(self._sessions) as s:
            taken = (
                select(Signup.job_id, func.count().label("n"))
                .where(Signup.status.in_(("signed_up", "checked_in", "completed")))
                .group_by(Signup.job_id)
                .subquery()
            )
            q = (
                select(Job, func.coalesce(taken.c.n, 0))
                .outerjoin(taken, taken.c.job_id == Job.id)
                .where(Job.ends_at > now, ~Job.cancelled)
                .order_by(Job.starts_at)
            )
            return [
                JobView(j.id, j.title, j.place, j.starts_at, j.ends_at, j.capacity, int(n), j.description)
                for j, n in s.execute(q)
            ]

    def import_csv(self, data: bytes) -> int:
        rows = parse_jobs_csv(data)
        with unit_of_work(self._sessions) as s:
            for r in rows:
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
        return len(rows)
