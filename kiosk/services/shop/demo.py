"""Seeds the demo database from the invented content shipped in kiosk/demo (only when it is empty)."""

from __future__ import annotations

import logging
from importlib import resources

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.db.engine import unit_of_work
from kiosk.db.models import Product
from kiosk.services.jobs import Jobs
from kiosk.services.people import People
from kiosk.services.sales import Catalog

log = logging.getLogger(__name__)

# Demo database only: one code per role, so a demo worker's code does not open the leaders' menu; a leader's and
# an admin's code is 6 digits, as the code rules ask (kiosk/domain/pins.py).
DEMO_PINS = {"worker": "1234", "supervisor": "258000", "admin": "999999"}


def _demo_file(name: str) -> bytes:
    return resources.files("kiosk.demo").joinpath(name).read_bytes()


def seed_demo(sessions: sessionmaker[Session]) -> bool:
    with unit_of_work(sessions) as s:
        if s.scalar(select(func.count()).select_from(Product)):
            return False
    Catalog(sessions).import_csv(_demo_file("products.csv"))
    People(sessions).import_csv(_demo_file("people.csv"), pins=DEMO_PINS)
    Jobs(sessions).import_csv(_demo_file("jobs.csv"))
    log.info("demo database seeded")
    return True
