"""Småjobs: "Ledige småjobs" as big cards (title, date, time, place, free places); tap one (or scan its QR
anywhere) for the job's own screen: "Tilmeld" (or "Venteliste" when full), or scan your card to sign up at once."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import NumericProperty, ObjectProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout

import kiosk.widgets.bigbutton
import kiosk.widgets.even_grid  # the tile grids below keep their columns' width
import kiosk.widgets.header  # noqa: F401  (kv rules of the widgets used below)
from kiosk.i18n import _, format_day, format_time_range, format_weekday_date, n_
from kiosk.screens.base import KioskScreen
from kiosk.services.jobs import JobView
from kiosk.widgets import theme


def places_text(job: JobView) -> str:
    return n_("1 ledig plads", "{n} ledige pladser", job.free) if job.free else _("Fuldt – venteliste")


class JobCard(ButtonBehavior, BoxLayout):
    title = StringProperty("")
    day = StringProperty("")
    hours = StringProperty("")
    place = StringProperty("")
    places = StringProperty("")
    free = NumericProperty(0)
    job = ObjectProperty(None, allownone=True)


def job_card(job: JobView) -> JobCard:
    return JobCard(
        title=job.title,
        day=format_day(job.starts_at),
        hours=format_time_range(job.starts_at, job.ends_at),
        place=job.place,
        places=places_text(job),
        free=job.free,
        job=job,
    )


class JobsScreen(KioskScreen):
    def refresh(self) -> None:
        grid = self.ids.jobs
        grid.clear_widgets()
        jobs = self.services.jobs.upcoming(self.services.clock())
        for job in jobs:
            card = job_card(job)
            card.bind(on_release=lambda c: self.shell.go("job", job=c.job))
            grid.add_widget(card)
        self.ids.empty.opacity = 0 if jobs else 1


class JobScreen(KioskScreen):
    """One job, big: what, when, where, free places; "Tilmeld" / "Venteliste", or scan your card."""

    job: JobView | None = ObjectProperty(None, allownone=True)
    day = StringProperty("")
    hours = StringProperty("")
    places = StringProperty("")

    def refresh(self) -> None:
        if self.job is not None:
            self.job = self.services.jobs.get(self.job.id)  # free places as they are now
        self.shell.job = self.job  # a card scanned here (or on Tilmeld dig) signs up for it: the router asks the shell
        if self.job is None:
            return
        day = format_weekday_date(self.job.starts_at)
        self.day = day[:1].upper() + day[1:]  # not capitalize(): it made English "Tuesday 1 december 2026"
        self.hours = format_time_range(self.job.starts_at, self.job.ends_at)
        self.places = places_text(self.job)

    def sign_up(self) -> None:
        if self.job is not None:
            self.shell.go("job_signup", job=self.job)

    def cancel_hint(self) -> None:
        self.shell.show_toast(
            _("Scan din tilmeldingsseddel eller dit kort for at melde fra."), "info", theme.TOAST_LONG
        )


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
