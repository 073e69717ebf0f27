"""BigButton: a coloured, rounded touch target with an optional icon beside (or above) its words."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import BooleanProperty, ColorProperty, NumericProperty, OptionProperty, StringProperty
from kivy.uix.anchorlayout import AnchorLayout
from kivy.uix.behaviors import ButtonBehavior

from kiosk.widgets import theme


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


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
