"""The confirmation after a badge scan or a PIN: a big friendly line, a green check, a few encouraging words,
"Mine timer", and back to home by itself after a few seconds.  A refused scan shows its calm message here too."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.animation import Animation
from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import (
    BooleanProperty,
    ColorProperty,
    ListProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)

import kiosk.widgets.bigbutton  # noqa: F401  (kv rules of the widgets used below)
from kiosk.i18n import _, shown
from kiosk.screens.base import KioskScreen
from kiosk.widgets import theme

BACK_HOME_S = 6.0


class CheckinDoneScreen(KioskScreen):
    result = ObjectProperty(None, allownone=True)  # a CheckInResult, or None when `problem` is set
    note = StringProperty("")  # e.g. the answer to "Hvornår gik du hjem?"
    problem = StringProperty("")  # a refused scan's user_message

    headline = StringProperty("")
    lines = ListProperty([])
    colour = ColorProperty(theme.OK)
    is_problem = BooleanProperty(False)
    pop = NumericProperty(1.0)  # the check grows in: 0.6 -> 1

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._home_event: Any = None

    def refresh(self) -> None:
        self.is_problem = bool(self.problem) or self.result is None
        if self.is_problem:
            self.headline = shown(self.problem) or _("Det gik ikke. Prøv igen.")
            self.lines = []
            self.colour = theme.JOBS
            return
        r = self.result
        self.headline = shown(r.message)  # the service's Texts, said in the kiosk's language
        lines = [shown(self.note)] if self.note else []
        if r.status == "already_in":
            lines.append(_("Du kan bare gå i gang."))
        elif r.status == "already_out":
            lines.append(_("Vi ses næste gang."))
        else:
            lines += [shown(line) for line in r.lines]
        if r.flagged:
            lines.append(_("Det var en lang dag – en leder kigger lige på tiden."))
        self.lines = lines
        self.colour = theme.OK if r.status in ("checked_in", "checked_out") else theme.CHECKIN

    def on_enter(self, *args: Any) -> None:
        self.pop = 0.6
        Animation(pop=1.0, d=0.35, t="out_back").start(self)
        self._schedule_home()

    def on_leave(self, *args: Any) -> None:
        if self._home_event is not None:
            self._home_event.cancel()
            self._home_event = None

    def on_result(self, *_args: Any) -> None:
        if self.manager is not None and self.manager.current == self.name:
            self._schedule_home()  # a second scan while showing: a fresh few seconds

    def _schedule_home(self) -> None:
        if self._home_event is not None:
            self._home_event.cancel()
        self._home_event = Clock.schedule_once(self._go_home, BACK_HOME_S)

    def _go_home(self, _dt: float) -> None:
        self._home_event = None
        if self.is_shown():
            self.shell.go_home()

    def open_my_hours(self) -> None:
        if self.result is not None:
            self.shell.go("my_hours", person_id=self.result.person_id, person_name=self.result.name)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
