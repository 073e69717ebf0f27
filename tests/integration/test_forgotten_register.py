"""A resident forgotten on request stays forgotten: `kiosk person forget` writes a register outside the database
(ids only), and a restored backup that still holds the name and number is erased again by `kiosk restore` and at
every start."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from kiosk import cli
from kiosk.config import Settings
from kiosk.db.models import Person
from kiosk.services.jobs import ERASED_NAME, Signups
from kiosk.services.people import forgotten_register
from kiosk.services.records import backup
from tests.conftest import add_job

JOB_START = datetime(2030, 1, 2, 9, tzinfo=UTC)


def _names(settings: Settings) -> list[str]:
    """Read through a fresh connection, as the next command or start would (the file may have been replaced)."""
    from kiosk.bootstrap import open_database

    engine, sessions = open_database(settings)
    try:
        with sessions() as s:
            return sorted(s.scalars(select(Person.name).where(Person.role == "resident")))
    finally:
        engine.dispose()


def test_a_restored_backup_never_brings_a_forgotten_resident_back(
    settings: Settings, sessions: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    signups = Signups(sessions, settings.kiosk.id, lambda: datetime.now(UTC))
    job = add_job(sessions, "Oprydning i gården", JOB_START, 2)
    noor = signups.sign_up_new(job.id, "Noor Haddad", "12 34 56 78", consent=True)
    signups.sign_up_new(job.id, "Gitte Beboer", None, consent=True)
    taken = backup.take_backup(settings, sessions)  # Noor is in this backup, name and number
    sessions.kw["bind"].dispose()

    assert cli.main(["person", "forget", "Noor"]) == 0
    register = forgotten_register(settings)
    lines = register.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["person"] for line in lines] == [str(noor.person_id)]
    assert "Noor" not in register.read_text(encoding="utf-8") and "12345678" not in register.read_text("utf-8")
    assert stat.S_IMODE(register.stat().st_mode) == 0o600
    assert _names(settings) == sorted([ERASED_NAME, "Gitte Beboer"])

    assert cli.main(["restore", str(taken.path)]) == 0
    capsys.readouterr()
    assert _names(settings) == sorted([ERASED_NAME, "Gitte Beboer"]), "Noor came back with the backup"


def test_the_register_is_reapplied_at_start_when_a_database_is_copied_in_by_hand(
    settings: Settings, sessions: Any, tmp_path: Path
) -> None:
    from kiosk.bootstrap import build_services
    from kiosk.devices.printer import PreviewPrinter
    from kiosk.devices.scanner import FakeScanner

    signups = Signups(sessions, settings.kiosk.id, lambda: datetime.now(UTC))
    job = add_job(sessions, "Fej trappen", JOB_START, 2)
    noor = signups.sign_up_new(job.id, "Noor Haddad", "12 34 56 78", consent=True)
    db = backup.database_file(settings)
    sessions.kw["bind"].dispose()
    copy = tmp_path / "old.sqlite"
    copy.write_bytes(db.read_bytes())
    assert cli.main(["person", "forget", str(noor.person_id)]) == 0
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    db.write_bytes(copy.read_bytes())  # someone puts the old file back

    services = build_services(settings, printer=PreviewPrinter(42), scanner=FakeScanner())
    try:
        with services.sessions() as s:
            person = s.get(Person, noor.person_id)
            assert person is not None and (person.name, person.phone) == (ERASED_NAME, None)
    finally:
        services.close()
