"""The VAT lines on a receipt (momsbekendtgørelsen § 64): one per rate, exempt goods marked, as the Z report has it."""

from __future__ import annotations

from datetime import UTC, datetime

from kiosk.db.engine import unit_of_work
from kiosk.db.models import Person
from kiosk.domain.cart import Cart, CartLine
from kiosk.domain.payment import Payment
from kiosk.printouts.receipt import receipt_document
from kiosk.services.sales.checkout import Sales

NOW = datetime(2026, 11, 23, 8, 2, tzinfo=UTC)


def _receipt_text(settings, sessions, *lines: CartLine) -> str:  # type: ignore[no-untyped-def]
    with unit_of_work(sessions) as s:
        seller = Person(name="Åse Ørbæk", role="worker")
        s.add(seller)
    cart = Cart()
    for line in lines:
        cart.add(line)
    pay = Payment(cart.total_ore)
    pay.pay_electronic("card", cart.total_ore, reference="0042")
    result = Sales(sessions, settings, lambda: NOW).checkout(cart, pay, seller.id)
    return receipt_document(result.receipt, 42).as_text(42)


def _rows(text: str) -> dict[str, str]:
    """'Heraf moms 25 %      3,00' -> {'Heraf moms 25 %': '3,00'}: label and the amount at the right edge."""
    rows = {}
    for raw in text.splitlines():
        label, _, amount = raw.strip().rpartition("  ")
        rows[label.strip()] = amount.strip()
    return rows


def test_a_newspaper_at_0_percent_beside_a_coffee_shows_each_rate(settings, sessions) -> None:  # type: ignore[no-untyped-def]
    text = _receipt_text(
        settings,
        sessions,
        CartLine(None, "Avis", 3200, category="Kiosk", vat_rate_bp=0),
        CartLine(None, "Kaffe, kop", 1500, category="Café"),
    )
    rows = _rows(text)
    assert rows["Heraf moms 25 %"] == "3,00"  # the coffee's VAT
    assert rows["Heraf momsfrit"] == "32,00"
    newspaper_row = next(line for line in text.splitlines() if "1 × 32,00" in line)
    assert "momsfri" in newspaper_row
    coffee_row = next(line for line in text.splitlines() if "1 × 15,00" in line)
    assert "momsfri" not in coffee_row


def test_an_all_exempt_sale_claims_no_vat(settings, sessions) -> None:  # type: ignore[no-untyped-def]
    text = _receipt_text(settings, sessions, CartLine(None, "Avis", 3200, category="Kiosk", vat_rate_bp=0))
    assert "Heraf moms 25 %" not in text
    assert _rows(text)["Heraf momsfrit"] == "32,00"


def test_an_ordinary_sale_reads_as_before(settings, sessions) -> None:  # type: ignore[no-untyped-def]
    text = _receipt_text(settings, sessions, CartLine(None, "Kaffe, kop", 1500, category="Café", quantity=2))
    assert _rows(text)["Heraf moms 25 %"] == "6,00"
    assert "momsfri" not in text


def test_a_receipt_printed_on_an_english_kiosk_is_danish(settings, sessions) -> None:  # type: ignore[no-untyped-def]
    """A legal document: the kiosk's language does not reach the paper (the payment method is a shared word)."""
    from kiosk import i18n

    i18n.set_language("en")
    try:
        text = _receipt_text(settings, sessions, CartLine(None, "Kaffe, kop", 1500, category="Café"))
    finally:
        i18n.set_language("da")
    assert "Kort" in _rows(text) and "Card" not in text
    assert "Heraf moms 25 %" in _rows(text)
