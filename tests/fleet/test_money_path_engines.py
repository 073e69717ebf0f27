"""The checkout's statements run on the driver's cursor (kiosk.db.prepared), compiled for whichever database the
kiosk uses: on SQLite and on a real PostgreSQL the sale comes back whole, numbered, in UTC, and its signed journal
entry verifies.  A refused sale leaves nothing behind on either."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from kiosk.bootstrap import open_database
from kiosk.db.engine import unit_of_work
from kiosk.db.models import JournalEntry, Person, Sale
from kiosk.domain.cart import Cart, CartLine
from kiosk.domain.payment import Payment
from kiosk.errors import DomainError
from kiosk.services.records import journal
from kiosk.services.sales.checkout import Sales
from tests.fleet.postgres import Cluster

NOW = datetime(2026, 12, 4, 9, 15, 30, 123456, tzinfo=UTC)


@pytest.mark.parametrize("engine_name", ["sqlite", "postgresql"])
def test_two_sales_are_stored_whole_numbered_and_journaled_on_either_database(
    engine_name: str, postgres: Cluster, tmp_path: Path
) -> None:
    settings = postgres.kiosk_settings(engine_name, tmp_path)
    engine, sessions = open_database(settings, till=True)
    try:
        with unit_of_work(sessions) as s:
            seller = Person(name="Åse Ørbæk", role="worker")
            s.add(seller)
        sales = Sales(sessions, settings, lambda: NOW)
        cart = Cart()
        cart.add(CartLine(None, "Kaffe, kop", 1500, category="Café", quantity=2))
        cart.add(CartLine(None, "Kanelsnegl", 1750, category="Bageri"))
        cash = Payment(cart.total_ore)
        cash.pay_cash(10000)
        first = sales.checkout(cart, cash, seller.id)
        card = Payment(cart.total_ore)
        card.pay_electronic("card", reference="1234")
        second = sales.checkout(cart, card, seller.id)
        assert (first.receipt.number, second.receipt.number) == (1, 2)

        with pytest.raises(DomainError, match="Sælgeren findes ikke"):  # an unknown seller: refused, nothing kept
            sales.checkout(cart, card, first.sale_id)

        with unit_of_work(sessions) as s:
            stored = s.scalars(
                select(Sale).order_by(Sale.receipt_no).options(selectinload(Sale.lines), selectinload(Sale.tenders))
            ).all()
            assert [sale.id for sale in stored] == [first.sale_id, second.sale_id]
            sale = stored[0]
            assert sale.created_at == NOW and sale.created_at.tzinfo == UTC  # to the microsecond, aware
            assert (sale.total_ore, sale.vat_ore, sale.rounding_ore, sale.training) == (4750, 950, 0, False)
            assert [(ln.position, ln.name, ln.quantity, ln.total_ore) for ln in sale.lines] == [
                (0, "Kaffe, kop", 2, 3000),
                (1, "Kanelsnegl", 1, 1750),
            ]
            assert [(t.method, t.amount_ore, t.received_ore, t.change_ore) for t in sale.tenders] == [
                ("cash", 4750, 10000, 5250)
            ]
            assert stored[1].tenders[0].reference == "1234"
            entries = s.scalars(select(JournalEntry).order_by(JournalEntry.seq)).all()
            assert [(e.kind, e.sale_id, e.person_id) for e in entries] == [
                ("sale", first.sale_id, seller.id),
                ("sale", second.sale_id, seller.id),
            ]
            assert all(e.signature for e in entries)
            assert journal.verify(s, settings.kiosk.id).ok
    finally:
        engine.dispose()
