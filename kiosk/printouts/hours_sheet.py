"""The monthly hour sheet as a PDF: one A4 page per person, ready to sign by the worker and the leader.

fpdf2's core fonts are Latin-1 only, so a Unicode TrueType font is embedded (Roboto ships in kiosk/assets/fonts,
DejaVu is the fallback): the sheet then reads the same on any machine, æøå included.
"""

from __future__ import annotations

from typing import Any

from kiosk.domain import shift_text as txt
from kiosk.domain.hours import HoursSheet, PersonMonth
from kiosk.printouts.pdf_page import (
    BOTTOM,
    FILL,
    FONT,
    GREY,
    INK,
    LEFT,
    LINE,
    RIGHT,
    a4_document,
    new_page,
    put,
    text_line,
)

ROW = 6.2
# Dato, Mødt ind, Gået hjem, Timer, Tid, (gap), Bemærkning: 174 mm in all
COLUMNS = (("Dato", 36, "L"), ("Mødt ind", 20, "C"), ("Gået hjem", 20, "C"), ("Timer", 17, "R"),
           ("Tid", 24, "R"), ("", 5, "L"), ("Bemærkning", 52, "L"))  # fmt: skip
ZEBRA = (246, 248, 246)


def render_pdf(sheet: HoursSheet) -> bytes:
    pdf = a4_document(sheet.title, sheet.shop.name, sheet.generated_at)
    if not sheet.people:
        _page(pdf, sheet, None)
        text_line(pdf, 11, f"Ingen registreringer i {txt.month_text(sheet.first)}.")
    for person in sheet.people:
        _person(pdf, sheet, person)
    return bytes(pdf.output())


def _page(pdf: Any, sheet: HoursSheet, person: PersonMonth | None, *, continued: bool = False) -> None:
    new_page(pdf, sheet.shop, sheet.generated_at)
    pdf.ln(5)
    text_line(pdf, 18, sheet.title, bold=True, h=9)
    pdf.set_draw_color(*LINE)
    pdf.line(LEFT, pdf.get_y() + 1, RIGHT, pdf.get_y() + 1)
    pdf.ln(4)
    if person is not None:
        _labelled(pdf, "Medarbejder", person.name + (" (fortsat)" if continued else ""))
        _labelled(pdf, "Periode", sheet.period_text)
        pdf.ln(3)


def _labelled(pdf: Any, label: str, value: str) -> None:
    y = pdf.get_y()
    pdf.set_font(FONT, "", 10)
    pdf.set_text_color(*GREY)
    put(pdf, LEFT, y, 28, 6.5, label)
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, "B", 12)
    put(pdf, LEFT + 28, y, RIGHT - LEFT - 28, 6.5, value)
    pdf.set_xy(pdf.l_margin, y + 6.5)


def _row(pdf: Any, cells: tuple[str, ...], *, bold: bool = False, fill: tuple[int, int, int] | None = None) -> None:
    y = pdf.get_y()
    pdf.set_font(FONT, "B" if bold else "", 9)
    if fill:  # one band under the row's cells
        pdf.set_fill_color(*fill)
        pdf.rect(LEFT, y, RIGHT - LEFT, ROW, style="F")
    x = LEFT
    for text, (_title, width, align) in zip(cells, COLUMNS, strict=True):
        put(pdf, x, y, width, ROW, text, align=align)
        x += width
    pdf.set_xy(pdf.l_margin, y + ROW)


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
        text_line(pdf, 8, note, h=4.2, color=GREY)
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
        pdf.set_font(FONT, "", 9)
        put(pdf, x, top + 13, half, 5, label)
        pdf.line(x, top + 27, x + half * 0.55, top + 27)
        put(pdf, x, top + 28, half, 5, "Dato")
    pdf.set_xy(LEFT, top)
    total = f"{person.total_hours} timer ({person.total_text})"
    text_line(
        pdf, 9, f"Jeg bekræfter, at tiderne ovenfor er rigtige: i alt {total} for perioden {sheet.period_text}.", h=5
    )
