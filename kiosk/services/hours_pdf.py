"""The monthly hour sheet as a PDF: one A4 page per person, ready to sign by the worker and the leader.

fpdf2's core fonts are Latin-1 only, so a Unicode TrueType font is embedded (Roboto ships in kiosk/assets/fonts,
DejaVu is the fallback): the sheet then reads the same on any machine, æøå included.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from kiosk.clock import to_local
from kiosk.domain import shift_text as txt
from kiosk.services.hours_export import HoursSheet, PersonMonth

FONT = "Sheet"
_FONT_DIRS = (
    Path(__file__).resolve().parents[1] / "assets" / "fonts",
    Path("/usr/share/fonts/truetype/dejavu"),
)
_FONT_FILES = (("Roboto-Regular.ttf", "Roboto-Bold.ttf"), ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"))

LEFT, RIGHT, TOP, BOTTOM = 18.0, 192.0, 16.0, 282.0  # mm on A4 (210 x 297)
ROW = 6.2
# Dato, Mødt ind, Gået hjem, Timer, Tid, (gap), Bemærkning: 174 mm in all
COLUMNS = (("Dato", 36, "L"), ("Mødt ind", 20, "C"), ("Gået hjem", 20, "C"), ("Timer", 17, "R"),
           ("Tid", 24, "R"), ("", 5, "L"), ("Bemærkning", 52, "L"))  # fmt: skip
INK, GREY, LINE, FILL, ZEBRA = (30, 30, 30), (110, 110, 110), (160, 160, 160), (226, 236, 228), (246, 248, 246)


def _fonts() -> tuple[Path, Path]:
    for folder in _FONT_DIRS:
        for regular, bold in _FONT_FILES:
            if (folder / regular).exists() and (folder / bold).exists():
                return folder / regular, folder / bold
    raise FileNotFoundError("no Unicode TrueType font for the hour sheet (kiosk/assets/fonts is missing)")


def render_pdf(sheet: HoursSheet) -> bytes:
    # fpdf2 subsets the embedded font with fontTools, which logs every table it prunes at INFO.
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    pdf: Any = FPDF(orientation="P", unit="mm", format="A4")
    regular, bold = _fonts()
    pdf.add_font(FONT, "", str(regular))
    pdf.add_font(FONT, "B", str(bold))
    pdf.set_auto_page_break(False)  # pages are broken by hand so a signature block never splits
    pdf.set_title(sheet.title)
    pdf.set_author(sheet.shop.name)
    pdf.set_creator("Hedemarken kiosk")
    pdf.set_creation_date(sheet.generated_at)
    pdf.set_text_color(*INK)
    if not sheet.people:
        _page(pdf, sheet, None)
        _text(pdf, 11, f"Ingen registreringer i {txt.month_text(sheet.first)}.")
    for person in sheet.people:
        _person(pdf, sheet, person)
    return bytes(pdf.output())


def _text(pdf: Any, size: float, text: str, *, bold: bool = False, h: float = 6, color: tuple[int, ...] = INK) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.set_text_color(*color)
    pdf.set_x(LEFT)
    pdf.cell(RIGHT - LEFT, h, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*INK)


def _page(pdf: Any, sheet: HoursSheet, person: PersonMonth | None, *, continued: bool = False) -> None:
    pdf.add_page()
    shop = sheet.shop
    pdf.set_font(FONT, "", 8)
    pdf.set_text_color(*GREY)
    printed = f"{txt.long_date_text(to_local(sheet.generated_at).date())} kl. {txt.clock_text(sheet.generated_at)}"
    pdf.set_xy(LEFT, BOTTOM + 4)
    pdf.cell(RIGHT - LEFT, 4, f"Udskrevet {printed} · {shop.name}", align="L")
    pdf.set_xy(LEFT, BOTTOM + 4)
    pdf.cell(RIGHT - LEFT, 4, f"Side {pdf.page_no()} af {{nb}}", align="R")
    pdf.set_xy(LEFT, TOP)
    _text(pdf, 13, shop.name, bold=True)
    _text(pdf, 9, f"{shop.address} · CVR {shop.cvr}", h=5, color=GREY)
    pdf.ln(5)
    _text(pdf, 18, sheet.title, bold=True, h=9)
    pdf.set_draw_color(*LINE)
    pdf.line(LEFT, pdf.get_y() + 1, RIGHT, pdf.get_y() + 1)
    pdf.ln(4)
    if person is not None:
        _labelled(pdf, "Medarbejder", person.name + (" (fortsat)" if continued else ""))
        _labelled(pdf, "Periode", sheet.period_text)
        pdf.ln(3)


def _labelled(pdf: Any, label: str, value: str) -> None:
    pdf.set_x(LEFT)
    pdf.set_font(FONT, "", 10)
    pdf.set_text_color(*GREY)
    pdf.cell(28, 6.5, label)
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, "B", 12)
    pdf.cell(RIGHT - LEFT - 28, 6.5, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _row(pdf: Any, cells: tuple[str, ...], *, bold: bool = False, fill: tuple[int, int, int] | None = None) -> None:
    pdf.set_x(LEFT)
    pdf.set_font(FONT, "B" if bold else "", 9)
    if fill:
        pdf.set_fill_color(*fill)
    for text, (_title, width, align) in zip(cells, COLUMNS, strict=True):
        pdf.cell(width, ROW, text, align=align, fill=fill is not None)
    pdf.ln(ROW)


def _header_row(pdf: Any) -> None:
    _row(pdf, tuple(title for title, _w, _a in COLUMNS), bold=True, fill=FILL)


def _person(pdf: Any, sheet: HoursSheet, person: PersonMonth) -> None:
    _page(pdf, sheet, person)
    _header_row(pdf)
    for i, line in enumerate(person.days):
        if pdf.get_y() + ROW > BOTTOM - 12:
            _page(pdf, sheet, person, continued=True)
            _header_row(pdf)
        d = line.hours
        hours = txt.hours_decimal(d.minutes) + (" *" if d.flagged else "")
        cells = (
            txt.short_day_text(d.day),
            line.first_in_text,
            line.last_out_text or "–",
            hours,
            line.duration_text,
            "",
            line.notes,
        )
        _row(pdf, cells, fill=ZEBRA if i % 2 else None)
    notes = _notes(person)
    if pdf.get_y() + ROW + 2 + 4.2 * len(notes) > BOTTOM:  # keep the total and its notes together
        _page(pdf, sheet, person, continued=True)
        _header_row(pdf)
    pdf.set_draw_color(*INK)
    pdf.line(LEFT, pdf.get_y(), RIGHT, pdf.get_y())
    days = f"{person.totals.days} dag" + ("e" if person.totals.days != 1 else "")
    _row(pdf, ("I alt", "", "", person.total_hours, person.total_text, "", days), bold=True)
    pdf.ln(2)
    for note in notes:
        _text(pdf, 8, note, h=4.2, color=GREY)
    _signatures(pdf, sheet, person)


def _notes(person: PersonMonth) -> list[str]:
    notes = []
    pending = person.totals.pending_minutes
    if pending:
        notes.append(
            f"Heraf afventer leders godkendelse: {txt.hours_decimal(pending)} timer ({txt.duration_text(pending)})."
        )
    if person.totals.unknown_ends:
        notes.append("Dage uden kendt sluttid tæller ikke med, før en leder har fastsat tiden.")
    if any(line.hours.flagged for line in person.days):
        notes.append("* Selv oplyst eller afventer leder.")
    notes.append("Tider er dansk tid. Timer er regnet af de faktiske minutter, med to decimaler.")
    return notes


def _signatures(pdf: Any, sheet: HoursSheet, person: PersonMonth) -> None:
    """Two signature lines side by side, each with a date line: worker left, leader right."""
    height = 34
    if pdf.get_y() + height > BOTTOM:
        _page(pdf, sheet, person, continued=True)
    top = max(pdf.get_y() + 14, BOTTOM - height)  # near the foot of the page, where people expect to sign
    half = (RIGHT - LEFT - 16) / 2
    pdf.set_draw_color(*INK)
    for x, label in ((LEFT, "Underskrift medarbejder"), (LEFT + half + 16, "Underskrift leder")):
        pdf.line(x, top + 12, x + half, top + 12)
        pdf.set_xy(x, top + 13)
        pdf.set_font(FONT, "", 9)
        pdf.cell(half, 5, label)
        pdf.line(x, top + 27, x + half * 0.55, top + 27)
        pdf.set_xy(x, top + 28)
        pdf.cell(half, 5, "Dato")
    pdf.set_xy(LEFT, top)
    total = f"{person.total_hours} timer ({person.total_text})"
    _text(pdf, 9, f"Jeg bekræfter, at tiderne ovenfor er rigtige: i alt {total} for perioden {sheet.period_text}.", h=5)
