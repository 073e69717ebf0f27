"""TrainingBanner: while the till is in training mode (App.training), a bright "ØVELSE" tag and frame on
every screen, so nobody takes a practice sale for a real one.  A Label: taps pass through it."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.uix.label import Label

from kiosk.widgets.hidden import DrawsNothingHidden


class TrainingBanner(DrawsNothingHidden, Label):
    """Out of training mode it is hidden (opacity 0) and draws nothing (DrawsNothingHidden): not its frame round the
    whole window either."""


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
