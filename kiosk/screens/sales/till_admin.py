"""Kassen (supervisor): X-rapport, Dagsafslutning with a blind count, Kasse ind / ud, Åbn skuffe, Prisændring,
Øvelse on/off and Retur — big buttons, one task at a time, each journaled with the supervisor as who.

The Z count is blind: the screen shows what was counted, never what the till expects, until the count is
confirmed and the day closed.  Reports are printed and shown as they look on paper.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import (
    BooleanProperty,
    ListProperty,
    NumericProperty,
    ObjectProperty,
    OptionProperty,
    StringProperty,
)
from kivy.uix.boxlayout import BoxLayout

import kiosk.widgets.bigbutton
import kiosk.widgets.header
import kiosk.widgets.note_field  # NoteField: a remark typed on the on-screen keyboard
import kiosk.widgets.numpad  # noqa: F401  (kv rules of the widgets used below)
from kiosk.domain.money import format_dkk
from kiosk.domain.reports import DENOMINATIONS_ORE, counted_total
from kiosk.domain.sentences import sentences
from kiosk.i18n import _
from kiosk.printouts.day_report import CashCount, day_report_document, denomination_text
from kiosk.printouts.document import Document
from kiosk.screens.base import KioskScreen
from kiosk.screens.sales.till_reasons import OTHER, REASONS
from kiosk.services.sales import ProductView
from kiosk.services.shop import PrintOutcome
from kiosk.widgets import icon, theme
from kiosk.widgets.bigbutton import BigButton
from kiosk.widgets.dialog import ReferencePopup, confirm
from kiosk.widgets.explained import explained

log = logging.getLogger(__name__)

PANELS = ("menu", "report", "count", "closed", "cash", "drawer", "price")


class DenominationRow(BoxLayout):
    """One coin or note in the blind count: − count +, and what they add up to."""

    value_ore = NumericProperty(0)
    label = StringProperty("")
    count = NumericProperty(0)
    subtotal = StringProperty("")
    screen = ObjectProperty(None)

    def on_count(self, *_args: Any) -> None:
        self.subtotal = format_dkk(self.value_ore * self.count)

    def step(self, delta: int) -> None:
        self.count = max(0, self.count + delta)


class ReasonPicker(BoxLayout):
    """Preset reasons as big buttons (one chosen), and an optional note: "Andet" needs the note."""

    reasons = ListProperty([])
    reason = StringProperty("")

    def on_reasons(self, *_args: Any) -> None:
        grid = self.ids.grid
        grid.clear_widgets()
        for reason in self.reasons:
            button = BigButton(text=_(reason), colour=theme.STAFF, outlined=True, font_size=theme.FONT_SMALL)
            button.reason = reason
            button.bind(on_release=lambda b: self.choose(b.reason))
            grid.add_widget(button)

    def choose(self, reason: str) -> None:
        self.reason = reason
        for button in self.ids.grid.children:
            button.outlined = button.reason != reason

    def clear(self) -> None:
        self.choose("")
        self.ids.note.text = ""

    def chosen(self) -> tuple[str | None, str]:
        """(the reason for the journal, "") or (None, what is missing)."""
        note = self.ids.note.text.strip()
        if not self.reason:
            return None, _("Vælg en grund.")
        if self.reason == OTHER and not note:
            return None, _("Skriv kort hvorfor.")
        return (f"{self.reason} – {note}" if note else self.reason), ""


class PriceProduct(BigButton):
    product = ObjectProperty(None)


class TillAdminScreen(KioskScreen):
    supervisor = ObjectProperty(None, allownone=True)  # the PersonView who typed their PIN
    panel = OptionProperty("menu", options=PANELS)
    report_title = StringProperty("")
    report_text = StringProperty("")
    counted_text = StringProperty("")
    float_text = StringProperty("")
    expected_text = StringProperty("")
    difference_text = StringProperty("")
    difference_amount = StringProperty("")
    balanced = BooleanProperty(True)
    cash_kind = OptionProperty("cash_in", options=("cash_in", "cash_out"))
    product = ObjectProperty(None, allownone=True)
    price_text = StringProperty("")
    hint = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._document: Document | None = None
        self._float_ore = 0
        self._rows: list[DenominationRow] = []
        for value in DENOMINATIONS_ORE:
            row = DenominationRow(value_ore=value, label=denomination_text(value), screen=self)
            row.bind(count=lambda *_a: self._show_counted())
            row.on_count()
            self._rows.append(row)
            (self.ids.coins if value < 5000 else self.ids.notes).add_widget(row)
        self._show_counted()

    # ---- showing ----

    def refresh(self) -> None:
        self.panel = "menu"
        self.hint = ""

    def on_panel(self, _screen: Any, panel: str) -> None:
        self.ids.panels.current = panel
        self.hint = ""

    def back(self) -> None:
        if self.panel == "count" and any(r.count for r in self._rows):
            confirm(
                _("Vil du stoppe optællingen?"),
                _("Det talte bliver slettet. Dagen er ikke lukket."),
                self._to_menu,
                icon=icon("back"),
                yes_colour=theme.ERROR,
            )
        elif self.panel != "menu":
            self._to_menu()
        else:
            self.shell.go("staff_menu", supervisor=self.supervisor)

    def _to_menu(self) -> None:
        self.panel = "menu"

    def _who(self) -> Any:
        if self.supervisor is None:
            raise RuntimeError("the till screen opens only through a supervisor's PIN")
        return self.supervisor.id

    # ---- reports ----

    def x_report(self) -> None:
        with explained(self.shell):
            report = self.services.till.take_x_report(self._who())
            self._show_report(
                day_report_document(
                    self.services.settings.shop,
                    report,
                    self.services.clock(),
                    self.supervisor.first_name,
                    self.services.printer.columns,
                )
            )
            self.panel = "report"

    def _show_report(self, doc: Document) -> None:
        self._document = doc
        self.report_title = doc.title
        self.report_text = doc.as_text(self.services.printer.columns)
        self.print_report()

    def print_report(self) -> None:
        if self._document is None:
            return

        def done(outcome: PrintOutcome) -> None:  # on the print thread
            Clock.schedule_once(lambda _dt: self._printed(outcome))

        self.services.print_queue.submit(self._document, done)

    def _printed(self, outcome: PrintOutcome) -> None:
        if not outcome.ok:
            self.shell.show_toast(_("Printeren svarer ikke – tjek papir og strøm."), "error", theme.TOAST_READ)

    # ---- dagsafslutning: the blind count ----

    def start_count(self) -> None:
        for row in self._rows:
            row.count = 0
        self._float_ore = 0
        self._show_counted()
        self.panel = "count"

    def _counts(self) -> dict[int, int]:
        return {row.value_ore: row.count for row in self._rows if row.count}

    def _show_counted(self) -> None:
        self.counted_text = format_dkk(counted_total(self._counts()))
        self.float_text = format_dkk(self._float_ore)

    def type_count(self, row: DenominationRow) -> None:
        popup = ReferencePopup(value=str(row.count or ""), title=_("Antal: {what}").format(what=row.label))
        popup.bind(on_accept=lambda _p, value: setattr(row, "count", int(value or 0)))
        popup.open(animation=False)

    def type_float(self) -> None:
        popup = ReferencePopup(value="", title=_("Kroner der bliver i kassen til i morgen"))
        popup.bind(on_accept=lambda _p, value: self._set_float(int(value or 0) * 100))
        popup.open(animation=False)

    def _set_float(self, ore: int) -> None:
        self._float_ore = ore
        self._show_counted()

    def ask_close_day(self) -> None:
        confirm(
            _("Er optællingen færdig?"),
            sentences(
                _("Talt: {amount}").format(amount=self.counted_text), _("Dagen lukkes, og Z-rapporten udskrives.")
            ),
            self.close_day,
            icon=icon("lock"),
            yes_text=_("Luk dagen"),
            no_text=_("Tæl videre"),
        )

    def close_day(self) -> None:
        counts = self._counts()
        with explained(self.shell):
            z = self.services.till.close_day(self._who(), counts, self._float_ore)
            self.expected_text = format_dkk(z.report.expected_cash_ore)
            self.counted_text = format_dkk(z.counted_ore)
            self.balanced = z.difference_ore == 0
            if z.difference_ore == 0:
                self.difference_text = _("Kassen stemmer")
            elif z.difference_ore < 0:
                self.difference_text = _("Mangler {amount}").format(amount=format_dkk(-z.difference_ore))
            else:
                self.difference_text = _("For meget {amount}").format(amount=format_dkk(z.difference_ore))
            self.difference_amount = format_dkk(z.difference_ore)
            count = CashCount(z.z_number, counts, z.counted_ore, z.difference_ore, self._float_ore, z.chain)
            self._show_report(
                day_report_document(
                    self.services.settings.shop,
                    z.report,
                    self.services.clock(),
                    self.supervisor.first_name,
                    self.services.printer.columns,
                    count=count,
                )
            )
            self.panel = "closed"

    # ---- kasse ind / ud, åbn skuffe ----

    def start_cash(self, kind: str) -> None:
        self.cash_kind = kind  # type: ignore[assignment]
        self._start_reasons(self.ids.cash_reasons, kind)
        self.ids.cash_pad.clear()
        self.panel = "cash"

    def start_drawer(self) -> None:
        self._start_reasons(self.ids.drawer_reasons, "drawer")
        self.panel = "drawer"

    def _start_reasons(self, picker: ReasonPicker, kind: str) -> None:
        picker.reasons = list(REASONS[kind])
        picker.clear()

    def _reason(self, picker: ReasonPicker) -> str | None:
        reason, self.hint = picker.chosen()
        return reason

    def save_cash(self, kroner: str) -> None:
        reason = self._reason(self.ids.cash_reasons)
        if reason is None:
            return
        if not kroner or int(kroner) == 0:
            self.hint = _("Tast beløbet.")
            return
        amount = int(kroner) * 100
        with explained(self.shell):
            self.services.till.cash_movement(self._who(), self.cash_kind, amount, reason)
            self._kick_drawer()
            what = _("Kasse ind") if self.cash_kind == "cash_in" else _("Kasse ud")
            self.shell.show_toast(_("{what}: {amount} er gemt").format(what=what, amount=format_dkk(amount)), "ok")
            self.panel = "menu"

    def open_drawer(self) -> None:
        reason = self._reason(self.ids.drawer_reasons)
        if reason is None:
            return
        with explained(self.shell):
            self.services.till.drawer_opened(self._who(), reason)
            self._kick_drawer()
            self.shell.show_toast(_("Skuffen er åbnet"), "ok")
            self.panel = "menu"

    def _kick_drawer(self) -> None:
        def done(ok: bool, _message: str) -> None:  # on the drawer thread
            if not ok:
                Clock.schedule_once(
                    lambda _dt: self.shell.show_toast(
                        _("Skuffen åbnede ikke – tjek printeren"), "error", theme.TOAST_READ
                    )
                )

        self.shell.counter.open_drawer(done)

    # ---- prisændring ----

    def start_price(self) -> None:
        self._start_reasons(self.ids.price_reasons, "price")
        self.product = None
        self.ids.price_pad.clear()
        grid = self.ids.price_products
        grid.clear_widgets()
        for product in self.services.catalog.products():
            button = PriceProduct(product=product, text=product.name, subtext=format_dkk(product.price_ore))
            button.bind(on_release=lambda b: self.choose_product(b.product))
            grid.add_widget(button)
        self.panel = "price"

    def choose_product(self, product: ProductView) -> None:
        self.product = product
        self.ids.price_pad.clear()
        for button in self.ids.price_products.children:
            button.outlined = button.product.id != product.id

    def on_price_digits(self, digits: str) -> None:
        """The numpad types øre, as a card terminal does: 1 4 7 5 is 14,75 kr."""
        self.price_text = format_dkk(int(digits)) if digits else ""

    def save_price(self, digits: str) -> None:
        if self.product is None:
            self.hint = _("Vælg en vare.")
            return
        if not digits:
            self.hint = _("Tast den nye pris.")
            return
        reason = self._reason(self.ids.price_reasons)
        if reason is None:
            return
        product, price = self.product, int(digits)
        with explained(self.shell):
            self.services.till.change_price(self._who(), product.id, price, reason)
            self.shell.show_toast(
                _("{name} koster nu {price}").format(name=product.name, price=format_dkk(price)), "ok", 5
            )
            self.panel = "menu"

    # ---- øvelse, retur ----

    def toggle_training(self) -> None:
        on = not self.shell.training
        with explained(self.shell):
            self.services.till.training(self._who(), on)
            self.shell.training = on
            self.shell.show_toast(
                _("Øvelse er slået til") if on else _("Øvelse er slået fra"), "info", theme.TOAST_SHORT
            )

    def open_refund(self) -> None:
        self.shell.go("refund", supervisor=self.supervisor, sale_id=None)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
