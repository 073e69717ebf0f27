"""`kiosk` commands print in the kiosk's language: with `[kiosk] language = "en"` a technician reads English."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk import i18n
from kiosk.cli import main


@pytest.fixture(autouse=True)
def _danish_after() -> Iterator[None]:
    yield
    i18n.set_language("da")


def _kiosk(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str]:
    status = main([str(a) for a in argv])
    out, _err = capsys.readouterr()
    return status, out


def test_journal_verify_devices_people_list_and_backup_print_english(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text('[kiosk]\nlanguage = "en"\n[printer]\nurl = "dummy"\n[scanner]\nurl = "dummy"\n', encoding="utf-8")
    people = tmp_path / "people.csv"
    people.write_text("name;role;phone\nÅse Ørbæk;leder;40506070\nAhmad Karimi;beboer;\n", encoding="utf-8")

    status, out = _kiosk(capsys, "--config", cfg, "people", "import", people)
    assert status == 0
    assert out.splitlines()[0] == "2 people imported (2 new, 0 updated)"

    status, out = _kiosk(capsys, "--config", cfg, "people", "list")
    assert status == 0
    assert out.splitlines() == [
        "Name          Role        Phone        Code",
        "Ahmad Karimi  resident                 –",
        "Åse Ørbæk     supervisor  40 50 60 70  no",
        "2 people",
    ]

    status, out = _kiosk(capsys, "--config", cfg, "journal", "verify")
    assert status == 0
    lines = out.splitlines()
    assert lines[:2] == [
        "The database matches the journal: 0 sales checked",
        "The journal is intact: 1 entries checked",
    ]
    assert re.fullmatch(r"Latest entry: no\. 1 \([0-9a-f]{12}\)", lines[2])
    assert lines[3].startswith("Key fingerprint: ")

    status, out = _kiosk(capsys, "--config", cfg, "devices")
    assert status == 0
    lines = out.splitlines()
    assert lines[0].startswith("Serial ports:")
    assert "Printer  dummy: answers" in lines
    assert "Scanner  dummy: simulated scanner – scan a product in the kiosk to try it" in lines
    clock = next(line for line in lines if line.startswith("Clock    "))
    assert "synchronised" in clock or "synchronisation unknown" in clock
    assert " kl. " not in clock  # the time in English too ("3 Dec 2026, 15:23")

    status, out = _kiosk(capsys, "--config", cfg, "backup")
    assert status == 0
    lines = out.splitlines()
    assert lines[0].startswith("Backup saved and checked: ")
    assert lines[1].startswith("  checksum (SHA-256): ")
    assert re.fullmatch(r"  [\d,]+ bytes, 1 journal entries, 0 sales", lines[2])


def test_export_hours_prints_its_hours_with_a_decimal_point_in_english(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An English reader reads '4.50 hours', not '4,50'; the sheet it saves keeps payroll's Danish '4,50'."""
    from datetime import UTC, datetime, time, timedelta

    from kiosk.bootstrap import open_database
    from kiosk.clock import LOCAL_TZ
    from kiosk.config import load_settings
    from kiosk.services.checkin.presence import CheckIn
    from kiosk.services.people.directory import People

    cfg = tmp_path / "kiosk.toml"
    cfg.write_text('[kiosk]\nlanguage = "en"\n', encoding="utf-8")
    engine, sessions = open_database(load_settings(cfg))
    try:
        aase = People(sessions).add("Åse Ørbæk", "worker")
        badge = People(sessions).badge_token(aase.id) or ""
        now = [datetime(2026, 11, 2, 9, 0, tzinfo=LOCAL_TZ).astimezone(UTC)]
        service = CheckIn(sessions, "kiosk-1", lambda: now[0], time(17), timedelta(hours=1))
        service.scan_badge(badge)
        now[0] += timedelta(hours=4, minutes=30)
        service.scan_badge(badge)
    finally:
        engine.dispose()

    sheet = tmp_path / "hours.csv"
    status, out = _kiosk(capsys, "--config", cfg, "export", "hours", "--month", "2026-11", "--out", sheet)
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == "Hours record November 2026: 1 people, 4.50 hours in all"
    assert lines[1] == "  Åse Ørbæk: 4 h 30 min (4.50)"
    assert "4,50" in sheet.read_text(encoding="utf-8")
