"""The impact report for November 2026: every figure in the PDF, the CSV and the charts matches the one worked
out by hand in tests/integration/impact_fixture.py, small counts are hidden, and no name leaves the kiosk."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy.orm import Session, sessionmaker

from kiosk.config import ShopSettings
from kiosk.db.engine import unit_of_work
from kiosk.db.models import Person, Sale
from kiosk.errors import KioskError
from kiosk.services.reports.impact import collect
from kiosk.services.reports.impact_export import export_impact
from tests.integration import impact_fixture as fx
from tests.integration.pdf_text import pages_text

NAMES = (
    "Åse",
    "Bækgaard",
    "Cem",
    "Dorte",
    "Erik",
    "Fatima",
    "Gurli",
    "Hans",
    "Jørgen",
    "Beboer 1",
    "Beboer 8",
    "Slettet",
)


@pytest.fixture
def november(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    fx.build(sessions)
    return sessions


def test_the_figures_match_the_ones_worked_out_by_hand(november: sessionmaker[Session]) -> None:
    report = collect(november, fx.FIRST, fx.LAST, now=fx.NOW)
    assert (report.active_workers, report.new_workers, report.minutes, report.worker_weeks) == (8, 2, 6510, 27)
    assert (report.jobs_offered, report.places_offered, report.places_filled, report.jobs_full) == (4, 12, 8, 2)
    assert (report.signups, report.came, report.no_shows, report.settled) == (10, 5, 2, 7)
    assert (report.sales_ore, report.receipts, report.refunds) == (37500, 4, 1)
    assert {f.key: f.text for f in report.figures()} == fx.EXPECTED
    assert report.hour_bands == (
        ("under 5 timer", 5),
        ("5–10 timer", 3),
        ("10–20 timer", 0),
        ("20 timer og derover", 0),
    )
    weeks = [(w.label, w.workers, w.minutes, w.sales_ore) for w in report.weeks]
    assert weeks == [
        ("Uge 45", 6, 2070, 15050),
        ("Uge 46", 4, 1080, 14950),
        ("Uge 47", 6, 1620, 0),
        ("Uge 48", 6, 1740, 7500),
    ]
    assert report.weeks[1].hours is None  # four workers behind week 46's hours: hidden


def test_the_pdf_shows_the_hand_computed_figures_charts_and_how_they_are_worked_out(
    november: sessionmaker[Session], tmp_path: Path
) -> None:
    out = tmp_path / "rapport.pdf"
    _report, written = export_impact(november, fx.FIRST, fx.LAST, [out], shop=ShopSettings(), now=fx.NOW)
    pages = pages_text(out)
    assert len(pages) == 3
    first = pages[0]
    assert "Rapport til kommunen" in first
    assert "Effektmåling for perioden 2.–29. november 2026" in first
    assert "Side 1 af 3" in first
    labelled = {first[i]: first[i + 1] for i in range(len(first) - 1)}  # each label's cell, then its value's
    for label, value in (
        ("Aktive medarbejdere", "8"),
        ("Nye medarbejdere", "<5"),
        ("Betalte timer i alt", "108,5"),
        ("Timer pr. medarbejder pr. uge", "4,0"),
        ("Stabilt fremmøde (gennemsnit)", "84 %"),
        ("Mødt mindst 3 af 4 uger", "6"),
        ("Småjobs udbudt", "4"),
        ("Pladser besat", "8"),
        ("Småjobs gennemført", "3"),
        ("Tilmeldinger", "10"),
        ("Udeblev", "<5"),
        ("Udeblivelser", "29 %"),
        ("Beboere engageret", "8"),
        ("Beboere, der mødte op", "<5"),
        ("Salg i alt", "375,00\xa0kr."),
        ("Salg pr. uge (gennemsnit)", "93,75\xa0kr."),
        ("5–10 timer", "<5"),
    ):
        assert labelled.get(label) == value, (label, labelled.get(label))
    charts = pages[1]
    assert [t for t in charts if t.endswith("pr. uge")] == [
        "Betalte timer pr. uge",
        "Aktive medarbejdere pr. uge",
        "Salg pr. uge",
    ]
    hours = charts[charts.index("Betalte timer pr. uge") : charts.index("Aktive medarbejdere pr. uge")]
    assert [t for t in hours if (t[0].isdigit() and "," in t) or t == "<5"] == ["34,5", "<5", "27,0", "29,0"]
    method = " ".join(pages[2])
    assert "Sådan er tallene regnet" in method and "Stabilt fremmøde" in method
    assert "andelen af de samme uger, hvor personen mødte mindst én gang" in method
    assert "Tal fra 1 til 4, der handler om personer, vises som <5" in method
    everything = " ".join(" ".join(p) for p in pages)
    assert not [n for n in NAMES if n in everything], "a name got into the report"

    pngs = [p for p in written if p.suffix == ".png"]
    assert [p.name for p in pngs] == [
        "rapport-timer.png", "rapport-medarbejdere.png", "rapport-salg.png", "rapport-smaajobs.png",
        "rapport-timefordeling.png",
    ]  # fmt: skip
    for png in pngs:
        with Image.open(png) as image:
            assert image.size == (1360, 640)
            assert len(image.convert("RGB").getcolors(maxcolors=100000) or ()) > 2  # something is drawn on it


def test_the_csv_has_the_key_figures_and_one_row_per_week(november: sessionmaker[Session], tmp_path: Path) -> None:
    out = tmp_path / "rapport.csv"
    export_impact(november, fx.FIRST, fx.LAST, [out], now=fx.NOW)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = data.decode("utf-8-sig").splitlines()
    assert "Medarbejdere;Aktive medarbejdere;8;mindst én vagt i perioden" in rows
    assert "Medarbejdere;Betalte timer i alt;108,5;timer med kendt sluttid" in rows
    assert "Småjobs;Udeblivelser;29 %;af tilmeldte på afsluttede job" in rows
    assert "Beboere;Beboere, der mødte op;<5;" in rows
    assert "5–10 timer;<5" in rows
    header = rows.index("Uge;Fra;Til;Aktive medarbejdere;Betalte timer;Fremmødedage;Tilmeldinger til småjobs;"
                        "Salg (kr. inkl. moms);Antal køb")  # fmt: skip
    assert rows[header + 1 : header + 5] == [
        "2026-Uge 45;02.11.2026;08.11.2026;6;34,50;7;0;150,50;2",
        "2026-Uge 46;09.11.2026;15.11.2026;<5;<5;<5;<5;149,50;1",
        "2026-Uge 47;16.11.2026;22.11.2026;6;27,00;6;<5;0,00;0",
        "2026-Uge 48;23.11.2026;29.11.2026;6;29,00;7;<5;75,00;1",
    ]
    assert not [n for n in NAMES if n in data.decode("utf-8-sig")]


def test_a_sale_counts_in_the_danish_week_it_was_made_in(sessions: sessionmaker[Session]) -> None:
    """The weeks are summed by the database: a receipt at 00.30 on a Monday (Sunday 23.30 in UTC) belongs to the
    new week, one at 23.30 on the Sunday before to the old one, a refund counts as a refund, not a receipt."""
    with unit_of_work(sessions) as s:
        seller = Person(name="Dorte", role="worker")
        s.add(seller)
        s.flush()
        for no, (at, ore, kind) in enumerate(
            ((fx.cph(11, 8, 23, 30), 1000, "sale"), (fx.cph(11, 9, 0, 30), 2000, "sale"),
             (fx.cph(11, 10, 12), -500, "refund"), (fx.cph(11, 15, 23, 59), 4000, "sale")),
            start=1,
        ):  # fmt: skip
            s.add(Sale(kiosk_id="kiosk-1", kind=kind, receipt_no=no, seller_id=seller.id, created_at=at,
                       total_ore=ore, vat_ore=ore // 5))  # fmt: skip
    report = collect(sessions, date(2026, 11, 2), date(2026, 11, 22), now=fx.NOW)
    assert [(w.label, w.sales_ore, w.receipts) for w in report.weeks] == [
        ("Uge 45", 1000, 1),
        ("Uge 46", 5500, 2),
        ("Uge 47", 0, 0),
    ]
    assert (report.sales_ore, report.receipts, report.refunds) == (6500, 3, 1)


def test_an_empty_period_gives_a_readable_report_of_zeros(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    report, _files = export_impact(
        sessions, date(2027, 1, 4), date(2027, 1, 10), [tmp_path / "tom.pdf", tmp_path / "tom.csv"], now=fx.NOW
    )
    texts = {f.key: f.text for f in report.figures()}
    assert texts["active_workers"] == "0" and texts["hours_per_week"] == "–" and texts["sales"] == "0,00\xa0kr."
    assert "Aktive medarbejdere" in pages_text(tmp_path / "tom.pdf")[0]


def test_a_period_that_ends_before_it_starts_is_refused_in_danish(sessions: sessionmaker[Session]) -> None:
    with pytest.raises(KioskError) as refused:
        collect(sessions, date(2026, 11, 30), date(2026, 11, 1))
    assert "Til-datoen skal ligge efter fra-datoen" in refused.value.user_message


def test_kiosk_export_impact_writes_pdf_and_csv_and_prints_the_key_figures(
    november: sessionmaker[Session], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kiosk.cli_impact import register

    parser = argparse.ArgumentParser(prog="kiosk")
    parser.add_argument("--config", type=Path, default=None)
    register(parser.add_subparsers(dest="what", required=True))
    pdf, csv = tmp_path / "r.pdf", tmp_path / "r.csv"
    args = parser.parse_args(["impact", "--from", "02-11-2026", "--to", "2026-11-29", "--out", str(pdf), "--out",
                              str(csv), "--no-png"])  # fmt: skip
    assert args.handler(args) == 0
    printed = capsys.readouterr().out
    assert "Rapport til kommunen, 2.–29. november 2026:" in printed
    assert "Aktive medarbejdere: 8" in printed and "Salg i alt: 375,00\xa0kr." in printed
    assert pdf.read_bytes().startswith(b"%PDF") and csv.exists() and not list(tmp_path.glob("*.png"))
