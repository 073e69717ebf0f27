"""A kiosk that must not start as if nothing happened: its database gone while its journal key and backups are
still there (an empty database would start the receipt numbers over), or an SD card remounted read-only.  The
command line says why and exits 2 without a traceback; `kiosk run` (as systemd starts it: no DISPLAY, so
offscreen) shows the reason on its screen and stays up instead of exiting into a restart loop."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.bootstrap import open_database
from kiosk.config import Settings
from kiosk.services.records import EarlierDatabaseMissing, take_backup
from tests.conftest import REPO
from tests.integration.conftest import kiosk_run_until

START_TIMEOUT_S = 120.0  # Kivy and SQLAlchemy on a busy 2-core machine
ON_SCREEN = "startup problem on screen: "  # logged once the first frame with the message is drawn
GONE = "Databasen {db} mangler, men kiosken har været brugt før (journalens nøglefil kiosk-journal.key og en backup "
READ_ONLY = "Kiosken kan ikke skrive på sit SD-kort (det er skrivebeskyttet), så intet bliver gemt."


def _used_then_deleted(settings: Settings) -> tuple[Path, Path]:
    """A kiosk that ran (its key made), took a backup, then lost its database file."""
    engine, sessions = open_database(settings)
    backup = take_backup(settings, sessions).path
    engine.dispose()
    db = settings.data_dir / "kiosk.sqlite"
    for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        path.unlink(missing_ok=True)
    return db, backup


def _kiosk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args], cwd=REPO, capture_output=True, text=True, timeout=120, check=False
    )


def test_a_missing_database_with_its_key_and_backups_left_is_refused_and_the_restore_named(settings: Settings) -> None:
    db, backup = _used_then_deleted(settings)
    with pytest.raises(EarlierDatabaseMissing) as caught:
        open_database(settings)
    said = caught.value.user_message
    assert said.startswith(GONE.format(db=db))
    assert said.endswith(
        f"Kiosken starter ikke med en ny, tom database. Læg den nyeste backup tilbage: kiosk restore {backup}"
    )
    assert not db.exists()  # no empty database made

    done = _kiosk("journal", "verify")  # any command that opens the database
    assert done.returncode == 2, done.stderr
    assert f"Fejl: {GONE.format(db=db)}" in done.stderr
    assert "Traceback" not in done.stderr
    assert not db.exists()


def _config_read_only(settings: Settings, config: Path) -> None:
    """The database opened read-only by SQLite itself (as on a read-only mount): root cannot write through it."""
    engine, _sessions = open_database(settings)  # made, migrated and keyed while the card was writable
    engine.dispose()
    db = settings.data_dir / "kiosk.sqlite"
    config.write_text(f'[database]\nurl = "sqlite:///file:{db}?mode=ro&uri=true"\n', encoding="utf-8")


@pytest.mark.parametrize("problem", ["database deleted", "read-only"])
def test_kiosk_run_shows_why_it_cannot_start_on_its_screen_and_stays_up(
    settings: Settings, tmp_path: Path, problem: str
) -> None:
    config = Path(os.environ["KIOSK_CONFIG"])  # the data_dir fixture's (empty) config file
    if problem == "read-only":
        _config_read_only(settings, config)
        expected = READ_ONLY
    else:
        db, _backup = _used_then_deleted(settings)
        expected = GONE.format(db=db)
    status, log = kiosk_run_until(tmp_path, ON_SCREEN, timeout=START_TIMEOUT_S)  # up, with the reason on screen
    assert status == 2  # after SIGTERM (systemctl stop, before `kiosk restore`)
    shown = log.split(ON_SCREEN, 1)[1].splitlines()[0]
    assert shown.startswith(expected)
    assert "Traceback" not in log
