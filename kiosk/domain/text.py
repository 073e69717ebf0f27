"""Text a person typed or a file brought in: the one check every text field and import uses, and the one way a
message repeats what it was given.

- ``text_problem`` / ``check_text``: control characters (NUL, ESC, the C0 and C1 ranges; a tab or a line break only
  where a field may hold several lines) and the bidi characters that reverse or isolate the writing direction
  (U+202A–U+202E, U+2066–U+2069) are refused.  Stored, a NUL cuts a receipt line short on the printer, an ESC
  starts a printer command, and a right-to-left override makes "Kaffe 15 kr." read backwards on paper and screen.
- ``shorten``: a message that echoes input ("stregkoden '…' er ugyldig") shows at most `limit` characters and
  ends in "…", so a 10 kB cell does not become a 10 kB error message.

Pure: no Kivy, no database."""

from __future__ import annotations

import unicodedata

from kiosk.errors import DomainError
from kiosk.i18n import _

ELLIPSIS = "…"
ECHO_LIMIT = 60  # characters of a person's input a message repeats
BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
LINE_BREAKS = frozenset("\t\n\r")  # allowed where a field may hold several lines (a job's description)


def shorten(text: str, limit: int = ECHO_LIMIT) -> str:
    """`text` as a message may repeat it: at most `limit` characters, cut with "…", and what cannot be shown
    (control characters, line breaks) as its code point, so a message never carries a NUL or an ESC itself."""
    shown = "".join(_visible(c) for c in text[: limit + 1])
    return shown if len(shown) <= limit and len(text) <= limit else shown[: max(limit - 1, 0)] + ELLIPSIS


def _visible(c: str) -> str:
    return f"U+{ord(c):04X}" if c in BIDI_CONTROLS or unicodedata.category(c) == "Cc" else c


def bad_character(text: str, *, multiline: bool = False) -> str | None:
    """The first character the kiosk refuses to store, or None."""
    for c in text:
        if c in BIDI_CONTROLS:
            return c
        if unicodedata.category(c) == "Cc" and not (multiline and c in LINE_BREAKS):
            return c
    return None


def text_problem(text: str, *, multiline: bool = False) -> str | None:
    """What is wrong with `text`, in the person's language, or None when it can be stored."""
    c = bad_character(text, multiline=multiline)
    if c is None:
        return None
    if c in BIDI_CONTROLS:
        said = _("Teksten har et tegn, der vender skriveretningen ({code}). Skriv teksten igen uden det.")
    else:
        said = _("Teksten har et usynligt styretegn ({code}). Skriv teksten igen uden det.")
    return said.format(code=f"U+{ord(c):04X}")


class TextRefused(DomainError):
    """A text field holds a character the kiosk does not store."""


def check_text(text: str, *, multiline: bool = False) -> str:
    """`text` unchanged, or TextRefused naming the character."""
    problem = text_problem(text, multiline=multiline)
    if problem is not None:
        raise TextRefused(f"refused character in {shorten(text)!r}", user_message=problem)
    return text
