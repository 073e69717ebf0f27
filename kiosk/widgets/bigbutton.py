"""BigButton: a coloured, rounded touch target with an optional icon beside (or above) its words."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.metrics import dp, sp
from kivy.properties import (
    AliasProperty,
    BooleanProperty,
    ColorProperty,
    NumericProperty,
    OptionProperty,
    StringProperty,
)
from kivy.uix.anchorlayout import AnchorLayout
from kivy.uix.behaviors import ButtonBehavior

from kiosk.widgets import theme
from kiosk.widgets.measure import text_width


class BigButton(ButtonBehavior, AnchorLayout):
    text = StringProperty("")
    subtext = StringProperty("")  # optional second, smaller line
    icon = StringProperty("")  # path to a white PNG, tinted like the text
    colour = ColorProperty(theme.BUY)
    text_colour = ColorProperty(theme.ON_COLOUR)
    font_size = NumericProperty(theme.FONT_BODY)
    icon_size = NumericProperty(48)
    layout = OptionProperty("row", options=("row", "column"))  # icon beside or above the words
    outlined = BooleanProperty(False)  # white face, coloured border and text: a quieter button

    def _natural_width(self) -> float:
        words = max(text_width(self.text, sp(self.font_size), True), text_width(self.subtext, sp(self.font_size * 0.6)))
        beside = dp(self.icon_size) + dp(14) if self.icon and self.layout == "row" else 0
        return float(words + beside + self.padding[0] + self.padding[2])

    # The width that shows the words on one line (with the icon beside them): `width: max(dp(150),
    # self.natural_width)` keeps a button's word whole in every language ("Før" is "Earlier" in English).
    natural_width = AliasProperty(
        _natural_width, bind=("text", "subtext", "font_size", "icon", "icon_size", "layout", "padding"), cache=True
    )


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
