"""The app's daily upkeep is one job on a worker thread: the UI thread does none of it (no database work, the call
returns at once), and the job closes each ended job and erases each expired resident once."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, func, select

from kiosk.db.engine import unit_of_work
from kiosk.db.models import JournalEntry, Person, Signup
from tests.conftest import SettableClock, add_job
from tests.ui.helpers import wait_for

NOW = datetime(2026, 11, 23, 13, 5, tzinfo=UTC)  # the UI session's "now" (tests/ui/conftest.py)


@pytest.fixture
def clock(services: Any) -> Iterator[SettableClock]:
    settable = SettableClock(NOW - timedelta(days=510))
    saved = services.clock, services.signups._clock, services.job_admin._clock
    services.clock = services.signups._clock = services.job_admin._clock = settable
    yield settable
    services.clock, services.signups._clock, services.job_admin._clock = saved


def daily_workers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "kiosk-daily"]


def test_the_daily_upkeep_runs_off_the_ui_thread_and_does_each_thing_once(
    app: Any, services: Any, clock: SettableClock
) -> None:
    old_job: Any = add_job(services.sessions, "Lugning af bedet", NOW - timedelta(days=500), 2)
    gunnar = services.signups.sign_up_new(old_job.id, "Gamle Gunnar", "11223344", consent=True)
    ended: Any = add_job(services.sessions, "Oprydning i kælderen", NOW - timedelta(days=1), 3)
    clock.now = NOW - timedelta(days=3)
    villads = services.signups.sign_up_new(ended.id, "Villads Udeblev", None, consent=True)
    clock.now = NOW
    with unit_of_work(services.sessions) as s:
        before = s.scalar(select(func.max(JournalEntry.seq))) or 0

    on_ui_thread: list[str] = []

    def watch(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if threading.current_thread() is threading.main_thread():
            on_ui_thread.append(statement.split()[0])

    event.listen(services.engine, "before_cursor_execute", watch)
    try:
        app.daily_upkeep()
        app.daily_upkeep()  # the next tick (or a restart) the same day: nothing is done twice
    finally:
        event.remove(services.engine, "before_cursor_execute", watch)
    assert on_ui_thread == [], "the UI thread touched the database for the daily upkeep"

    assert wait_for(lambda: not any(t.is_alive() for t in daily_workers()), timeout=60), "the daily job hangs"
    app.daily_upkeep()
    assert wait_for(lambda: not any(t.is_alive() for t in daily_workers()), timeout=60), "the daily job hangs"

    with unit_of_work(services.sessions) as s:
        entries = [
            (e.kind, json.loads(e.payload)) for e in s.scalars(select(JournalEntry).where(JournalEntry.seq > before))
        ]
        statuses = {su.person_id: su.status for su in s.scalars(select(Signup))}
        gone = s.get(Person, gunnar.person_id)
        assert gone is not None and (gone.name, gone.phone) == ("Slettet beboer", None)
    assert statuses[villads.person_id] == "no_show"
    assert [p["signup"] for kind, p in entries if kind == "job_no_show"].count(str(villads.signup_id)) == 1
    assert len([kind for kind, _p in entries if kind == "residents_erased"]) == 1
