"""The counter between the Køb and Betal screens: who sells, the cart, its payment and the sale just finished.

One Counter lives beside the App, so a cart survives screens being rebuilt (language switch).  The rules live in
Cart, Payment and the services; this keeps them together, journals who did what, and hands printing to the
print queue.  Plain Python: screens listen (`add_listener`) and redraw; print and drawer outcomes arrive on a
worker thread, and callers hand them to the UI thread.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from kiosk.devices.base import ReceiptPrinter
from kiosk.domain.cart import Cart, CartLine
from kiosk.domain.payment import Method, Payment, TenderLine
from kiosk.errors import DomainError, KioskError
from kiosk.i18n import L_
from kiosk.printouts.document import Document
from kiosk.printouts.receipt import receipt_document
from kiosk.services.sales.catalog import ProductView
from kiosk.services.sales.checkout import CheckoutResult, Sales
from kiosk.services.sales.till import Till

log = logging.getLogger(__name__)

# Why a cart was dropped, in the journal (Danish, like the rest of the journal's words).
ANNULLED_BY_SELLER = "annulleret af sælgeren før betaling"
ANNULLED_AT_LOGOUT = "sælgeren loggede ud"
ANNULLED_WHEN_IDLE = "kassen blev låst efter inaktivitet"

Change = Literal["cart", "seller"]  # what a listener is told changed
Listener = Callable[[Change], None]
DrawerDone = Callable[[bool, str], None]
PrintDone = Callable[[Any], None]  # called with the print queue's PrintOutcome


class Seller(Protocol):
    """Who sells: a person from the directory (only these two are read here)."""

    @property
    def id(self) -> uuid.UUID: ...

    @property
    def first_name(self) -> str: ...


class PrintQueue(Protocol):
    def submit(self, doc: Document, done: Any = None, *, open_drawer: bool = False) -> None: ...


class CounterServices(Protocol):
    """What the counter uses of the kiosk's services (kiosk.bootstrap.Services has them all)."""

    sales: Sales
    till: Till
    printer: ReceiptPrinter
    print_queue: PrintQueue

    def record(self, kind: str, **payload: object) -> None: ...


@dataclass(frozen=True)
class FinishedSale:
    """A stored sale and the payment that settled it (what the "Tak!" screen shows)."""

    result: CheckoutResult
    payment: Payment

    @property
    def sale_id(self) -> uuid.UUID:
        return self.result.sale_id

    @property
    def had_cash(self) -> bool:
        return any(t.method == "cash" for t in self.payment.tenders)


