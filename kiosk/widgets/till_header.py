"""TillHeader: the till screens' top bar: a back button, the title, and who sells with a "Log ud" button."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty

from kiosk.widgets.header import HeaderBar


class TillHeader(HeaderBar):
    title = StringProperty("")
    back_text = StringProperty("")
    can_go_back = BooleanProperty(True)  # False while a finished sale is on screen: "Nyt køb" leads on
    can_log_out = BooleanProperty(True)  # False while paying: finish or go back to the cart first
    seller = ObjectProperty(None, allownone=True)  # follows App.counter.seller (kv)

    __events__ = ("on_back", "on_log_out")

    def on_back(self) -> None:
        pass

    def on_log_out(self) -> None:
        pass


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
