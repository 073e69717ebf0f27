"""What a scanner sends, made into codes: frames from a byte stream (a serial scanner) and the code in a frame (AIM
prefix and edge junk removed; the keyboard wedge uses that too).  Pure logic, tested without a port."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable

log = logging.getLogger("kiosk.devices.scanner")  # garbage is the serial scanner's, as it always was in the log

TERMINATORS = re.compile(rb"[\r\n]")
AIM_PREFIX = re.compile(r"^\][A-Za-z][0-9A-Za-z]")  # ISO/IEC 15424: "]" + symbology + modifier, e.g. ]Q1 ]E0
_EDGE_JUNK = "".join(map(chr, range(0x20))) + "\x7f "  # control bytes and spaces around a frame


class FrameAssembler:
    """Bytes in, complete frames out.  A frame ends at CR, LF or CRLF; empty frames are never produced.

    Two kinds of junk are dropped and reported to `on_garbage` (a scanner powering up or a noisy cable sends
    bytes with no terminator; kept, they would be glued onto the front of the next real scan): a buffer
    longer than `max_length` without a terminator (and everything up to the next terminator), and a partial
    frame older than `stale_after_s` when new bytes arrive (a scanner sends one frame in one burst).
    """

    def __init__(
        self,
        max_length: int = 512,
        stale_after_s: float | None = 1.0,
        on_garbage: Callable[[bytes], None] | None = None,
    ) -> None:
        self.max_length = max_length
        self.stale_after_s = stale_after_s
        self.on_garbage = on_garbage
        self._buffer = bytearray()
        self._last_data = 0.0
        self._discarding = False  # inside an overlong frame: drop until its terminator

    def feed(self, data: bytes, now: float | None = None) -> list[bytes]:
        now = time.monotonic() if now is None else now
        if self.stale_after_s is not None and now - self._last_data > self.stale_after_s:
            if self._buffer:
                self._garbage(bytes(self._buffer))
                self._buffer.clear()
            self._discarding = False  # a pause ends an overlong junk run too: the next burst is a new frame
        self._last_data = now
        frames: list[bytes] = []
        pieces = TERMINATORS.split(data)
        for i, piece in enumerate(pieces):
            ended = i < len(pieces) - 1  # every piece but the last is followed by a terminator
            if not self._discarding:
                self._buffer += piece
                if len(self._buffer) > self.max_length:
                    self._garbage(bytes(self._buffer))
                    self._buffer.clear()
                    self._discarding = True
            elif piece:
                self._garbage(piece, quiet=True)
            if ended:
                if self._buffer:
                    frames.append(bytes(self._buffer))
                    self._buffer.clear()
                self._discarding = False
        return frames

    def _garbage(self, junk: bytes, *, quiet: bool = False) -> None:
        (log.debug if quiet else log.warning)("scanner sent %d bytes that form no frame: %r", len(junk), junk[:32])
        if self.on_garbage is not None:
            self.on_garbage(junk)


def strip_aim(code: str) -> str:
    """Remove an AIM symbology identifier: ``]Q1`` QR, ``]E0`` EAN-13, ``]C1`` GS1-128, ``]d2`` DataMatrix."""
    return AIM_PREFIX.sub("", code, count=1)


def decode_frame(raw: bytes) -> str:
    """The scanned text: UTF-8 (QR codes), else latin-1 (never fails); AIM prefix and edge junk removed."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return decode_text(text)


def decode_text(text: str) -> str:
    """The code in text already decoded: AIM prefix and edge junk removed."""
    return strip_aim(text.strip(_EDGE_JUNK)).strip(_EDGE_JUNK)