class Counter:
    def __init__(self, services: CounterServices) -> None:
        self.services = services
        self.cart = Cart()
        self.payment: Payment | None = None
        self.finished: FinishedSale | None = None
        self.last_line: CartLine | None = None  # the line the last tap or scan changed (highlighted)
        self.changed = 0  # bumps whenever the cart or the payment changes
        self._seller: Seller | None = None
        self._listeners: list[Listener] = []

    # ---- listeners (the screens redraw) ----

    def add_listener(self, listener: Listener) -> None:
        """Heard once per change; adding the same listener again does nothing (a screen entered again)."""
        if listener not in self._listeners:
            self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _tell(self, what: Change) -> None:
        for listener in list(self._listeners):
            listener(what)

    def _bump(self) -> None:
        self.changed += 1
        self._tell("cart")

    # ---- who sells ----

    @property
    def seller(self) -> Seller | None:
        """Who sells; None: the till is locked."""
        return self._seller

    @seller.setter
    def seller(self, person: Seller | None) -> None:
        if person != self._seller:
            self._seller = person
            self._tell("seller")

    def log_in(self, person: Seller) -> None:
        if self.seller is not None and self.seller.id == person.id:
            return
        if self.seller is not None:
            self.log_out()
        self.services.record("login", person=str(person.id))
        self.seller = person
        log.info("till opened by %s", person.first_name)

    def log_out(self, reason: str = ANNULLED_AT_LOGOUT) -> None:
        """An unpaid cart is annulled (journaled) first: the next seller starts clean."""
        if self.busy:
            raise DomainError(user_message=L_("Gør betalingen færdig først"))
        seller = self.seller
        if seller is None:
            return
        self.annul(reason)
        self.services.record("logout", person=str(seller.id))
        self.seller = None

    def lock(self) -> None:
        """Idle: never while a payment is half taken (`busy`); a paid sale is already stored."""
        if self.busy:
            return
        if self.seller is None:
            self.clear()
        else:
            self.log_out(ANNULLED_WHEN_IDLE)
        self.finished = None

    @property
    def busy(self) -> bool:
        """Part of the money is taken and the sale is not stored yet."""
        return self.payment is not None and bool(self.payment.tenders)

    # ---- the cart ----

    def add(self, product: ProductView) -> CartLine:
        if self.busy:
            raise DomainError(user_message=L_("Gør betalingen færdig først"))
        self.payment = None
        line = self.cart.add(
            CartLine(product.id, product.name, product.price_ore, product.vat_rate_bp, product.category)
        )
        self.last_line = line
        self._bump()
        return line

    def change(self, line: CartLine, delta: int) -> None:
        before = line.quantity
        self.cart.change(line, delta)
        self.last_line = line if line in self.cart.lines else None
        if delta < 0:
            self._journal_reduced(line, before, max(before + delta, 0))
        self._bump()

    def remove(self, line: CartLine) -> None:
        self.cart.remove(line)
        self.last_line = None
        self._journal_reduced(line, line.quantity, 0)
        self._bump()

    def _journal_reduced(self, line: CartLine, before: int, after: int) -> None:
        """§ 65 asks for every action at the till: a line taken off or lowered before payment is journaled (an
        added line is not: the sale itself carries what was bought)."""
        if self.seller is not None:
            self.services.till.line_reduced(self.seller.id, _line_record(line), before, after)

    def clear(self) -> None:
        self.cart = Cart()
        self.payment = None
        self.last_line = None
        self._bump()

    def annul(self, reason: str = ANNULLED_BY_SELLER) -> None:
        """Drop an unpaid cart, journaled with who and why (till.annulled)."""
        if self.cart.empty:
            return
        if self.seller is None:
            raise DomainError(user_message=L_("Log ind først"))
        lines = [_line_record(ln) for ln in self.cart.lines]
        self.services.till.annulled(self.seller.id, lines, self.cart.total_ore, reason)
        self.clear()

    # ---- paying ----

    def begin_payment(self) -> Payment:
        if self.cart.empty:
            raise DomainError(user_message=L_("Kurven er tom"))
        if self.payment is None or self.payment.total_ore != self.cart.total_ore:
            self.services.sales.ensure_room()  # a full disk refuses here (Betal), before any money is taken
            self.payment = Payment(self.cart.total_ore)
        self.finished = None
        return self.payment

    def cancel_payment(self) -> None:
        self.payment = None
        self._bump()

    def pay_cash(self, received_ore: int) -> TenderLine:
        line = self.begin_payment().pay_cash(received_ore)
        self._bump()
        return line

    def pay_electronic(self, method: Method, reference: str | None = None) -> None:
        self.begin_payment().pay_electronic(method, reference=reference)
        self._bump()

    def undo_tender(self) -> None:
        if self.payment is not None:
            self.payment.undo_last()
            self._bump()

    def checkout(self, *, training: bool) -> FinishedSale:
        """Store the paid sale (one quick transaction on the UI thread) and start a fresh cart."""
        if self.seller is None:
            raise DomainError(user_message=L_("Log ind først"))
        payment = self.payment
        if payment is None or not payment.done:
            raise DomainError(user_message=L_("Købet er ikke betalt endnu"))
        result = self.services.sales.checkout(self.cart, payment, self.seller.id, training=training)
        self.finished = FinishedSale(result, payment)
        self.cart = Cart()
        self.payment = None
        self.last_line = None
        self._bump()
        return self.finished

    def receipt_declined(self, sale_id: uuid.UUID) -> None:
        """ "Nej tak" to a receipt: journaled with the sale (§ 65: the receipt the customer did not take)."""
        if self.seller is not None:
            self.services.till.receipt_declined(self.seller.id, sale_id)

    # ---- printer and drawer (never waited for) ----

    def print_receipt(self, sale_id: uuid.UUID, done: PrintDone, *, copy: bool = False, drawer: bool = False) -> None:
        sales = self.services.sales
        if copy:
            receipt = sales.receipt(sale_id, copy=True, by=self.seller.id if self.seller else None)
        elif self.finished is not None and self.finished.sale_id == sale_id:
            receipt = self.finished.result.receipt
        else:
            receipt = sales.receipt(sale_id)
        doc = receipt_document(receipt, self.services.printer.columns)
        self.services.print_queue.submit(doc, done, open_drawer=drawer)

    def open_drawer(self, done: DrawerDone) -> None:
        """Kick the drawer on its own thread (the print queue only takes documents).  `done(ok, message)`
        is called from that thread."""
        printer = self.services.printer

        def kick() -> None:
            try:
                printer.open_drawer()
            except KioskError as exc:
                log.warning("drawer did not open: %s", exc)
                done(False, exc.user_message)
            except Exception as exc:  # a printer bug must not pass silently: the cashier needs the drawer
                log.exception("drawer kick failed")
                done(False, str(exc))
            else:
                done(True, "")

        threading.Thread(target=kick, name="drawer", daemon=True).start()


def _line_record(line: CartLine) -> dict[str, Any]:
    """A cart line as the journal keeps it (product id, so a later rename does not change what it says)."""
    return {
        "product": str(line.product_id) if line.product_id else None,
        "name": line.name,
        "quantity": line.quantity,
        "unit_price_ore": line.unit_price_ore,
        "total_ore": line.total_ore,
    }
