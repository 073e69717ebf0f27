"""What the running kiosk does once a day, off the UI thread: the småjobs upkeep and the retention rules, then a
backup.  This is the one daily job: nothing of it runs on the UI thread, and each part runs once per run.

The app calls `start_daily(services)` shortly after start and then once a day (a Kivy Clock interval); each part
runs only when it is due, judged by the journal: retention (ended jobs closed with their no-shows, residents erased
past their limit, the five-year rules) when it has not run today (Danish date), a backup when the last good one is
more than 20 hours old.  So a kiosk switched off at night still gets both the next morning, and a restart never
runs them twice.  On a run where retention is not due (a restart later the same day) the cheap småjobs part still
runs, so jobs that ended since are closed then, as before.  One run at a time; errors are logged, never raised
into the UI.  `kiosk jobs close` (cron) runs the småjobs part from the command line.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.clock import Clock, to_local
from kiosk.config import Settings
from kiosk.db.engine import unit_of_work
from kiosk.db.models import JournalEntry
from kiosk.errors import KioskError
from kiosk.services.records import backup
from kiosk.services.records.retention import JobsUpkeep, RetentionReport, jobs_upkeep, run_retention

if TYPE_CHECKING:
    from kiosk.bootstrap import Services

log = logging.getLogger(__name__)

BACKUP_EVERY = timedelta(hours=20)  # "daily", with slack for a kiosk that starts a little earlier each day
_one_at_a_time = threading.Lock()


@dataclass(frozen=True)
class DailyResult:
    jobs: JobsUpkeep | None = None  # ended jobs closed, residents erased: on every run (inside retention when due)
    retention: RetentionReport | None = None
    backup: backup.BackupResult | None = None
    problems: tuple[str, ...] = ()
    skipped: bool = False  # another run was still going


def _last(sessions: sessionmaker[Session], kiosk_id: str, kind: str) -> datetime | None:
    with unit_of_work(sessions) as s:
        return s.scalar(
            select(JournalEntry.created_at)
            .where(JournalEntry.kiosk_id == kiosk_id, JournalEntry.kind == kind)
            .order_by(JournalEntry.seq.desc())
            .limit(1)
        )


def run_daily(settings: Settings, sessions: sessionmaker[Session], clock: Clock) -> DailyResult:
    if not _one_at_a_time.acquire(blocking=False):
        return DailyResult(skipped=True)
    try:
        now = clock()
        problems: list[str] = []
        jobs = retention = taken = None
        last_retention = _last(sessions, settings.kiosk.id, "retention")
        try:
            if last_retention is None or to_local(last_retention).date() < to_local(now).date():
                retention = run_retention(sessions, settings, now)
                jobs = retention.jobs
            else:  # retention ran earlier today: only jobs that ended since (idempotent, cheap)
                jobs = jobs_upkeep(sessions, settings, now)
        except KioskError as exc:
            log.exception("retention failed; it runs again at the next start, tomorrow, or `kiosk jobs close`")
            problems.append(exc.user_message)
        last_backup = _last(sessions, settings.kiosk.id, "backup")
        if settings.backup.daily and (last_backup is None or now - last_backup >= BACKUP_EVERY):
            try:
                taken = backup.take_backup(settings, sessions, now=now)
            except KioskError as exc:
                log.exception("daily backup failed")
                problems.append(exc.user_message)
        if jobs is not None:
            log.info("daily upkeep: %d jobs closed, %d residents erased", jobs.jobs_closed, jobs.residents_erased)
        return DailyResult(jobs, retention, taken, tuple(problems))
    finally:
        _one_at_a_time.release()


def start_daily(services: Services) -> threading.Thread:
    """Run the daily job on a worker thread and return at once (the UI never waits for the upkeep or a backup)."""

    def work() -> None:
        try:
            run_daily(services.settings, services.sessions, services.clock)
        except Exception:  # a thread's exception would only reach stderr: log it where the kiosk's logs go
            log.exception("daily upkeep crashed")

    thread = threading.Thread(target=work, name="kiosk-daily", daemon=True)
    thread.start()
    return thread
