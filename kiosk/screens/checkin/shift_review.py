"""Godkend timer (supervisor): what needs a look — forgotten check-outs, self-reported ends, very long days.

"Godkend" keeps the stated times; "Ret" sets check-in and check-out with big steppers and a reason from preset
buttons (plus an optional note).  Both store a new record; the original stays and is shown beside it.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

from kivy.lang import Builder
from kivy.properties import ListProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.modalview import ModalView

import kiosk.screens.checkin.forgotten
import kiosk.widgets.bigbutton
import kiosk.widgets.header
import kiosk.widgets.note_field  # noqa: F401  (NoteField: a remark typed on the on-screen keyboard)
from kiosk.clock import LOCAL_TZ, to_local
from kiosk.domain import shift_text as txt
from kiosk.domain.shifts import ShiftRecord
from kiosk.errors import KioskError
from kiosk.i18n import L_, _
from kiosk.screens.base import KioskScreen
from kiosk.services.checkin import ReviewItem
from kiosk.widgets.explained import explained

log = logging.getLogger(__name__)

# The record keeps the Danish reason (the journal's words); the buttons show it in the kiosk's language.
REASONS = (L_("Glemte at gå hjem"), L_("Glemte at møde ind"), L_("Forkert tid"), L_("Arbejdede længere"))

_SOURCE = {"badge": L_("kort"), "pin": L_("kode"), "self_reported": L_("selv oplyst"), "correction": L_("leder")}


def record_line(r: ShiftRecord) -> str:
    """'09.02–17.00 (selv oplyst: Glemt at gå hjem – svar: ved lukketid)'; the reason as it was stored."""
    end = _(txt.clock_text(r.check_out)) if r.check_out else "?"
    why = f": {r.reason}" if r.reason else ""
    return f"{_(txt.clock_text(r.check_in))}–{end}  ({_(_SOURCE.get(r.source, r.source))}{why})"


class ReviewCard(BoxLayout):
    item = ObjectProperty(None)
    title = StringProperty("")
    detail = StringProperty("")
    history = StringProperty("")
    screen = ObjectProperty(None)


class CorrectionPopup(ModalView):
    item = ObjectProperty(None)
    reasons = ListProperty(REASONS)
    reason = StringProperty("")
    hint = StringProperty("")
    screen = ObjectProperty(None)

    def on_open(self) -> None:
        record: ShiftRecord = self.item.record
        self.ids.check_in.set_time(to_local(record.check_in).time())
        end = record.check_out or record.check_in + dt.timedelta(hours=4)
        self.ids.check_out.set_time(to_local(end).time())

    def save(self) -> None:
        record: ShiftRecord = self.item.record
        note = self.ids.note.text.strip()
        if not self.reason:
            self.hint = _("Vælg en grund.")
            return
        reason = f"{self.reason} – {note}" if note else self.reason
        day = record.local_day
        check_in = dt.datetime.combine(day, self.ids.check_in.time, tzinfo=LOCAL_TZ)
        check_out = dt.datetime.combine(day, self.ids.check_out.time, tzinfo=LOCAL_TZ)
        if self.screen.correct(self.item, check_in, check_out, reason, self):
            self.dismiss(animation=False)


class ShiftReviewScreen(KioskScreen):
    supervisor = ObjectProperty(None, allownone=True)  # the PersonView who typed their PIN
    last_done = StringProperty("")  # the history of the record just approved or corrected: nothing is hidden

    def refresh(self) -> None:
        box = self.ids.cards
        box.clear_widgets()
        checkin = self.services.checkin
        items = checkin.pending_reviews()
        for item in items:
            history = checkin.history(item.record.id)
            earlier = [f"{n}. {record_line(r)}" for n, r in enumerate(history, 1) if r.id != item.record.id]
            box.add_widget(
                ReviewCard(
                    item=item,
                    screen=self,
                    title=f"{item.person_name} – {_(txt.day_text(item.record.local_day))}",
                    detail=_(item.summary).split(": ", 1)[-1] + "  ·  " + record_line(item.record),
                    history=(_("Før: ") + "   ".join(earlier)) if earlier else "",
                )
            )
        self.ids.empty.text = "" if items else _("Alt er godkendt. Godt arbejde!")

    def on_leave(self, *args: Any) -> None:
        self.last_done = ""

    def approve(self, item: ReviewItem) -> None:
        if self.supervisor is None:
            return
        with explained(self.shell):
            record = self.services.checkin.approve(item.record.id, self.supervisor.id)
            self._done(item, record, _("Godkendt"))

    def open_correction(self, item: ReviewItem) -> None:
        CorrectionPopup(item=item, screen=self).open(animation=False)

    def correct(self, item: ReviewItem, check_in: dt.datetime, check_out: dt.datetime, reason: str, popup: Any) -> bool:
        if self.supervisor is None:
            return False
        try:
            record = self.services.checkin.correct(item.record.id, self.supervisor.id, check_in, check_out, reason)
        except KioskError as exc:
            popup.hint = _(exc.user_message)
            return False
        self._done(item, record, _("Rettet"))
        return True

    def _done(self, item: ReviewItem, record: ShiftRecord, what: str) -> None:
        log.info("shift %s reviewed by %s", item.record.id, self.supervisor.id if self.supervisor else "?")
        history = self.services.checkin.history(record.id)
        lines = "\n".join(f"{n}. {record_line(r)}" for n, r in enumerate(history, 1))
        self.last_done = f"{what}: {item.person_name}, {_(txt.day_text(item.record.local_day))}\n{lines}"
        self.shell.show_toast(_("Gemt. Den oprindelige registrering er bevaret."), "ok")
        self.refresh()


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
