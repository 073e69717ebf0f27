"""Read an ESC/POS byte stream back as text: what a person would see on the slip, without the commands.

Tests (and ``kiosk printer-test``) use it to check a slip end to end without paper.  It knows the lengths of
the commands the kiosk and python-escpos send, including the variable-length blocks (``GS ( k`` QR data,
``GS v 0`` raster images, ``ESC *`` column images, ``GS k`` barcodes); any other ``ESC``/``GS`` command is
assumed to take one parameter byte, which holds for the common single-setting commands.
"""

from __future__ import annotations

ESC, GS, FS, DLE = 0x1B, 0x1D, 0x1C, 0x10
LF, CR, HT = 0x0A, 0x0D, 0x09


def decode_escpos_text(data: bytes, codepage: str = "cp858") -> str:
    """The printable text of an ESC/POS stream, decoded with `codepage` (a Python codec name)."""
    text = bytearray()
    i, n = 0, len(data)
    while i < n:
        b = data[i]
        if b in (ESC, GS, FS, DLE):
            i += _command_length(data, i)
        elif b >= 0x20 or b in (LF, HT):
            text.append(b)
            i += 1
        else:  # CR and other control bytes print nothing
            i += 1
    return text.decode(codepage, errors="replace")


def _at(data: bytes, i: int) -> int:
    return data[i] if i < len(data) else 0


def _u16(data: bytes, i: int) -> int:
    return _at(data, i) + 256 * _at(data, i + 1)


def _command_length(data: bytes, i: int) -> int:
    """How many bytes the command starting at data[i] occupies (at least 1, so decoding always advances)."""
    lead, op = data[i], _at(data, i + 1)
    if lead == ESC:
        return _esc_length(data, i, chr(op))
    if lead == GS:
        return _gs_length(data, i, chr(op))
    if lead == FS:
        return 2 if chr(op) in ".&" else 3
    return 5 if op == 0x14 else 3  # DLE DC4 n m t (real-time pulse), else DLE EOT n / DLE ENQ n


def _esc_length(data: bytes, i: int, op: str) -> int:
    if op in "@2<":  # init, default line spacing, return home
        return 2
    if op == "p":  # drawer kick: ESC p m t1 t2
        return 5
    if op in "$\\c":  # ESC $ nL nH, ESC \ nL nH, ESC c x n
        return 4
    if op == "B":  # buzzer: ESC B n t
        return 4
    if op == "*":  # column image: ESC * m nL nH d1..dk
        columns = _u16(data, i + 3)
        return 5 + columns * (3 if _at(data, i + 2) in (32, 33) else 1)
    if op == "D":  # tab stops, NUL-terminated
        end = data.find(b"\x00", i + 2)
        return (end - i + 1) if end >= 0 else len(data) - i
    if op == "(":  # ESC ( x pL pH data
        return 5 + _u16(data, i + 3)
    return 3


def _gs_length(data: bytes, i: int, op: str) -> int:
    if op == "(":  # GS ( k / GS ( L ...: GS ( x pL pH data  (QR codes, graphics)
        return 5 + _u16(data, i + 3)
    if op == "8":  # GS 8 L p1 p2 p3 p4 data  (large graphics)
        size = int.from_bytes(data[i + 3 : i + 7], "little")
        return 7 + size
    if op == "v":  # raster image: GS v 0 m xL xH yL yH data
        return 8 + _u16(data, i + 4) * _u16(data, i + 6)
    if op == "V":  # cut: GS V m, or GS V m n for the "feed and cut" variants
        return 4 if _at(data, i + 2) in (65, 66, 97, 98, 103, 104) else 3
    if op == "k":  # barcode: GS k m d1..dk NUL (m <= 6) or GS k m n d1..dn
        kind = _at(data, i + 2)
        if kind <= 6:
            end = data.find(b"\x00", i + 3)
            return (end - i + 1) if end >= 0 else len(data) - i
        return 4 + _at(data, i + 3)
    if op == "*":  # downloaded image: GS * x y data
        return 4 + _at(data, i + 2) * _at(data, i + 3) * 8
    if op in "PLW":  # GS P x y, GS L nL nH, GS W nL nH
        return 4
    return 3


def qr_payloads(data: bytes) -> list[str]:
    """The text of every native QR code in an ESC/POS stream (``GS ( k`` cn=49 fn=80 m=48: "store the data"), in
    print order.  What a scanner would read off the slip, taken from the bytes themselves."""
    found: list[str] = []
    i, n = 0, len(data)
    while i < n:
        b = data[i]
        if b in (ESC, GS, FS, DLE):
            length = _command_length(data, i)
            if b == GS and data[i + 1 : i + 3] == b"(k" and data[i + 5 : i + 8] == b"1P0":
                found.append(data[i + 8 : i + length].decode("utf-8", errors="replace"))
            i += length
        else:
            i += 1
    return found
