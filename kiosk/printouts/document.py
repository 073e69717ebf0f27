"""A printer-neutral slip: lines, rules, QR codes.  Printers render it to bytes; the demo preview to text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class Line:
    text: str
    bold: bool = False
    align: Align = "left"
    large: bool = False  # double width and height: headings, totals


@dataclass(frozen=True)
class Rule:
    char: str = "-"


@dataclass(frozen=True)
class QR:
    data: str
    size: int = 6  # module size in dots (1-16)


@dataclass(frozen=True)
class Feed:
    lines: int = 1


Element = Line | Rule | QR | Feed


@dataclass(frozen=True)
class Document:
    elements: tuple[Element, ...] = field(default_factory=tuple)
    cut: bool = True
    title: str = ""  # what the preview calls it, e.g. "Kvittering nr. 12"

    def as_text(self, columns: int) -> str:
        """Plain-text rendering, the same layout the paper gets (QR codes shown as a marker)."""
        out: list[str] = []
        for el in self.elements:
            if isinstance(el, Line):
                width = columns // 2 if el.large else columns
                text = el.text[:width]
                if el.align == "center":
                    text = text.center(width).rstrip()
                elif el.align == "right":
                    text = text.rjust(width)
                out.append(text)
            elif isinstance(el, Rule):
                out.append(el.char * columns)
            elif isinstance(el, QR):
                out.append(f"[QR: {el.data}]".center(columns).rstrip())
            else:
                out.extend([""] * el.lines)
        if self.cut:
            out.append("- - - - - - - - klip - - - - - - - -".center(columns).rstrip())
        return "\n".join(out)


def two_columns(left: str, right: str, columns: int) -> str:
    """`left` and `right` on one line, right-aligned; long left text is shortened, never the amount."""
    room = columns - len(right) - 1
    if room < 1:
        return f"{left}\n{right.rjust(columns)}"
    if len(left) > room:
        left = left[: max(room - 1, 0)] + "…" if room > 1 else left[:room]
    return left.ljust(room) + " " + right
