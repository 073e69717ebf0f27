"""QrImage: a QR code drawn straight from qrcode's module matrix into a Kivy texture (crisp, no PNG step)."""

from __future__ import annotations

from typing import Any

import qrcode
from kivy.graphics.texture import Texture
from kivy.properties import StringProperty
from kivy.uix.image import Image


def qr_texture(data: str, border: int = 2) -> Texture:
    """One texel per module, black on white; scale it up with `mag_filter = "nearest"`."""
    code = qrcode.QRCode(border=border, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    black, white = b"\x00\x00\x00\xff", b"\xff\xff\xff\xff"  # RGBA: 4 bytes a texel, rows always aligned
    rows = (b"".join(black if dark else white for dark in row) for row in reversed(matrix))  # GL: bottom-left
    texture = Texture.create(size=(size, size), colorfmt="rgba")
    texture.blit_buffer(b"".join(rows), colorfmt="rgba", bufferfmt="ubyte")
    texture.mag_filter = "nearest"
    texture.min_filter = "nearest"
    return texture


class QrImage(Image):
    data = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("fit_mode", "contain")
        super().__init__(**kwargs)

    def on_data(self, _instance: Any, value: str) -> None:
        self.texture = qr_texture(value) if value else None
