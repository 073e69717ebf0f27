"""Read back what a PDF we wrote shows, with nothing a fresh machine lacks (no poppler's pdftotext or pdfimages:
no test skips for a missing tool).

- `page_texts` and `page_images`: pypdfium2 (PDFium, Chrome's PDF engine; a pip wheel in the dev extra) reads
  each page's text in reading order and the images embedded in it, as any PDF reader would.
- `pages_text`: each fpdf2 cell's text on its own, in drawing order, so a test can pair a label with the value
  in the cell after it.  PDFium splits and pads cells (a page number apart from "Side 1 af "), so this reads the
  content stream itself: fpdf2 embeds a TrueType subset, each string a run of 2-byte glyph ids that the font's
  /ToUnicode CMap maps back to characters.  It understands exactly that (Flate streams, `/Fn size Tf`,
  `(...) Tj`), which is all fpdf2 produces; it is not a general PDF parser.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c
from PIL import Image

_OBJ = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.S)
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"(": b"(", b")": b")", b"\\": b"\\"}


def _stream(body: bytes) -> bytes:
    m = _STREAM.search(body)
    if m is None:
        return b""
    raw = m.group(1)
    return zlib.decompress(raw) if b"/FlateDecode" in body[: m.start()] else raw


def _cmap(data: bytes) -> dict[int, str]:
    out: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            out[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            start = int(dst, 16)
            for i, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                out[code] = chr(start + i)
    return out


def _literal(data: bytes, i: int) -> tuple[bytes, int]:
    """The PDF string literal starting after the '(' at data[i - 1]; returns (bytes, index after ')')."""
    out, depth = bytearray(), 1
    while True:
        c = data[i : i + 1]
        if c == b"\\":
            nxt = data[i + 1 : i + 2]
            if nxt.isdigit():
                octal = re.match(rb"[0-7]{1,3}", data[i + 1 : i + 4])
                assert octal is not None
                out.append(int(octal.group(), 8))
                i += 1 + len(octal.group())
                continue
            out += _ESCAPES.get(nxt, nxt)
            i += 2
            continue
        if c == b"(":
            depth += 1
        elif c == b")":
            depth -= 1
            if depth == 0:
                return bytes(out), i + 1
        out += c
        i += 1


def pages_text(path: Path) -> list[list[str]]:
    """Per page, the text of each BT..ET block (one block per fpdf2 cell), in drawing order."""
    data = path.read_bytes()
    objects = {int(num): body for num, body in _OBJ.findall(data)}
    cmaps: dict[bytes, dict[int, str]] = {}
    pages: list[list[str]] = []
    tree = next(body for body in objects.values() if re.search(rb"/Type /Pages\b", body))
    kids = re.search(rb"/Kids \[(.*?)\]", tree, re.S)
    assert kids is not None, "no page tree"
    for page_ref in re.findall(rb"(\d+) 0 R", kids.group(1)):
        page = objects[int(page_ref)]
        contents = re.search(rb"/Contents (\d+) 0 R", page)
        assert contents is not None
        resources = page
        res_ref = re.search(rb"/Resources (\d+) 0 R", page)
        if res_ref:
            resources = objects[int(res_ref.group(1))]
        for name, font_ref in re.findall(rb"/(F\d+) (\d+) 0 R", resources):
            if name not in cmaps:
                to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", objects[int(font_ref)])
                cmaps[name] = _cmap(_stream(objects[int(to_unicode.group(1))])) if to_unicode else {}
        pages.append(_blocks(_stream(objects[int(contents.group(1))]), cmaps))
    return pages


def _blocks(content: bytes, cmaps: dict[bytes, dict[int, str]]) -> list[str]:
    blocks: list[str] = []
    font: dict[int, str] = {}
    current: list[str] | None = None
    i = 0
    token = re.compile(rb"/(F\d+) [\d.]+ Tf|\bBT\b|\bET\b|\(")
    while (m := token.search(content, i)) is not None:
        i = m.end()
        if m.group(1):
            font = cmaps.get(m.group(1), {})
        elif m.group() == b"BT":
            current = []
        elif m.group() == b"ET":
            if current:
                blocks.append("".join(current))
            current = None
        else:
            raw, i = _literal(content, i)
            text = "".join(font.get(int.from_bytes(raw[k : k + 2], "big"), "?") for k in range(0, len(raw) - 1, 2))
            if current is not None:
                current.append(text)
    return blocks


def page_texts(path: Path) -> list[str]:
    """Per page, all its text in reading order (PDFium's text extraction), with "\\n" between lines."""
    pdf = pypdfium2.PdfDocument(path)
    try:
        return [page.get_textpage().get_text_range().replace("\r\n", "\n").replace("\r", "\n") for page in pdf]
    finally:
        pdf.close()


def page_images(path: Path) -> list[list[Image.Image]]:
    """Per page, its embedded images as stored in the file: the bitmap itself, not as drawn (no scaling)."""
    pdf = pypdfium2.PdfDocument(path)
    try:
        pages = []
        for page in pdf:
            objects = page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,))
            pages.append([obj.get_bitmap(render=False).to_pil().copy() for obj in objects])
        return pages
    finally:
        pdf.close()
