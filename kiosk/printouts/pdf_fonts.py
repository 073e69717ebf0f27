"""The embedded TrueType font, parsed once per process instead of once per document.

fpdf2's `add_font` builds a `TTFFont`: it parses the file with fontTools and works out every character's width and
glyph (~6 ms a font here), and at `output()` it subsets that same parsed font *in place* (so a parsed font serves
one document only) with fontTools, which also recomputes every kept glyph's bounding box (~12 ms a font).  An
hour sheet or an impact report paid ~40 ms for its two fonts before any text was laid out.

Here the first document builds the `TTFFont` with fpdf2's own constructor and keeps it as a template; each
document then gets a copy that shares the template's read-only tables (widths, cmap, glyph ids, metrics) and has
its own per-document state: its subset map, its list of missing glyphs, its font descriptor (output gives it an
object number) and a fresh, lazily parsed fontTools font for the subsetter to cut down, with its glyph order
handed over and the layout tables fpdf2 drops anyway (GSUB, GPOS, GDEF, hdmx) dropped before the subsetter reads
them.  Bounding boxes are kept as the font file has them (`recalcBBoxes=False`): the glyphs' own boxes are
unchanged by subsetting, and the font-wide maxima then describe the whole font, which a PDF reader does not mind.

The font is the full Roboto/DejaVu file: any character it has prints (æøå, Turkish ğ ş ı İ, Somali names), as
before.  fpdf2 is pinned (pyproject.toml); tests/integration/test_pdf_fonts.py checks two documents made one after
the other each embed exactly their own characters.
"""

from __future__ import annotations

import copy
import io
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fontTools import ttLib  # type: ignore[import-untyped]  # fpdf2 depends on it; no stubs
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont

# What a document changes on its font; every other attribute of the template is shared, read-only.
_PER_DOCUMENT = frozenset({"i", "ttfont", "subset", "missing_glyphs", "biggest_size_pt", "desc"})
_DROPPED = ("GDEF", "GPOS", "GSUB", "hdmx")  # fpdf2's subsetter drops these too (it does no text shaping)


@dataclass(frozen=True)
class _Parsed:
    template: Any  # fpdf.fonts.TTFFont, never given to a document itself
    data: bytes
    glyph_order: list[str]


_parsed: dict[tuple[Path, str], _Parsed] = {}
_lock = threading.Lock()


def _parse(path: Path, style: str) -> _Parsed:
    with _lock:
        key = (path, style)
        if key not in _parsed:
            data = path.read_bytes()
            template = TTFFont(FPDF(), path, f"template{style}", style)
            glyph_order = list(template.ttfont.getGlyphOrder())
            # Its parsed tables are not needed once the widths and glyph ids are worked out (each document
            # subsets a fresh parse): ~3 MB a process does not keep.
            template.ttfont.close()
            template.ttfont = None
            _parsed[key] = _Parsed(template, data, glyph_order)
        return _parsed[key]


def add_font(pdf: Any, family: str, style: str, path: Path) -> None:
    """What `pdf.add_font(family, style, str(path))` does, from the process's parsed copy of the file."""
    parsed = _parse(path, style)
    fontkey = f"{family.lower()}{style}"
    font: Any = TTFFont.__new__(TTFFont)
    for name in TTFFont.__slots__:
        if name not in _PER_DOCUMENT and hasattr(parsed.template, name):
            setattr(font, name, getattr(parsed.template, name))
    font.fontkey = fontkey
    font.i = len(pdf.fonts) + 1
    font.desc = copy.copy(parsed.template.desc)
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    ttfont = ttLib.TTFont(io.BytesIO(parsed.data), recalcTimestamp=False, recalcBBoxes=False, lazy=True)
    for tag in _DROPPED:
        if tag in ttfont:
            del ttfont[tag]
    ttfont.setGlyphOrder(parsed.glyph_order)
    font.ttfont = ttfont
    font.subset = SubsetMap(font)
    pdf.fonts[fontkey] = font
