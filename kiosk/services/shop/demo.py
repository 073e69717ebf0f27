"""Seeds the demo database from the invented content shipped in kiosk/demo (only when it is empty)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from importlib import resources

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.clock import LOCAL_TZ, to_local
from kiosk.db.engine import unit_of_work
from kiosk.db.models import Job, Product
from kiosk.services.jobs import Jobs
from kiosk.services.people import People
from kiosk.services.sales import Catalog

log = logging.getLogger(__name__)

# Demo database only: one code per role, so a demo worker's code does not open the leaders' menu; a leader's and
# an admin's code is 6 digits, as the code rules ask (kiosk/domain/pins.py).
DEMO_PINS = {"worker": "1234", "supervisor": "258000", "admin": "999999"}


def _demo_file(name: str) -> bytes:
    return resources.files("kiosk.demo").joinpath(name).read_bytes()


def seed_demo(sessions: sessionmaker[Session], now: datetime) -> bool:
    """`now`: the demo's jobs are moved to the days after it (the file's first job tomorrow, the others as many days
    later as in the file, each at its own time of day), so a demo tried any day shows jobs to sign up for."""
    with unit_of_work(sessions) as s:
        if s.scalar(select(func.count()).select_from(Product)):
            return False
    Catalog(sessions).import_csv(_demo_file("products.csv"))
    People(sessions).import_csv(_demo_file("people.csv"), pins=DEMO_PINS)
    Jobs(sessions).import_csv(_demo_file("jobs.csv"))
    with unit_of_work(sessions) as s:
        jobs = list(s.scalars(select(Job)))
        first = min(to_local(job.starts_at).date() for job in jobs)
        days = timedelta(days=(to_local(now).date() + timedelta(days=1) - first).days)
        for job in jobs:
            job.starts_at, job.ends_at = _later(job.starts_at, days), _later(job.ends_at, days)
    log.info("demo database seeded")
    return True


def _later(moment: datetime, days: timedelta) -> datetime:
    """The same time of day on the shop's wall clock, `days` later (across a change to or from summer time too)."""
    local = to_local(moment)
    return datetime.combine(local.date() + days, local.time(), tzinfo=LOCAL_TZ)
