"""Småjobs: "Ledige småjobs" as big cards (title, date, time, place, free places).  Sign-up comes later."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

import kiosk.widgets.header  # noqa: F401  (kv rules of the widgets used below)
from kiosk.i18n import _, format_day, format_time_range, n_
from kiosk.screens.base import KioskScreen
from kiosk.services.jobs import JobView


class JobCard(BoxLayout):
    title = StringProperty("")
    day = StringProperty("")
    hours = StringProperty("")
    place = StringProperty("")
    places = StringProperty("")
    free = NumericProperty(0)


def job_card(job: JobView) -> JobCard:
    places = n_("1 ledig plads", "{n} ledige pladser", job.free) if job.free else _("Fuldt – venteliste")
    return JobCard(
        title=job.title,
        day=format_day(job.starts_at),
        hours=format_time_range(job.starts_at, job.ends_at),
        place=job.place,
        places=places,
        free=job.free,
    )


class JobsScreen(KioskScreen):
    def refresh(self) -> None:
        grid = self.ids.jobs
        grid.clear_widgets()
        jobs = self.services.jobs.upcoming(self.services.clock())
        for job in jobs:
            grid.add_widget(job_card(job))
        self.ids.empty.opacity = 0 if jobs else 1


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
