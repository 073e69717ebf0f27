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
from PIL import Image, ImageChops, ImageDraw, ImageFont

from kiosk.config import ShopSettings
from kiosk.printouts.impact_charts import BLUE, PT, charts, draw
from kiosk.printouts.pdf_page import FONT, a4_document, text_line, unicode_fonts
from kiosk.services.reports.impact import collect
from kiosk.services.reports.impact_export import export_impact
from tests.integration import impact_fixture as fx
from tests.integration.pdf_text import page_texts

RGB = tuple[int, int, int]
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


def _bars(image: Image.Image, colour: RGB) -> list[tuple[float, int, int]]:
    """Each run of columns painted in `colour` (within anti-aliasing): (its centre x, its top y, its height)."""
    r, g, b = image.convert("RGB").split()
    near = [band.point(lambda v, c=c: 255 if abs(v - c) <= 6 else 0) for band, c in zip((r, g, b), colour, strict=True)]
    mask = ImageChops.multiply(ImageChops.multiply(near[0], near[1]), near[2])
    bars: list[tuple[float, int, int]] = []
    run: list[tuple[int, int, int]] = []  # (x, top, bottom) of the columns in the current bar
    for x in range(mask.width + 1):
        box = mask.crop((x, 0, x + 1, mask.height)).getbbox() if x < mask.width else None
        if box is not None and box[3] - box[1] > 2:
            run.append((x, box[1], box[3]))
        elif run:
            top, bottom = min(t for _x, t, _b in run), max(b for _x, _t, b in run)
            bars.append(((run[0][0] + run[-1][0]) / 2, top, bottom - top))
            run = []
    return bars


def _text_boxes(page: Any, text: str) -> list[tuple[float, float, float, float]]:
    """Where `text` stands on the page, each time: (left, bottom, right, top) in points from the bottom left."""
    textpage = page.get_textpage()
    searcher = textpage.search(text, match_whole_word=True)
    boxes = []
    while (found := searcher.get_next()) is not None:
        chars = [textpage.get_charbox(i) for i in range(found[0], found[0] + found[1])]
        boxes.append((min(c[0] for c in chars), min(c[1] for c in chars), max(c[2] for c in chars),
                      max(c[3] for c in chars)))  # fmt: skip
    return boxes


def _per_hour(bars: list[tuple[float, int, int]], hours: tuple[float, ...]) -> list[float]:
    """Each bar's height per hour, against the first bar's: all 1.0 when the heights are in proportion."""
    unit = bars[0][2] / hours[0]
    return [round(height / value / unit, 2) for (_x, _top, height), value in zip(bars, hours, strict=True)]


def test_the_hours_chart_has_a_bar_per_week_as_tall_as_its_hours_with_its_figure_on_top(
    sessions: Any, tmp_path: Path
) -> None:
    """November 2026 from tests/integration/impact_fixture.py: paid hours per week 34,5 / hidden / 27,0 / 29,0
    (week 46 has four workers behind it).  On the PDF's chart page and in rapport-timer.png: three blue bars in the
    slots of weeks 45, 47 and 48, their heights in proportion to the hours, none for week 46; on the page each
    figure sits on top of its bar and each week number under its slot, as text."""
    fx.build(sessions)
    out = tmp_path / "rapport.pdf"
    export_impact(sessions, fx.FIRST, fx.LAST, [out], shop=ShopSettings(), now=fx.NOW)
    hours = (34.5, 27.0, 29.0)
    scale = 2.0  # pixels per point
    pdf = pypdfium2.PdfDocument(out)
    try:
        page = pdf[1]
        page_height = page.get_height()
        bars = _bars(page.render(scale=scale).to_pil(), BLUE)
        assert len(bars) == 3, bars
        assert _per_hour(bars, hours) == [1.0, 1.0, 1.0]
        slot = bars[2][0] - bars[1][0]  # weeks 47 and 48 side by side; week 46's slot empty between 45 and 47
        assert abs((bars[1][0] - bars[0][0]) - 2 * slot) < 2
        for (centre, top, _height), figure in zip(bars, ("34,5", "27,0", "29,0"), strict=True):
            [(left, bottom, right, _top)] = _text_boxes(page, figure)
            assert abs((left + right) / 2 - centre / scale) < 1.5, figure  # centred over its bar
            assert 0 < bottom - (page_height - top / scale) < 6, figure  # just above its top
        axis = page_height - (bars[0][1] + bars[0][2]) / scale
        for i, week in enumerate(("45", "46", "47", "48")):
            [(left, _bottom, right, _top)] = [b for b in _text_boxes(page, week) if 0 < axis - b[3] < 8]
            assert abs((left + right) / 2 - (bars[0][0] + i * slot) / scale) < 1.5, week
        [(left, _bottom, right, _top)] = [b for b in _text_boxes(page, "<5") if abs(b[1] - axis) < 12]
        assert abs((left + right) / 2 - (bars[0][0] + slot) / scale) < 1.5  # week 46 says it is hidden
    finally:
        pdf.close()

    with Image.open(tmp_path / "rapport-timer.png") as png:
        assert png.convert("RGB").getpixel((0, 0)) == (255, 255, 255)  # on white
        drawn = _bars(png, BLUE)
        assert len(drawn) == 3, drawn
        assert _per_hour(drawn, hours) == [1.0, 1.0, 1.0]
        # and the letters are Pillow's own, where Pillow puts them on a plain RGB picture, to a few shades
        plain = _PlainPainter(png.size)
        draw(plain, charts(collect(sessions, fx.FIRST, fx.LAST, now=fx.NOW))[0], 4, 4, 162, 72)
        off = ImageChops.difference(png.convert("RGB"), plain.image).convert("L")
        assert sum(off.histogram()[9:]) <= 4  # a few where a letter crosses a grid line


class _PlainPainter:
    """The chart as Pillow draws it on an RGB picture, every shade of every letter's edge (8 pixels a mm)."""

    def __init__(self, size: tuple[int, int]) -> None:
        self.image = Image.new("RGB", size, "white")
        self.draw = ImageDraw.Draw(self.image)
        self.fonts = unicode_fonts()

    def _font(self, size: float, bold: bool) -> ImageFont.FreeTypeFont:
        return ImageFont.truetype(str(self.fonts[bold]), max(1, round(size * PT * 8)))

    def rect(self, x: float, y: float, w: float, h: float, colour: RGB) -> None:
        self.draw.rectangle((x * 8, y * 8, (x + w) * 8, (y + h) * 8), fill=colour)

    def line(self, x1: float, y1: float, x2: float, y2: float, colour: RGB, width: float = 0.2) -> None:
        self.draw.line((x1 * 8, y1 * 8, x2 * 8, y2 * 8), fill=colour, width=max(1, round(width * 8)))

    def text(self, x: float, y: float, s: str, size: float, colour: RGB, align: str = "L",
             bold: bool = False) -> None:  # fmt: skip
        anchor = {"L": "la", "C": "ma", "R": "ra"}[align]
        self.draw.text((x * 8, y * 8), s, fill=colour, font=self._font(size, bold), anchor=anchor)

    def text_width(self, s: str, size: float, bold: bool = False) -> float:
        return float(self._font(size, bold).getlength(s)) / 8
