"""The demo shop tried on any day shows its småjobs still to come: the demo's jobs start the day after it is first
started, each at the time of day the file gives, summer time or not."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

from kiosk.bootstrap import open_database
from kiosk.clock import to_local
from kiosk.config import Settings
from kiosk.services.jobs import Jobs
from kiosk.services.shop import seed_demo


def test_a_demo_started_the_day_before_summer_time_shows_every_job_from_tomorrow(tmp_path: Path) -> None:
    settings = dataclasses.replace(Settings(), data_dir=tmp_path).as_demo()
    engine, sessions = open_database(settings)
    try:
        now = datetime(2027, 3, 27, 11, 0, tzinfo=UTC)  # Saturday; the clocks go forward on Sunday night
        assert seed_demo(sessions, now)
        upcoming = Jobs(sessions).upcoming(now)
        shown = [(j.title, to_local(j.starts_at).strftime("%Y-%m-%d %H:%M")) for j in upcoming]
        assert shown == [
            ("Oprydning i gården", "2027-03-28 10:00"),
            ("Cykelværksted for børn", "2027-03-30 15:00"),
            ("Uddeling af grøntsagskasser", "2027-03-31 14:00"),
            ("Hjælp i caféen til julemarked", "2027-04-02 09:00"),
        ]
        assert not seed_demo(sessions, now), "seeded once: a restart leaves the demo's data as it is"
    finally:
        engine.dispose()
