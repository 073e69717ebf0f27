"""Småjobs for staff (a supervisor's PIN, from the staff menu): the jobs with their lists (who is signed up, who
waits, who came, hours, phone numbers), "Ret" and "Nyt job" on a form with the on-screen keyboard, tear-off
slips with the job's QR, and the list of residents who moved up from the waitlist and must be told ("Ring til")."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from kivy.lang import Builder
from kivy.properties import BooleanProperty, ListProperty, ObjectProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout

import kiosk.widgets.bigbutton
import kiosk.widgets.header
import kiosk.widgets.keyboard  # noqa: F401  (kv rules of the widgets used below)
from kiosk.clock import to_local
from kiosk.domain import jobs as jt
from kiosk.domain.jobs import JobInvalid
from kiosk.domain.shift_text import duration_text
from kiosk.i18n import _, format_clock, format_day, n_
from kiosk.printouts.job_slips import job_slip
from kiosk.screens.base import KioskScreen
from kiosk.services.jobs import JobDraft, JobView
from kiosk.services.people import PersonView
from kiosk.widgets import icon, theme
from kiosk.widgets.dialog import confirm
from kiosk.widgets.explained import explained
from kiosk.widgets.keyboard import FieldGroup

log = logging.getLogger(__name__)

RECENT = timedelta(days=14)  # ended jobs stay on the list this long (hours, no-shows)


def _status(status: str, position: int | None) -> str:
    if status == "waitlist":
        return _("Venteliste nr. {n}").format(n=position)
    words = {
        "signed_up": _("Tilmeldt"),
        "checked_in": _("Tjekket ind"),
        "completed": _("Kom"),
        "no_show": _("Udeblev"),
        "cancelled": _("Afmeldt"),
    }
    return words.get(status, status)


class AdminJobRow(ButtonBehavior, BoxLayout):
    job: JobView | None = ObjectProperty(None, allownone=True)
    title = StringProperty("")
    detail = StringProperty("")
    selected = BooleanProperty(False)


class RosterRow(BoxLayout):
    name = StringProperty("")
    phone = StringProperty("")
    status = StringProperty("")


class CallRow(BoxLayout):
    signup_id: uuid.UUID | None = ObjectProperty(None, allownone=True)
    told = ObjectProperty(None)  # "Sagt til": the screen's told(signup_id)
    name = StringProperty("")
    phone = StringProperty("")
    job = StringProperty("")
    news = StringProperty("")  # what to tell them: "Aflyst" or "Fået plads"
    cancelled = BooleanProperty(False)


class JobsAdminScreen(KioskScreen):
    supervisor: PersonView | None = ObjectProperty(None, allownone=True)
    selected: JobView | None = ObjectProperty(None, allownone=True)
    calling = BooleanProperty(False)  # the right side shows "Ring til" instead of a job
    can_cancel = BooleanProperty(False)  # the selected job has not begun and is not cancelled
    summary = StringProperty("")
    call_count = StringProperty("")

    def refresh(self) -> None:
        now = self.services.clock()
        jobs = self.services.jobs.listing(now - RECENT)
        if self.selected is not None:
            self.selected = next((j for j in jobs if j.id == self.selected.id), None)
        if self.selected is None and jobs and not self.calling:
            self.selected = next((j for j in jobs if j.ends_at > now), jobs[-1])
        self.can_cancel = self.selected is not None and not self.selected.cancelled and self.selected.starts_at > now
        box = self.ids.jobs
        box.clear_widgets()
        for job in jobs:
            detail = f"{format_day(job.starts_at)} · {job.taken}/{job.capacity}"
            if job.waiting:
                detail += " · " + _("{n} venter").format(n=job.waiting)
            if job.cancelled:
                detail += " · " + _("aflyst")
            row = AdminJobRow(job=job, title=job.title, detail=detail)
            row.selected = self.selected is not None and job.id == self.selected.id and not self.calling
            row.bind(on_release=lambda r: self.select(r.job))
            box.add_widget(row)
        calls = self.services.signups.call_list()
        self.call_count = str(len(calls)) if calls else ""
        if self.calling:
            self._show_calls(calls)
        else:
            self._show_roster()

    def select(self, job: JobView) -> None:
        self.calling, self.selected = False, job
        self.refresh()

    def show_calls(self) -> None:
        self.calling = True
        self.refresh()

    def _show_roster(self) -> None:
        box = self.ids.lines
        box.clear_widgets()
        if self.selected is None:
            self.summary = _("Ingen småjobs endnu. Tryk Nyt job.")
            return
        roster = self.services.signups.roster(self.selected.id)
        job = roster.job
        self.summary = "  ·  ".join(
            (
                _("{taken} af {capacity} pladser taget").format(taken=job.taken, capacity=job.capacity),
                _("{n} på venteliste").format(n=job.waiting),
                _("Timer i alt: {hours}").format(hours=_(duration_text(roster.minutes))),
            )
        )
        for line in roster.lines:
            status = _status(line.status, line.position)
            if line.minutes:
                status += f" · {_(duration_text(line.minutes))}"
            box.add_widget(RosterRow(name=line.name, phone=line.phone_text, status=status))

    def _show_calls(self, calls: list[Any]) -> None:
        box = self.ids.lines
        box.clear_widgets()
        self.summary = _("De ved ikke endnu, at de har fået plads, eller at jobbet er aflyst. Ring, og tryk Sagt til.")
        for call in calls:
            box.add_widget(
                CallRow(
                    signup_id=call.signup_id,
                    name=call.name,
                    phone=call.phone_text,
                    job=f"{call.job_title}, {_(call.when_text)}",
                    news=_("Aflyst") if call.cancelled else _("Fået plads"),
                    cancelled=call.cancelled,
                    told=self.told,
                )
            )

    def told(self, signup_id: uuid.UUID) -> None:
        self.services.signups.mark_told([signup_id])
        self.refresh()

    def new_job(self) -> None:
        self.shell.go("job_edit", job=None, supervisor=self.supervisor)

    def edit_job(self) -> None:
        if self.selected is not None:
            self.shell.go("job_edit", job=self.selected, supervisor=self.supervisor)

    def ask_cancel(self) -> None:
        job = self.selected
        if job is None:
            return
        told = job.taken + job.waiting
        confirm(
            _("Aflys «{title}»?").format(title=job.title),
            (
                n_("{n} person er tilmeldt eller venter.", "{n} personer er tilmeldt eller venter.", told)
                + " "
                + _("De får besked, når de scanner, og kommer på listen Ring til.")
                if told
                else _("Ingen er tilmeldt endnu.")
            ),
            lambda: self._cancel(job.id),
            icon=icon("calendar"),
            yes_text=_("Aflys jobbet"),
            no_text=_("Fortryd"),
            yes_colour=theme.ERROR,
        )

    def _cancel(self, job_id: uuid.UUID) -> None:
        assert self.supervisor is not None
        with explained(self.shell):
            done = self.services.job_admin.cancel(self.supervisor.id, job_id)
            if done.residents:
                self.shell.show_toast(_("Jobbet er aflyst. Ring til dem på listen."), "ok", theme.TOAST_LONG)
                self.show_calls()
            else:
                self.shell.show_toast(_("Jobbet er aflyst."), "ok", theme.TOAST_SHORT)
                self.refresh()

    def print_slip(self) -> None:
        from kiosk.screens.jobs.job_flow import print_doc

        if self.selected is None:
            return
        settings = self.services.settings
        print_doc(self.shell, job_slip(self.services.jobs.get(self.selected.id), settings.shop, settings.job_url))
        self.shell.show_toast(_("Sedlen bliver printet"), "ok", theme.TOAST_GLANCE)


class JobEditScreen(KioskScreen):
    """Nyt job / Ret job: title, place, description, day, start, end, places and the contact person."""

    supervisor: PersonView | None = ObjectProperty(None, allownone=True)
    job: JobView | None = ObjectProperty(None, allownone=True)
    contact: PersonView | None = ObjectProperty(None, allownone=True)
    staff = ListProperty([])

    _fields: FieldGroup | None = None  # set in on_kv_post, which runs inside Screen.__init__

    def on_kv_post(self, base_widget: Any) -> None:
        ids = self.ids
        order = [ids.title, ids.place, ids.description, ids.day, ids.starts, ids.ends, ids.capacity]
        self._fields = FieldGroup(ids.keyboard, order)

    def refresh(self) -> None:
        assert self._fields is not None
        self._fields.clear()
        self.staff = self.services.people.staff()
        job, ids = self.job, self.ids
        self.contact = next((p for p in self.staff if job and p.id == job.contact_person_id), None)
        if job is not None:
            ids.title.text, ids.place.text, ids.description.text = job.title, job.place, job.description
            ids.day.text = to_local(job.starts_at).strftime("%d-%m-%Y")
            ids.starts.text, ids.ends.text = format_clock(job.starts_at), format_clock(job.ends_at)
            ids.capacity.text = str(job.capacity)
        self._fields.choose(ids.title)

    def on_leave(self, *args: Any) -> None:
        if self._fields is not None:
            self._fields.clear()

    def next_contact(self) -> None:
        """Tap to go through the staff: nobody, then each by name."""
        choices: list[PersonView | None] = [None, *self.staff]
        at = next((i for i, p in enumerate(choices) if p is not None and self.contact and p.id == self.contact.id), 0)
        self.contact = choices[(at + 1) % len(choices)]

    def next_field(self) -> None:
        if self._fields is not None and not self._fields.next():
            self.save()

    def save(self) -> None:
        ids = self.ids
        fields = {
            "title": ids.title, "place": ids.place, "day": ids.day, "starts_at": ids.starts,
            "ends_at": ids.ends, "capacity": ids.capacity,
        }  # fmt: skip
        for field in fields.values():
            field.problem = ""
        contact = self.contact.id if self.contact else None
        with explained(self.shell):
            self._save(fields, contact)

    def _save(self, fields: dict[str, Any], contact: Any) -> None:
        ids = self.ids
        try:
            starts, ends = jt.form_times(ids.day.text, ids.starts.text, ids.ends.text)
            capacity = jt.form_capacity(ids.capacity.text)
            draft = JobDraft(ids.title.text, ids.description.text, ids.place.text, starts, ends, capacity, contact)
            assert self.supervisor is not None
            saved = self.services.job_admin.save(self.supervisor.id, draft, self.job.id if self.job else None)
        except JobInvalid as exc:
            for key, message in exc.problems.items():
                field = fields.get(key)
                if field is not None:
                    field.problem = _(message)
                else:
                    self.shell.show_toast(message, "error", theme.TOAST_LONG)
            first = next((f for f in fields.values() if f.problem), None)
            if first is not None and self._fields is not None:
                self._fields.choose(first)
            return
        self.shell.go("jobs_admin", supervisor=self.supervisor, calling=False, selected=saved)
        self.shell.show_toast(
            _("Jobbet er gemt"), "ok", theme.TOAST_GLANCE
        )  # after going there: a screen change clears toasts


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
