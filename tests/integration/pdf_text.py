"""Read back the text of a PDF that fpdf2 wrote, with nothing but the standard library (no poppler, no pypdf).

fpdf2 embeds a TrueType subset: each string in a page's content stream is a run of 2-byte glyph ids, and the
font's /ToUnicode CMap maps them back to characters.  This reader understands exactly that (Flate streams,
`/Fn size Tf`, `(...) Tj`), which is all fpdf2 produces; it is not a general PDF parser.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path

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
