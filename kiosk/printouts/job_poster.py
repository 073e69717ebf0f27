"""The A4 job poster for stairwells and the shop window: readable from two metres, one big QR.

Layout top to bottom: a green band ("Småjob – vær med!"), the title as large as fits in two lines, the day and
time, the place, what the job is (its description, at most three lines, cut at a word with "…"), the free places
in a yellow box, the QR (``<job_url><qr_token>``, ~95 mm, never under ~70 mm), "Scan med din telefon – eller ved
kiosken", and the shop's name and address at the foot.  Roboto is embedded (æøå), as on the hour sheet."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import qrcode
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from PIL import Image

from kiosk.domain import jobs as jt
from kiosk.domain.jobs import JobView
from kiosk.domain.scan import DEFAULT_JOB_URL, job_payload
from kiosk.printouts.pdf_page import unicode_fonts

log = logging.getLogger(__name__)

FONT = "Poster"
W, H, MARGIN = 210.0, 297.0, 14.0
QR_MM = 96.0
GREEN, INK, GREY, YELLOW, WHITE = (46, 125, 50), (20, 20, 20), (90, 90, 90), (255, 214, 0), (255, 255, 255)
SCAN_HERE = "Scan med din telefon – eller ved kiosken"  # the QR opens the job's web page (kiosk web)
ABOUT_LINES = 3  # the description's room: more would shrink the QR below what scans from two metres
ABOUT_SIZES = (20, 18, 16, 14)  # pt, largest first: the largest at which the whole text fits is used
ELLIPSIS = "…"


@dataclass(frozen=True)
class Poster:
    path: Path
    qr_payload: str  # exactly what the QR encodes (tests compare the embedded image against it)


def qr_image(payload: str) -> Image.Image:
    """Black on white, error correction M, 4-module quiet zone: scans off a crumpled poster behind glass."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=4)
    code.add_data(payload)
    code.make(fit=True)
    image: Image.Image = code.make_image(fill_color="black", back_color="white").get_image().convert("1")
    return image


def _fit(pdf: Any, text: str, width: float, start: float, smallest: float, lines: int) -> float:
    """The largest font size (pt) at which `text` wraps into at most `lines` lines of `width` mm."""
    size = start
    while size > smallest:
        pdf.set_font(FONT, "B", size)
        if len(pdf.multi_cell(width, size * 0.42, text, dry_run=True, output="LINES")) <= lines:
            break
        size -= 2
    return size


def _wrap(pdf: Any, text: str, width: float, size: float) -> list[str]:
    pdf.set_font(FONT, "", size)
    return [str(line).strip() for line in pdf.multi_cell(width, size * 0.42, text, dry_run=True, output="LINES")]


def about_lines(pdf: Any, text: str, width: float) -> tuple[float, list[str]]:
    """The description as (font size, lines): the largest size at which it fits in ABOUT_LINES lines, else the
    smallest size with the text cut after the last whole word that fits, ending in "…".  Line breaks and runs of
    spaces typed into the form or the spreadsheet count as one space."""
    text = " ".join(text.split())
    if not text:
        return ABOUT_SIZES[0], []
    for size in ABOUT_SIZES:
        lines = _wrap(pdf, text, width, size)
        if len(lines) <= ABOUT_LINES:
            return size, lines
    kept = lines[:ABOUT_LINES]
    words = kept[-1].split(" ")
    while len(words) > 1 and pdf.get_string_width(" ".join(words) + ELLIPSIS) > width:
        words.pop()  # whole words first
    last = " ".join(words)
    while last and pdf.get_string_width(last + ELLIPSIS) > width:
        last = last[:-1]  # one word longer than the line (a web address): cut inside it
    kept[-1] = last.rstrip(" ,.;:–-") + ELLIPSIS
    return size, kept


def _centered(pdf: Any, text: str, size: float, *, bold: bool = False, color: tuple[int, int, int] = INK) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.set_text_color(*color)
    pdf.set_x(MARGIN)
    pdf.multi_cell(W - 2 * MARGIN, size * 0.42, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def render_poster(
    job: JobView, free_places: int, shop_name: str, shop_address: str = "", job_url: str = DEFAULT_JOB_URL
) -> tuple[bytes, str]:
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    payload = job_payload(job.qr_token, job_url)
    pdf: Any = FPDF(orientation="P", unit="mm", format="A4")
    regular, bold = unicode_fonts()
    pdf.add_font(FONT, "", str(regular))
    pdf.add_font(FONT, "B", str(bold))
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_title(f"Småjob: {job.title}")
    pdf.set_author(shop_name)
    pdf.set_creator("Hedemarken kiosk")
    pdf.add_page()

    pdf.set_fill_color(*GREEN)
    pdf.rect(0, 0, W, 30, style="F")
    pdf.set_xy(MARGIN, 8)
    pdf.set_font(FONT, "B", 34)
    pdf.set_text_color(*WHITE)
    pdf.cell(W - 2 * MARGIN, 14, "Småjob – vær med!", align="C")

    pdf.set_y(38)
    size = _fit(pdf, job.title, W - 2 * MARGIN, 66, 34, 2)
    _centered(pdf, job.title, size, bold=True)
    pdf.ln(4)
    _centered(pdf, jt.weekday_date_text(job.starts_at), 30, bold=True)
    _centered(pdf, f"kl. {jt.time_range_text(job.starts_at, job.ends_at)}", 30, bold=True)
    pdf.ln(1)
    _centered(pdf, job.place, _fit(pdf, job.place, W - 2 * MARGIN, 26, 16, 1))
    size, about = about_lines(pdf, job.description, W - 2 * MARGIN - 20)
    if about:
        pdf.ln(2)
        for line in about:
            _centered(pdf, line, size, color=GREY)

    y = pdf.get_y() + 3
    pdf.set_fill_color(*YELLOW)
    pdf.rect(MARGIN + 25, y, W - 2 * MARGIN - 50, 17, style="F", round_corners=True, corner_radius=4)
    pdf.set_xy(MARGIN, y + 2.5)
    pdf.set_font(FONT, "B", 30)
    pdf.set_text_color(*INK)
    pdf.cell(W - 2 * MARGIN, 12, jt.free_text(free_places), align="C")

    room_top, room_bottom = y + 20, H - 42  # between the yellow box and the "Scan koden" line
    qr_side = min(QR_MM, room_bottom - room_top)
    qr_top = room_top + (room_bottom - room_top - qr_side) / 2
    pdf.image(qr_image(payload), x=(W - qr_side) / 2, y=qr_top, w=qr_side, h=qr_side)
    pdf.set_y(qr_top + qr_side + 1)
    _centered(pdf, SCAN_HERE, 25, bold=True)

    pdf.set_draw_color(*GREEN)
    pdf.set_line_width(0.8)
    pdf.line(MARGIN, H - 22, W - MARGIN, H - 22)
    pdf.set_y(H - 19)
    _centered(pdf, shop_name, 18, bold=True, color=GREEN)
    if shop_address:
        _centered(pdf, shop_address, 11, color=GREY)
    return bytes(pdf.output()), payload


def job_poster(
    job: JobView,
    out: Path,
    free_places: int,
    shop_name: str = "",
    shop_address: str = "",
    job_url: str = DEFAULT_JOB_URL,
) -> Poster:
    """Write the poster PDF to `out`; returns where and the QR payload on it."""
    data, payload = render_poster(job, free_places, shop_name, shop_address, job_url)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    log.info("poster for job %s written to %s", job.id, out)
    return Poster(out, payload)
