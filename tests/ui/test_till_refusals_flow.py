"""What the cashier sees when the till cannot store a sale: a clock set back (refused at Betal, before any money
is taken) and a database that turned read-only mid-sale (the SD card remounted read-only).  Each time a plain
Danish message on screen, the kiosk keeps running and the cart waits."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event

from tests.conftest import SettableClock
from tests.ui.conftest import NOW
from tests.ui.helpers import button_with_text, lock_till, open_till, tap


@pytest.fixture
def sale(app: Any, services: Any) -> Iterator[Any]:
    yield open_till(app, services)
    lock_till(app)


@pytest.fixture
def clock(services: Any) -> Iterator[SettableClock]:
    """The sales service's clock, moved by the test; the session's clock comes back afterwards."""
    from kiosk.db.engine import unit_of_work
    from kiosk.services.records import clock_guard

    with unit_of_work(services.sessions) as s:
        clock_guard.remember(s, NOW)  # what the session's sales leave behind, even when this test runs alone
    settable = SettableClock(NOW)
    original = services.sales._clock
    services.sales._clock = settable
    yield settable
    services.sales._clock = original


def add_coffee(sale: Any) -> None:
    tap(next(t for t in sale.ids.products.children if t.name == "Kaffe, kop"))


def test_betal_with_the_clock_set_back_says_both_times_and_the_cart_waits(
    app: Any, services: Any, sale: Any, clock: SettableClock
) -> None:
    add_coffee(sale)
    clock.now = NOW - timedelta(days=1)
    tap(sale.ids.pay)
    assert app.toast.text == (
        "Uret går forkert: det er 22.11.2026 kl. 14.05, men sidste post i journalen er fra 23.11.2026 kl. 14.05. "
        "Ret uret (eller tilkald en leder)."
    )
    assert app.toast.kind == "error"
    assert app.sm.current == "sale" and app.counter.payment is None  # no money taken
    assert [(ln.name, ln.quantity) for ln in app.counter.cart.lines] == [("Kaffe, kop", 1)]


class ReadOnlyDisk:
    """The session database turned read-only mid-sale: the kiosk's connections are opened again by SQLite in
    read-only mode (`mode=ro`), as on a card the kernel remounted read-only: reads work, a write fails with
    "attempt to write a readonly database".  File modes could not do it: the tests run as root in CI."""

    def __init__(self, services: Any) -> None:
        from kiosk.db.engine import sqlite_file

        self.engine = services.engine
        self.path = sqlite_file(services.settings.database_url)
        self.on = False

    def now(self) -> None:
        event.listen(self.engine, "do_connect", self._open_read_only)
        self.on = True
        self.engine.dispose()  # the idle pooled connections go; the next ones open read-only

    def _open_read_only(self, _dialect: Any, _record: Any, _cargs: Any, _cparams: Any) -> sqlite3.Connection:
        return sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)

    def close(self) -> None:
        if self.on:
            event.remove(self.engine, "do_connect", self._open_read_only)
        self.engine.dispose()  # writable again for the next test


@pytest.fixture
def disk(services: Any) -> Iterator[ReadOnlyDisk]:
    read_only = ReadOnlyDisk(services)
    yield read_only
    read_only.close()


def test_a_sale_on_a_disk_that_turned_read_only_is_told_in_danish_and_the_cart_waits(
    app: Any, services: Any, sale: Any, disk: ReadOnlyDisk
) -> None:
    from kivy.core.window import Window

    from kiosk.widgets.dialog import ConfirmDialog

    add_coffee(sale)
    tap(sale.ids.pay)
    assert app.sm.current == "pay"
    disk.now()  # the kernel remounts the SD card read-only while the customer pays
    pay = app.sm.get_screen("pay")
    tap(pay.ids.cash)
    tap(pay.ids.exact)
    assert app.toast.text == (
        "Kiosken kan ikke skrive på sit SD-kort (det er skrivebeskyttet), så intet bliver gemt. "
        "Ring til den ansvarlige."
    )
    assert app.toast.kind == "error"
    assert app.sm.current == "pay" and pay.stage == "paying"  # still running, the money taken still on screen

    tap(button_with_text(pay, "Tilbage"))  # "Vil du fortryde betalingen? Giv kunden 15,00 kr. tilbage."
    tap(button_with_text(next(w for w in Window.children if isinstance(w, ConfirmDialog)), "Ja"))
    assert app.sm.current == "sale"
    assert [(ln.name, ln.quantity) for ln in app.counter.cart.lines] == [("Kaffe, kop", 1)]
