"""Retur (supervisor): find the sale — scan the code on its receipt, type its number, or pick it from today's
sales — choose the whole sale or some pieces, choose how the money goes back, and a credit receipt naming the
original prints.  Refund amounts are red and carry a minus sign; more than was sold cannot be chosen.

A receipt's code scanned anywhere lands here (`receipt_scan`): a supervisor's code is asked first unless one
is already at the till screen.
"""

from __future__ import annotations

import logging
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import (
    BooleanProperty,
    NumericProperty,
    ObjectProperty,
    OptionProperty,
    StringProperty,
)
from kivy.uix.boxlayout import BoxLayout

import kiosk.widgets.bigbutton
import kiosk.widgets.header
import kiosk.widgets.numpad  # noqa: F401  (kv rules of the widgets used below)
from kiosk.domain.money import format_amount, format_dkk, round_cash
from kiosk.domain.payment import METHOD_NAMES
from kiosk.domain.receipt import Receipt
from kiosk.errors import DomainError, KioskError
from kiosk.i18n import L_, _, format_clock
from kiosk.printouts.receipt import receipt_document
from kiosk.screens.base import KioskScreen
from kiosk.services.people import REFUND
from kiosk.services.sales import SUPERVISORS, SaleSummary
from kiosk.services.shop import PrintOutcome
from kiosk.widgets import icon, theme
from kiosk.widgets.bigbutton import BigButton
from kiosk.widgets.dialog import confirm
from kiosk.widgets.explained import explained
from kiosk.widgets.pin_popup import PinPopup

if TYPE_CHECKING:
    from kiosk.screens.shell import Shell
    from kiosk.services.people import PersonView

log = logging.getLogger(__name__)


def how_to_pay_back(method: str) -> str:
    return {
        "cash": _("Tag pengene op af skuffen."),
        "card": _("Lav en retur på kortterminalen."),
        "mobilepay": _("Send pengene tilbage med MobilePay."),
    }[method]


# ---- what the scan router calls ------------------------------------------------------------------------


def receipt_scan(shell: Shell, token: str) -> None:
    """A receipt's code was scanned: open that sale on the refund screen (a supervisor approves first)."""
    if shell.counter.busy:
        raise DomainError(user_message=L_("Gør betalingen færdig først"))
    sale_id = shell.services.sales.find_by_token(token)
    supervisor = shell.supervisor if shell.current in ("refund", "till_admin") else None
    if supervisor is not None:
        shell.go("refund", supervisor=supervisor, sale_id=sale_id)
        return
    supervisors = [p for p in shell.services.people.staff() if p.role in SUPERVISORS and p.has_pin]
    popup = PinPopup(supervisors, shell.services.code_guard, REFUND, title=_("Retur: en ansvarlig"))
    popup.bind(on_accepted=lambda _p, who: shell.go("refund", supervisor=who, sale_id=sale_id))
    popup.open(animation=False)


# ---- the screen --------------------------------------------------------------------------------------


class SaleButton(BigButton):
    sale_id = ObjectProperty(None)


class RefundRow(BoxLayout):
    """One line of the original sale: what was bought, and how many of it go back (0 to what is left)."""

    position = NumericProperty(0)
    name = StringProperty("")
    bought = StringProperty("")  # "Købt 2 × 15,00"
    unit_price_ore = NumericProperty(0)
    left = NumericProperty(0)  # pieces still refundable
    chosen = NumericProperty(0)
    amount = StringProperty("")  # "-15,00 kr." for the chosen pieces

    def on_chosen(self, *_args: Any) -> None:
        self.amount = format_dkk(-self.unit_price_ore * self.chosen) if self.chosen else ""

    def step(self, delta: int) -> None:
        self.chosen = min(max(self.chosen + delta, 0), self.left)


