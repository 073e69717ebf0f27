"""The database file under a running kiosk, as someone with a shell (or a bad script) meets it: the WAL or the
database deleted or replaced while the kiosk sells.  The kiosk stops storing with a plain Danish message instead
of confirming sales into a file nobody will open again, and what it had stored comes back with `kiosk restore`."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.bootstrap import Services, build_services, open_database
from kiosk.config import Settings
from kiosk.db.engine import unit_of_work
from kiosk.db.file_guard import DatabaseGoneError
from kiosk.db.models import Person
from kiosk.devices.printer import PreviewPrinter
from kiosk.devices.scanner import FakeScanner
from kiosk.domain.cart import Cart, CartLine
from kiosk.domain.payment import Payment
from kiosk.services.records import EarlierDatabaseMissing, restore
from kiosk.services.sales import CheckoutResult, Sales

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)


@pytest.fixture
def services(settings: Settings) -> Iterator[Services]:
    built = build_services(settings, printer=PreviewPrinter(42), scanner=FakeScanner(), clock=lambda: NOW)
    yield built
    built.close()


def _seller(services: Services) -> Person:
    with unit_of_work(services.sessions) as s:
        person = Person(name="Åse Ørbæk", role="worker")
        s.add(person)
    return person


def _sell(sales: Sales, seller: Person) -> CheckoutResult:
    cart = Cart()
    cart.add(CartLine(None, "Kaffe, kop", 1500, category="Café"))
    pay = Payment(cart.total_ore)
    pay.pay_cash(2000)
    return sales.checkout(cart, pay, seller.id)


def _receipts(db: Path) -> list[int]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return [row[0] for row in conn.execute("SELECT receipt_no FROM sales ORDER BY receipt_no")]


@pytest.mark.parametrize("lost", ["-wal", ""], ids=["wal deleted", "database deleted"])
def test_a_database_file_deleted_under_the_running_kiosk_stops_selling_and_loses_nothing_confirmed(
    settings: Settings, services: Services, lost: str
) -> None:
    db = settings.data_dir / "kiosk.sqlite"
    seller = _seller(services)
    assert [_sell(services.sales, seller).receipt.number for _ in range(3)] == [1, 2, 3]
    victim = db.with_name(db.name + lost)
    assert victim.exists()
    victim.unlink()

    for _ in range(2):  # refused, and it stays refused: no sale is confirmed into a file nobody will open
        with pytest.raises(DatabaseGoneError) as caught:
            _sell(services.sales, seller)
    said = caught.value.user_message
    assert said.startswith("Databasen er slettet eller skiftet ud, mens kiosken kørte, så kiosken gemmer ikke mere.")
    [rescued] = sorted(settings.data_dir.glob("kiosk.rescued-*.sqlite"))
    assert "Alt gemt indtil nu er reddet i en kopi. Ring til den ansvarlige." in said
    assert _receipts(rescued) == [1, 2, 3]  # every confirmed sale is in the rescued copy
    assert stat.S_IMODE(rescued.stat().st_mode) == 0o600

    # The kiosk is killed (no clean close that could still fold the lost WAL into the file) and started again:
    # the start refuses the file that misses the last sales (or is gone), naming the copy to put back.
    with pytest.raises(EarlierDatabaseMissing) as refused:
        open_database(settings)
    assert f"kiosk restore {rescued}" in refused.value.user_message
    services.close()
    restore(settings, rescued)  # what the start screen tells the person in charge to do
    engine, sessions = open_database(settings)
    try:
        assert _receipts(db) == [1, 2, 3]
        assert _sell(Sales(sessions, settings, lambda: NOW), seller).receipt.number == 4  # no number used twice
    finally:
        engine.dispose()


def test_a_database_replaced_by_another_file_under_the_running_kiosk_stops_selling(
    settings: Settings, services: Services, tmp_path: Path
) -> None:
    db = settings.data_dir / "kiosk.sqlite"
    seller = _seller(services)
    _sell(services.sales, seller)
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).close()
    os.replace(other, db)  # mv other.sqlite kiosk.sqlite
    with pytest.raises(DatabaseGoneError):
        _sell(services.sales, seller)


def test_the_database_is_private_to_the_kiosk_user(settings: Settings) -> None:
    engine, _sessions = open_database(settings)
    engine.dispose()
    db = settings.data_dir / "kiosk.sqlite"
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert stat.S_IMODE(settings.data_dir.stat().st_mode) == 0o700
