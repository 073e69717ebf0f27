"""ReceiptPreview: in demo mode, shows what the simulated printer would have printed, in a monospace font."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import NumericProperty, StringProperty
from kivy.uix.modalview import ModalView

import kiosk.widgets.bigbutton  # noqa: F401  (BigButton's kv rule first)


class ReceiptPreview(ModalView):
    title = StringProperty("")
    receipt = StringProperty("")
    columns = NumericProperty(48)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
