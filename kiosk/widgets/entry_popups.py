"""Popups for staff forms: a line of text on the Danish keyboard, an amount on the numpad (typed like a card
terminal: 1 2 5 0 is 12,50 kr.), and a picture chosen from a USB stick.  Each fires `on_accept(value)` after it
has closed; none closes on a tap beside it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kivy.lang import Builder
from kivy.properties import NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.modalview import ModalView

import kiosk.widgets.dialog  # ModalCard
import kiosk.widgets.even_grid  # the tile grids below keep their columns' width
import kiosk.widgets.keyboard
import kiosk.widgets.numpad  # noqa: F401
from kiosk.domain.money import format_dkk


class _Popup(ModalView):
    title = StringProperty("")

    __events__ = ("on_accept",)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("auto_dismiss", False)
        super().__init__(**kwargs)

    def accept(self, value: Any) -> None:
        self.dismiss(animation=False)
        self.dispatch("on_accept", value)

    def on_accept(self, value: Any) -> None:
        pass


class TextEntryPopup(_Popup):
    """A name (of a product, a category, a person) on the on-screen keyboard; the keyboard's Enter saves."""

    def __init__(self, text: str = "", max_length: int = 60, capitals: str = "words", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.ids.field.text = text
        self.ids.field.max_length = max_length
        self.ids.field.capitals = capitals  # "first" for a product or a category: "Kaffe, kop"
        self.ids.keyboard.target = self.ids.field

    def submit(self) -> None:
        text = " ".join(self.ids.field.text.split())
        if text:
            self.accept(text)


class AmountPopup(_Popup):
    """A price in øre, typed digit by digit from the right (always from 0,00: a new price is typed whole)."""

    ore = NumericProperty(0)
    shown = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.ids.numpad.max_length = 7
        self.ids.numpad.bind(value=self._typed)
        self._typed(None, "")

    def _typed(self, _numpad: Any, digits: str) -> None:
        self.ore = int(digits) if digits else 0
        self.shown = format_dkk(self.ore)

    def submit(self) -> None:
        self.accept(self.ore)


class ImageChoice(ButtonBehavior, BoxLayout):
    source = StringProperty("")
    name = StringProperty("")


class ImagePickerPopup(_Popup):
    """The pictures found on the USB sticks, as thumbnails: tap one to use it."""

    def __init__(self, images: Sequence[Path], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        grid = self.ids.images
        for path in images:
            choice = ImageChoice(source=str(path), name=path.name)
            choice.path = path
            choice.bind(on_release=lambda c: self.accept(c.path))
            grid.add_widget(choice)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
