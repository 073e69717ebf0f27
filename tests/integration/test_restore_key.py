"""A dead SD card: the journal key goes with it, and a signed journal cannot go on without its key.  Every backup
folder keeps a copy of the key, and `kiosk restore` onto a new card brings it back; a backup whose key is nowhere
is refused before anything changes."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path
from typing import Any

import pytest

from kiosk import cli
from kiosk.bootstrap import open_database
from kiosk.config import Settings
from kiosk.db.engine import unit_of_work
from kiosk.services.records import backup, journal, journal_key_path


def _backup_of_a_day(settings: Settings, sessions: Any, usb: Path) -> Path:
    from datetime import UTC, datetime

    with unit_of_work(sessions) as s:
        journal.append(s, kiosk_id=settings.kiosk.id, kind="app_start", at=datetime.now(UTC))
    return backup.take_backup(settings, sessions, folder=usb).path


def test_a_restore_onto_a_new_sd_card_brings_the_key_back(
    settings: Settings, sessions: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    usb = tmp_path / "usb"
    taken = _backup_of_a_day(settings, sessions, usb)
    key = journal_key_path(settings)
    kept = usb / key.name
    assert kept.read_bytes() == key.read_bytes() and stat.S_IMODE(kept.stat().st_mode) == 0o600
    original_key = key.read_bytes()
    sessions.kw["bind"].dispose()

    shutil.rmtree(settings.data_dir)  # the card died; a new one with nothing on it
    assert cli.main(["restore", str(taken)]) == 0
    assert "Journalen er i orden" in capsys.readouterr().out
    assert key.read_bytes() == original_key  # the same key, so the chain goes on
    engine, fresh = open_database(settings)  # the kiosk starts on it (no JournalKeyMissing)
    try:
        with fresh() as s:
            assert journal.verify(s, settings.kiosk.id).ok
    finally:
        engine.dispose()


def test_a_backup_whose_key_is_nowhere_is_refused_and_nothing_changes(
    settings: Settings, sessions: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    usb = tmp_path / "usb"
    taken = _backup_of_a_day(settings, sessions, usb)
    (usb / journal_key_path(settings).name).unlink()  # the key copy lost too
    sessions.kw["bind"].dispose()
    shutil.rmtree(settings.data_dir)
    settings.data_dir.mkdir()
    engine, _fresh = open_database(settings)  # a new kiosk started on the new card: its own new key
    engine.dispose()
    before = {p.name: p.read_bytes() for p in settings.data_dir.iterdir() if p.is_file()}

    assert cli.main(["restore", str(taken)]) != 0
    said = capsys.readouterr().err
    assert "Backuppen er underskrevet med nøglen" in said and "Intet er ændret" in said
    assert {p.name: p.read_bytes() for p in settings.data_dir.iterdir() if p.is_file()} == before
