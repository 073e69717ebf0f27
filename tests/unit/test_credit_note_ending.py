"""The paper that hands money back does not thank the customer for buying."""

from __future__ import annotations

from datetime import UTC, datetime

from kiosk.domain.receipt import Receipt, ReceiptLine, ReceiptTender
from kiosk.printouts.document import Line
from kiosk.printouts.receipt import receipt_document


def _receipt(kind: str) -> Receipt:
    sign = -1 if kind == "refund" else 1
    return Receipt(
        shop_name="Hedemarkens Butik",
        shop_address="Hedemarken 1, 2620 Albertslund",
        cvr="12345678",
        kind=kind,
        number=7,
        issued_at=datetime(2026, 11, 23, 13, 5, tzinfo=UTC),
        seller_first_name="Jørgen",
        lines=(ReceiptLine("Sodavand, 33 cl", sign, 1475, sign * 1475, 2500),),
        total_ore=sign * 1475,
        vat_ore=sign * 295,
        rounding_ore=sign * 25,
        tenders=(ReceiptTender("cash", sign * 1500, sign * 1500, 0, None),),
        original_number=6 if kind == "refund" else None,
    )


def _texts(kind: str) -> list[str]:
    return [e.text for e in receipt_document(_receipt(kind), 48).elements if isinstance(e, Line)]


def test_a_credit_note_ends_by_saying_the_money_went_back() -> None:
    texts = _texts("refund")
    assert texts[-1] == "Beløbet er givet retur."
    assert not any("Tak for dit køb" in t for t in texts)


def test_a_receipt_still_thanks_for_the_purchase() -> None:
    assert _texts("sale")[-1] == "Tak for dit køb!"
