"""A coordinator imports the jobs spreadsheet, fixes a typo in it and imports it again: every job is on the board
once, its poster's QR still works, and the command says what happened (new, already there, already over) in
Danish or English."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk import i18n
from kiosk.cli import main

HEADER = "title;place;starts;ends;capacity;description\n"
COMING = "Hjælp i caféen til julemarked;Hedemarken Café;2099-12-06 09:00;2099-12-06 15:00;3;Servering\n"
OVER = "Oprydning i gården;Gården ved Nyvej 23;2020-12-01 10:00;2020-12-01 13:00;6;Affald\n"
LATER = "Cykelværksted for børn;Kælderen;2099-12-09 15:00;2099-12-09 17:30;4;\n"


@pytest.fixture(autouse=True)
def _danish_after() -> Iterator[None]:
    yield
    i18n.set_language("da")


def _import(capsys: pytest.CaptureFixture[str], file: Path, *options: str) -> str:
    assert main([*options, "jobs", "import", str(file)]) == 0
    return capsys.readouterr().out


def _jobs(data_dir: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(data_dir / "kiosk.sqlite") as conn:
        return list(conn.execute("SELECT title, place, qr_token FROM jobs ORDER BY starts_at"))


def test_importing_the_same_jobs_again_adds_only_the_new_row_and_keeps_the_posters(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "jobs.csv"
    sheet.write_text(HEADER + OVER + COMING, encoding="utf-8")
    said = _import(capsys, sheet)
    assert said == (f"2 nye job indlæst fra {sheet}\n1 er allerede slut og vises ikke på kiosken.\n")
    first = _jobs(data_dir)

    sheet.write_text(HEADER + OVER + COMING.replace("Servering", "Servering og opvask") + LATER, encoding="utf-8")
    said = _import(capsys, sheet)
    assert said == (
        f"1 nyt job indlæst fra {sheet}\n"
        "2 fandtes allerede og er ikke ændret (et job rettes under Personale > Småjobs).\n"
        "1 er allerede slut og vises ikke på kiosken.\n"
    )
    now = _jobs(data_dir)
    assert [title for title, _place, _qr in now] == [
        "Oprydning i gården",
        "Hjælp i caféen til julemarked",
        "Cykelværksted for børn",
    ]
    assert now[:2] == first, "the jobs already there keep their QR codes: printed posters still open them"


def test_the_command_says_it_in_english_when_asked(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "jobs.csv"
    sheet.write_text(HEADER + COMING, encoding="utf-8")
    _import(capsys, sheet)
    config = tmp_path / "en.toml"
    config.write_text('[kiosk]\nlanguage = "en"\n', encoding="utf-8")
    sheet.write_text(HEADER + COMING + OVER, encoding="utf-8")
    said = _import(capsys, sheet, "--config", str(config))
    assert said == (
        f"1 new job imported from {sheet}\n"
        "1 was already there and is not changed (a job is changed under Staff > Small jobs).\n"
        "1 has already ended and is not shown on the kiosk.\n"
    )
