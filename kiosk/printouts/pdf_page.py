"""What every A4 document the kiosk writes shares (the hour sheet, the impact report, the job poster's font):
a Unicode font with æøå, the page's margins and colours, the document's metadata, a new page with the shop at the
top and when it was printed at the foot, and one line of text."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from kiosk.clock import to_local
from kiosk.config import ShopSettings
from kiosk.domain import shift_text as txt

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
    pdf.add_font(FONT, "", str(regular))
    pdf.add_font(FONT, "B", str(bold))
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
    pdf.set_x(LEFT)
    pdf.cell(RIGHT - LEFT, h, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*INK)


def new_page(pdf: Any, shop: ShopSettings, printed_at: datetime) -> None:
    """A new page: "Udskrevet <when> · <shop>" and "Side n af m" at the foot, the shop's name, address and CVR at
    the top; the cursor is left under the address."""
    pdf.add_page()
    pdf.set_font(FONT, "", 8)
    pdf.set_text_color(*GREY)
    printed = f"{txt.long_date_text(to_local(printed_at).date())} kl. {txt.clock_text(printed_at)}"
    pdf.set_xy(LEFT, BOTTOM + 4)
    pdf.cell(RIGHT - LEFT, 4, f"Udskrevet {printed} · {shop.name}", align="L")
    pdf.set_xy(LEFT, BOTTOM + 4)
    pdf.cell(RIGHT - LEFT, 4, f"Side {pdf.page_no()} af {{nb}}", align="R")
    pdf.set_xy(LEFT, TOP)
    text_line(pdf, 13, shop.name, bold=True)
    text_line(pdf, 9, f"{shop.address} · CVR {shop.cvr}", h=5, color=GREY)
