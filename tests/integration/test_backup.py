"""Backups taken while a till sells restore whole; a damaged backup is refused; a running kiosk is not overwritten."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.bootstrap import open_database
from kiosk.config import BackupSettings, Settings
from kiosk.db.engine import unit_of_work
from kiosk.db.models import JournalEntry, Person, Sale, SaleLine, Tender
from kiosk.services.records import backup, journal
from kiosk.services.records.daily import run_daily
from tests.conftest import REPO


@pytest.fixture
def till(settings: Settings) -> Iterator[subprocess.Popen[str]]:
    """A till selling in another process (the power-cut drill's writer), a sale every 20 ms: far busier than a shop,
    yet leaving the lock free now and then, as a real till does (one that never lets go starves the backup's own
    journal entry past SQLite's busy timeout on a loaded machine)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.checkout_writer", str(settings.data_dir), "0.02"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "READY", proc.stderr.read() if proc.stderr else ""
    yield proc
    proc.kill()
    proc.wait(timeout=10)


def _sales(sessions: sessionmaker[Session]) -> int:
    with unit_of_work(sessions) as s:
        return int(s.scalar(select(func.count()).select_from(Sale)) or 0)


def _whole(sessions: sessionmaker[Session], kiosk_id: str) -> int:
    """Every sale has all its lines and its payment, numbers are gapless, the journal chain is intact."""
    with unit_of_work(sessions) as s:
        sales = s.scalars(select(Sale).order_by(Sale.receipt_no)).all()
        assert [x.receipt_no for x in sales] == list(range(1, len(sales) + 1))
        for sale in sales:
            assert s.scalar(select(func.sum(SaleLine.total_ore)).where(SaleLine.sale_id == sale.id)) == sale.total_ore
            paid = s.scalar(select(func.sum(Tender.amount_ore)).where(Tender.sale_id == sale.id))
            assert paid == sale.total_ore + sale.rounding_ore
        assert s.scalar(select(func.count()).where(JournalEntry.kind == "sale")) == len(sales)
        result = journal.verify(s, kiosk_id)
        assert result.ok, result.problem
        return len(sales)


def test_backups_taken_while_a_till_sells_are_whole_and_restore(
    settings: Settings, sessions: sessionmaker[Session], till: subprocess.Popen[str], tmp_path: Path
) -> None:
    folder = tmp_path / "usb-disk"
    taken = []
    for _ in range(3):
        before = _sales(sessions)
        result = backup.take_backup(settings, sessions, folder=folder, keep=2)
        assert result.check.ok and result.check.sales >= before
        taken.append(result)
    assert _sales(sessions) > taken[-1].check.sales, "the till kept selling during the backups"
    kept = backup.backups_in(folder, "kiosk")
    assert kept == [taken[1].path, taken[2].path]  # keep=2: the oldest is gone
    assert not list(folder.glob(".*partial"))

    # While the till still has the database open, restore refuses to pull it away.
    with pytest.raises(backup.KioskRunning) as refused:
        backup.restore(dataclasses.replace(settings), kept[-1])
    assert "Stop den først" in refused.value.user_message
    till.kill()
    till.wait(timeout=10)
    sessions.kw["bind"].dispose()  # this process too lets go of the live database before it is replaced

    restored = backup.restore(settings, kept[-1])
    assert restored.side_copy is not None and restored.side_copy.exists()
    engine, fresh = open_database(settings)
    try:
        assert _whole(fresh, settings.kiosk.id) == restored.check.sales
        backup.journal_restore(fresh, settings.kiosk.id, restored, datetime.now(UTC))
        with unit_of_work(fresh) as s:
            assert journal.verify(s, settings.kiosk.id).ok
            kinds = list(s.scalars(select(JournalEntry.kind).order_by(JournalEntry.seq)))
        assert kinds.count("backup") == 2  # the third copy holds the journal entries of the two before it
        assert kinds[-1] == "restore"
    finally:
        engine.dispose()
    side = sqlite3.connect(restored.side_copy)
    assert side.execute("SELECT count(*) FROM sales").fetchone()[0] > restored.check.sales  # nothing lost
    side.close()


def _one_backup(settings: Settings, sessions: sessionmaker[Session], folder: Path) -> Path:
    with unit_of_work(sessions) as s:
        seller = Person(name="Åse Ørbæk", role="worker")
        s.add(seller)
        s.flush()
        journal.append(s, kiosk_id=settings.kiosk.id, kind="app_start", at=datetime.now(UTC))
    return backup.take_backup(settings, sessions, folder=folder).path


def test_a_damaged_backup_is_refused_and_the_database_is_left_alone(
    settings: Settings, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    good = _one_backup(settings, sessions, tmp_path / "b")
    sessions.kw["bind"].dispose()
    damaged = tmp_path / "damaged.sqlite"
    data = bytearray(good.read_bytes())
    page = 4096
    for offset in range(page * 2, len(data) - 16, page):  # scribble over every page after the schema
        data[offset + 8 : offset + 24] = b"\xde\xad\xbe\xef" * 4
    damaged.write_bytes(bytes(data))
    backup.write_checksum(damaged, backup.sha256_of(damaged))  # damaged before the backup got its checksum
    before = (settings.data_dir / "kiosk.sqlite").read_bytes()

    with pytest.raises(backup.RestoreRefused) as refused:
        backup.restore(settings, damaged)
    assert "beskadiget" in refused.value.user_message and "Intet er ændret" in refused.value.user_message
    assert (settings.data_dir / "kiosk.sqlite").read_bytes() == before
    assert not list(settings.data_dir.glob("*before-restore*"))

    not_a_db = tmp_path / "notes.sqlite"
    not_a_db.write_text("Dette er ikke en database", encoding="utf-8")
    backup.write_checksum(not_a_db, backup.sha256_of(not_a_db))
    with pytest.raises(backup.RestoreRefused, match="ikke en SQLite"):
        backup.restore(settings, not_a_db)


def test_a_backup_whose_journal_was_altered_is_refused(
    settings: Settings, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    good = _one_backup(settings, sessions, tmp_path / "b")
    tampered = tmp_path / "tampered.sqlite"
    tampered.write_bytes(good.read_bytes())
    con = sqlite3.connect(tampered)
    con.execute("DROP TRIGGER journal_no_update")  # only someone going out of their way can do this
    con.execute("UPDATE journal SET payload = '{\"cash\":0}' WHERE seq = 1")
    con.commit()
    con.close()
    backup.write_checksum(tampered, backup.sha256_of(tampered))  # the checksum is no seal: the journal is
    check = backup.verify_backup(tampered)
    assert not check.ok and "Journalen" in (check.problem or "") and "ændret" in (check.problem or "")
    sessions.kw["bind"].dispose()
    with pytest.raises(backup.RestoreRefused):
        backup.restore(settings, tampered)


def test_status_says_when_the_last_good_backup_was_and_turns_stale_after_two_days(
    settings: Settings, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    assert backup.status(sessions, settings.kiosk.id).stale
    assert backup.status(sessions, settings.kiosk.id).text == "Der er endnu ikke taget nogen backup."
    taken_at = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
    backup.take_backup(settings, sessions, folder=tmp_path, now=taken_at)
    fresh = backup.status(sessions, settings.kiosk.id, taken_at + timedelta(days=1))
    assert not fresh.stale and fresh.text == "Sidste backup: 30. november 2026 kl. 03.00"
    old = backup.status(sessions, settings.kiosk.id, taken_at + timedelta(days=2, minutes=1))
    assert old.stale and old.text.endswith("for længe siden!")
    with unit_of_work(sessions) as s:
        payload = s.scalar(select(JournalEntry.payload).where(JournalEntry.kind == "backup"))
    assert payload is not None and "Åse" not in payload and '"file":"kiosk-20261130-030000.sqlite"' in payload


def test_the_daily_run_backs_up_once_a_day_into_the_configured_folder(
    settings: Settings, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    configured = dataclasses.replace(settings, backup=BackupSettings(folder=str(tmp_path / "nightly"), keep=3))
    now = [datetime(2026, 11, 30, 6, 0, tzinfo=UTC)]
    first = run_daily(configured, sessions, lambda: now[0])
    assert first.backup is not None and first.retention is not None and not first.problems
    now[0] += timedelta(hours=2)
    again = run_daily(configured, sessions, lambda: now[0])
    assert again.backup is None and again.retention is None  # both already done today
    now[0] += timedelta(days=1)
    next_day = run_daily(configured, sessions, lambda: now[0])
    assert next_day.backup is not None and next_day.retention is not None
    assert len(backup.backups_in(tmp_path / "nightly", "kiosk")) == 2


def test_photos_are_copied_beside_the_backups_once_and_come_back_with_a_restore(
    settings: Settings, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    from tests.conftest import png_bytes

    folder = tmp_path / "usb-disk"
    product_photo = settings.data_dir / "product_images" / "a1.png"
    worker_photo = settings.data_dir / "people_photos" / "b2.png"
    for path, colour in ((product_photo, (200, 120, 40)), (worker_photo, (40, 120, 200))):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(png_bytes(colour=colour))

    with unit_of_work(sessions) as s:  # a running kiosk has journaled something (an empty backup is refused)
        journal.append(s, kiosk_id=settings.kiosk.id, kind="app_start", at=datetime.now(UTC))
    first = backup.take_backup(settings, sessions, folder=folder)
    assert (folder / "pictures" / "product_images" / "a1.png").read_bytes() == product_photo.read_bytes()
    assert (folder / "pictures" / "people_photos" / "b2.png").read_bytes() == worker_photo.read_bytes()
    backup.take_backup(settings, sessions, folder=folder, now=datetime.now(UTC) + timedelta(seconds=5))
    with unit_of_work(sessions) as s:
        copied = [
            json.loads(e.payload)["pictures_copied"]
            for e in s.scalars(select(JournalEntry).where(JournalEntry.kind == "backup"))
        ]
    assert copied == [2, 0], "a picture already beside the backups is not copied again"

    sessions.kw["bind"].dispose()  # the kiosk is stopped before a restore
    product_photo.unlink()
    worker_photo.unlink()  # a new SD card: the data dir is empty
    backup.restore(settings, first.path)
    assert product_photo.read_bytes() == (folder / "pictures" / "product_images" / "a1.png").read_bytes()
    assert worker_photo.exists()
