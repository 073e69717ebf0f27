# ruff: noqa: E501  (the consent line is one msgid, kept whole so it can be extracted and translated)
"""Tilmeld dig: name (and, if you like, a phone number) on the big Danish keyboard, the one-line consent, and
"Ja, tilmeld mig".  The tap on that button is the consent; a refusal (an odd name, a number that is not Danish,
already signed up, the job just filled up or ended) is shown by the field it concerns, or as a message."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from kivy.lang import Builder
from kivy.properties import ObjectProperty, StringProperty

import kiosk.widgets.header
import kiosk.widgets.keyboard  # noqa: F401  (kv rules of the widgets used below)
from kiosk.domain import jobs as jt
from kiosk.errors import DomainError, KioskError
from kiosk.i18n import _
from kiosk.screens.base import KioskScreen
from kiosk.services.jobs import JobView
from kiosk.widgets.keyboard import FieldGroup

log = logging.getLogger(__name__)


class JobSignupScreen(KioskScreen):
    job: JobView | None = ObjectProperty(None, allownone=True)
    consent = StringProperty("")

    _fields: FieldGroup | None = None  # set in on_kv_post, which runs inside Screen.__init__

    def on_kv_post(self, base_widget: Any) -> None:
        self._fields = FieldGroup(self.ids.keyboard, [self.ids.name, self.ids.phone])

    def refresh(self) -> None:
        months = self.services.settings.kiosk.resident_retention_months
        consent = _(
            "Vi gemmer dit navn og nummer for at kunne kontakte dig om jobbet. Vi sletter det {months} måneder efter dit sidste job."
        )
        self.consent = consent.format(months=months)
        if self._fields is not None:
            self._fields.clear()

    def on_leave(self, *args: Any) -> None:
        if self._fields is not None:
            self._fields.clear()  # never leave a name behind for the next person

    def next_field(self) -> None:
        if self._fields is not None and not self._fields.next():
            self.submit()

    def submit(self) -> None:
        from kiosk.screens.jobs.job_flow import show_message, sign_up_by_name

        if self.job is None:
            return
        name, phone = self.ids.name, self.ids.phone
        name.problem = phone.problem = ""
        for field, check in ((name, jt.clean_name), (phone, jt.clean_phone)):
            try:
                check(field.text)
            except DomainError as exc:
                field.problem = _(exc.user_message)
                if self._fields is not None:
                    self._fields.choose(field)
                return
        try:
            sign_up_by_name(self.shell, self.job.id, name.text, phone.text)
        except KioskError as exc:
            log.warning("sign-up refused: %s", exc)
            show_message(self.shell, exc.user_message, problem=True)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
