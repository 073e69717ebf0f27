"""Ret butikken (admin, from Opsætning): the shop's name, address and CVR as every receipt prints them, and the
MobilePay number the pay screen shows.  Typed on the on-screen keyboard; the service writes them into the TOML
file and the journal (kiosk/services/shop/identity.py); a refusal is shown under its field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.lang import Builder
from kivy.properties import ObjectProperty, StringProperty

import kiosk.widgets.bigbutton
import kiosk.widgets.header
import kiosk.widgets.keyboard  # noqa: F401  (kv rules of the widgets used below)
from kiosk.i18n import _
from kiosk.screens.base import KioskScreen
from kiosk.services.people import PersonView
from kiosk.services.shop import ShopDraft, ShopInvalid
from kiosk.widgets import theme
from kiosk.widgets.explained import explained
from kiosk.widgets.keyboard import FieldGroup


class ShopEditScreen(KioskScreen):
    supervisor: PersonView | None = ObjectProperty(None, allownone=True)  # the admin
    where = StringProperty("")

    _fields: FieldGroup | None = None  # set in on_kv_post, which runs inside Screen.__init__

    def on_kv_post(self, base_widget: Any) -> None:
        ids = self.ids
        self._fields = FieldGroup(ids.keyboard, [ids.name, ids.address, ids.cvr, ids.mobilepay])

    def refresh(self) -> None:
        assert self._fields is not None
        self._fields.clear()
        shop, ids = self.services.settings.shop, self.ids
        ids.name.text, ids.address.text, ids.cvr.text, ids.mobilepay.text = (
            shop.name, shop.address, shop.cvr, shop.mobilepay
        )  # fmt: skip
        self.where = _("Står på hver kvittering. Gemmes i {path} og i journalen.").format(
            path=self.services.settings.config_file
        )
        self._fields.choose(ids.name)

    def on_leave(self, *args: Any) -> None:
        if self._fields is not None:
            self._fields.clear()

    def next_field(self) -> None:
        if self._fields is not None and not self._fields.next():
            self.save()

    def save(self) -> None:
        ids = self.ids
        fields = {"name": ids.name, "address": ids.address, "cvr": ids.cvr, "mobilepay": ids.mobilepay}
        for field in fields.values():
            field.problem = ""
        assert self.supervisor is not None
        draft = ShopDraft(ids.name.text, ids.address.text, ids.cvr.text, ids.mobilepay.text)
        with explained(self.shell, theme.TOAST_READ):
            try:
                self.services.change_shop(self.supervisor.id, draft)
            except ShopInvalid as exc:
                for key, message in exc.problems.items():
                    fields[key].problem = _(message)
                if self._fields is not None:
                    self._fields.choose(next(f for f in fields.values() if f.problem))
                return
            self._saved()

    def _saved(self) -> None:
        self.shell.title = self.services.settings.shop.name

        self.shell.go("settings", supervisor=self.supervisor)
        self.shell.show_toast(_("Butikken er gemt. Den næste kvittering viser det nye."), "ok", theme.TOAST_MEDIUM)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
