"""Tiles for grids: a product (colour, name, Danish price) and a person (initials in a circle, first name)."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import ColorProperty, ObjectProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout

from kiosk.widgets import theme


class ProductTile(ButtonBehavior, BoxLayout):
    name = StringProperty("")
    price = StringProperty("")  # already formatted: "15,00 kr."
    colour = ColorProperty(theme.BUY)
    image = StringProperty("")  # a photo file: shown above the name, the colour stays as the band below it
    product = ObjectProperty(None, allownone=True)


class PersonTile(ButtonBehavior, BoxLayout):
    initials = StringProperty("")
    name = StringProperty("")
    colour = ColorProperty(theme.CHECKIN)
    person = ObjectProperty(None, allownone=True)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
