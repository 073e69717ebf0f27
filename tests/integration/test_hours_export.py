"""The monthly hour sheet for November 2026, checked against totals worked out by hand."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from kiosk.clock import LOCAL_TZ
from kiosk.config import ShopSettings
from kiosk.services.checkin.presence import CheckIn
from kiosk.services.people.directory import People
from kiosk.services.reports.hours import export_hours
from tests.integration.pdf_text import page_texts

PRINTED = datetime(2026, 12, 1, 10, 0, tzinfo=LOCAL_TZ).astimezone(UTC)


def cph(d: int, h: int, mi: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, d, h, mi, tzinfo=LOCAL_TZ).astimezone(UTC)


class FakeClock:
    def __init__(self) -> None:
        self.now = cph(1, 0)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def november(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """Three people's November, scanned in time order through the real service.

    By hand:
      Åse Ørbæk        2/11 09.00-13.30 4 t 30 · 4/11 08.45-12.45 4 t · 6/11 10.00-14.00 4 t   = 12 t 30 min = 12,50
                       (31/10 and 1/12 lie outside the month)
      Mads Ødegaard    3/11 09.15-11.27 2 t 12 · 5/11 09.00-"ved lukketid" 17.00 8 t (self-reported, flagged)
                       · 30/11 12.00-15.20 3 t 20                                           = 13 t 32 min = 13,53
      Jørgen Bækgaard  2/11 08.00-16.00, corrected by himself to 08.00-15.00                  = 7 t        = 7,00
    """
    people = People(sessions)
    aase = people.add("Åse Ørbæk", "worker")
    mads = people.add("Mads Ødegaard", "worker")
    joergen = people.add("Jørgen Bækgaard", "supervisor")
    badge = {p.id: people.badge_token(p.id) or "" for p in (aase, mads, joergen)}
    clock = FakeClock()
    service = CheckIn(sessions, "kiosk-1", clock, time(17), timedelta(hours=1))

    def scan(when: datetime, person_id: uuid.UUID) -> uuid.UUID | None:
        clock.now = when
        return service.scan_badge(badge[person_id]).shift_id

    scan(cph(31, 10, month=10), aase.id)
    scan(cph(31, 11, month=10), aase.id)
    scan(cph(2, 8), joergen.id)
    scan(cph(2, 9), aase.id)
    scan(cph(2, 13, 30), aase.id)
    long_day = scan(cph(2, 16), joergen.id)
    assert long_day is not None
    clock.now = cph(2, 16, 5)
    service.correct(long_day, joergen.id, cph(2, 8), cph(2, 15), "Gik kl. 15, glemte at scanne")
    scan(cph(3, 9, 15), mads.id)
    scan(cph(3, 11, 27), mads.id)
    scan(cph(4, 8, 45), aase.id)
    scan(cph(4, 12, 45), aase.id)
    scan(cph(5, 9), mads.id)
    scan(cph(6, 10), aase.id)
    scan(cph(6, 14), aase.id)
    clock.now = cph(30, 12)
    arrival = service.scan_badge(badge[mads.id])
    assert arrival.forgotten is not None
    service.answer_forgotten(arrival.forgotten.shift_id, "closing")
    scan(cph(30, 15, 20), mads.id)
    scan(cph(1, 9, month=12), aase.id)
    scan(cph(1, 10, month=12), aase.id)
    return sessions


def test_the_csv_has_per_day_rows_and_totals_that_match_the_hand_computed_ones(
    november: sessionmaker[Session], tmp_path: Path
) -> None:
    out = tmp_path / "timer-2026-11.csv"
    sheet = export_hours(november, "2026-11", out, now=PRINTED)
    assert [(p.name, p.total_text, p.total_hours) for p in sheet.people] == [
        ("Jørgen Bækgaard", "7 t", "7,00"),
        ("Mads Ødegaard", "13 t 32 min", "13,53"),
        ("Åse Ørbæk", "12 t 30 min", "12,50"),
    ]
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Danish Excel reads æøå right
    rows = data.decode("utf-8-sig").splitlines()
    assert rows[0] == "Navn;Dato;Ugedag;Mødt ind;Gået hjem;Timer;Tid;Til kontrol;Bemærkning"
    assert "Åse Ørbæk;02.11.2026;mandag;09.00;13.30;4,50;4 t 30 min;;" in rows
    assert "Åse Ørbæk;I alt;;;;12,50;12 t 30 min;;" in rows
    # who corrected it, the time first recorded and why (not just "rettet af leder")
    expected = "rettet af Jørgen Bækgaard (først 08.00–16.00): Gik kl. 15, glemte at scanne"
    assert f"Jørgen Bækgaard;02.11.2026;mandag;08.00;15.00;7,00;7 t;;{expected}" in rows
    assert "Mads Ødegaard;05.11.2026;torsdag;09.00;17.00;8,00;8 t;ja;selv oplyst – afventer leder" in rows
    assert "Mads Ødegaard;I alt;;;;13,53;13 t 32 min;ja;heraf 8,00 timer afventer leder" in rows
    assert not any("31.10.2026" in r or "01.12.2026" in r for r in rows)
    assert len(rows) == 1 + 3 + 1 + 3 + 1 + 1 + 1


def test_the_pdf_names_each_person_with_their_total_and_has_room_to_sign(
    november: sessionmaker[Session], tmp_path: Path
) -> None:
    out = tmp_path / "timer-2026-11.pdf"
    export_hours(november, "2026-11", out, shop=ShopSettings(), now=PRINTED)
    assert out.read_bytes().startswith(b"%PDF")
    pages = page_texts(out)
    assert len([p for p in pages if p.strip()]) == 3  # one page per person, each signed on its own
    aase = next(p for p in pages if "Åse Ørbæk" in p)
    for expected in (
        "Hedemarkens Butik",
        "Timeregistrering november 2026",
        "1.–30. november 2026",
        "12,50",
        "12 t 30 min",
        "Underskrift medarbejder",
        "Underskrift leder",
        "Side 3 af 3",
    ):
        assert expected in aase, expected
    mads = next(p for p in pages if "Mads Ødegaard" in p)
    assert "13 t 32 min" in mads and "8,00 *" in mads and "afventer leders godkendelse" in mads


def test_a_month_without_records_still_gives_a_readable_sheet(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    sheet = export_hours(sessions, "2026-02", tmp_path / "tom.pdf", now=PRINTED)
    assert sheet.people == ()
    assert (tmp_path / "tom.pdf").read_bytes().startswith(b"%PDF")
    export_hours(sessions, "2026-02", tmp_path / "tom.csv", now=PRINTED)
    assert (tmp_path / "tom.csv").read_text(encoding="utf-8-sig").count("\n") == 1


def _cli(argv: list[str]) -> int:
    """The two handlers as kiosk/cli.py wires them (register on the top-level subparsers)."""
    import argparse

    from kiosk.cli_checkin import register

    parser = argparse.ArgumentParser(prog="kiosk")
    parser.add_argument("--config", type=Path, default=None)
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.handler(args))


def test_kiosk_export_hours_writes_the_file_and_prints_each_persons_total(
    november: sessionmaker[Session], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "timer.csv"
    assert _cli(["export", "hours", "--month", "2026-11", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Timeregistrering november 2026: 3 personer, i alt 33,03 timer" in printed  # 7 + 13,53 + 12,50
    assert "Åse Ørbæk: 12 t 30 min (12,50)" in printed
    assert out.read_text(encoding="utf-8-sig").startswith("Navn;Dato")


def test_kiosk_badge_print_prints_the_persons_current_badge_and_new_replaces_it(
    sessions: sessionmaker[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    old = People(sessions).badge_token(People(sessions).add("Åse Ørbæk", "worker").id)
    assert _cli(["badge", "print", "åse"]) == 0
    assert f"[QR: HK1:B:{old}]" in capsys.readouterr().out
    assert _cli(["badge", "print", "Åse Ørbæk", "--new"]) == 0
    printed = capsys.readouterr().out
    assert "Nyt kort til Åse Ørbæk" in printed and f"HK1:B:{old}" not in printed


def test_mine_timer_pages_back_through_every_month_and_shows_each_correction(
    november: sessionmaker[Session],
) -> None:
    people = {p.name: p.id for p in People(november).staff()}
    clock = FakeClock()
    clock.now = cph(2, 12, month=12)
    service = CheckIn(november, "kiosk-1", clock, time(17), timedelta(hours=1))

    this_month = service.my_hours(people["Åse Ørbæk"], "month")
    assert (this_month.title, this_month.has_earlier, this_month.has_later) == ("december 2026", True, False)
    november_view = service.my_hours(people["Åse Ørbæk"], "month", day=this_month.first - timedelta(days=1))
    assert (november_view.title, november_view.total_text, november_view.has_earlier) == (
        "november 2026",
        "12 t 30 min",
        True,
    )
    october = service.my_hours(people["Åse Ørbæk"], "month", day=november_view.first - timedelta(days=1))
    assert (october.title, october.has_earlier, october.has_later) == ("oktober 2026", False, True)
    assert [line.day_text for line in october.days] == ["lørdag 31. oktober"]

    leader_month = service.my_hours(people["Jørgen Bækgaard"], "month", day=november_view.first)
    assert leader_month.days[0].notes == "rettet af Jørgen Bækgaard (først 08.00–16.00): Gik kl. 15, glemte at scanne"
