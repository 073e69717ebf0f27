"""Draws the kiosk's icons (white on transparent, tinted in kv) into kiosk/assets/icons/.

Run from the repo root: ``python assets/make_icons.py``.  Drawn at 4x and scaled down for smooth edges.
The PNGs are committed, so the kiosk never runs this; edit and re-run to change an icon.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw

log = logging.getLogger(__name__)

OUT = Path(__file__).resolve().parents[1] / "kiosk" / "assets" / "icons"
SIZE = 256
SCALE = 4
W = (255, 255, 255, 255)
CLEAR = (0, 0, 0, 0)

Box = tuple[float, float, float, float]


def _s(v: float) -> float:
    return v * SCALE


def _box(x0: float, y0: float, x1: float, y1: float) -> Box:
    return (_s(x0), _s(y0), _s(x1), _s(y1))


def basket(d: ImageDraw.ImageDraw) -> None:
    d.arc(_box(68, 22, 188, 142), 180, 360, fill=W, width=int(_s(16)))
    d.rounded_rectangle(_box(20, 86, 236, 118), radius=_s(10), fill=W)
    d.polygon([(_s(x), _s(y)) for x, y in ((36, 118), (220, 118), (196, 228), (60, 228))], fill=W)
    for x in (88, 128, 168):
        d.rounded_rectangle(_box(x - 8, 136, x + 8, 208), radius=_s(8), fill=CLEAR)


def clock(d: ImageDraw.ImageDraw) -> None:
    d.ellipse(_box(20, 20, 236, 236), outline=W, width=int(_s(18)))
    d.line([(_s(128), _s(128)), (_s(128), _s(58))], fill=W, width=int(_s(18)))
    d.line([(_s(128), _s(128)), (_s(178), _s(158))], fill=W, width=int(_s(18)))
    d.ellipse(_box(114, 114, 142, 142), fill=W)
    for i in range(12):
        a = math.radians(i * 30)
        r0, r1 = (86, 100) if i % 3 else (80, 100)
        d.line(
            [
                (_s(128 + r0 * math.sin(a)), _s(128 - r0 * math.cos(a))),
                (_s(128 + r1 * math.sin(a)), _s(128 - r1 * math.cos(a))),
            ],
            fill=W,
            width=int(_s(8)),
        )


def toolbox(d: ImageDraw.ImageDraw) -> None:
    d.rounded_rectangle(_box(84, 36, 172, 92), radius=_s(16), outline=W, width=int(_s(16)))
    d.rounded_rectangle(_box(16, 76, 240, 228), radius=_s(20), fill=W)
    d.rectangle(_box(16, 134, 240, 146), fill=CLEAR)
    d.rounded_rectangle(_box(106, 120, 150, 162), radius=_s(8), fill=W)
    d.rounded_rectangle(_box(116, 130, 140, 152), radius=_s(4), fill=CLEAR)


def lock(d: ImageDraw.ImageDraw) -> None:
    d.arc(_box(66, 16, 190, 140), 180, 360, fill=W, width=int(_s(20)))
    d.rectangle(_box(66, 76, 86, 112), fill=W)
    d.rectangle(_box(170, 76, 190, 112), fill=W)
    d.rounded_rectangle(_box(36, 106, 220, 240), radius=_s(20), fill=W)
    d.ellipse(_box(112, 140, 144, 172), fill=CLEAR)
    d.rectangle(_box(121, 160, 135, 204), fill=CLEAR)


def back(d: ImageDraw.ImageDraw) -> None:
    d.line([(_s(60), _s(128)), (_s(224), _s(128))], fill=W, width=int(_s(30)))
    d.polygon([(_s(20), _s(128)), (_s(120), _s(40)), (_s(120), _s(216))], fill=W)


def calendar(d: ImageDraw.ImageDraw) -> None:
    d.rounded_rectangle(_box(24, 40, 232, 232), radius=_s(20), outline=W, width=int(_s(16)))
    d.rectangle(_box(24, 48, 232, 96), fill=W)
    for x in (76, 180):
        d.rounded_rectangle(_box(x - 10, 16, x + 10, 64), radius=_s(8), fill=W)
    for row in range(2):
        for col in range(3):
            x, y = 64 + col * 56, 124 + row * 52
            d.rounded_rectangle(_box(x, y, x + 32, y + 30), radius=_s(4), fill=W)


def pin(d: ImageDraw.ImageDraw) -> None:
    d.ellipse(_box(48, 16, 208, 176), fill=W)
    d.polygon([(_s(62), _s(130)), (_s(194), _s(130)), (_s(128), _s(244))], fill=W)
    d.ellipse(_box(98, 66, 158, 126), fill=CLEAR)


def language(d: ImageDraw.ImageDraw) -> None:
    d.ellipse(_box(20, 20, 236, 236), outline=W, width=int(_s(14)))
    d.ellipse(_box(80, 20, 176, 236), outline=W, width=int(_s(12)))
    d.line([(_s(128), _s(24)), (_s(128), _s(232))], fill=W, width=int(_s(12)))
    d.line([(_s(24), _s(128)), (_s(232), _s(128))], fill=W, width=int(_s(12)))
    d.line([(_s(44), _s(76)), (_s(212), _s(76))], fill=W, width=int(_s(10)))
    d.line([(_s(44), _s(180)), (_s(212), _s(180))], fill=W, width=int(_s(10)))


def erase(d: ImageDraw.ImageDraw) -> None:
    d.polygon([(_s(x), _s(y)) for x, y in ((16, 128), (84, 48), (236, 48), (236, 208), (84, 208))], fill=W)
    d.line([(_s(118), _s(90)), (_s(194), _s(166))], fill=CLEAR, width=int(_s(20)))
    d.line([(_s(194), _s(90)), (_s(118), _s(166))], fill=CLEAR, width=int(_s(20)))


def check(d: ImageDraw.ImageDraw) -> None:
    d.line([(_s(28), _s(136)), (_s(96), _s(204)), (_s(228), _s(60))], fill=W, width=int(_s(34)), joint="curve")


ICONS: dict[str, Callable[[ImageDraw.ImageDraw], None]] = {
    "basket": basket,
    "clock": clock,
    "toolbox": toolbox,
    "lock": lock,
    "back": back,
    "calendar": calendar,
    "pin": pin,
    "language": language,
    "erase": erase,
    "check": check,
}


def write_icons(icons: dict[str, Callable[[ImageDraw.ImageDraw], None]]) -> None:
    """Draw each icon SCALE times too big, then shrink it: smooth edges without anti-aliased drawing."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    OUT.mkdir(parents=True, exist_ok=True)
    for name, draw in icons.items():
        big = Image.new("RGBA", (SIZE * SCALE, SIZE * SCALE), CLEAR)
        draw(ImageDraw.Draw(big))
        big.resize((SIZE, SIZE), Image.Resampling.LANCZOS).save(OUT / f"{name}.png", optimize=True)
        log.info("wrote %s", OUT / f"{name}.png")


def main() -> None:
    write_icons(ICONS)


if __name__ == "__main__":
    main()
