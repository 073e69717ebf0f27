"""What every A4 document the kiosk writes shares (the hour sheet, the impact report, the job poster's font):
a Unicode font with æøå, the page's margins and colours, the document's metadata, a new page with the shop at the
top and when it was printed at the foot, and one line of text."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from fpdf import FPDF

from kiosk.clock import to_local
from kiosk.config import ShopSettings
from kiosk.domain import shift_text as txt
from kiosk.printouts import pdf_fonts

FONT = "Kiosk"  # the family name the documents use for the embedded font
_FONT_DIRS = (
    Path(__file__).resolve().parents[1] / "assets" / "fonts",
    Path("/usr/share/fonts/truetype/dejavu"),
)
_FONT_FILES = (("Roboto-Regular.ttf", "Roboto-Bold.ttf"), ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"))

LEFT, RIGHT, TOP, BOTTOM = 18.0, 192.0, 16.0, 282.0  # mm on A4 (210 x 297)
INK, GREY, LINE, FILL = (30, 30, 30), (110, 110, 110), (160, 160, 160), (226, 236, 228)


def unicode_fonts() -> tuple[Path, Path]:
    """The regular and bold TrueType files to embed (the package ships Roboto)."""
    for folder in _FONT_DIRS:
        for regular, bold in _FONT_FILES:
            if (folder / regular).exists() and (folder / bold).exists():
                return folder / regular, folder / bold
    raise FileNotFoundError("no Unicode TrueType font for PDFs (kiosk/assets/fonts is missing)")


def a4_document(title: str, author: str, created: datetime) -> Any:
    """An empty A4 document with the font registered as FONT; pages are broken by hand (a signature block or a
    chart never splits)."""
    # fpdf2 subsets the embedded font with fontTools, which logs every table it prunes at INFO.
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    pdf: Any = FPDF(orientation="P", unit="mm", format="A4")
    regular, bold = unicode_fonts()
    pdf_fonts.add_font(pdf, FONT, "", regular)  # the file parsed once per process, not per document
    pdf_fonts.add_font(pdf, FONT, "B", bold)
    pdf.set_auto_page_break(False)
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_creator("Hedemarken kiosk")
    pdf.set_creation_date(created)
    pdf.set_text_color(*INK)
    return pdf


def text_line(
    pdf: Any, size: float, text: str, *, bold: bool = False, h: float = 6, color: tuple[int, ...] = INK
) -> None:
    """One line across the page at the left margin, then the next line."""
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.set_text_color(*color)
    y = pdf.get_y()
    put(pdf, LEFT, y, RIGHT - LEFT, h, text)
    pdf.set_xy(pdf.l_margin, y + h)
    pdf.set_text_color(*INK)


def text_width(pdf: Any, text: str) -> float:
    """`text`'s width in mm in the current font: what `pdf.get_string_width` gives here (no text shaping, no extra
    spacing), without building fpdf2's styled fragments for it."""
    return float(pdf.current_font.get_text_width(text, pdf.font_size_pt, None)[1]) / float(pdf.k)


RGB = tuple[int, ...]


def put(
    pdf: Any, x: float, y: float, w: float, h: float, text: str, *, align: str = "L", fill: RGB | None = None
) -> None:
    """What `pdf.cell(w, h, text, align=align, fill=...)` at (x, y) draws, for a one-line cell: the box filled, the
    text c_margin in from its side (or centred) on the baseline 0.3 em below the box's middle, and the cursor left
    at the box's right edge.  fpdf2's cell() costs ~20 µs a cell in layout objects (styled fragments, a text line,
    links, borders) a plain cell never uses: most of a 20-page hour sheet's time went there."""
    if fill is not None:
        pdf.set_fill_color(*fill)
        pdf.rect(x, y, w, h, style="F")
    if text:
        if align == "L":
            left = x + pdf.c_margin
        else:
            width = text_width(pdf, text)
            left = x + w - pdf.c_margin - width if align == "R" else x + (w - width) / 2
        pdf.text(left, y + 0.5 * h + 0.3 * pdf.font_size, text)
    pdf.set_xy(x + w, y)


def paragraph(pdf: Any, x: float, w: float, h: float, text: str) -> None:
    """What `pdf.multi_cell(w, h, text)` draws at (x, cursor): the text justified in lines `h` apart, broken where
    fpdf2 breaks them (the last space that still fits; a word wider than the line stands alone on it), each
    paragraph's last line left as it is; the cursor is left at the left margin under it.  fpdf2 measures the line
    again for every character it adds (~0.3 ms a line here); this measures each word once."""
    room = w - 2 * pdf.c_margin
    space = text_width(pdf, " ")
    lines: list[list[tuple[str, float]]] = []
    last: set[int] = set()  # the lines that end a paragraph
    for part in text.split("\n"):
        lines.append([])
        used = 0.0
        for word in part.split(" "):
            width = text_width(pdf, word)
            if lines[-1] and used + space + width > room:
                lines.append([])
                used = 0.0
            used += (space if lines[-1] else 0.0) + width
            lines[-1].append((word, width))
        last.add(len(lines) - 1)
    y = pdf.get_y()
    for i, line in enumerate(lines):
        baseline, left = y + 0.5 * h + 0.3 * pdf.font_size, x + pdf.c_margin
        if i in last or len(line) == 1:
            pdf.text(left, baseline, " ".join(word for word, _w in line))
        else:  # justified: the room left over shared out between the words
            gap = (room - sum(width for _word, width in line)) / (len(line) - 1)
            for word, width in line:
                pdf.text(left, baseline, word)
                left += width + gap
        y += h
    pdf.set_xy(pdf.l_margin, y)


def new_page(pdf: Any, shop: ShopSettings, printed_at: datetime) -> None:
    """A new page: "Udskrevet <when> · <shop>" and "Side n af m" at the foot, the shop's name, address and CVR at
    the top; the cursor is left under the address."""
    pdf.add_page()
    pdf.set_font(FONT, "", 8)
    pdf.set_text_color(*GREY)
    printed = f"{txt.long_date_text(to_local(printed_at).date())} kl. {txt.clock_text(printed_at)}"
    put(pdf, LEFT, BOTTOM + 4, RIGHT - LEFT, 4, f"Udskrevet {printed} · {shop.name}")
    pdf.set_xy(LEFT, BOTTOM + 4)
    # a cell, not put(): fpdf2 fills in the page count "{nb}" only in text a cell wrote
    pdf.cell(RIGHT - LEFT, 4, f"Side {pdf.page_no()} af {{nb}}", align="R")
    pdf.set_xy(LEFT, TOP)
    text_line(pdf, 13, shop.name, bold=True)
    text_line(pdf, 9, f"{shop.address} · CVR {shop.cvr}", h=5, color=GREY)
