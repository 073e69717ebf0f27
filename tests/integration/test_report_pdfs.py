"""The A4 reports' drawing, as a reader sees it (pdfium renders the page, pypdfium2 reads its text):

- the font is parsed once per process (kiosk/printouts/pdf_fonts.py) and each document still embeds its own
  characters: a name in the third document prints with the same ink as fpdf2 prints it on its own, Turkish and
  Somali letters included;
- the impact report's charts are drawn in the PDF as shapes: a week's bar stands where it belongs, as tall as its
  figure against the axis, and the chart's title, figures and week numbers are text a reader can find.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pypdfium2
from fpdf import FPDF
from PIL import Image, ImageChops

from kiosk.printouts.pdf_page import FONT, a4_document, text_line, unicode_fonts
from tests.integration.pdf_text import page_texts

NAMES = ("Çağrı Yıldız İnce", "Xasan Cabdi Maxamed", "Åse Ørbæk-Sørensen")
PRINTED = datetime(2026, 11, 23, 15, tzinfo=UTC)


def _render(path: Path, scale: float = 2.0) -> Image.Image:
    pdf = pypdfium2.PdfDocument(path)
    try:
        image: Image.Image = pdf[0].render(scale=scale).to_pil().convert("L")
        return image
    finally:
        pdf.close()


def _ink(image: Image.Image) -> int:
    """How much dark there is on the page: the sum of 255 - grey over every pixel."""
    return sum((255 - level) * count for level, count in enumerate(image.histogram()))


def _names_page(pdf: Any, out: Path, names: tuple[str, ...]) -> Path:
    pdf.add_page()
    pdf.set_y(30)
    for name in names:
        text_line(pdf, 14, name, bold=True, h=9)
        text_line(pdf, 11, name, h=7)
    out.write_bytes(bytes(pdf.output()))
    return out


def test_each_document_embeds_its_own_letters_when_the_font_is_parsed_once(tmp_path: Path) -> None:
    # Three documents in a row share one parsed font; each must still carry the glyphs it uses, not the ones the
    # document before it was cut down to.
    first = _names_page(a4_document("a", "b", PRINTED), tmp_path / "first.pdf", ("Dorte Hansen",))
    second = _names_page(a4_document("a", "b", PRINTED), tmp_path / "second.pdf", NAMES)
    third = _names_page(a4_document("a", "b", PRINTED), tmp_path / "third.pdf", NAMES)

    reference = FPDF(orientation="P", unit="mm", format="A4")  # fpdf2 on its own: a fresh parse of the file
    regular, bold = unicode_fonts()
    reference.add_font(FONT, "", str(regular))
    reference.add_font(FONT, "B", str(bold))
    alone = _names_page(reference, tmp_path / "alone.pdf", NAMES)

    assert page_texts(first) == ["Dorte Hansen\nDorte Hansen"]
    for path in (second, third):
        assert page_texts(path)[0].split("\n") == [n for name in NAMES for n in (name, name)]
    assert ImageChops.difference(_render(second), _render(third)).getbbox() is None
    drawn, expected = _ink(_render(second)), _ink(_render(alone))
    assert abs(drawn - expected) < expected * 0.01, (drawn, expected)  # every letter drawn, ğ ı İ Ø æ included
