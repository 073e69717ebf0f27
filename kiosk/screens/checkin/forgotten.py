""" "Hvornår gik du hjem?": a forgotten check-out, asked kindly with big choices and no keyboard.

The answer is stored as self-reported and flagged for a supervisor (the service does that); then the worker
sees the usual confirmation.  `TimeSteppers` (hour and minute with big - / + buttons) is reused by shift_review.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

from kivy.lang import Builder
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

import kiosk.widgets.bigbutton
import kiosk.widgets.header  # noqa: F401
from kiosk.clock import to_local
from kiosk.errors import KioskError
from kiosk.i18n import _, shown
from kiosk.screens.base import KioskScreen
from kiosk.services.checkin import Choice

log = logging.getLogger(__name__)

MINUTE_STEP = 5


class TimeSteppers(BoxLayout):
    """Hour and minute, each with a big minus and plus: no keyboard needed."""

    hour = NumericProperty(17)
    minute = NumericProperty(0)

    def step_hour(self, delta: int) -> None:
        self.hour = (self.hour + delta) % 24

    def step_minute(self, delta: int) -> None:
        total = (self.hour * 60 + self.minute + delta) % (24 * 60)
        self.hour, self.minute = divmod(total, 60)

    def set_time(self, value: dt.time) -> None:
        self.hour, self.minute = value.hour, value.minute - value.minute % MINUTE_STEP

    @property
    def time(self) -> dt.time:
        return dt.time(int(self.hour), int(self.minute))


class ForgottenScreen(KioskScreen):
    result = ObjectProperty(None, allownone=True)  # the CheckInResult whose `forgotten` is asked about
    context = StringProperty("")
    closing_text = StringProperty("")
    choosing = BooleanProperty(False)
    hint = StringProperty("")

    def on_kv_post(self, base_widget: Any) -> None:
        super().on_kv_post(base_widget)
        ids = self.ids  # weak proxies: keep the real widgets, one of them is out of the tree at any time
        self._parts = tuple(ids[k].__self__ for k in ("body", "choices", "time_panel", "steppers"))
        self._swap()

    def on_choosing(self, *_args: Any) -> None:
        self._swap()

    def _swap(self) -> None:
        """Only one of the choice row and the time steppers is in the layout (a hidden widget would still
        catch the taps meant for the other)."""
        body, choices, panel, _steppers = self._parts
        shown, hidden = (panel, choices) if self.choosing else (choices, panel)
        if hidden.parent is not None:
            index = body.children.index(hidden)
            body.remove_widget(hidden)
            if shown.parent is None:
                body.add_widget(shown, index=index)

    def refresh(self) -> None:
        self.choosing = False
        self.hint = ""
        question = self.result.forgotten if self.result is not None else None
        if question is None:
            self.context = self.closing_text = ""
            return
        self.context = _(question.context_text)
        self.closing_text = shown(question.closing_choice_text or "")
        start = to_local(question.closing_at or question.checked_in_at + dt.timedelta(hours=1))
        self._parts[3].set_time(start.time())

    def choose_time(self) -> None:
        self.choosing = True
        self.hint = ""

    def answer(self, choice: Choice) -> None:
        if self.result is None or self.result.forgotten is None:
            self.shell.go_home()
            return
        when = self._parts[3].time if choice == "time" else None
        try:
            answer = self.services.checkin.answer_forgotten(self.result.forgotten.shift_id, choice, when)
        except KioskError as exc:
            log.info("forgotten answer refused: %s", exc)
            self.hint = _(exc.user_message)
            return
        from kiosk.screens.checkin.checkin import show_result

        note = _(answer.message)
        if self.result.status == "needs_answer":  # nothing new was stored: the old day is settled now
            note += " " + _("Skal du møde ind nu, så scan dit kort igen.")
        show_result(self.shell, self.result, note=note)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
