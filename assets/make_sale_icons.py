"""Draws the till's icons (Køb / Betal) in the same style as make_icons.py, into kiosk/assets/icons/.

Run from the repo root: ``python assets/make_sale_icons.py``.  The PNGs are committed; the kiosk never runs this.
"""

from __future__ import annotations

from collections.abc import Callable

from make_icons import CLEAR, W, _box, _s, write_icons
from PIL import ImageDraw


def trash(d: ImageDraw.ImageDraw) -> None:
    d.rounded_rectangle(_box(96, 16, 160, 56), radius=_s(10), outline=W, width=int(_s(14)))
    d.rounded_rectangle(_box(28, 48, 228, 76), radius=_s(8), fill=W)
    d.polygon([(_s(x), _s(y)) for x, y in ((48, 88), (208, 88), (192, 240), (64, 240))], fill=W)
    for x in (96, 128, 160):
        d.rounded_rectangle(_box(x - 7, 112, x + 7, 212), radius=_s(7), fill=CLEAR)


def plus(d: ImageDraw.ImageDraw) -> None:
    d.rounded_rectangle(_box(108, 28, 148, 228), radius=_s(12), fill=W)
    d.rounded_rectangle(_box(28, 108, 228, 148), radius=_s(12), fill=W)


def minus(d: ImageDraw.ImageDraw) -> None:
    d.rounded_rectangle(_box(28, 108, 228, 148), radius=_s(12), fill=W)


def cross(d: ImageDraw.ImageDraw) -> None:
    d.line([(_s(48), _s(48)), (_s(208), _s(208))], fill=W, width=int(_s(36)))
    d.line([(_s(208), _s(48)), (_s(48), _s(208))], fill=W, width=int(_s(36)))


def cash(d: ImageDraw.ImageDraw) -> None:
    d.rounded_rectangle(_box(12, 56, 244, 200), radius=_s(16), fill=W)
    d.rounded_rectangle(_box(32, 76, 224, 180), radius=_s(8), fill=CLEAR)
    d.ellipse(_box(96, 92, 160, 164), fill=W)
    d.ellipse(_box(44, 116, 68, 140), fill=W)
    d.ellipse(_box(188, 116, 212, 140), fill=W)


def card(d: ImageDraw.ImageDraw) -> None:
    d.rounded_rectangle(_box(12, 44, 244, 212), radius=_s(20), fill=W)
    d.rectangle(_box(12, 80, 244, 112), fill=CLEAR)
    d.rounded_rectangle(_box(36, 140, 92, 180), radius=_s(6), fill=CLEAR)
    d.rounded_rectangle(_box(120, 160, 216, 176), radius=_s(6), fill=CLEAR)


def phone(d: ImageDraw.ImageDraw) -> None:
    d.rounded_rectangle(_box(64, 12, 192, 244), radius=_s(24), fill=W)
    d.rounded_rectangle(_box(80, 40, 176, 196), radius=_s(6), fill=CLEAR)
    d.ellipse(_box(116, 206, 140, 230), fill=CLEAR)


def receipt(d: ImageDraw.ImageDraw) -> None:
    teeth = [(40 + i * 22, 236 if i % 2 == 0 else 216) for i in range(9)]
    d.polygon([(_s(40), _s(16)), (_s(216), _s(16)), *[(_s(x), _s(y)) for x, y in reversed(teeth)]], fill=W)
    for y in (56, 96, 136):
        d.rounded_rectangle(_box(72, y, 184, y + 16), radius=_s(6), fill=CLEAR)
    d.rounded_rectangle(_box(132, 170, 184, 186), radius=_s(6), fill=CLEAR)


def barcode(d: ImageDraw.ImageDraw) -> None:
    x = 24
    for width in (12, 6, 18, 6, 12, 24, 6, 12, 6, 18, 12, 6):
        d.rectangle(_box(x, 40, x + width, 216), fill=W)
        x += width + 8


def logout(d: ImageDraw.ImageDraw) -> None:
    d.line([(_s(120), _s(24)), (_s(28), _s(24)), (_s(28), _s(232)), (_s(120), _s(232))], fill=W, width=int(_s(20)))
    d.line([(_s(84), _s(128)), (_s(200), _s(128))], fill=W, width=int(_s(26)))
    d.polygon([(_s(244), _s(128)), (_s(176), _s(68)), (_s(176), _s(188))], fill=W)


def printer(d: ImageDraw.ImageDraw) -> None:
    d.rectangle(_box(64, 16, 192, 84), outline=W, width=int(_s(14)))
    d.rounded_rectangle(_box(16, 84, 240, 188), radius=_s(16), fill=W)
    d.rectangle(_box(64, 148, 192, 240), fill=CLEAR)
    d.rectangle(_box(64, 148, 192, 240), outline=W, width=int(_s(14)))
    d.ellipse(_box(196, 104, 216, 124), fill=CLEAR)


def badge(d: ImageDraw.ImageDraw) -> None:
    d.rounded_rectangle(_box(12, 40, 244, 216), radius=_s(20), fill=W)
    d.ellipse(_box(40, 76, 104, 140), fill=CLEAR)
    d.pieslice(_box(28, 136, 116, 224), 180, 360, fill=CLEAR)
    for y in (88, 124, 160):
        d.rounded_rectangle(_box(132, y, 220, y + 16), radius=_s(6), fill=CLEAR)
    d.rounded_rectangle(_box(100, 16, 156, 52), radius=_s(8), fill=W)
    d.rounded_rectangle(_box(112, 28, 144, 40), radius=_s(4), fill=CLEAR)


ICONS: dict[str, Callable[[ImageDraw.ImageDraw], None]] = {
    "trash": trash,
    "plus": plus,
    "minus": minus,
    "cross": cross,
    "cash": cash,
    "card": card,
    "phone": phone,
    "receipt": receipt,
    "barcode": barcode,
    "logout": logout,
    "printer": printer,
    "badge": badge,
}


def main() -> None:
    write_icons(ICONS)


if __name__ == "__main__":
    main()
