"""Full disk at the till, as the cashier meets it: Betal is refused before any money is taken when the disk is
below its floor; a sale that no longer fits on the disk is refused in plain Danish while the kiosk keeps running,
the money is handed back, and once there is room again the sale goes through with the next receipt number.

The full disk is the session database capped at its size with SQLite's `PRAGMA max_page_count` (SQLITE_FULL,
the error a full disk gives; see tests/integration/test_disk_full.py); the cap is lifted after each test.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event, func, select

from tests.ui.helpers import button_with_text, lock_till, open_till, tap

SALE_NOT_STORED = "Disken er fuld – salget kan ikke gemmes. Ring til den ansvarlige."
NO_CAP = 4294967294


class FullDisk:
    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.full = False
        event.listen(engine, "checkout", self._apply)

    def _apply(self, dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        cursor = dbapi_connection.cursor()
        pages = cursor.execute("PRAGMA page_count").fetchone()[0] if self.full else NO_CAP
        cursor.execute(f"PRAGMA max_page_count = {int(pages)}")
        cursor.close()

    def close(self) -> None:
        self.full = False
        event.remove(self.engine, "checkout", self._apply)
        with self.engine.connect() as conn:  # leave no pooled connection capped
            conn.exec_driver_sql(f"PRAGMA max_page_count = {NO_CAP}")
        self.engine.dispose()


@pytest.fixture
def disk(services: Any) -> Iterator[FullDisk]:
    full = FullDisk(services.engine)
    yield full
    full.close()


@pytest.fixture
def sale(app: Any, services: Any) -> Iterator[Any]:
    yield open_till(app, services)
    lock_till(app)


def receipts(services: Any) -> list[int]:
    from kiosk.db.models import Sale

    with services.sessions() as s:
        return list(s.scalars(select(Sale.receipt_no).where(Sale.receipt_no.is_not(None)).order_by(Sale.receipt_no)))


def sales_count(services: Any) -> int:
    from kiosk.db.models import Sale

    with services.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(Sale)) or 0)


def add_coffee(sale: Any) -> None:
    tap(next(t for t in sale.ids.products.children if t.name == "Kaffe, kop"))


def pay_exact_cash(app: Any, sale: Any) -> Any:
    tap(sale.ids.pay)
    assert app.sm.current == "pay"
    pay = app.sm.get_screen("pay")
    tap(pay.ids.cash)
    tap(pay.ids.exact)
    return pay


def test_betal_is_refused_before_money_is_taken_when_the_disk_is_nearly_full(
    app: Any, services: Any, sale: Any
) -> None:
    from kiosk.services.sales import storage

    floor = services.sales.min_free_bytes
    add_coffee(sale)
    services.sales.min_free_bytes = storage.free_bytes(services.settings.data_dir) + 1024 * storage.MB
    try:
        tap(sale.ids.pay)
    finally:
        services.sales.min_free_bytes = floor
    assert app.sm.current == "sale", "the payment began on a full disk"
    assert app.toast.text == SALE_NOT_STORED
    assert app.counter.payment is None and not app.counter.busy  # no money taken
    assert [ln.name for ln in app.counter.cart.lines] == ["Kaffe, kop"]  # the cart waits


def test_a_sale_the_full_disk_cannot_store_is_refused_the_money_handed_back_and_sold_later_with_the_next_number(
    app: Any, services: Any, sale: Any, disk: FullDisk
) -> None:
    from kivy.core.window import Window

    from kiosk.db.engine import unit_of_work
    from kiosk.services.records import journal
    from kiosk.widgets.dialog import ConfirmDialog

    disk.full = True
    pay = None
    for _ in range(30):  # sell coffee until the disk is full; what still fits is stored whole
        add_coffee(sale)
        pay = pay_exact_cash(app, sale)
        if pay.stage != "receipt":
            break
        tap(pay.ids.receipt_no)
        tap(pay.ids.new_sale)
    assert pay is not None and pay.stage == "paying", "the capped database never filled up"
    stored = receipts(services)
    count = sales_count(services)

    assert app.toast.text == SALE_NOT_STORED
    assert app.toast.kind == "error"
    assert app.sm.current == "pay" and app.counter.busy  # still running, the taken money still on screen

    tap(button_with_text(pay, "Tilbage"))  # "Vil du fortryde betalingen? Giv kunden 15,00 kr. tilbage."
    dialog = next(w for w in Window.children if isinstance(w, ConfirmDialog))
    tap(button_with_text(dialog, "Ja"))
    assert app.sm.current == "sale"
    assert [(ln.name, ln.quantity) for ln in app.counter.cart.lines] == [("Kaffe, kop", 1)]

    # Nothing stored was damaged and nothing half-stored: numbers gapless, the journal chain whole.
    assert stored == list(range(1, len(stored) + 1))
    with unit_of_work(services.sessions) as s:
        assert journal.verify(s, services.settings.kiosk.id).ok

    disk.full = False  # room again (the lead empties the disk)
    pay = pay_exact_cash(app, sale)
    assert pay.stage == "receipt"
    assert receipts(services) == [*stored, len(stored) + 1]  # the next number, whether or not any fitted
    assert sales_count(services) == count + 1
    tap(pay.ids.receipt_no)
    tap(pay.ids.new_sale)
