"""What the running kiosk does once a day, off the UI thread: the retention rules, then a backup.

The app calls `start_daily(services)` every hour (a Kivy Clock interval) and shortly after start; each job runs
only when it is due, judged by the journal: retention when it has not run today (Danish date), a backup when
the last good one is more than 20 hours old.  So a kiosk switched off at night still gets both the next morning,
and a restart never runs them twice.  One run at a time; errors are logged and journaled, never raised into
the UI.
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
from kiosk.services.records.retention import RetentionReport, run_retention

if TYPE_CHECKING:
    from kiosk.bootstrap import Services

log = logging.getLogger(__name__)

BACKUP_EVERY = timedelta(hours=20)  # "daily", with slack for a kiosk that starts a little earlier each day
_one_at_a_time = threading.Lock()


@dataclass(frozen=True)
class DailyResult:
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
        retention = taken = None
        last_retention = _last(sessions, settings.kiosk.id, "retention")
        if last_retention is None or to_local(last_retention).date() < to_local(now).date():
            try:
                retention = run_retention(sessions, settings, now)
            except KioskError as exc:
                log.exception("retention failed")
                problems.append(exc.user_message)
        last_backup = _last(sessions, settings.kiosk.id, "backup")
        if settings.backup.daily and (last_backup is None or now - last_backup >= BACKUP_EVERY):
            try:
                taken = backup.take_backup(settings, sessions, now=now)
            except KioskError as exc:
                log.exception("daily backup failed")
                problems.append(exc.user_message)
        return DailyResult(retention, taken, tuple(problems))
    finally:
        _one_at_a_time.release()


def start_daily(services: Services) -> threading.Thread:
    """Run the daily jobs on a worker thread (the UI never waits for a backup)."""

    def work() -> None:
        try:
            run_daily(services.settings, services.sessions, services.clock)
        except Exception:  # a thread's exception would only reach stderr: log it where the kiosk's logs go
            log.exception("daily upkeep crashed")

    thread = threading.Thread(target=work, name="kiosk-daily", daemon=True)
    thread.start()
    return thread
