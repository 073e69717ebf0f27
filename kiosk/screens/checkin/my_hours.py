""" "Mine timer": a worker's own hours for this week or month, day by day, after a badge scan or PIN."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from kivy.lang import Builder
from kivy.properties import ListProperty, ObjectProperty, OptionProperty, StringProperty

import kiosk.widgets.bigbutton
import kiosk.widgets.header  # noqa: F401
from kiosk.domain import shift_text as txt
from kiosk.i18n import _
from kiosk.screens.base import KioskScreen
from kiosk.services.checkin import HoursOverview
from kiosk.widgets.explained import explained

log = logging.getLogger(__name__)


class MyHoursScreen(KioskScreen):
    person_id = ObjectProperty(None, allownone=True)  # uuid.UUID of the worker
    person_name = StringProperty("")
    period = OptionProperty("week", options=("week", "month"))
    title = StringProperty("")
    total = StringProperty("")
    rows = ListProperty([])  # dicts for the RecycleView

    def refresh(self) -> None:
        if self.person_id is None:
            self.rows, self.title, self.total = [], "", ""
            return
        with explained(self.shell, what="my hours"):
            self._show(self.services.checkin.my_hours(self.person_id, self.period))

    def _show(self, hours: HoursOverview) -> None:
        self.title = hours.title
        total = _("I alt {hours}").format(hours=hours.total_text)
        if hours.pending_minutes:
            total += "  ·  " + _("{hours} venter på en leder").format(hours=txt.duration_text(hours.pending_minutes))
        self.total = total
        self.rows = [
            {
                "day": line.day_text,
                "span": f"{line.first_in_text}–{line.last_out_text}" if line.last_out_text else line.first_in_text,
                "duration": line.duration_text,
                "notes": line.notes,
            }
            for line in hours.days
        ]

    def show_period(self, period: str) -> None:
        self.period = period
        self.refresh()

    def on_leave(self, *args: Any) -> None:
        self.period = "week"  # the next worker starts with their own week


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
