"""CartRow: one line of the cart: name, "2 × 15,00", the line total, and big −, + and remove buttons."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

import kiosk.widgets.bigbutton
import kiosk.widgets.header  # noqa: F401  (BigButton's and Caption's kv rules first)


class CartRow(BoxLayout):
    name = StringProperty("")
    detail = StringProperty("")  # "2 × 15,00"
    total = StringProperty("")  # "30,00 kr."
    highlight = BooleanProperty(False)  # the line the last tap or scan changed

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # A plain attribute, not a Kivy property: properties compare with ==, and a new cart's line can equal
        # the old one's (same product, same count), which would leave the row holding a stale line.
        self.line: Any = None

    __events__ = ("on_minus", "on_plus", "on_remove")

    def on_minus(self) -> None:
        pass

    def on_plus(self) -> None:
        pass

    def on_remove(self) -> None:
        pass


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
