"""Numpad: big 0-9 keys, erase and OK, for PINs and amounts.  Fires `on_submit(value)` on OK."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import NumericProperty, StringProperty
from kivy.uix.gridlayout import GridLayout

from kiosk.widgets.bigbutton import BigButton


class NumKey(BigButton):
    pass


class Numpad(GridLayout):
    value = StringProperty("")
    max_length = NumericProperty(6)

    __events__ = ("on_submit",)

    def press(self, key: str) -> None:
        if key == "erase":
            self.value = self.value[:-1]
        elif key == "ok":
            self.dispatch("on_submit", self.value)
        elif len(self.value) < self.max_length:
            self.value += key

    def clear(self) -> None:
        self.value = ""

    def on_submit(self, value: str) -> None:
        pass


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