class RefundScreen(KioskScreen):
    supervisor: PersonView | None = ObjectProperty(None, allownone=True)
    sale_id: uuid.UUID | None = ObjectProperty(None, allownone=True)  # the sale being refunded
    step = OptionProperty("find", options=("find", "lines", "done"))
    original_text = StringProperty("")  # "Kvittering nr. 12 · 14.05 · 44,75 kr."
    total_text = StringProperty("")  # "-29,75 kr."
    has_chosen = BooleanProperty(False)
    method = StringProperty("")
    give_back_text = StringProperty("")  # the "done" step: what the customer gets, very large
    done_text = StringProperty("")
    hint = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._rows: list[RefundRow] = []

    # ---- showing ----

    def refresh(self) -> None:
        self.hint = ""
        self.ids.number_pad.clear()
        if self.sale_id is None:
            self.step = "find"
            self._fill_todays_sales()
        else:
            self._load(self.sale_id)

    def on_step(self, _screen: Any, step: str) -> None:
        self.ids.steps.current = step

    def back(self) -> None:
        if self.step == "lines":
            self.sale_id = None
            self.refresh()
        else:
            self.shell.go("till_admin", supervisor=self.supervisor)

    def _fill_todays_sales(self) -> None:
        box = self.ids.todays
        box.clear_widgets()
        for sale in self.services.sales.todays_sales():
            button = SaleButton(sale_id=sale.sale_id, text=_sale_title(sale), subtext=_sale_detail(sale))
            button.bind(on_release=lambda b: self.choose_sale(b.sale_id))
            box.add_widget(button)
        self.ids.no_sales.opacity = 0 if box.children else 1

    # ---- finding the sale ----

    def number_typed(self, digits: str) -> None:
        if not digits:
            self.hint = _("Tast kvitteringens nummer")
            return
        self.ids.number_pad.clear()
        with explained(self._problem):
            self.choose_sale(self.services.sales.find_by_number(int(digits)))

    def choose_sale(self, sale_id: uuid.UUID) -> None:
        self.sale_id = sale_id
        self._load(sale_id)

    def _problem(self, exc: KioskError) -> None:
        self.hint = _(exc.user_message)

    def _load(self, sale_id: uuid.UUID) -> None:
        sales = self.services.sales
        with explained(self._problem):
            receipt = sales.receipt(sale_id)
            left = sales.refundable(sale_id)
            self._show_lines(receipt, left)
            self.step = "lines"
            self.hint = ""
            return
        self.sale_id = None  # not found or not refundable: the hint says why
        self.step = "find"
        self._fill_todays_sales()

    def _show_lines(self, receipt: Receipt, left: dict[int, int]) -> None:
        number = _("Kvittering nr. {n}").format(n=receipt.number) if receipt.number is not None else _("Øvelse")
        self.original_text = " · ".join((number, format_clock(receipt.issued_at), format_dkk(receipt.total_ore)))
        self.method = receipt.tenders[0].method if receipt.tenders else "cash"
        box = self.ids.lines
        box.clear_widgets()
        self._rows = []
        # A sale's lines are stored in position order 0, 1, 2 ... (Sales.checkout), as the receipt lists them.
        for position, line in enumerate(receipt.lines):
            pieces = left.get(position, 0)
            bought = _("Købt {n} × {price}").format(n=line.quantity, price=format_amount(line.unit_price_ore))
            if pieces != line.quantity:
                bought += "\n" + _("{n} kan gives retur").format(n=pieces)  # a line of its own: never cut off
            row = RefundRow(
                position=position, name=line.name, bought=bought, unit_price_ore=line.unit_price_ore, left=pieces
            )
            row.bind(chosen=lambda *_a: self._show_total())
            self._rows.append(row)
            box.add_widget(row)
        self._show_total()
        if not any(r.left for r in self._rows):
            self.hint = _("Alt på denne kvittering er allerede givet retur")

    def whole_sale(self) -> None:
        for row in self._rows:
            row.chosen = row.left

    def _show_total(self) -> None:
        total = -sum(r.unit_price_ore * r.chosen for r in self._rows)
        self.has_chosen = total != 0
        self.total_text = format_dkk(total)

    def choose_method(self, method: str) -> None:
        self.method = method

    # ---- giving the money back ----

    def ask_refund(self) -> None:
        if not self.has_chosen:
            self.hint = _("Vælg mindst én vare")
            return
        confirm(
            _("Giv {amount} retur?").format(amount=format_dkk(self._handed_over_ore())),
            _("Pengene gives tilbage som {method}.").format(method=_(METHOD_NAMES[self.method])),
            self.refund,
            icon=icon("back"),
            yes_text=_("Giv retur"),
            no_text=_("Fortryd"),
            yes_colour=theme.ERROR,
        )

    def _handed_over_ore(self) -> int:
        """What the customer gets in hand: cash is paid out rounded to 50 øre (14,75 -> 15,00), the rest exactly."""
        chosen = sum(r.unit_price_ore * r.chosen for r in self._rows)
        return round_cash(chosen) if self.method == "cash" else chosen

    def refund(self) -> None:
        if self.sale_id is None or self.supervisor is None:
            return
        quantities = {r.position: r.chosen for r in self._rows if r.chosen}
        who = self.supervisor.id
        with explained(self._problem):
            result = self.services.sales.refund(
                self.sale_id, quantities, self.method, who, who, training=self.shell.training
            )
            paid_out = -sum(t.amount_ore for t in result.receipt.tenders)
            self.give_back_text = format_dkk(paid_out)
            self.done_text = how_to_pay_back(self.method) + " " + _("Kreditnotaen udskrives.")
            self.step = "done"
            self._print(result.receipt, drawer=self.method == "cash")

    def _print(self, receipt: Receipt, *, drawer: bool) -> None:
        def done(outcome: PrintOutcome) -> None:  # on the print thread
            problems = [_("Skuffen åbnede ikke – brug nøglen.")] if outcome.drawer_failed else []
            if not outcome.ok:
                problems.append(_("Printeren svarer ikke – tjek papir og strøm."))
            if problems:
                Clock.schedule_once(lambda _dt: self.shell.show_toast(" ".join(problems), "error", theme.TOAST_READ))

        doc = receipt_document(receipt, self.services.printer.columns)
        self.services.print_queue.submit(doc, done, open_drawer=drawer)

    def finish(self) -> None:
        self.sale_id = None
        self.refresh()


def _sale_title(sale: SaleSummary) -> str:
    number = _("Nr. {n}").format(n=sale.number) if sale.number is not None else _("Øvelse")
    return f"{number}  ·  {format_dkk(sale.total_ore)}"


def _sale_detail(sale: SaleSummary) -> str:
    methods = " + ".join(_(METHOD_NAMES.get(m, m)) for m in sale.methods)
    return f"{format_clock(sale.created_at)}  ·  {methods}"


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
