"""What the till screen stands on: receipt codes that find their sale, today's sales, price bounds, the X report
journaled, and the X/Z slips as a supervisor reads them."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from kiosk.db.engine import unit_of_work
from kiosk.db.models import Category, JournalEntry, Person, Product
from kiosk.domain.cart import Cart, CartLine
from kiosk.domain.payment import Payment
from kiosk.domain.receipt import receipt_payload, receipt_token, sale_id_from_token
from kiosk.domain.scan import classify
from kiosk.errors import DomainError
from kiosk.printouts.day_report import CashCount, day_report_document
from kiosk.printouts.receipt import receipt_document
from kiosk.services.sales.checkout import Sales
from kiosk.services.sales.till import Till

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


def _cash_sale(sales: Sales, seller: Person, price: int = 1475):  # type: ignore[no-untyped-def]
    cart = Cart()
    cart.add(CartLine(None, "Sodavand", price, category="Café"))
    pay = Payment(cart.total_ore)
    pay.pay_cash(pay.cash_due_ore)
    return sales.checkout(cart, pay, seller.id)


def test_a_receipt_code_is_short_scans_as_a_receipt_and_finds_its_sale(settings, sessions, staff) -> None:  # type: ignore[no-untyped-def]
    sales = Sales(sessions, settings, lambda: NOW)
    result = _cash_sale(sales, staff[0])
    code = result.receipt.code
    assert code == receipt_payload(result.sale_id) and len(code) == len("HK1:R:") + 22
    scan = classify(code)
    assert scan.kind == "receipt"
    assert sales.find_by_token(scan.value) == result.sale_id
    assert sales.receipt(result.sale_id, copy=True).code == code, "a copy prints the same code"
    assert code in receipt_document(result.receipt, 48).as_text(48)
    refund = sales.refund(result.sale_id, {0: 1}, "cash", staff[1].id, staff[1].id)
    assert refund.receipt.code == "", "a credit receipt is not itself refundable"
    for bad in ("nope", receipt_token(uuid.uuid4()), "A" * 22):
        with pytest.raises(DomainError, match="findes ikke"):
            sales.find_by_token(bad)
    assert sale_id_from_token("!" * 22) is None


def test_todays_sales_are_newest_first_and_leave_out_refunds_and_other_days(settings, sessions, staff) -> None:  # type: ignore[no-untyped-def]
    yesterday = Sales(sessions, settings, lambda: datetime(2026, 11, 22, 22, 30, tzinfo=UTC))  # 23.30 local
    _cash_sale(yesterday, staff[0])
    first = _cash_sale(Sales(sessions, settings, lambda: datetime(2026, 11, 22, 23, 30, tzinfo=UTC)), staff[0])
    sales = Sales(sessions, settings, lambda: NOW)
    second = _cash_sale(sales, staff[0], 2000)
    sales.refund(first.sale_id, {0: 1}, "cash", staff[1].id, staff[1].id)
    listed = sales.todays_sales()
    assert [s.sale_id for s in listed] == [second.sale_id, first.sale_id]
    assert (listed[0].number, listed[0].total_ore, listed[0].methods) == (second.receipt.number, 2000, ("cash",))


def test_prices_below_zero_or_above_3000_kr_and_changes_without_a_reason_are_refused(settings, sessions, staff) -> None:  # type: ignore[no-untyped-def]
    with unit_of_work(sessions) as s:
        product = Product(name="Kaffe", category=Category(name="Café"), price_ore=1500)
        s.add(product)
    till = Till(sessions, settings, lambda: NOW)
    boss = staff[1]
    for price, message in ((-100, "negativ"), (300_001, "for høj"), (1600, "hvorfor")):
        with pytest.raises(DomainError, match=message):
            till.change_price(boss.id, product.id, price, "" if price == 1600 else "fejl")
    with pytest.raises(DomainError, match="ansvarlig"):
        till.change_price(staff[0].id, product.id, 1600, "ny pris")
    till.change_price(boss.id, product.id, 300_000, "dyr kaffe")
    with pytest.raises(DomainError, match="hvorfor"):
        till.drawer_opened(boss.id, "  ")


def test_an_x_report_is_journaled_with_who_and_the_running_totals(settings, sessions, staff) -> None:  # type: ignore[no-untyped-def]
    _cash_sale(Sales(sessions, settings, lambda: NOW), staff[0])
    till = Till(sessions, settings, lambda: NOW)
    report = till.take_x_report(staff[1].id)
    with unit_of_work(sessions) as s:
        entry = s.scalars(select(JournalEntry).where(JournalEntry.kind == "x_report")).one()
        assert entry.person_id == staff[1].id
        assert json.loads(entry.payload)["net_ore"] == report.net_ore == 1475
    assert till.last_z_number() == 0, "an X report closes nothing"


def test_the_z_slip_names_its_number_the_count_and_the_difference(settings, sessions, staff) -> None:  # type: ignore[no-untyped-def]
    _cash_sale(Sales(sessions, settings, lambda: NOW), staff[0])  # 14,75 -> 15,00 in cash
    till = Till(sessions, settings, lambda: NOW)
    x = day_report_document(settings.shop, till.x_report(), NOW, "Jørgen", 42).as_text(42)
    assert "X-rapport" in x and "Kun et overblik – dagen er ikke lukket" in x and "Z-rapport" not in x
    z = till.close_day(staff[1].id, {1000: 1, 200: 2})
    count = CashCount(z.z_number, {1000: 1, 200: 2}, z.counted_ore, z.difference_ore)
    text = day_report_document(settings.shop, z.report, NOW, "Jørgen", 42, count=count).as_text(42)
    lines = text.splitlines()
    assert "Z-rapport nr. 1" in text and "Udskrevet af Jørgen" in text
    assert any(line.startswith("Forventet i kassen") and line.endswith("15,00") for line in lines)
    assert any(line.startswith("2 × 2 kr.") and line.endswith("4,00") for line in lines)
    assert any(line.startswith("Talt") and line.endswith("14,00") for line in lines)
    assert any(line.startswith("Difference") and line.endswith("-1,00") for line in lines)
    assert "Mangler 1,00" in lines
