"""After a småjob scan or tap: "Du er tilmeldt!", "Velkommen, Åse! Du er tjekket ind kl. 09.42", a plain refusal,
with any news ("Der er blevet plads!") underneath; and a resident's own upcoming jobs, each with Afmeld."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import BooleanProperty, ListProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

import kiosk.widgets.bigbutton
import kiosk.widgets.header  # noqa: F401  (kv rules of the widgets used below)
from kiosk.i18n import _, format_day, format_time_range
from kiosk.screens.base import KioskScreen
from kiosk.services.jobs import MyJob, MyJobs

BACK_HOME_S = 15.0


class JobDoneScreen(KioskScreen):
    heading = StringProperty("")
    lines = ListProperty([])
    news = ListProperty([])  # News: a place from the waitlist (good) or a cancelled job (bad)
    problem = BooleanProperty(False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._home_event: Any = None

    def on_enter(self, *args: Any) -> None:
        self._home_event = Clock.schedule_once(lambda _dt: self._home(), BACK_HOME_S)

    def on_leave(self, *args: Any) -> None:
        if self._home_event is not None:
            self._home_event.cancel()
            self._home_event = None

    def _home(self) -> None:
        if self.is_shown():
            self.shell.go_home()


class MyJobLine(BoxLayout):
    item: MyJob | None = ObjectProperty(None, allownone=True)
    cancel = ObjectProperty(None)  # Afmeld: the screen's cancel(item)
    title = StringProperty("")
    when = StringProperty("")
    status = StringProperty("")


def status_text(item: MyJob) -> str:
    if item.status == "waitlist":
        return _("Venteliste nr. {n}").format(n=item.position)
    if item.status == "checked_in":
        return _("Tjekket ind")
    return _("Tilmeldt")


class MyJobsScreen(KioskScreen):
    mine: MyJobs | None = ObjectProperty(None, allownone=True)
    note = StringProperty("")
    greeting = StringProperty("")

    def refresh(self) -> None:
        box = self.ids.list
        box.clear_widgets()
        if self.mine is None:
            return
        self.greeting = _("Hej, {name}!").format(name=self.mine.name.split()[0])
        for item in self.mine.jobs:
            line = MyJobLine(
                item=item,
                title=item.job.title,
                when=f"{format_day(item.job.starts_at)} · {format_time_range(item.job.starts_at, item.job.ends_at)}",
                status=status_text(item),
                cancel=self.cancel,
            )
            box.add_widget(line)
        self.ids.empty.opacity = 0 if self.mine.jobs else 1

    def cancel(self, item: MyJob) -> None:
        from kiosk.screens.jobs.job_flow import cancel

        cancel(self.shell, item.token)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
