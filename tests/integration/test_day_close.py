"""Closing the till as a supervisor does it: X at any time, Z with a blind count, figures checked by hand."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from kiosk.db.models import JournalEntry, Person
from kiosk.domain.cart import Cart, CartLine
from kiosk.domain.payment import Payment
from kiosk.errors import DomainError
from kiosk.printouts.day_report import day_report_document
from kiosk.services.sales.checkout import Sales
from kiosk.services.sales.till import Till

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


def _sell(sales: Sales, seller: Person, lines: list[tuple[str, str, int, int]], method: str, **kw: bool):  # type: ignore[no-untyped-def]
    cart = Cart()
    for name, category, price, qty in lines:
        cart.add(CartLine(None, name, price, category=category, quantity=qty))
    pay = Payment(cart.total_ore)
    if method == "cash":
        pay.pay_cash(pay.cash_due_ore)
    else:
        pay.pay_electronic(method)  # type: ignore[arg-type]
    return sales.checkout(cart, pay, seller.id, **kw)


def test_x_and_z_reports_match_figures_computed_by_hand(settings, sessions, staff) -> None:  # type: ignore[no-untyped-def]
    worker, boss = staff
    sales, till = Sales(sessions, settings, lambda: NOW), Till(sessions, settings, lambda: NOW)
    # 1) cash 14,75 -> paid 15,00 (rounding +0,25); 2) card 2 x 32,00 = 64,00; 3) MobilePay 95,00
    s1 = _sell(sales, worker, [("Sodavand", "Café", 1475, 1)], "cash")
    _sell(sales, worker, [("Rugbrød", "Bageri", 3200, 2)], "card")
    _sell(sales, boss, [("Grøntsagskasse", "Lokalt", 9500, 1)], "mobilepay")
    _sell(sales, worker, [("Kaffe", "Café", 1500, 10)], "cash", training=True)  # kept out of totals
    sales.refund(s1.sale_id, {0: 1}, "cash", worker.id, boss.id)  # -14,75 paid out as -15,00
    till.annulled(worker.id, [{"name": "Kaffe", "qty": 1}], 1500, "kunden fortrød")
    till.cash_movement(boss.id, "cash_in", 50000, "byttepenge fra banken")
    till.drawer_opened(worker.id, "veksle")

    x = till.x_report()
    assert (x.sales_count, x.refunds_count, x.training_count, x.annulments_count, x.drawer_openings) == (3, 1, 1, 1, 1)
    assert x.gross_ore == 1475 + 6400 + 9500
    assert x.refunds_ore == -1475
    assert x.net_ore == 15900
    assert x.by_method == {"cash": 1500 - 1500, "card": 6400, "mobilepay": 9500}
    assert x.sellers() == [("Jørgen Bækgaard", 9500), ("Åse Ørbæk", 1475 + 6400 - 1475)]
    assert x.by_category == {"Café": 0, "Bageri": 6400, "Lokalt": 9500}
    assert x.vat_by_rate == {2500: 295 + 1280 + 1900 - 295}
    assert x.expected_cash_ore == 50000

    # Blind count: one 500-note and one 2-krone coin too many.
    z = till.close_day(boss.id, {50000: 1, 200: 1}, float_left_ore=50000)
    assert (z.z_number, z.counted_ore, z.difference_ore) == (1, 50200, 200)
    paper = day_report_document(settings.shop, z.report, NOW, "Jørgen", 42).as_text(42)
    assert "Jørgen Bækgaard" in paper and "Åse Ørbæk" in paper  # names on paper, looked up as it prints
    with sessions() as s:
        stored = s.scalars(select(JournalEntry.payload).where(JournalEntry.kind.in_(("z_report", "sale")))).all()
    assert stored and not any(name in p for p in stored for name in ("Åse", "Ørbæk", "Jørgen", "Bækgaard"))

    after = till.x_report()
    assert (after.sales_count, after.net_ore, after.opening_float_ore) == (0, 0, 50000)
    assert till.close_day(boss.id, {50000: 1}).z_number == 2


def test_a_worker_cannot_close_the_day(settings, sessions, staff) -> None:  # type: ignore[no-untyped-def]
    worker, _boss = staff
    with pytest.raises(DomainError, match="ansvarlig"):
        Till(sessions, settings, lambda: NOW).close_day(worker.id, {})


def test_a_count_with_an_unknown_coin_is_refused(settings, sessions, staff) -> None:  # type: ignore[no-untyped-def]
    _worker, boss = staff
    with pytest.raises(DomainError, match="Optællingen"):
        Till(sessions, settings, lambda: NOW).close_day(boss.id, {300: 1})
