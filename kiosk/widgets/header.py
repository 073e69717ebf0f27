"""The top of every screen but home, and the labels the screens share (header.kv):

- HeaderBar: the white bar with a line below it; every header is one (ScreenHeader, TillHeader, Kom i gang's,
  the Kasse and Retur bars).  HeaderBack and HeaderTitle are its big "Tilbage" button and its title.
- ScreenHeader: HeaderBar + "Tilbage" to `back_to` + the screen's title.
- Caption (a muted line of small text beside or under something) and SectionTitle (a bold line that names a row
  or a group), so that they look the same wherever they stand.
"""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import ColorProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

import kiosk.widgets.bigbutton  # noqa: F401  (BigButton's kv rule first)
from kiosk.widgets import theme


class HeaderBar(BoxLayout):
    line_colour = ColorProperty(theme.BORDER)  # the line below: red on Retur (money goes out)
    line_width = NumericProperty(theme.LINE)  # dp


class ScreenHeader(HeaderBar):
    title = StringProperty("")
    back_to = StringProperty("home")  # where "Tilbage" goes (staff screens: back to the staff menu)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
