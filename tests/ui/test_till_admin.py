"""The till as a supervisor meets it ("Kassen"): a whole sale read back from its ESC/POS bytes, a refund found by
scanning the receipt, the day closed on a blind count, and every till event journaled with who and why.

Real touches on the offscreen app; the printer is the session's PreviewPrinter, whose documents are rendered
through the real EscposPrinter into python-escpos' Dummy and decoded back to text.  Waits are pump() loops with a
deadline, never sleeps.  The UI session's database is shared: each test makes its own sales and closes the day
first where totals matter.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from kiosk.services.shop.demo import DEMO_PINS
from tests.ui.helpers import (
    button_with_text,
    buttons,
    close_previews,
    lock_till,
    modal,
    pump,
    scan,
    tap,
    tap_in_view,
    wait_modal,
    wait_until,
)

PIN = DEMO_PINS["worker"]  # the demo database's code for its workers
MIN_TOUCH_PX = 72


# ---- helpers ------------------------------------------------------------------------------------------


def type_digits(root: Any, digits: str) -> None:
    for digit in digits:
        tap(button_with_text(root, digit))


def journal(services: Any, kind: str) -> list[dict[str, Any]]:
    from kiosk.db.models import JournalEntry

    with services.sessions() as s:
        entries = s.scalars(select(JournalEntry).where(JournalEntry.kind == kind).order_by(JournalEntry.seq)).all()
        return [json.loads(e.payload) | {"person_id": e.person_id} for e in entries]


def new_printout(printer: Any, since: int, words: str) -> Any:
    """The first document printed after `since` whose text contains `words`."""
    return wait_until(
        lambda: next((doc for doc, text in printer.printed[since:] if words in text), None), what=f"a print of {words}"
    )


def escpos_text(doc: Any) -> tuple[bytes, str]:
    """The document as the real printer code renders it (python-escpos Dummy), and those bytes read back."""
    from kiosk.config import PrinterSettings
    from kiosk.devices.printer import EscposPrinter, decode_escpos_text

    escpos = EscposPrinter(PrinterSettings(url="dummy"))
    escpos.print_document(doc)
    return escpos.last_bytes, decode_escpos_text(escpos.last_bytes, "cp858")


def sell(services: Any, seller: Any, items: list[tuple[str, int]], method: str) -> Any:
    """A sale made through the service (for tests about what happens to it afterwards)."""
    from kiosk.domain.cart import Cart, CartLine
    from kiosk.domain.payment import Payment

    products = {p.name: p for p in services.catalog.products()}
    cart = Cart()
    for name, quantity in items:
        p = products[name]
        cart.add(CartLine(p.id, p.name, p.price_ore, p.vat_rate_bp, p.category, quantity=quantity))
    payment = Payment(cart.total_ore)
    if method == "cash":
        payment.pay_cash(payment.cash_due_ore)
    else:
        payment.pay_electronic(method)
    return services.sales.checkout(cart, payment, seller.id)


# ---- fixtures -----------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fresh_till(app: Any, services: Any) -> Iterator[None]:
    def clean() -> None:
        close_previews()
        lock_till(app)
        app.training = False
        services.printer.online = True

    clean()
    yield
    clean()


@pytest.fixture
def till(app: Any, boss: Any) -> Any:
    """Kassen, opened by Jørgen (a supervisor) as the staff menu does it."""
    app.go("till_admin", supervisor=boss)
    pump()
    assert app.sm.current == "till_admin"
    return app.sm.get_screen("till_admin")


# ---- a whole sale, read back from the printer's bytes ----------------------------------------------------


def test_two_taps_and_a_scan_paid_in_cash_print_a_receipt_whose_escpos_bytes_say_it_all(
    app: Any, services: Any
) -> None:
    from kiosk.db.models import Sale
    from kiosk.domain.receipt import receipt_payload
    from kiosk.widgets.pin_popup import PinPopup

    printer = services.printer
    tap(app.sm.get_screen("home").ids.buy)
    sale = app.sm.current_screen
    tap_in_view(next(t for t in sale.ids.login.ids.people.children if t.name == "Åse"))  # other tests add people
    type_digits(wait_modal(PinPopup), PIN)
    assert app.counter.seller.first_name == "Åse"

    tap(next(t for t in sale.ids.products.children if t.name == "Kaffe, kop"))
    tap(next(t for t in sale.ids.products.children if t.name == "Sodavand, 33 cl"))
    scan(services, "2000000001029")  # Te, kop, from the scanner's thread
    wait_until(lambda: len(sale.ids.lines.children) == 3, what="the scanned tea in the cart")
    assert sale.ids.total.text == "41,75\xa0kr."

    tap(sale.ids.pay)
    pay = app.sm.get_screen("pay")
    tap(pay.ids.cash)
    assert pay.ids.exact.subtext == "42,00\xa0kr.", "cash is rounded to the nearest 50 øre"
    tap(button_with_text(pay, "50 kr."))
    assert pay.ids.change.text == "8,00\xa0kr."
    sale_id = app.counter.finished.sale_id
    with services.sessions() as s:
        number = s.get(Sale, sale_id).receipt_no
    printed = len(printer.printed)
    tap(pay.ids.receipt_yes)
    doc = new_printout(printer, printed, f"Kvittering nr. {number}")

    data, text = escpos_text(doc)
    lines = [line.strip() for line in text.splitlines()]
    assert "Hedemarkens Butik" in lines
    assert "Hedemarken 1, 2620 Albertslund" in lines
    assert "CVR 12345678" in lines
    assert f"Kvittering nr. {number}" in lines
    assert "23. november 2026  14.05" in lines  # 13.05 UTC is 14.05 in Copenhagen
    for name, qty_price, total in (
        ("Kaffe, kop", "1 × 15,00", "15,00"),
        ("Sodavand, 33 cl", "1 × 14,75", "14,75"),
        ("Te, kop", "1 × 12,00", "12,00"),
    ):
        assert name in lines
        assert any(line.startswith(qty_price) and line.endswith(total) for line in lines), qty_price
    words = {line.split("  ")[0]: line.split()[-1] for line in lines if "  " in line}
    assert words["I alt"] == "kr." and "41,75 kr." in text
    assert (words["Heraf moms 25 %"], words["Øreafrunding"]) == ("8,35", "0,25")
    assert (words["Kontant"], words["Modtaget"], words["Byttepenge"]) == ("42,00", "50,00", "8,00")
    assert "Du blev betjent af Åse" in lines
    assert {"Ø", "Å", "ø", "×"} <= set(text) and "?" not in text, "Danish letters survive the code page"
    assert receipt_payload(sale_id).encode() in data, "the receipt carries its own code for a refund"
    assert services.settings.receipt_qr.encode() in data, "and the job board's QR code (the demo's example address)"


# ---- refund ---------------------------------------------------------------------------------------------


def test_scanning_a_receipt_refunds_one_line_by_card_and_the_credit_receipt_names_the_original(
    app: Any, services: Any, aase: Any, boss: Any
) -> None:
    from kiosk.domain.receipt import receipt_payload
    from kiosk.errors import DomainError
    from kiosk.widgets.dialog import ConfirmDialog
    from kiosk.widgets.pin_popup import PinPopup

    original = sell(services, aase, [("Kaffe, kop", 2), ("Kanelsnegl", 1)], "card")
    printer = services.printer

    scan(services, receipt_payload(original.sale_id))  # on the home screen, from the scanner's thread
    popup = wait_modal(PinPopup)
    tap_in_view(next(t for t in popup.ids.people.children if t.name == "Jørgen"))
    type_digits(popup, DEMO_PINS["supervisor"])
    tap(button_with_text(popup, "OK"))  # a leader's code (6 digits or more) ends with OK
    assert app.sm.current == "refund"
    refund = app.sm.current_screen
    assert refund.step == "lines"
    assert refund.ids.original.text.startswith(f"Kvittering nr. {original.receipt.number}")
    coffee = next(r for r in refund.ids.lines.children if r.name == "Kaffe, kop")
    assert coffee.bought == "Købt 2 × 15,00"

    tap(coffee.ids.plus)
    assert (coffee.chosen, coffee.ids.amount.text) == (1, "-15,00\xa0kr.")
    assert refund.ids.total.text == "-15,00\xa0kr.", "what goes back carries a minus sign"
    tap(refund.ids.card)
    printed = len(printer.printed)
    tap(refund.ids.give_back)
    dialog = wait_modal(ConfirmDialog)
    assert dialog.title == "Giv 15,00\xa0kr. retur?", "the amount handed over, no minus sign in a question"
    tap(button_with_text(dialog, "Giv retur"))

    assert refund.step == "done"
    assert refund.ids.give_back_amount.text == "15,00\xa0kr."
    assert "kortterminalen" in refund.ids.done_text.text
    _data, text = escpos_text(new_printout(printer, printed, "Kreditnota nr."))
    assert "KREDITNOTA - RETUR" in text  # the printer's code page has no en dash
    assert f"Retur af kvittering nr. {original.receipt.number}" in text
    assert "-1 × 15,00" in text and "-15,00 kr." in text
    assert any(line.startswith("Kort") and line.endswith("-15,00") for line in text.splitlines())
    entry = journal(services, "refund")[-1]
    assert (entry["original_number"], entry["total_ore"], entry["approved_by"]) == (
        original.receipt.number,
        -1500,
        str(boss.id),
    )

    # The one coffee left can go back; the first one cannot go back twice.
    tap(refund.ids.finish)
    refund.choose_sale(original.sale_id)
    pump()
    coffee = next(r for r in refund.ids.lines.children if r.name == "Kaffe, kop")
    assert coffee.bought.endswith("1 kan gives retur")
    tap(coffee.ids.plus)
    tap(coffee.ids.plus)
    assert coffee.chosen == 1 and coffee.ids.plus.disabled, "more than was sold cannot be chosen"
    with pytest.raises(DomainError, match="mere retur end der blev købt"):
        services.sales.refund(original.sale_id, {0: 2}, "card", boss.id, boss.id)


def test_a_refund_found_by_number_or_in_todays_list_pays_the_whole_sale_back_in_rounded_cash(
    app: Any, services: Any, aase: Any, till: Any
) -> None:
    from kiosk.widgets.dialog import ConfirmDialog

    original = sell(services, aase, [("Sodavand, 33 cl", 1), ("Frugt, stk.", 2)], "cash")  # 25,25
    tap(till.ids.refund)
    refund = app.sm.current_screen
    assert (app.sm.current, refund.step) == ("refund", "find")
    listed = [b for b in refund.ids.todays.children if b.sale_id == original.sale_id]
    assert listed and listed[0].text.startswith(f"Nr. {original.receipt.number}")

    type_digits(refund, "999999")
    tap(button_with_text(refund, "OK"))
    assert refund.hint == "Kvittering nr. 999999 findes ikke" and refund.step == "find"

    type_digits(refund, str(original.receipt.number))
    tap(button_with_text(refund, "OK"))
    assert refund.step == "lines"
    tap(refund.ids.back)
    assert refund.step == "find"
    tap(next(b for b in refund.ids.todays.children if b.sale_id == original.sale_id))
    assert refund.step == "lines"

    tap(refund.ids.whole)
    assert refund.ids.total.text == "-25,25\xa0kr."
    assert not refund.ids.cash.outlined, "the money goes back the way it came, unless changed"
    tap(refund.ids.give_back)
    tap(button_with_text(wait_modal(ConfirmDialog), "Giv retur"))
    assert refund.ids.give_back_amount.text == "25,50\xa0kr.", "cash paid out is rounded to 50 øre too"
    assert services.sales.refundable(original.sale_id) == {0: 0, 1: 0}


# ---- dagsafslutning -------------------------------------------------------------------------------------


def _close_the_day_quietly(services: Any, boss: Any) -> None:
    """Start from a closed day, so the next Z holds only this test's money."""
    expected = services.till.x_report().expected_cash_ore
    services.till.close_day(boss.id, {50: expected // 50})


def _count(till: Any, coins: dict[str, int]) -> None:
    rows = {row.label: row for row in till.ids.coins.children + till.ids.notes.children}
    for label, pieces in coins.items():
        for _ in range(pieces):
            tap(rows[label].ids.plus)


def _confirm_close(till: Any) -> None:
    from kiosk.widgets.dialog import ConfirmDialog

    tap(till.ids.finish_count)
    tap(button_with_text(wait_modal(ConfirmDialog), "Luk dagen"))


def test_a_blind_count_that_matches_closes_the_day_with_no_difference_and_prints_the_z_report(
    app: Any, services: Any, aase: Any, boss: Any, till: Any
) -> None:
    _close_the_day_quietly(services, boss)
    sell(services, aase, [("Kaffe, kop", 2)], "cash")  # 30,00 in the drawer
    sell(services, aase, [("Rugbrød, helt", 1)], "card")  # not in the drawer
    z_before = services.till.last_z_number()
    printer = services.printer

    tap(till.ids.close_day)
    texts = [getattr(w, "text", "") for w in till.ids.panels.current_screen.walk()]
    assert not any("Forventet" in t or "Difference" in t for t in texts), "the count is blind"
    _count(till, {"20 kr.": 1, "5 kr.": 2})
    assert till.ids.counted.text == "30,00\xa0kr."
    printed = len(printer.printed)
    _confirm_close(till)

    assert till.panel == "closed"
    assert (till.ids.expected.text, till.ids.counted_result.text) == ("30,00\xa0kr.", "30,00\xa0kr.")
    assert till.ids.difference.text == "Kassen stemmer"
    assert till.ids.difference_amount.text == "Difference 0,00\xa0kr."
    _data, text = escpos_text(new_printout(printer, printed, f"Z-rapport nr. {z_before + 1}"))
    for words in ("Forventet i kassen", "30,00", "Talt", "Difference", "0,00", "Kassen stemmer", "Kort", "32,00"):
        assert words in text, words
    entry = journal(services, "z_report")[-1]
    assert (entry["z_number"], entry["difference_ore"], entry["person_id"]) == (z_before + 1, 0, boss.id)
    assert entry["counts"] == {"500": 2, "2000": 1}
    from kiosk.db.models import JournalEntry
    from kiosk.domain.chain_head import key_fingerprint

    with services.sessions() as s:  # the paper anchor: the journal's head with this Z, and the key's fingerprint
        z = s.scalars(select(JournalEntry).where(JournalEntry.kind == "z_report").order_by(JournalEntry.seq)).all()[-1]
        first = json.loads(s.scalars(select(JournalEntry.payload).where(JournalEntry.seq == 1)).one())
    lines = text.splitlines()
    assert any(line.startswith("Poster") and line.endswith(f" {z.seq}") for line in lines)
    assert any(line.startswith("Seneste post") and line.endswith(f" {z.hash[:12]}") for line in lines)
    fingerprint = key_fingerprint(bytes.fromhex(first["journal_key"]))
    assert any(line.startswith("Nøgle") and line.endswith(f" {fingerprint}") for line in lines)


def test_a_short_count_shows_and_prints_the_shortage(app: Any, services: Any, aase: Any, boss: Any, till: Any) -> None:
    from kiosk.widgets.dialog import ReferencePopup

    _close_the_day_quietly(services, boss)
    sell(services, aase, [("Kaffe, kop", 2)], "cash")  # 30,00 expected
    z_before = services.till.last_z_number()
    printed = len(services.printer.printed)

    tap(till.ids.close_day)
    twenty = next(row for row in till.ids.coins.children if row.label == "20 kr.")
    tap(twenty.ids.count)  # a pile of coins is typed rather than tapped
    popup = wait_modal(ReferencePopup)
    type_digits(popup, "1")
    tap(button_with_text(popup, "OK"))
    _count(till, {"5 kr.": 1})
    assert till.ids.counted.text == "25,00\xa0kr."
    _confirm_close(till)

    assert till.ids.difference.text == "Mangler 5,00\xa0kr."
    assert till.ids.difference_amount.text == "Difference -5,00\xa0kr."
    assert not till.balanced
    _data, text = escpos_text(new_printout(services.printer, printed, f"Z-rapport nr. {z_before + 1}"))
    assert "Mangler 5,00" in text
    assert any(line.startswith("Difference") and line.endswith("-5,00") for line in text.splitlines())


# ---- the other till events: each journaled with who and why ----------------------------------------------


def test_x_report_is_printed_shown_and_journaled_without_closing_the_day(
    app: Any, services: Any, boss: Any, till: Any
) -> None:
    z_before = services.till.last_z_number()
    printed = len(services.printer.printed)
    tap(till.ids.x_report)
    assert till.panel == "report"
    assert "X-rapport" in till.report_text and "Kun et overblik – dagen er ikke lukket" in till.report_text
    new_printout(services.printer, printed, "X-rapport")
    assert journal(services, "x_report")[-1]["person_id"] == boss.id
    assert services.till.last_z_number() == z_before


def test_cash_in_and_out_need_a_reason_open_the_drawer_and_are_journaled(
    app: Any, services: Any, boss: Any, till: Any
) -> None:
    drawer = services.printer.drawer_opens
    tap(till.ids.cash_in)
    type_digits(till, "500")
    tap(button_with_text(till.ids.panels.current_screen, "OK"))
    assert till.hint == "Vælg en grund." and till.panel == "cash"
    tap(button_with_text(till.ids.cash_reasons, "Byttepenge fra banken"))
    tap(button_with_text(till.ids.panels.current_screen, "OK"))
    assert till.panel == "menu"
    entry = journal(services, "cash_in")[-1]
    assert (entry["amount_ore"], entry["reason"], entry["person_id"]) == (50000, "Byttepenge fra banken", boss.id)
    wait_until(lambda: services.printer.drawer_opens == drawer + 1, what="the drawer")

    tap(till.ids.cash_out)
    tap(button_with_text(till.ids.cash_reasons, "Andet"))
    type_digits(till, "120")
    tap(button_with_text(till.ids.panels.current_screen, "OK"))
    assert till.hint == "Skriv kort hvorfor."
    # The note is typed on the on-screen keyboard (no keyboard on the kiosk; a scanner never types into it).
    from kiosk.widgets.note_field import NotePopup

    tap(till.ids.cash_reasons.ids.note)
    popup = wait_modal(NotePopup)
    for key in "kaffefiltre":
        tap(next(k for k in buttons(popup.ids.keyboard) if getattr(k, "key", None) == key))
    tap(next(k for k in buttons(popup.ids.keyboard) if getattr(k, "key", None) == "enter"))
    assert modal(NotePopup) is None
    assert till.ids.cash_reasons.ids.note.text == "Kaffefiltre"  # a capital at the start, like the names
    tap(button_with_text(till.ids.panels.current_screen, "OK"))
    entry = journal(services, "cash_out")[-1]
    assert (entry["amount_ore"], entry["reason"], entry["person_id"]) == (12000, "Andet – Kaffefiltre", boss.id)


def test_the_drawer_opens_without_a_sale_only_with_a_reason(app: Any, services: Any, boss: Any, till: Any) -> None:
    drawer = services.printer.drawer_opens
    tap(till.ids.drawer)
    tap(till.ids.open_drawer)
    assert till.hint == "Vælg en grund." and services.printer.drawer_opens == drawer
    tap(button_with_text(till.ids.drawer_reasons, "Veksle penge"))
    tap(till.ids.open_drawer)
    wait_until(lambda: services.printer.drawer_opens == drawer + 1, what="the drawer")
    entry = journal(services, "drawer_open")[-1]
    assert (entry["reason"], entry["person_id"]) == ("Veksle penge", boss.id)


def test_a_price_change_refuses_an_absurd_price_and_journals_old_new_who_and_why(
    app: Any, services: Any, boss: Any, till: Any
) -> None:
    honey = next(p for p in services.catalog.products() if p.name == "Honning fra taget, 250 g")
    try:
        tap(till.ids.price)
        tap(next(b for b in till.ids.price_products.children if b.text == honey.name))
        tap(button_with_text(till.ids.price_reasons, "Ny pris fra leverandør"))
        type_digits(till.ids.price_pad, "500000")
        assert till.ids.new_price.text == "5.000,00\xa0kr."
        tap(button_with_text(till.ids.price_pad, "OK"))
        assert app.toast.text == "Prisen er for høj – højst 3.000 kr. Tjek beløbet"
        assert services.catalog.by_barcode("2000000001081").price_ore == 6500

        till.ids.price_pad.clear()
        type_digits(till.ids.price_pad, "6950")
        assert till.ids.new_price.text == "69,50\xa0kr.", "the numpad types øre, like a card terminal"
        tap(button_with_text(till.ids.price_pad, "OK"))
        assert till.panel == "menu"
        assert services.catalog.by_barcode("2000000001081").price_ore == 6950
        entry = journal(services, "price_change")[-1]
        assert (entry["product"], entry["old_ore"], entry["new_ore"]) == (honey.name, 6500, 6950)
        assert (entry["reason"], entry["person_id"]) == ("Ny pris fra leverandør", boss.id)
    finally:
        services.till.change_price(boss.id, honey.id, 6500, "testen sætter prisen tilbage")


def test_training_is_switched_on_and_off_and_journaled(app: Any, services: Any, boss: Any, till: Any) -> None:
    tap(till.ids.training)
    assert app.training and till.ids.training.text == "Øvelse: til"
    assert journal(services, "training_on")[-1]["person_id"] == boss.id
    tap(till.ids.training)
    assert not app.training and till.ids.training.text == "Øvelse: fra"
    assert journal(services, "training_off")[-1]["person_id"] == boss.id


def test_every_button_on_the_till_screens_is_at_least_12_mm(app: Any, services: Any, aase: Any, till: Any) -> None:
    def check(root: Any, where: str) -> None:
        found = [b for b in buttons(root) if b.opacity > 0]
        assert found, where
        small = [(getattr(b, "text", type(b).__name__), tuple(b.size)) for b in found if min(b.size) < MIN_TOUCH_PX]
        assert not small, f"too small on {where}: {small}"

    check(till, "Kassen")
    for task in ("close_day", "cash_in", "drawer", "price"):
        tap(till.ids[task])
        check(till, task)
        till.panel = "menu"
        pump()
    original = sell(services, aase, [("Te, kop", 1)], "cash")
    tap(till.ids.refund)
    refund = app.sm.current_screen
    check(refund, "Retur: find")
    refund.choose_sale(original.sale_id)
    pump()
    check(refund, "Retur: varer")
