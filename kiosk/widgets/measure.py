"""Text measuring for kv: lets a wrapping label shrink to short words instead of always filling its width."""

from __future__ import annotations

from functools import lru_cache

from kivy.core.text import Label as CoreLabel


@lru_cache(maxsize=512)
def text_width(text: str, font_size: float, bold: bool = False) -> float:
    """Natural width of `text` in px (its widest line)."""
    label = CoreLabel(font_size=font_size, bold=bold)
    return float(max((label.get_extents(line)[0] for line in text.split("\n")), default=0)) + 2
