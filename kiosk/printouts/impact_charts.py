"""The impact report's charts: plain bar charts drawn twice from one layout, with fpdf2 primitives into the PDF
and with Pillow into PNGs a coordinator can paste into a report.  No plotting library.

The layout works in millimetres with y growing downwards; a Painter turns it into PDF or pixels.  A hidden bar
(a figure behind fewer than 5 people) is drawn as a short grey stub, and the chart says so under the axis.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Protocol

from babel.numbers import format_decimal

from kiosk.domain import impact as rules
from kiosk.domain.impact_report import ImpactReport

RGB = tuple[int, int, int]
INK: RGB = (30, 30, 30)
GREY: RGB = (110, 110, 110)
GRID: RGB = (215, 215, 215)
HIDDEN: RGB = (200, 200, 200)
GREEN: RGB = (27, 94, 32)
BLUE: RGB = (13, 71, 161)
ORANGE: RGB = (163, 58, 0)
SLATE: RGB = (55, 71, 79)
PT = 0.3528  # mm per typographic point


@dataclass(frozen=True)
class BarChart:
    key: str  # PNG file name part: rapport-timer.png
    title: str
    unit: str  # under the title: "timer", "kr. inkl. moms"
    labels: tuple[str, ...]
    values: tuple[float | None, ...]  # None: hidden
    colour: RGB
    decimals: int = 0

    @property
    def any_hidden(self) -> bool:
        return any(v is None for v in self.values)


def charts(report: ImpactReport) -> list[BarChart]:
    weeks = report.weeks
    labels = tuple(str(w.monday.isocalendar().week) for w in weeks)

    def hidden_count(n: int) -> float | None:
        return None if rules.hidden(n) else float(n)

    jobs_labels = ("Pladser udbudt", "Pladser besat", "Mødte op", "Udeblev")
    jobs_values = (
        float(report.places_offered),
        hidden_count(report.places_filled),
        hidden_count(report.came),
        hidden_count(report.no_shows),
    )
    return [
        BarChart(
            "timer",
            "Betalte timer pr. uge",
            "timer, alle medarbejdere (ugenummer under søjlen)",
            labels,
            tuple(None if w.hours is None else float(w.hours) for w in weeks),
            BLUE,
            decimals=1,
        ),
        BarChart(
            "medarbejdere",
            "Aktive medarbejdere pr. uge",
            "medarbejdere med mindst én vagt (ugenummer under søjlen)",
            labels,
            tuple(hidden_count(w.workers) for w in weeks),
            SLATE,
        ),
        BarChart(
            "salg",
            "Salg pr. uge",
            "kr. inkl. moms (ugenummer under søjlen)",
            labels,
            tuple(w.sales_ore / 100 for w in weeks),
            GREEN,
        ),
        BarChart("smaajobs", "Småjobs i perioden", "antal", jobs_labels, jobs_values, ORANGE),
        BarChart(
            "timefordeling",
            "Medarbejdere efter timer pr. uge",
            "antal medarbejdere efter deres timer pr. uge i gennemsnit",
            tuple(
                label.replace(" timer og derover", " og over").removesuffix(" timer") for label, _n in report.hour_bands
            ),
            tuple(hidden_count(n) for _label, n in report.hour_bands),
            BLUE,
        ),
    ]


class Painter(Protocol):
    def rect(self, x: float, y: float, w: float, h: float, colour: RGB) -> None: ...
    def line(self, x1: float, y1: float, x2: float, y2: float, colour: RGB, width: float = 0.2) -> None: ...
    def text(self, x: float, y: float, s: str, size: float, colour: RGB, align: str = "L", bold: bool = False) -> None:
        """`y` is the top of the text; `align` L/C/R around x; `size` in points."""

    def text_width(self, s: str, size: float, bold: bool = False) -> float: ...


def nice_step(top: float, ticks: int = 4) -> float:
    """A round grid step (1, 2 or 5 times a power of ten) giving about `ticks` lines up to `top`."""
    if top <= 0:
        return 1.0
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    return float(next(m * power for m in (1, 2, 5, 10) if m * power >= raw))


def number(value: float, decimals: int = 0) -> str:
    """150.5 -> '151' (half up, not to even), 34.5 with one decimal -> '34,5'."""
    exact = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(exact, format=pattern, locale="da_DK")


def draw(p: Painter, chart: BarChart, x: float, y: float, w: float, h: float) -> None:
    """The whole chart inside the box (x, y, w, h), in mm."""
    p.text(x, y, chart.title, 11, INK, bold=True)
    p.text(x, y + 5.2, chart.unit, 8, GREY)
    shown = [v for v in chart.values if v is not None]
    top = max(shown, default=0.0)
    step = nice_step(top)
    axis_top = step * max(math.ceil(top / step), 1)
    if axis_top - top < step * 0.25:  # room above the tallest bar for its value
        axis_top += step
    tick_labels = [number(step * i) for i in range(round(axis_top / step) + 1)]
    left = x + max(p.text_width(t, 7) for t in tick_labels) + 2
    plot_top, plot_bottom = y + 12, y + h - (11 if chart.any_hidden else 7)
    right = x + w
    height = plot_bottom - plot_top
    for i, label in enumerate(tick_labels):
        gy = plot_bottom - height * (step * i) / axis_top
        p.line(left, gy, right, gy, GRID if i else GREY, 0.2)
        p.text(left - 1.5, gy - 1.3, label, 7, GREY, align="R")
    n = max(len(chart.values), 1)
    slot = (right - left) / n
    bar = slot * (0.7 if n > 8 else 0.6)
    label_w = max((p.text_width(s, 7) for s in chart.labels), default=0) + 1.5
    every = max(1, math.ceil(label_w / slot))
    with_values = n <= 16
    for i, (label, value) in enumerate(zip(chart.labels, chart.values, strict=True)):
        bx = left + slot * i + (slot - bar) / 2
        if value is None:
            stub = min(2.5, height * 0.1)
            p.rect(bx, plot_bottom - stub, bar, stub, HIDDEN)
            if with_values:
                p.text(bx + bar / 2, plot_bottom - stub - 3.6, rules.SUPPRESSED, 7, GREY, align="C")
        else:
            bh = height * value / axis_top if axis_top else 0
            if bh > 0:
                p.rect(bx, plot_bottom - bh, bar, bh, chart.colour)
            if with_values:
                p.text(bx + bar / 2, plot_bottom - bh - 3.6, number(value, chart.decimals), 7, INK, align="C")
        if i % every == 0:
            p.text(bx + bar / 2, plot_bottom + 1.2, label, 7, GREY, align="C")
    if chart.any_hidden:
        note = f"Grå søjle: færre end 5 personer bag tallet, derfor vist som {rules.SUPPRESSED}."
        p.text(x, y + h - 4, note, 7, GREY)


# --- fpdf2 -------------------------------------------------------------------------------------------------------


class PdfPainter:
    def __init__(self, pdf: Any, font: str) -> None:
        # fpdf2 is imported where a PDF is made, not by the report screen that only formats numbers from here
        from kiosk.printouts.pdf_page import text_width

        self.pdf, self.font, self._width = pdf, font, text_width

    def rect(self, x: float, y: float, w: float, h: float, colour: RGB) -> None:
        self.pdf.set_fill_color(*colour)
        self.pdf.rect(x, y, w, h, style="F")

    def line(self, x1: float, y1: float, x2: float, y2: float, colour: RGB, width: float = 0.2) -> None:
        self.pdf.set_draw_color(*colour)
        self.pdf.set_line_width(width)
        self.pdf.line(x1, y1, x2, y2)

    def text(self, x: float, y: float, s: str, size: float, colour: RGB, align: str = "L", bold: bool = False) -> None:
        self.pdf.set_font(self.font, "B" if bold else "", size)
        self.pdf.set_text_color(*colour)
        width = self._width(self.pdf, s)
        left = x - width / 2 if align == "C" else x - width if align == "R" else x
        # the baseline where a cell of 1.2 lines' height starting at y puts it (0.3 em below its middle)
        self.pdf.text(left, y + 0.6 * size * PT + 0.3 * self.pdf.font_size, s)

    def text_width(self, s: str, size: float, bold: bool = False) -> float:
        self.pdf.set_font(self.font, "B" if bold else "", size)
        return self._width(self.pdf, s)


# --- Pillow ------------------------------------------------------------------------------------------------------


SHADES = 64  # steps from white to a text colour for the letters' smoothed edges (Pillow draws 256)
WHITE: RGB = (255, 255, 255)
_png_fonts: dict[tuple[Path, int], Any] = {}  # Pillow's FreeType faces, loaded once per process


class PngPainter:
    """Millimetres in, pixels out: `scale` pixels per mm (8 gives ~200 dpi).

    The PNG is a palette image (what GIF-like charts are): the chart's few colours, plus SHADES steps from white to
    each text colour for the letters' edges.  Shapes are drawn as palette numbers into a one-byte image.  Each text
    is drawn by Pillow as on an RGB image, but into a small one-byte coverage image of its own (placed on whole
    pixels, so its letters fall on the same fractions of a pixel), and laid over the shapes at the end as its
    colour's shades.  An RGB image of the same chart has ~225 colours in three bytes a pixel that Pillow filters
    row by row before compressing: writing it took ~10 ms a chart, this ~2 ms, and the file is half the size.
    Where a letter's edge crosses a grid line it fades into white, not the line's grey: a few pixels, a few
    shades."""

    def __init__(self, size_mm: tuple[float, float], fonts: tuple[Path, Path], scale: float = 8.0) -> None:
        from PIL import Image, ImageDraw

        self.scale = scale
        self.size = (round(size_mm[0] * scale), round(size_mm[1] * scale))
        self.shapes = Image.new("L", self.size, 0)  # palette numbers; 0 is white
        self.draw = ImageDraw.Draw(self.shapes)
        self.fonts = fonts
        self.colours: list[RGB] = [WHITE]
        self.texts: list[tuple[tuple[int, int], Any, RGB]] = []  # (where, coverage image, colour)

    def _number(self, colour: RGB) -> int:
        if colour not in self.colours:
            self.colours.append(colour)
        return self.colours.index(colour)

    def _font(self, size: float, bold: bool) -> Any:
        from PIL import ImageFont

        key = (self.fonts[bold], max(1, round(size * PT * self.scale)))
        if key not in _png_fonts:
            _png_fonts[key] = ImageFont.truetype(str(key[0]), key[1])
        return _png_fonts[key]

    def _px(self, v: float) -> float:
        return v * self.scale

    def rect(self, x: float, y: float, w: float, h: float, colour: RGB) -> None:
        box = (self._px(x), self._px(y), self._px(x + w), self._px(y + h))
        self.draw.rectangle(box, fill=self._number(colour))

    def line(self, x1: float, y1: float, x2: float, y2: float, colour: RGB, width: float = 0.2) -> None:
        xy = (self._px(x1), self._px(y1), self._px(x2), self._px(y2))
        self.draw.line(xy, fill=self._number(colour), width=max(1, round(width * self.scale)))

    def text(self, x: float, y: float, s: str, size: float, colour: RGB, align: str = "L", bold: bool = False) -> None:
        from PIL import Image, ImageDraw

        font, anchor = self._font(size, bold), {"L": "la", "C": "ma", "R": "ra"}[align]
        px, py = self._px(x), self._px(y)
        # A box the text surely fits in, without asking Pillow to lay it out once more for its exact box (that
        # cost as much as drawing it): an em per character across, half an em above the anchor's ascender line to
        # one and a half below.  Its corner is on whole pixels up and left of the anchor point, so the text is
        # drawn at a positive point with the same fractions of a pixel as on the whole picture.
        em, wide = font.size, len(s) * font.size
        reach = {"la": 0.0, "ma": wide / 2, "ra": float(wide)}[anchor]  # how far the box reaches left of x
        origin = (math.floor(px - reach) - _MARGIN, math.floor(py - em / 2) - _MARGIN)
        size_px = (math.ceil(px - reach + wide) - origin[0] + _MARGIN, math.ceil(py + 1.5 * em) - origin[1] + _MARGIN)
        coverage = Image.new("L", size_px, 0)
        ImageDraw.Draw(coverage).text((px - origin[0], py - origin[1]), s, fill=255, font=font, anchor=anchor)
        self.texts.append((origin, coverage, colour))

    def text_width(self, s: str, size: float, bold: bool = False) -> float:
        return float(self._font(size, bold).getlength(s)) / self.scale

    def image(self) -> Any:
        """The chart as a palette ("P") image."""
        out = self.shapes.copy()
        colours = list(self.colours)
        shades: dict[RGB, list[int]] = {}  # text colour -> palette number for each coverage 0-255
        for origin, coverage, colour in self.texts:
            if colour not in shades:
                first = len(colours)
                colours += [
                    (
                        round(255 + (colour[0] - 255) * k / SHADES),
                        round(255 + (colour[1] - 255) * k / SHADES),
                        round(255 + (colour[2] - 255) * k / SHADES),
                    )
                    for k in range(1, SHADES + 1)
                ]
                shades[colour] = [0] + [first + max(1, round(v * SHADES / 255)) - 1 for v in range(1, 256)]
            out.paste(coverage.point(shades[colour]), origin, coverage.point(_INKED))
        out.putpalette([c for rgb in colours for c in rgb])  # "L" numbers become a "P" image
        return out


_MARGIN = 2  # pixels of room around a text's coverage image
_INKED = [0] + [255] * 255  # a coverage image as a mask: every touched pixel takes the text's shade


def write_pngs(report: ImpactReport, stem: Path, size_mm: tuple[float, float] = (170.0, 80.0)) -> list[Path]:
    """One PNG per chart beside the PDF: rapport-timer.png, rapport-salg.png, ..."""
    from kiosk.printouts.pdf_page import unicode_fonts

    fonts = unicode_fonts()
    written: list[Path] = []
    for chart in charts(report):
        painter = PngPainter(size_mm, fonts)
        draw(painter, chart, 4, 4, size_mm[0] - 8, size_mm[1] - 8)
        out = stem.with_name(f"{stem.name}-{chart.key}.png")
        # zlib's fastest level: ~2 ms and ~17 KB a chart (the default level: ~5 ms, ~12 KB).
        painter.image().save(out, compress_level=1)
        written.append(out)
    return written
