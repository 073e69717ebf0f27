"""The last Danish words an English kiosk still said: `kiosk jobs close`'s "sidste job før …", the hours sheet's
title that `kiosk export hours` prints, and the impact report's "Uge N".  The files the shop hands on (the hour
sheet's PDF, the impact CSV) keep the Danish."""

from __future__ import annotations

import datetime as dt
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


@pytest.fixture
def english(data_dir: Path, tmp_path: Path) -> Path:
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text('[kiosk]\nlanguage = "en"\n', encoding="utf-8")
    return cfg


def _kiosk(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str]:
    status = main([str(a) for a in argv])
    out, _err = capsys.readouterr()
    return status, out


def test_jobs_close_says_the_cutoff_in_english(english: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = _kiosk(capsys, "--config", english, "jobs", "close")
    assert status == 0
    assert re.fullmatch(r"0 residents erased \(last job before \d{1,2} [A-Z][a-z]+ \d{4}\)", out.splitlines()[1])


def test_export_hours_prints_the_sheets_title_in_english(
    english: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = _kiosk(
        capsys, "--config", english, "export", "hours", "--month", "2026-11", "--out", tmp_path / "t.csv"
    )
    assert status == 0
    assert out.splitlines()[0].startswith("Hours record November 2026: 0 people, ")


def test_a_weeks_label_is_english_on_an_english_kiosk_and_danish_in_the_report_files() -> None:
    from kiosk.domain.impact_report import Week

    week = Week(dt.date(2026, 11, 23), workers=0, minutes=0, days=0, signups=0, sales_ore=0, receipts=0)
    assert i18n.said(week.label, "en") == "Week 48"
    assert f"2026-{week.label}" == "2026-Uge 48"  # how the impact CSV writes it
