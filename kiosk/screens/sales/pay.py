"""Betal: the total very large, then Kontant / Kort / MobilePay; split across methods until nothing is missing.

When the money is all taken the sale is stored at once (Sales.checkout), the drawer opens on cash, and the
screen shows the change very large and asks "Vil du have kvittering?".  The sale is journaled either way.
Printing never holds the screen up: outcomes come back from the print thread, and a fault says plainly that
the sale is saved and offers "Udskriv igen" (a KOPI).  "Tak!" returns to a fresh sale by itself.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import BooleanProperty, NumericProperty, OptionProperty, StringProperty

import kiosk.widgets.numpad  # kv rules of the widgets used below
import kiosk.widgets.qr
import kiosk.widgets.till_header  # noqa: F401
from kiosk.domain import mobilepay
from kiosk.domain.money import format_dkk
from kiosk.domain.payment import METHOD_NAMES, QUICK_CASH_ORE, Method, Payment
from kiosk.i18n import _
from kiosk.screens.base import KioskScreen
from kiosk.services.sales import Counter, FinishedSale
from kiosk.services.shop import PrintOutcome
from kiosk.widgets import icon, theme
from kiosk.widgets.bigbutton import BigButton
from kiosk.widgets.dialog import ConfirmDialog, ReferencePopup, confirm
from kiosk.widgets.explained import explained

NEW_SALE_AFTER_S = 10.0  # "Tak!" -> a fresh sale by itself (long enough to count the change twice)
QUICK_CASH = QUICK_CASH_ORE  # 20, 50, 100, 200, 500 kr.


def method_name(method: str) -> str:
    return _(METHOD_NAMES.get(method, method))


class QuickCash(BigButton):
    amount_ore = NumericProperty(0)


class PayScreen(KioskScreen):
    stage = OptionProperty("paying", options=("paying", "receipt", "done"))
    step = OptionProperty("method", options=("method", "cash", "card", "mobilepay"))
    total_text = StringProperty("")
    cash_due_text = StringProperty("")  # "Kontant: 25,50 kr." when cash rounding changes the amount
    remaining_text = StringProperty("")  # "Mangler 10,00 kr." after a part payment
    due_text = StringProperty("")  # what the terminal / MobilePay must take now
    tenders_text = StringProperty("")
    has_tenders = BooleanProperty(False)
    reference = StringProperty("")
    mobilepay_number = StringProperty("")
    takes_mobilepay = BooleanProperty(True)  # False: the shop left its MobilePay number empty, so no MobilePay button
    mobilepay_link = StringProperty("")  # the QR code's payload: MobilePay's payment link, or "" (no QR shown)
    mobilepay_caption = StringProperty("")  # what to do with the QR code or the number
    headline = StringProperty("")  # "Byttepenge" / "Betalt med kort"
    change_text = StringProperty("")
    details_text = StringProperty("")  # I alt, Modtaget, Øreafrunding, tenders: one line each

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._new_sale_event: Any = None
        self._fault: ConfirmDialog | None = None
        for ore in QUICK_CASH:
            button = QuickCash(text=_("{kroner} kr.").format(kroner=ore // 100), amount_ore=ore)
            button.bind(on_release=lambda b: self.cash(b.amount_ore))
            self.ids.quick.add_widget(button)

    @property
    def counter(self) -> Counter:
        return self.shell.counter

    # ---- showing ----

    def refresh(self) -> None:
        self.stage, self.step, self.reference = "paying", "method", ""
        self.mobilepay_number = self.services.settings.shop.mobilepay
        self.takes_mobilepay = bool(self.mobilepay_number.strip())
        self.ids.cash_pad.clear()
        self.counter.add_listener(self._counter_changed)  # entered again: still heard once
        self._show()

    def on_leave(self, *args: Any) -> None:
        self.counter.remove_listener(self._counter_changed)
        self._cancel_new_sale()
        self.stage = "paying"

    def on_stage(self, _screen: Any, stage: str) -> None:
        self.ids.stages.current = "paying" if stage == "paying" else "finish"
        if stage != "paying":
            self.ids.finish_steps.current = stage

    def on_step(self, _screen: Any, step: str) -> None:
        self.ids.steps.current = step

    def _counter_changed(self, what: str) -> None:
        if what == "cart":
            self._show()

    def _show(self, *_args: Any) -> None:
        payment = self.counter.payment
        if payment is None:
            return
        self.total_text = format_dkk(payment.total_ore)
        rest, cash_due = payment.remaining_ore, payment.cash_due_ore
        self.cash_due_text = _("Ved kontant: {amount}").format(amount=format_dkk(cash_due)) if cash_due != rest else ""
        self.has_tenders = bool(payment.tenders)
        self.tenders_text = "\n".join(_tender_line(t.method, t.amount_ore) for t in payment.tenders)
        self.remaining_text = _("Mangler {amount}").format(amount=format_dkk(rest)) if payment.tenders else ""
        self.due_text = format_dkk(rest)
        self.mobilepay_link = mobilepay.payment_link(self.mobilepay_number, rest) or ""
        self.mobilepay_caption = (
            _("Scan koden, eller skriv nummeret i MobilePay:")
            if self.mobilepay_link
            else _("Skriv nummeret i MobilePay:")
        )
        self.ids.exact.subtext = format_dkk(cash_due)

    def _show_finished(self, sale: FinishedSale) -> None:
        payment = sale.payment
        lines = [_("I alt {amount}").format(amount=format_dkk(payment.total_ore))]
        received = sum(t.received_ore or 0 for t in payment.tenders if t.method == "cash")
        if len(payment.tenders) > 1 or not sale.had_cash:
            lines += [_tender_line(t.method, t.amount_ore) for t in payment.tenders]
        if sale.had_cash:
            lines.append(_("Modtaget {amount}").format(amount=format_dkk(received)))
        if payment.rounding_ore:
            lines.append(_("Øreafrunding {amount}").format(amount=format_dkk(payment.rounding_ore)))
        self.details_text = "\n".join(lines)
        if sale.had_cash:
            self.headline = _("Byttepenge")
            self.change_text = format_dkk(payment.change_ore)
        else:
            self.headline = _("Betalt")
            self.change_text = " + ".join(method_name(t.method) for t in payment.tenders)

    # ---- taking the money: one line each into the counter ----

    def choose(self, method: str) -> None:
        self.step = method  # type: ignore[assignment]
        self.reference = ""
        self.ids.cash_pad.clear()

    def cash_exact(self) -> None:
        payment = self.counter.payment
        if payment is not None:
            self.cash(payment.cash_due_ore)

    def cash_typed(self, kroner: str) -> None:
        if not kroner:
            self.shell.show_toast(_("Tast det modtagne beløb"), "error", theme.TOAST_SHORT)
            return
        self.cash(int(kroner) * 100)

    def cash(self, received_ore: int) -> None:
        with explained(self.shell):
            self.counter.pay_cash(received_ore)
            self.ids.cash_pad.clear()
            self._after_tender()

    def confirm_electronic(self, method: Method) -> None:
        with explained(self.shell):
            self.counter.pay_electronic(method, self.reference or None)
            self.reference = ""
            self._after_tender()

    def not_paid(self) -> None:
        self.step, self.reference = "method", ""
        self.shell.show_toast(_("Betalingen er ikke gennemført"), "info", theme.TOAST_SHORT)

    def ask_reference(self) -> None:
        popup = ReferencePopup(value=self.reference)
        popup.bind(on_accept=lambda _p, value: setattr(self, "reference", value))
        popup.open(animation=False)

    def undo_tender(self) -> None:
        self.counter.undo_tender()
        self.step = "method"

    def _after_tender(self) -> None:
        payment = self.counter.payment
        if payment is not None and payment.done:
            self._finish()
        else:
            self.step = "method"

    def _finish(self) -> None:
        sale = self.counter.checkout(training=self.shell.training)
        self._show_finished(sale)
        self.stage = "receipt"
        if sale.had_cash:
            self._kick_drawer()

    def _kick_drawer(self) -> None:
        self.counter.open_drawer(lambda ok, _msg: Clock.schedule_once(lambda _dt: self._drawer_done(ok)))

    def back(self) -> None:
        """To the cart.  Money already taken is handed back first (asked, with the amount)."""
        payment = self.counter.payment
        if payment is None or not payment.tenders:
            self.counter.cancel_payment()
            self.shell.go("sale")
            return
        confirm(
            _("Vil du fortryde betalingen?"),
            _("Giv kunden {amount} tilbage.").format(amount=format_dkk(_taken(payment))),
            self._give_back,
            icon=icon("back"),
            yes_colour=theme.ERROR,
        )

    def _give_back(self) -> None:
        self.counter.cancel_payment()
        self.shell.go("sale")

    # ---- after the sale ----

    def want_receipt(self, yes: bool) -> None:
        sale = self.counter.finished
        if yes and sale is not None:
            self._print(sale.sale_id, copy=False, drawer=False)
        elif sale is not None:
            with explained(self.shell):
                self.counter.receipt_declined(sale.sale_id)
        self.stage = "done"
        self._cancel_new_sale()
        self._new_sale_event = Clock.schedule_once(lambda _dt: self.new_sale(), NEW_SALE_AFTER_S)

    def new_sale(self) -> None:
        self._cancel_new_sale()
        if self.is_shown():
            self.shell.go("sale")

    def _cancel_new_sale(self) -> None:
        if self._new_sale_event is not None:
            self._new_sale_event.cancel()
            self._new_sale_event = None

    def _print(self, sale_id: uuid.UUID, *, copy: bool, drawer: bool) -> None:
        def done(outcome: PrintOutcome) -> None:  # on the print thread
            Clock.schedule_once(lambda _dt: self._printed(sale_id, outcome))

        with explained(self.shell):
            self.counter.print_receipt(sale_id, done, copy=copy, drawer=drawer)

    def _printed(self, sale_id: uuid.UUID, outcome: PrintOutcome) -> None:
        if not outcome.ok:
            self._printer_fault(sale_id)

    def _drawer_done(self, ok: bool) -> None:
        """The drawer's own message, not the receipt's: the cashier can open it by hand and carry on."""
        if ok:
            return
        confirm(
            _("Skuffen åbnede ikke – brug nøglen."),
            _("Salget er gemt."),
            self._kick_drawer,
            icon=icon("cash"),
            yes_text=_("Prøv igen"),
            no_text=_("Luk"),
            yes_colour=theme.STAFF,
        )

    def _printer_fault(self, sale_id: uuid.UUID) -> None:
        """One plain message however many jobs failed; "Udskriv igen" prints a KOPI."""
        self._cancel_new_sale()  # the cashier needs time to read this and fix the printer
        if self._fault is not None:
            return
        self._fault = confirm(
            _("Salget er gemt."),
            _("Printeren svarer ikke – tjek papir og strøm."),
            lambda: self._reprint(sale_id),
            icon=icon("printer"),
            yes_text=_("Udskriv igen"),
            no_text=_("Luk"),
            yes_colour=theme.STAFF,
        )
        self._fault.bind(on_dismiss=lambda _d: self._fault_closed())

    def _fault_closed(self) -> None:
        self._fault = None
        # "Tak!" still says "Starter af sig selv om lidt": once the message is read (Luk or Udskriv igen), keep that
        # promise; left cancelled, the till stood on "Tak!" until someone tapped Nyt køb.
        if self.stage == "done" and self.is_shown():
            self._cancel_new_sale()
            self._new_sale_event = Clock.schedule_once(lambda _dt: self.new_sale(), NEW_SALE_AFTER_S)

    def _reprint(self, sale_id: uuid.UUID) -> None:
        self._print(sale_id, copy=True, drawer=False)


def _tender_line(method: str, amount_ore: int) -> str:
    return f"{method_name(method)} {format_dkk(amount_ore)}"


def _taken(payment: Payment) -> int:
    return sum(t.received_ore if t.received_ore is not None else t.amount_ore for t in payment.tenders)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
