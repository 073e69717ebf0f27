"""The A4 job poster and the `kiosk jobs` commands: the PDF names the job and its free places, and the QR on it is
exactly the job's code.

The QR is checked twice: the image fpdf2 embedded is pulled out of the PDF (pypdfium2) and compared pixel for
pixel with a fresh QR of the expected payload (<job_url><qr_token>), and the poster is rendered to a PNG (pdfium,
as a person would look at it) and its QR decoded with zxing-cpp.  The text is read back with pypdfium2 too: both
are pip wheels in the dev extra, so every test here runs on a fresh machine."""

from __future__ import annotations

import argparse
import dataclasses
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import ImageChops

from kiosk import cli_jobs
from kiosk.domain.scan import DEFAULT_JOB_URL, classify
from kiosk.errors import ImportRejected
from kiosk.printouts.job_poster import job_poster, qr_image
from kiosk.services.jobs.board import Jobs
from tests.conftest import sample
from tests.integration.pdf_text import page_images, page_texts


def _import(sessions: Any) -> Jobs:
    jobs = Jobs(sessions)
    jobs.import_csv(sample("jobs.csv").read_bytes())
    return jobs


def test_the_poster_names_the_job_its_day_and_free_places(sessions: Any, tmp_path: Path) -> None:
    job = _import(sessions).find("gården")
    poster = job_poster(job, tmp_path / "poster.pdf", 4, "Hedemarkens Butik", "Hedemarken 1")
    [text] = page_texts(poster.path)
    for expected in ("Oprydning i", "gården", "Tirsdag 1. december 2026", "kl. 10.00–13.00", "Gården ved Nyvej 23",
                     "4 ledige pladser", "Scan med din telefon – eller ved kiosken", "Hedemarkens Butik"):  # fmt: skip
        assert expected in text


def test_the_poster_says_what_the_job_is_in_its_own_words(sessions: Any, tmp_path: Path) -> None:
    job = _import(sessions).find("Cykel")
    assert job.description == "Hjælp børn med at lappe og smøre deres cykler."
    poster = job_poster(job, tmp_path / "poster.pdf", job.free, "Hedemarkens Butik", "Hedemarken 1")
    [text] = page_texts(poster.path)
    assert job.description in " ".join(text.split())  # æøå and all, however it wrapped
    lines = text.splitlines()
    assert lines.index("Cykelkælderen") < lines.index("Hjælp børn med at lappe og smøre deres cykler.")
    assert lines.index("Hjælp børn med at lappe og smøre deres cykler.") < lines.index("2 ledige pladser")


def test_a_long_description_is_cut_at_a_word_and_the_qr_keeps_its_room(sessions: Any, tmp_path: Path) -> None:
    import pypdfium2
    import zxingcpp

    job = _import(sessions).find("gården")
    told = "Vi samler affald og rydder op efter vinterens storme i gården, på legepladsen og langs stierne. " * 5
    job = dataclasses.replace(job, description=told + "\n\nHandsker, poser og kaffe står klar i butikken.")
    poster = job_poster(job, tmp_path / "poster.pdf", job.free, "Hedemarkens Butik", "Hedemarken 1")
    [text] = page_texts(poster.path)
    lines = text.splitlines()
    about = lines[lines.index("Gården ved Nyvej 23") + 1 : lines.index(job.free_text)]
    assert 1 <= len(about) <= 3
    assert about[-1].endswith("…")
    shown = " ".join(about).removesuffix("…")
    assert told.startswith(shown) and told[len(shown)] in " ,."  # cut after a whole word, never inside one
    for rest in ("Scan med din telefon – eller ved kiosken", "Hedemarkens Butik", "Hedemarken 1"):
        assert rest in lines
    pdf = pypdfium2.PdfDocument(poster.path)
    page = pdf[0].render(scale=60 / 72).to_pil()  # a phone's-eye view
    assert [r.text for r in zxingcpp.read_barcodes(page)] == [f"{DEFAULT_JOB_URL}{job.qr_token}"]
    [qr] = pdf[0].get_objects(filter=(pypdfium2.raw.FPDF_PAGEOBJ_IMAGE,))
    left, _bottom, right, _top = qr.get_bounds()
    assert (right - left) / 72 * 25.4 >= 70  # mm: still big enough to scan from across the stairwell


def test_the_poster_qr_is_exactly_the_jobs_code(sessions: Any, tmp_path: Path) -> None:
    job = _import(sessions).find("Cykel")
    poster = job_poster(job, tmp_path / "poster.pdf", job.free, "Hedemarkens Butik")
    assert poster.qr_payload == f"{DEFAULT_JOB_URL}{job.qr_token}"
    found = classify(poster.qr_payload, DEFAULT_JOB_URL)
    assert (found.kind, found.value) == ("job", job.qr_token)
    [[image]] = page_images(poster.path)  # the one picture on the poster
    embedded = image.convert("L")
    expected = qr_image(f"{DEFAULT_JOB_URL}{job.qr_token}").convert("L")
    assert embedded.size == expected.size
    assert ImageChops.difference(embedded, expected).getbbox() is None


def test_the_poster_rendered_as_a_picture_scans_to_the_job(sessions: Any, tmp_path: Path) -> None:
    import pypdfium2
    import zxingcpp

    jobs = _import(sessions)
    job = jobs.find("gården")
    base = "https://hedemarken.example.dk/smaajobs/job/"
    poster = job_poster(job, tmp_path / "poster.pdf", job.free, "Hedemarkens Butik", "Hedemarken 1", base)
    pdf = pypdfium2.PdfDocument(poster.path)
    assert len(pdf) == 1
    page = pdf[0].render(scale=60 / 72).to_pil()  # A4 at 60 dpi: the whole page, a phone's-eye view of it
    page.save(tmp_path / "page.png")
    assert page.height == 702
    read = [r.text for r in zxingcpp.read_barcodes(page)]
    assert read == [f"{base}{job.qr_token}"]
    found = classify(read[0], base)
    assert found.kind == "job" and jobs.by_qr(found.value).id == job.id


def test_jobs_import_command_is_all_or_nothing(sessions: Any, tmp_path: Path, settings: Any) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("title;place;starts;ends;capacity\nJob;Gården;i morgen;2026-12-01 12:00;2\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        cli_jobs.cmd_jobs_import(argparse.Namespace(config=None, demo=False, file=str(bad)))
    assert caught.value.problems[0][0] == 2
    args = argparse.Namespace(config=None, demo=False, file=str(sample("jobs.csv")))
    assert cli_jobs.cmd_jobs_import(args) == 0
    assert len(Jobs(sessions).upcoming(datetime(2026, 11, 1, tzinfo=UTC))) == 4


def test_jobs_poster_command_finds_the_job_by_part_of_its_title(
    sessions: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _import(sessions)
    out = tmp_path / "plakat.pdf"
    assert cli_jobs.cmd_jobs_poster(argparse.Namespace(config=None, demo=False, job="julemarked", out=str(out))) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert "3 ledige pladser" in capsys.readouterr().out


def test_the_cli_registers_import_poster_and_close() -> None:
    parser = argparse.ArgumentParser()
    cli_jobs.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["jobs", "poster", "Oprydning", "--out", "p.pdf"])
    assert args.handler is cli_jobs.cmd_jobs_poster and args.job == "Oprydning"
    assert parser.parse_args(["jobs", "import", "f.csv"]).handler is cli_jobs.cmd_jobs_import
