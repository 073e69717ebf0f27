"""The app's root widget: the screens, and above them the Øvelse banner, the toast and (in demo mode) the DEMO
banner."""

from __future__ import annotations

from typing import Any

from kivy.uix.floatlayout import FloatLayout
from kivy.uix.screenmanager import NoTransition

from kiosk.widgets.lazy_screens import LazyScreenManager
from kiosk.widgets.toast import DemoBanner, Toast
from kiosk.widgets.training import TrainingBanner


class KioskRoot(FloatLayout):
    def __init__(self, *, demo: bool, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sm = LazyScreenManager(transition=NoTransition())
        self.add_widget(self.sm)
        if demo:
            self.add_widget(DemoBanner())
        self.add_widget(TrainingBanner())
        self.toast = Toast()
        self.add_widget(self.toast)
