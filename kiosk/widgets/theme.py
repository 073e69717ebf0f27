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
# Segments per rounded corner of an outline (kv `Line: rounded_rectangle: (..., theme.ARC_STEPS)`, with `joint:
# "miter"`): Kivy's default is 45 a corner with a round joint of 10 triangles at each, ~2,000 triangles an outline
# for a 16 px corner; where the CPU draws (llvmpipe) every one of them is set up and binned each frame, and the home
# screen's five buttons alone held ~4 MiB for it.  Twelve steps of 7.5° draw the same corner to the pixel.
ARC_STEPS = 12
PAD = 24
LINE = 2  # the line under a header bar
BUTTON_HEIGHT = 84  # a row of buttons (or a field that lines up with one): 14 mm
HEADER_HEIGHT = 112  # every header bar (and the rows that line up with it)
HOURS_ROW_TOP = 64  # a day's line in Mine timer: day, times, hours (its notes go below, as tall as they need)

# Spacing and padding (dp) on a 4-dp grid: SPACE_n is n x 4 dp.  Half steps (10, 14, 18 ...) are nudges, left as
# numbers where they stand.
SPACE_1 = 4
SPACE_2 = 8
SPACE_3 = 12
SPACE_4 = 16
SPACE_5 = 20
SPACE_6 = 24
SPACE_7 = 28
SPACE_8 = 32
SPACE_9 = 36
SPACE_10 = 40
SPACE_12 = 48
SPACE_16 = 64

# Type sizes (sp), smallest to largest.  A size used once stays a number where it is used.
FONT_NOTE = 20  # a remark under a row
FONT_DETAIL = 22
FONT_SMALL = 24
FONT_BODY = 26
FONT_LARGE = 28
FONT_BUTTON = 30  # most buttons' words
FONT_LEAD = 32
FONT_ANSWER = 34  # the answers of a question (Ja / Nej)
FONT_HEADING = 36
FONT_TITLE = 40
FONT_BIG = 44
FONT_HUGE = 46
FONT_DISPLAY = 48
FONT_GIANT = 64
FONT_MONO = "RobotoMono-Regular"

# Icon sizes on buttons (dp)
ICON_S = 32
ICON_M = 36
ICON_L = 40
ICON_XL = 48

# How long a toast stays, in seconds: longer the more there is to read or do.
TOAST_GLANCE = 3  # "Hej, Anna!", a product added: seen while the hand moves on
TOAST_SHORT = 4  # the default: one short sentence
TOAST_MEDIUM = 5  # a sentence that says what happens next
TOAST_LONG = 6  # a refusal: read it, then try again
TOAST_READ = 8  # a problem with something to check (printer, paper, a field)
TOAST_LONGEST = 10  # a file name to note down
TOAST_STAYS = 600  # the kiosk cannot store anything: said until someone comes (the next message replaces it)


def darker(colour: tuple[float, float, float, float], factor: float = 0.75) -> tuple[float, float, float, float]:
    """The pressed look of a coloured button."""
    r, g, b, a = colour
    return (r * factor, g * factor, b * factor, a)
