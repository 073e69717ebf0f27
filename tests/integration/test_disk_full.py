"""Full disk: the till refuses a sale it cannot store, says so in plain Danish, keeps running, and damages nothing
already stored.  When space is back the next sale takes the next receipt number, with no gap.

No loop-mounted filesystem (CI cannot mount): the database file is capped at its current size with SQLite's
`PRAGMA max_page_count` on every connection, so a write that needs a new page fails with SQLITE_FULL — exactly
the error SQLite gives when the disk itself is full.  The free-space floor before Betal is driven by raising the
floor above the real free space of the test's disk."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, event, select, text
from sqlalchemy.orm import Session, sessionmaker

from kiosk.bootstrap import open_database
from kiosk.db.engine import unit_of_work
from kiosk.db.models import JournalEntry, Person
from kiosk.domain.cart import Cart, CartLine
from kiosk.domain.payment import Payment
from kiosk.errors import DiskFullError, KioskError
from kiosk.services.sales import storage
from kiosk.services.sales.checkout import Sales
from tests.integration.test_power_cut import _check_whole

NOW = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)
SALE_NOT_STORED = "Disken er fuld – salget kan ikke gemmes. Ring til den ansvarlige."
NO_CAP = 4294967294  # SQLite's own ceiling


class FullDisk:
    """The edge of the world: while `full`, the database file cannot grow by a single page."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.full = False
        event.listen(engine, "checkout", self._apply)

    def _apply(self, dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        cursor = dbapi_connection.cursor()
        if self.full:
            pages = cursor.execute("PRAGMA page_count").fetchone()[0]
            cursor.execute(f"PRAGMA max_page_count = {int(pages)}")
        else:
            cursor.execute(f"PRAGMA max_page_count = {NO_CAP}")
        cursor.close()

    def close(self) -> None:
        event.remove(self.engine, "checkout", self._apply)


@pytest.fixture
def db(settings: Any) -> Iterator[tuple[sessionmaker[Session], FullDisk]]:
    engine, factory = open_database(settings)
    disk = FullDisk(engine)
    yield factory, disk
    disk.close()
    engine.dispose()


def _seller(sessions: sessionmaker[Session]) -> Person:
    with unit_of_work(sessions) as s:
        person = Person(name="Åse Ørbæk", role="worker")
        s.add(person)
    return person


def _paid_cart(n: int) -> tuple[Cart, Payment]:
    cart = Cart()
    cart.add(CartLine(None, "Sodavand, 33 cl", 1475, category="Café", quantity=1 + n % 3))
    cart.add(CartLine(None, f"Brugt bog nr. {n} – en lang titel der fylder godt på siden", 2500, category="Genbrug"))
    pay = Payment(cart.total_ore)
    pay.pay_cash(pay.cash_due_ore + 1000)
    return cart, pay


def _chain(sessions: sessionmaker[Session]) -> list[tuple[int, str, str]]:
    with unit_of_work(sessions) as s:
        return [(e.seq, e.kind, e.hash) for e in s.scalars(select(JournalEntry).order_by(JournalEntry.seq))]


def test_a_full_disk_refuses_the_sale_in_danish_and_damages_nothing_stored(settings, db) -> None:  # type: ignore[no-untyped-def]
    sessions, disk = db
    seller = _seller(sessions)
    sales = Sales(sessions, settings, lambda: NOW)
    for n in range(3):
        sales.checkout(*_paid_cart(n), seller.id)
    before = _chain(sessions)

    disk.full = True
    sold_while_filling, refused = 0, None
    for n in range(3, 2000):  # sell until the disk is full (what fits in the last pages is still stored)
        try:
            sales.checkout(*_paid_cart(n), seller.id)
            sold_while_filling += 1
        except DiskFullError as exc:
            refused = exc
            break
    assert refused is not None, "the capped database never filled up"
    assert refused.user_message == SALE_NOT_STORED
    assert isinstance(refused, KioskError)  # shown as a toast by the screens, never a crash

    # The till keeps running: it still reads, and a second try is refused the same clean way.
    assert len(sales.todays_sales()) == 3 + sold_while_filling
    with pytest.raises(DiskFullError, match="disk is full"):
        sales.checkout(*_paid_cart(9999), seller.id)

    # Nothing already stored is damaged: same file, same chain prefix, every sale whole, numbers gapless.
    with unit_of_work(sessions) as s:
        assert s.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    assert _chain(sessions)[: len(before)] == before
    stored = _check_whole(settings, sessions)
    assert stored == 3 + sold_while_filling

    # Space is back: the next sale takes the next number.
    disk.full = False
    result = sales.checkout(*_paid_cart(10_000), seller.id)
    assert result.receipt.number == stored + 1
    assert _check_whole(settings, sessions) == stored + 1


def test_betal_is_refused_before_any_money_when_free_space_is_below_the_floor(settings, db) -> None:  # type: ignore[no-untyped-def]
    sessions, _disk = db
    sales = Sales(sessions, settings, lambda: NOW)
    assert sales.min_free_bytes == settings.kiosk.min_free_mb * storage.MB > 0
    sales.ensure_room()  # the test machine has more than 20 MB free

    free = storage.free_bytes(settings.data_dir)
    sales.min_free_bytes = free + 1024 * storage.MB  # the disk is (for this till) full
    with pytest.raises(DiskFullError) as refused:
        sales.ensure_room()
    assert refused.value.user_message == SALE_NOT_STORED

    sales.min_free_bytes = 0  # a floor of 0 turns the check off
    sales.ensure_room()


def test_the_floor_watches_the_disk_that_holds_the_database(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import dataclasses

    from kiosk.config import DatabaseSettings

    assert storage.database_dir(settings) == settings.data_dir
    elsewhere = tmp_path / "other" / "kiosk.sqlite"
    moved = dataclasses.replace(settings, database=DatabaseSettings(url=f"sqlite:///{elsewhere}"))
    assert storage.database_dir(moved) == elsewhere.parent
    assert storage.free_bytes(elsewhere.parent / "not" / "made" / "yet") > 0  # measured on the nearest parent
