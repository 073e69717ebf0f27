"""Colours and sizes shared by every screen (kv: ``#:import theme kiosk.widgets.theme``).  No Kivy import.

Calm and high contrast: a very light background, dark text, strong buttons with white text (each at least
4.5:1 against white).  Sizes are dp/sp at the Pi's 1280x800 10.1" panel (~150 ppi): 72 px is 12 mm.
"""

from __future__ import annotations


def rgba(hex_colour: str, alpha: float = 1.0) -> tuple[float, float, float, float]:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return (r, g, b, alpha)


BACKGROUND = rgba("#F4F3EF")
SURFACE = rgba("#FFFFFF")
TEXT = rgba("#1A1A1A")
TEXT_MUTED = rgba("#4A4A4A")
BORDER = rgba("#C9C6BD")
ON_COLOUR = rgba("#FFFFFF")

BUY = rgba("#1B5E20")  # green
CHECKIN = rgba("#0D47A1")  # blue
JOBS = rgba("#A33A00")  # deep orange
STAFF = rgba("#37474F")  # slate
BACK = rgba("#37474F")
OK = rgba("#1B5E20")
ERROR = rgba("#B71C1C")
INFO = rgba("#263238")
DEMO = rgba("#B71C1C")

PERSON_COLOURS = tuple(rgba(c) for c in ("#0D47A1", "#1B5E20", "#4A148C", "#A33A00", "#006064", "#37474F"))

MIN_TOUCH = 72  # px at 1280x800: 12 mm
RADIUS = 16
PAD = 24

FONT_BODY = 26
FONT_SMALL = 24
FONT_TITLE = 40
FONT_HUGE = 46
FONT_MONO = "RobotoMono-Regular"


def darker(colour: tuple[float, float, float, float], factor: float = 0.75) -> tuple[float, float, float, float]:
    """The pressed look of a coloured button."""
    r, g, b, a = colour
    return (r * factor, g * factor, b * factor, a)
