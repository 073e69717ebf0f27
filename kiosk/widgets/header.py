"""ScreenHeader: the big "Tilbage" button and the screen's title, at the top of every screen but home."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import StringProperty
from kivy.uix.boxlayout import BoxLayout

import kiosk.widgets.bigbutton  # noqa: F401  (BigButton's kv rule first)


class ScreenHeader(BoxLayout):
    title = StringProperty("")
    back_to = StringProperty("home")  # where "Tilbage" goes (staff screens: back to the staff menu)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
