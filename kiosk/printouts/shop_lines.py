"""The shop's name and address at the head of every slip that leaves the shop (badges, job slips, a resident's
confirmation and card), as the receipt has them: whoever finds a slip or a lost badge knows where it belongs."""

from __future__ import annotations

import textwrap

from kiosk.config import ShopSettings
from kiosk.printouts.document import Line, Rule

NARROW = 32  # the narrowest printer setting (58 mm paper): longer lines are wrapped here, never cut


def fold(text: str, width: int = NARROW) -> list[str]:
    """`text` in lines of at most `width`, broken after a comma where it can ("Østergårdsvej 7," /
    "2620 Albertslund"), else between words; a line that fits stays whole."""
    text = " ".join(text.split())
    if len(text) <= width:
        return [text] if text else []
    lines: list[str] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        if lines and len(f"{lines[-1]} {part},") <= width:
            lines[-1] = f"{lines[-1]} {part},"
        else:
            lines.extend(textwrap.wrap(f"{part},", width) or [f"{part},"])
    if lines:
        lines[-1] = lines[-1].removesuffix(",")  # the comma was only put back between parts
    return lines


def shop_head(shop: ShopSettings) -> tuple[Line | Rule, ...]:
    """Name (bold) and address, centred and folded for the narrowest paper, then a rule."""
    name = tuple(Line(line, bold=True, align="center") for line in textwrap.wrap(shop.name, NARROW))
    address = tuple(Line(line, align="center") for line in fold(shop.address))
    return (*name, *address, Rule())
