"""The one daily job (kiosk/services/records/daily.py), run on a worker thread as the app runs it: each ended job
closed once with its no-shows, each resident past the limit erased once, one retention and one backup a day; a
restart later the same day still closes the jobs that ended since."""

from __future__ import annotations

import dataclasses
import json
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from kiosk.config import BackupSettings, Settings
from kiosk.db.engine import unit_of_work
from kiosk.db.models import JournalEntry, Person, Signup
from kiosk.services.jobs.signups import Signups
from kiosk.services.records.daily import DailyResult, run_daily
from tests.conftest import SettableClock, add_job

MORNING = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)  # 08.00 in Copenhagen


def on_a_worker(settings: Settings, sessions: Any, clock: SettableClock) -> DailyResult:
    """run_daily on its own thread, as start_daily runs it; the caller only waits for the answer."""
    done: list[DailyResult] = []
    worker = threading.Thread(target=lambda: done.append(run_daily(settings, sessions, clock)), name="kiosk-daily")
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive()
    [result] = done
    return result


def kinds(sessions: Any) -> list[tuple[str, dict[str, Any]]]:
    with unit_of_work(sessions) as s:
        return [(e.kind, json.loads(e.payload)) for e in s.scalars(select(JournalEntry).order_by(JournalEntry.seq))]


def test_one_daily_run_closes_each_ended_job_and_erases_each_expired_resident_once(
    settings: Settings, sessions: Any, tmp_path: Path
) -> None:
    configured = dataclasses.replace(settings, backup=BackupSettings(folder=str(tmp_path / "nightly")))
    clock = SettableClock(MORNING - timedelta(days=510))
    signups = Signups(sessions, "kiosk-1", clock, 12)
    old_job: Any = add_job(sessions, "Fejning", MORNING - timedelta(days=500), 2)
    gunnar = signups.sign_up_new(old_job.id, "Gamle Gunnar", "11223344", consent=True)
    yesterday: Any = add_job(sessions, "Juletræer", MORNING - timedelta(days=1), 3)
    afternoon: Any = add_job(sessions, "Maling", MORNING + timedelta(hours=5), 3)  # ends 16.00 today
    clock.now = MORNING - timedelta(days=3)
    villads = signups.sign_up_new(yesterday.id, "Villads", None, consent=True)
    nadia = signups.sign_up_new(afternoon.id, "Nadia", None, consent=True)

    clock.now = MORNING
    first = on_a_worker(configured, sessions, clock)
    assert first.jobs is not None and first.retention is not None and first.backup is not None
    assert (first.jobs.jobs_closed, first.jobs.no_shows, first.jobs.residents_erased) == (2, 2, 1)
    assert not first.problems

    clock.now = MORNING + timedelta(hours=10)  # 18.00: the kiosk restarted after the afternoon's job ended
    second = on_a_worker(configured, sessions, clock)
    assert second.retention is None and second.backup is None  # both done today already
    assert second.jobs is not None and (second.jobs.jobs_closed, second.jobs.no_shows) == (1, 1)

    clock.now = MORNING + timedelta(hours=11)
    third = on_a_worker(configured, sessions, clock)
    assert third.jobs is not None and (third.jobs.jobs_closed, third.jobs.residents_erased) == (0, 0)

    with unit_of_work(sessions) as s:
        statuses = {su.person_id: su.status for su in s.scalars(select(Signup))}
        gone = s.get(Person, gunnar.person_id)
        assert gone is not None and (gone.name, gone.phone) == ("Slettet beboer", None)
    assert {statuses[r.person_id] for r in (gunnar, villads, nadia)} == {"no_show"}
    entries = kinds(sessions)
    no_shows = [p["signup"] for kind, p in entries if kind == "job_no_show"]
    assert sorted(no_shows) == sorted({p["signup"] for kind, p in entries if kind == "job_no_show"})  # once each
    assert len(no_shows) == 3
    assert [p["jobs"] for kind, p in entries if kind == "jobs_closed"] == [2, 1]
    assert [p["count"] for kind, p in entries if kind == "residents_erased"] == [1]
    assert [p["residents_erased"] for kind, p in entries if kind == "retention"] == [1]
    assert len([kind for kind, _p in entries if kind == "backup"]) == 1
