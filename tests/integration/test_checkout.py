"""A sale as the cashier and the tax office meet it: stored whole, numbered without gaps, journaled as printed."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from kiosk.db.engine import unit_of_work
from kiosk.db.models import JournalEntry, Person, Sale
from kiosk.domain.cart import Cart, CartLine
from kiosk.domain.payment import Payment
from kiosk.errors import DomainError
from kiosk.printouts.receipt import receipt_document
from kiosk.services.records import journal
from kiosk.services.sales.checkout import Sales

NOW = datetime(2026, 11, 23, 8, 2, tzinfo=UTC)


@pytest.fixture
def seller(sessions) -> Person:  # type: ignore[no-untyped-def]
    with unit_of_work(sessions) as s:
        p = Person(name="Åse Ørbæk", role="worker")
        s.add(p)
    return p


def _cart() -> Cart:
    cart = Cart()
    cart.add(CartLine(None, "Kaffe, kop", 1500, category="Café", quantity=2))
    cart.add(CartLine(None, "Sodavand, 33 cl", 1475, category="Café"))
    return cart


def _cash(cart: Cart, received: int) -> Payment:
    pay = Payment(cart.total_ore)
    pay.pay_cash(received)
    return pay


def test_a_cash_sale_is_stored_with_rounding_change_and_a_receipt_number(settings, sessions, seller) -> None:  # type: ignore[no-untyped-def]
    sales = Sales(sessions, settings, lambda: NOW)
    cart = _cart()
    result = sales.checkout(cart, _cash(cart, 10000), seller.id)
    r = result.receipt
    assert (r.number, r.total_ore, r.vat_ore, r.rounding_ore) == (1, 4475, 895, 25)
    assert r.tenders[0].change_ore == 5500
    assert r.seller_first_name == "Åse"
    text = receipt_document(r, 42).as_text(42)
    for expected in ("Kvittering nr. 1", "CVR 12345678", "2 × 15,00", "I alt", "44,75", "Heraf moms 25 %", "8,95",
                     "Øreafrunding", "Modtaget", "100,00", "Byttepenge", "55,00", "Åse"):  # fmt: skip
        assert expected in text


def test_receipt_numbers_are_gapless_and_training_sales_stay_outside(settings, sessions, seller) -> None:  # type: ignore[no-untyped-def]
    sales = Sales(sessions, settings, lambda: NOW)
    numbers = []
    for training in (False, True, False, False):
        cart = _cart()
        numbers.append(sales.checkout(cart, _cash(cart, 5000), seller.id, training=training).receipt.number)
    assert numbers == [1, None, 2, 3]


def test_an_unpaid_cart_is_not_stored_and_uses_no_number(settings, sessions, seller) -> None:  # type: ignore[no-untyped-def]
    sales = Sales(sessions, settings, lambda: NOW)
    cart = _cart()
    with pytest.raises(DomainError, match="ikke betalt"):
        sales.checkout(cart, Payment(cart.total_ore), seller.id)
    ok = sales.checkout(cart, _cash(cart, 5000), seller.id)
    assert ok.receipt.number == 1
    with unit_of_work(sessions) as s:
        assert len(s.scalars(select(Sale)).all()) == 1


def test_the_journal_holds_the_same_data_as_the_receipt_and_its_chain_is_whole(settings, sessions, seller) -> None:  # type: ignore[no-untyped-def]
    sales = Sales(sessions, settings, lambda: NOW)
    cart = _cart()
    result = sales.checkout(cart, _cash(cart, 5000), seller.id)
    with unit_of_work(sessions) as s:
        entry = s.scalars(select(JournalEntry).where(JournalEntry.sale_id == result.sale_id)).one()
        assert entry.kind == "sale"
        payload = json.loads(entry.payload)
        assert len(payload.pop("journal_key")) == 64  # the journal's first entry also carries the kiosk's public key
        assert payload == json.loads(json.dumps(result.receipt.as_journal()))
        assert journal.verify(s, settings.kiosk.id).ok


def test_a_reprint_is_marked_kopi_and_shows_the_same_sale(settings, sessions, seller) -> None:  # type: ignore[no-untyped-def]
    sales = Sales(sessions, settings, lambda: NOW)
    cart = _cart()
    result = sales.checkout(cart, _cash(cart, 5000), seller.id)
    again = receipt_document(sales.receipt(result.sale_id, copy=True), 48).as_text(48)
    assert "KOPI" in again
    assert "Kvittering nr. 1" in again


@pytest.fixture
def supervisor(sessions) -> Person:  # type: ignore[no-untyped-def]
    with unit_of_work(sessions) as s:
        p = Person(name="Jørgen Bækgaard", role="supervisor")
        s.add(p)
    return p


def test_a_partial_refund_is_a_credit_receipt_with_negative_amounts_naming_the_original(
    settings, sessions, seller, supervisor
) -> None:  # type: ignore[no-untyped-def]
    sales = Sales(sessions, settings, lambda: NOW)
    cart = _cart()
    sale = sales.checkout(cart, _cash(cart, 5000), seller.id)
    credit = sales.refund(sale.sale_id, {0: 1}, "cash", seller.id, supervisor.id).receipt
    assert (credit.kind, credit.number, credit.original_number) == ("refund", 2, 1)
    assert credit.total_ore == -1500
    assert credit.tenders[0].amount_ore == -1500
    text = receipt_document(credit, 42).as_text(42)
    assert "KREDITNOTA" in text
    assert "Retur af kvittering nr. 1" in text
    assert "-15,00" in text
    assert sales.refundable(sale.sale_id) == {0: 1, 1: 1}


def test_refunding_more_than_was_bought_is_refused(settings, sessions, seller, supervisor) -> None:  # type: ignore[no-untyped-def]
    sales = Sales(sessions, settings, lambda: NOW)
    cart = _cart()
    sale = sales.checkout(cart, _cash(cart, 5000), seller.id)
    sales.refund(sale.sale_id, {0: 2}, "card", seller.id, supervisor.id)
    with pytest.raises(DomainError, match="mere retur"):
        sales.refund(sale.sale_id, {0: 1}, "cash", seller.id, supervisor.id)


def test_a_worker_cannot_approve_a_refund(settings, sessions, seller) -> None:  # type: ignore[no-untyped-def]
    sales = Sales(sessions, settings, lambda: NOW)
    cart = _cart()
    sale = sales.checkout(cart, _cash(cart, 5000), seller.id)
    with pytest.raises(DomainError, match="godkendes"):
        sales.refund(sale.sale_id, {0: 1}, "cash", seller.id, seller.id)


def test_a_receipt_copy_is_marked_kopi_and_journaled_with_who_asked(settings, sessions, seller) -> None:  # type: ignore[no-untyped-def]
    sales = Sales(sessions, settings, lambda: NOW)
    cart = _cart()
    result = sales.checkout(cart, _cash(cart, 10000), seller.id)
    copy = sales.receipt(result.sale_id, copy=True, by=seller.id)
    assert "KOPI" in receipt_document(copy, 42).as_text(42)
    assert copy.number == result.receipt.number
    with unit_of_work(sessions) as s:
        [entry] = s.scalars(select(JournalEntry).where(JournalEntry.kind == "receipt_copy")).all()
        assert (entry.sale_id, entry.person_id) == (result.sale_id, seller.id)
        assert json.loads(entry.payload)["receipt_no"] == result.receipt.number
        assert journal.verify(s, settings.kiosk.id).ok


@pytest.mark.parametrize("columns", [42, 48])
def test_every_receipt_line_fits_the_paper_even_with_a_long_name(settings, sessions, seller, columns: int) -> None:  # type: ignore[no-untyped-def]
    sales = Sales(sessions, settings, lambda: NOW)
    cart = Cart()
    cart.add(CartLine(None, "Grøntsagskasse fra Hedemarkens fælleshave, stor økologisk", 9500, quantity=12))
    cart.add(CartLine(None, "Kaffe, kop", 1500))
    result = sales.checkout(cart, _cash(cart, 200000), seller.id)
    text = receipt_document(result.receipt, columns).as_text(columns)
    printed = [line for line in text.splitlines() if not line.lstrip().startswith("[QR:")]  # QR: a picture on paper
    assert max(len(line) for line in printed) <= columns
    assert "Grøntsagskasse" in text and "12 × 95,00" in text and "1.155,00" in text
