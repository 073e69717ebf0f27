"""Betal after a printer that did not answer: "Tak!" says "Starter af sig selv om lidt", so once the cashier has
closed the printer message the till must go on to a fresh sale by itself (it stood on "Tak!" until someone tapped
Nyt køb, found walking the kiosk as a first-day cashier)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.ui.helpers import button_with_text, lock_till, open_till, tap, wait_modal, wait_until


@pytest.fixture(autouse=True)
def _fresh_till(app: Any, services: Any) -> Iterator[None]:
    def clean() -> None:
        lock_till(app)
        services.printer.online = True

    clean()
    yield
    clean()


def test_closing_the_printer_message_still_starts_a_new_sale_by_itself(
    app: Any, services: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kiosk.screens.sales import pay as pay_module
    from kiosk.widgets.dialog import ConfirmDialog

    monkeypatch.setattr(pay_module, "NEW_SALE_AFTER_S", 0.5)  # the wait itself, not what is tested, made short
    sale = open_till(app, services)
    tap(next(t for t in sale.ids.products.children if t.name == "Kanelsnegl"))
    tap(sale.ids.pay)
    pay = app.sm.get_screen("pay")
    services.printer.online = False  # the cable pulled just before the receipt
    tap(pay.ids.mobilepay)  # no drawer to open: the printer's message is the only one
    tap(pay.ids.mobilepay_yes)
    tap(pay.ids.receipt_yes)

    dialog = wait_modal(ConfirmDialog)
    assert f"{dialog.title} {dialog.message}" == "Salget er gemt. Printeren svarer ikke – tjek papir og strøm."
    assert pay.stage == "done"  # "Tak!", "Nyt køb" and "Starter af sig selv om lidt" behind the message
    tap(button_with_text(dialog, "Luk"))

    wait_until(lambda: app.sm.current == "sale", timeout=10, what="a fresh sale after the printer message")
    assert not app.counter.cart.lines
