""" "Mine timer": a worker's own hours for this week or month, day by day, after a badge scan or PIN."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

from kivy.core.text import Label as CoreLabel
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.metrics import dp, sp
from kivy.properties import BooleanProperty, ListProperty, ObjectProperty, OptionProperty, StringProperty

import kiosk.widgets.bigbutton
import kiosk.widgets.header  # noqa: F401
from kiosk.domain import shift_text as txt
from kiosk.i18n import _
from kiosk.screens.base import KioskScreen
from kiosk.services.checkin import HoursOverview
from kiosk.widgets import theme
from kiosk.widgets.explained import explained

log = logging.getLogger(__name__)


class MyHoursScreen(KioskScreen):
    _first: dt.date = dt.date.min
    _end: dt.date = dt.date.min

    person_id = ObjectProperty(None, allownone=True)  # uuid.UUID of the worker
    person_name = StringProperty("")
    period = OptionProperty("week", options=("week", "month"))
    title = StringProperty("")
    total = StringProperty("")
    rows = ListProperty([])  # dicts for the RecycleView
    day = ObjectProperty(None, allownone=True)  # a date inside the period shown; None: today's
    has_earlier = BooleanProperty(False)
    has_later = BooleanProperty(False)

    def refresh(self) -> None:
        if self.person_id is None:
            self.rows, self.title, self.total = [], "", ""
            return
        with explained(self.shell, what="my hours"):
            self._show(self.services.checkin.my_hours(self.person_id, self.period, day=self.day))

    def _show(self, hours: HoursOverview) -> None:
        # The service's words are Texts (days, times, durations, notes): said here in the kiosk's language.
        self.title = _(hours.title)
        total = _("I alt {hours}").format(hours=_(hours.total_text))
        if hours.pending_minutes:
            pending = _(txt.duration_text(hours.pending_minutes))
            total += "  ·  " + _("{hours} venter på en leder").format(hours=pending)
        self.total = total
        self.has_earlier, self.has_later = hours.has_earlier, hours.has_later
        self._first, self._end = hours.first, hours.end
        self.rows = [
            {
                "day": _(line.day_text),
                "span": _(line.first_in_text) + ("–" + _(line.last_out_text) if line.last_out_text else ""),
                "duration": _(line.duration_text),
                "notes": _(line.notes),
                "height": self._row_height(_(line.notes)),
            }
            for line in hours.days
        ]

    def _row_height(self, notes: str) -> float:
        """A day's line grows with its notes (RecycleView rows get their height from the data)."""
        base = dp(theme.HOURS_ROW_TOP + 2 * theme.SPACE_3)
        if not notes:
            return float(base)
        # The list spans the screen; before the first layout the screen may still have Kivy's default size.
        screen_width = self.width if self.width > dp(400) else Window.width
        width = screen_width - 4 * dp(theme.SPACE_6)
        label = CoreLabel(text=notes, font_size=sp(theme.FONT_DETAIL), text_size=(width, None))
        label.refresh()
        return float(base + label.texture.size[1])

    def on_size(self, *args: Any) -> None:
        if self.rows:  # the notes wrap differently at another width
            self.rows = [dict(row, height=self._row_height(row["notes"])) for row in self.rows]

    def show_period(self, period: str) -> None:
        self.period, self.day = period, None
        self.refresh()

    def step(self, direction: int) -> None:
        """One period back (-1) or forward (+1): the day before the period's first, or the period's end."""
        if direction < 0:
            self.day = self._first - dt.timedelta(days=1)
        else:
            self.day = self._end
        self.refresh()

    def on_leave(self, *args: Any) -> None:
        self.period, self.day = "week", None  # the next worker starts with their own week


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
