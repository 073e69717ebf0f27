"""Selling at the counter, as a cashier does it: open the till, tap and scan products, take the money, answer
"Vil du have kvittering?", and cope with a dead printer, an unknown barcode and a customer who changes their mind.

Real touches on the offscreen app (tests/ui/helpers.py); the printer is the session's PreviewPrinter (FakePrinter),
whose `online` flag plays a dead printer.  Waits are pump() loops with a deadline, never sleeps.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from kiosk.services.shop.demo import DEMO_PINS
from tests.ui.helpers import (
    button_with_text,
    buttons,
    lock_till,
    modal,
    open_till,
    pump,
    tap,
    tap_in_view,
    wait_modal,
    wait_until,
)

MIN_TOUCH_PX = 72  # 12 mm on the 10.1" 1280x800 panel
PIN = DEMO_PINS["worker"]  # the demo database's code for its workers
UNKNOWN = "5701234567892"


# ---- helpers ------------------------------------------------------------------------------------------


def close_previews() -> None:
    from kiosk.widgets.preview import ReceiptPreview

    while (preview := modal(ReceiptPreview)) is not None:
        tap(button_with_text(preview, "Luk"))


def type_code(popup: Any, digits: str) -> None:
    for digit in digits:
        tap(button_with_text(popup, digit))


def tile(screen: Any, name: str) -> Any:
    return next(t for t in screen.ids.products.children if t.name == name)


def row(screen: Any, name: str) -> Any:
    return next(r for r in screen.ids.lines.children if r.name == name)


def journal(services: Any, kind: str) -> list[dict[str, Any]]:
    from kiosk.db.models import JournalEntry

    with services.sessions() as s:
        entries = s.scalars(select(JournalEntry).where(JournalEntry.kind == kind).order_by(JournalEntry.seq)).all()
        return [json.loads(e.payload) | {"person_id": e.person_id} for e in entries]


def stored_sale(services: Any, sale_id: Any) -> Any:
    from sqlalchemy.orm import selectinload

    from kiosk.db.models import Sale

    with services.sessions() as s:
        return s.scalar(select(Sale).where(Sale.id == sale_id).options(selectinload(Sale.tenders)))


def last_receipt_number(services: Any) -> int:
    from kiosk.db.models import Sale

    with services.sessions() as s:
        return int(s.scalar(select(func.max(Sale.receipt_no))) or 0)


# ---- fixtures -----------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fresh_till(app: Any, services: Any) -> Iterator[None]:
    """Each test starts with a locked till, an empty cart, a working printer and training off."""

    def clean() -> None:
        lock_till(app)
        app.training = False
        services.printer.online = True
        close_previews()

    clean()
    yield
    clean()


@pytest.fixture
def sale(app: Any, services: Any) -> Any:
    """The Køb screen with Åse selling."""
    return open_till(app, services)


def add(sale: Any, *names: str) -> None:
    for name in names:
        tap(tile(sale, name))


def go_pay(app: Any, sale: Any) -> Any:
    tap(sale.ids.pay)
    assert app.sm.current == "pay"
    return app.sm.get_screen("pay")


# ---- who sells ----------------------------------------------------------------------------------------


def test_the_till_opens_with_name_and_code_shows_the_seller_and_logs_out(app: Any, services: Any) -> None:
    from kiosk.widgets.pin_popup import PinPopup

    tap(app.sm.get_screen("home").ids.buy)
    sale = app.sm.current_screen
    assert sale.ids.login.ids.scan.text == "Scan dit kort"
    assert sale.ids.login.parent is not None and sale.ids.selling.parent is None, "no selling before log-in"

    tap_in_view(next(t for t in sale.ids.login.ids.people.children if t.name == "Åse"))
    popup = wait_modal(PinPopup)
    type_code(popup, "9999")
    assert popup.ids.message.text == "Forkert kode – prøv igen"
    assert app.counter.seller is None
    type_code(popup, PIN)
    assert modal(PinPopup) is None
    assert app.counter.seller.first_name == "Åse"
    assert sale.ids.header.ids.seller.text == "Åse"
    assert sale.ids.selling.parent is not None
    assert journal(services, "login")[-1]["person"] == str(app.counter.seller.id)

    seller_id = str(app.counter.seller.id)
    tap(sale.ids.header.ids.log_out)
    assert app.counter.seller is None
    assert sale.ids.login.parent is not None
    assert journal(services, "logout")[-1]["person"] == seller_id


def test_a_badge_scanned_on_the_locked_till_opens_it(app: Any, services: Any, aase: Any) -> None:
    from kiosk.domain.scan import make_payload

    app.go("sale")
    pump()
    app.handle_scan(make_payload("badge", services.people.badge_token(aase.id)))
    pump()
    assert app.counter.seller == aase
    assert app.sm.current == "sale"


def test_being_left_alone_locks_the_till_and_annuls_the_unpaid_cart(app: Any, services: Any, sale: Any) -> None:
    add(sale, "Kaffe, kop")
    app._last_activity = time.monotonic() - app.idle_timeout_s - 1
    app._check_idle(1.0)
    pump()
    assert app.sm.current == "home"
    assert app.counter.seller is None and app.counter.cart.empty
    assert journal(services, "annulment")[-1]["reason"] == "kassen blev låst efter inaktivitet"


# ---- the cart -----------------------------------------------------------------------------------------


def test_taps_fill_the_cart_with_big_plus_minus_and_remove_and_the_total_follows(app: Any, sale: Any) -> None:
    assert sale.ids.pay.disabled, "Betal waits for something in the cart"
    tap(sale.ids.pay)
    assert app.sm.current == "sale"

    add(sale, "Kaffe, kop", "Sodavand, 33 cl")
    tap(row(sale, "Kaffe, kop").ids.plus)
    assert row(sale, "Kaffe, kop").detail == "2 × 15,00"
    assert row(sale, "Kaffe, kop").total == "30,00\xa0kr."
    assert sale.ids.total.text == "44,75\xa0kr."
    assert sale.ids.count.text == "3 varer"

    tap(row(sale, "Kaffe, kop").ids.minus)
    assert sale.ids.total.text == "29,75\xa0kr."
    tap(row(sale, "Sodavand, 33 cl").ids.trash)
    assert [r.name for r in sale.ids.lines.children] == ["Kaffe, kop"]
    tap(row(sale, "Kaffe, kop").ids.minus)
    assert app.counter.cart.empty and sale.ids.pay.disabled
    # § 65: every line lowered or taken off before payment is in the journal, with the seller
    reduced = [
        (e["line"]["name"], e["quantity_before"], e["quantity_after"], e["person_id"] == app.counter.seller.id)
        for e in journal(app.services, "cart_line_reduced")
    ]
    assert reduced == [("Kaffe, kop", 2, 1, True), ("Sodavand, 33 cl", 1, 0, True), ("Kaffe, kop", 1, 0, True)]


def test_annul_asks_first_and_is_journaled_with_who_and_what(app: Any, services: Any, sale: Any, aase: Any) -> None:
    from kiosk.widgets.dialog import ConfirmDialog

    add(sale, "Kaffe, kop", "Kaffe, kop", "Te, kop")
    tap(sale.ids.annul)
    dialog = wait_modal(ConfirmDialog)
    assert dialog.title == "Vil du annullere købet?"
    tap(button_with_text(dialog, "Nej"))
    assert app.counter.cart.count == 3, "Nej keeps the cart"

    tap(sale.ids.annul)
    tap(button_with_text(wait_modal(ConfirmDialog), "Ja"))
    assert app.counter.cart.empty
    entry = journal(services, "annulment")[-1]
    assert (entry["total_ore"], entry["person_id"]) == (4200, aase.id)
    assert [(ln["name"], ln["quantity"]) for ln in entry["lines"]] == [("Kaffe, kop", 2), ("Te, kop", 1)]


# ---- scans --------------------------------------------------------------------------------------------


def test_a_product_scanned_on_the_home_screen_opens_the_sale_with_it_in_the_cart(
    app: Any, services: Any, sale: Any
) -> None:
    app.go_home()
    pump()
    thread = threading.Thread(target=services.scanner.feed, args=("2000000001012",))  # a device thread
    thread.start()
    thread.join(timeout=5)
    wait_until(lambda: app.sm.current == "sale", what="the sale screen")
    pump()
    assert [(r.name, r.detail) for r in sale.ids.lines.children] == [("Kaffe, kop", "1 × 15,00")]


def test_an_unknown_barcode_is_explained_and_a_supervisor_attaches_it_to_a_product(
    app: Any, services: Any, sale: Any
) -> None:
    from kiosk.errors import DomainError
    from kiosk.widgets.dialog import ConfirmDialog
    from kiosk.widgets.pin_popup import PinPopup

    app.handle_scan(UNKNOWN)
    dialog = wait_modal(ConfirmDialog)
    assert dialog.title == "Ukendt vare – spørg en leder"  # the cashier is a medarbejder herself
    assert UNKNOWN in dialog.message
    tap(button_with_text(dialog, "Tilknyt stregkode"))

    popup = wait_modal(PinPopup)
    tap_in_view(next(t for t in popup.ids.people.children if t.name == "Jørgen"))  # a supervisor, not the cashier
    type_code(popup, DEMO_PINS["supervisor"])
    tap(button_with_text(popup, "OK"))  # a leader's code (6 digits or more) ends with OK
    assert sale.attach_code == UNKNOWN
    tap(tile(sale, "Kakao med flødeskum"))
    assert sale.attach_code == ""
    assert services.catalog.by_barcode(UNKNOWN).name == "Kakao med flødeskum"
    assert journal(services, "barcode_attached")[-1]["barcode"] == UNKNOWN
    app.handle_scan(UNKNOWN)
    pump()
    assert row(sale, "Kakao med flødeskum").detail == "2 × 20,00"

    with pytest.raises(DomainError, match="allerede"):
        services.catalog.attach_barcode(
            UNKNOWN, services.catalog.products()[0].id, kiosk_id="kiosk-1", at=services.clock()
        )


# ---- paying -------------------------------------------------------------------------------------------


def test_cash_50_for_25_25_rounds_to_25_50_shows_24_50_change_and_prints_every_line(
    app: Any, services: Any, sale: Any
) -> None:
    printer = services.printer
    number, drawer_opens, printed = last_receipt_number(services) + 1, printer.drawer_opens, len(printer.printed)
    add(sale, "Sodavand, 33 cl", "Frugt, stk.", "Frugt, stk.")
    assert sale.ids.total.text == "25,25\xa0kr."
    pay = go_pay(app, sale)
    assert pay.ids.total.text == "25,25\xa0kr."
    tap(pay.ids.cash)
    assert pay.ids.exact.subtext == "25,50\xa0kr."
    exact = pay.ids.exact  # "Præcis" over "25,50 kr.": each line centred in its button
    assert abs(exact.ids.title.center_x - exact.center_x) <= 1
    assert abs(exact.sub_label.center_x - exact.center_x) <= 1
    tap(button_with_text(pay, "50 kr."))

    assert pay.stage == "receipt"
    assert (pay.ids.headline.text, pay.ids.change.text) == ("Byttepenge", "24,50\xa0kr.")
    assert "Øreafrunding 0,25\xa0kr." in pay.ids.details.text.split("\n")
    assert "Modtaget 50,00\xa0kr." in pay.ids.details.text.split("\n")
    wait_until(lambda: printer.drawer_opens == drawer_opens + 1, what="the drawer")
    assert len(printer.printed) == printed, "no receipt before the customer says yes"

    tap(pay.ids.receipt_yes)
    text = wait_until(lambda: printer.texts[printed:] and printer.texts[-1], what="the receipt")
    assert f"Kvittering nr. {number}" in text
    for words in ("Øreafrunding", "0,25", "Byttepenge", "24,50", "Modtaget", "50,00", "Du blev betjent af Åse"):
        assert words in text, words
    close_previews()
    assert pay.ids.thanks.text == "Tak!"
    tap(pay.ids.new_sale)
    assert app.sm.current == "sale" and app.counter.cart.empty


def test_no_receipt_prints_nothing_but_the_sale_is_stored(app: Any, services: Any, sale: Any) -> None:
    printer = services.printer
    printed = len(printer.printed)
    add(sale, "Te, kop")
    pay = go_pay(app, sale)
    tap(pay.ids.cash)
    tap(pay.ids.exact)
    sale_id = app.counter.finished.sale_id
    tap(pay.ids.receipt_no)
    pump(5)
    assert len(printer.printed) == printed
    stored = stored_sale(services, sale_id)
    assert (stored.total_ore, stored.receipt_no) == (1200, last_receipt_number(services))
    assert [(t.method, t.amount_ore, t.received_ore, t.change_ore) for t in stored.tenders] == [("cash", 1200, 1200, 0)]
    declined = _declined(services)
    assert declined[-1] == sale_id  # "Nej tak" is journaled with the sale it belongs to


def _declined(services: Any) -> list[Any]:
    from kiosk.db.models import JournalEntry

    with services.sessions() as s:
        return list(s.scalars(select(JournalEntry.sale_id).where(JournalEntry.kind == "receipt_declined")))


def test_card_asks_about_the_terminal_and_keeps_the_reference(app: Any, services: Any, sale: Any) -> None:
    from kiosk.widgets.dialog import ReferencePopup

    add(sale, "Sodavand, 33 cl")
    pay = go_pay(app, sale)
    tap(pay.ids.card)
    assert pay.ids.card_amount.text == "14,75\xa0kr.", "card amounts are never rounded"
    assert "Er betalingen godkendt på terminalen?" in [getattr(w, "text", "") for w in pay.walk()]
    tap(button_with_text(pay, "Tilføj reference"))
    popup = wait_modal(ReferencePopup)
    type_code(popup, "004711")
    tap(button_with_text(popup, "OK"))
    tap(pay.ids.card_yes)
    assert pay.stage == "receipt"
    assert pay.ids.change.text == "Kort"
    stored = stored_sale(services, app.counter.finished.sale_id)
    assert [(t.method, t.amount_ore, t.reference) for t in stored.tenders] == [("card", 1475, "004711")]
    assert stored.rounding_ore == 0


def test_split_20_kr_cash_then_the_rest_by_card(app: Any, services: Any, sale: Any) -> None:
    add(sale, "Sodavand, 33 cl", "Frugt, stk.", "Frugt, stk.")
    pay = go_pay(app, sale)
    tap(pay.ids.cash)
    tap(button_with_text(pay, "20 kr."))
    assert pay.stage == "paying"
    assert pay.ids.remaining.text == "Mangler 5,25\xa0kr."
    assert app.counter.busy, "half paid: idle must not walk away from it"
    tap(pay.ids.card)
    assert pay.ids.card_amount.text == "5,25\xa0kr."
    tap(pay.ids.card_yes)
    assert pay.stage == "receipt"
    stored = stored_sale(services, app.counter.finished.sale_id)
    assert [(t.method, t.amount_ore) for t in stored.tenders] == [("cash", 2000), ("card", 525)]
    assert stored.rounding_ore == 0


def test_a_dead_printer_never_loses_the_sale_and_udskriv_igen_prints_a_kopi(app: Any, services: Any, sale: Any) -> None:
    from kiosk.widgets.dialog import ConfirmDialog

    printer = services.printer
    printer.online = False
    add(sale, "Kanelsnegl")
    pay = go_pay(app, sale)
    tap(pay.ids.mobilepay)
    assert pay.ids.mobilepay_number.text == services.settings.shop.mobilepay
    assert pay.ids.qr.texture is not None
    tap(pay.ids.mobilepay_yes)
    sale_id = app.counter.finished.sale_id
    tap(pay.ids.receipt_yes)

    dialog = wait_modal(ConfirmDialog)
    assert f"{dialog.title} {dialog.message}" == "Salget er gemt. Printeren svarer ikke – tjek papir og strøm."
    assert stored_sale(services, sale_id).total_ore == 1750
    printed = len(printer.printed)
    printer.online = True
    tap(button_with_text(dialog, "Udskriv igen"))
    text = wait_until(lambda: printer.texts[printed:] and printer.texts[-1], what="the copy")
    assert "KOPI" in text and "MobilePay" in text


def test_training_mode_shows_the_banner_and_keeps_the_sale_out_of_the_receipt_numbers(
    app: Any, services: Any, sale: Any
) -> None:
    from kiosk.widgets.training import TrainingBanner

    banner = next(w for w in app.root.children if isinstance(w, TrainingBanner))
    assert banner.opacity == 0
    app.training = True
    pump()
    assert banner.opacity == 1 and banner.text == "ØVELSE"
    number = last_receipt_number(services)
    add(sale, "Kaffe, kop")
    pay = go_pay(app, sale)
    tap(pay.ids.cash)
    tap(pay.ids.exact)
    stored = stored_sale(services, app.counter.finished.sale_id)
    assert stored.training and stored.receipt_no is None
    assert last_receipt_number(services) == number


def test_every_button_on_the_till_is_at_least_12_mm(app: Any, services: Any, sale: Any) -> None:
    from kiosk.widgets.dialog import ConfirmDialog, ReferencePopup
    from kiosk.widgets.pin_popup import PinPopup

    def check(root: Any, where: str) -> None:
        found = buttons(root)
        assert found, where
        small = [(getattr(b, "text", type(b).__name__), tuple(b.size)) for b in found if min(b.size) < MIN_TOUCH_PX]
        assert not small, f"too small on {where}: {small}"

    add(sale, "Kaffe, kop", "Æblemost fra Hedemarken, 0,5 l")
    check(sale, "Køb")
    sale.start_attach(UNKNOWN, app.counter.seller)
    pump()
    check(sale, "Køb, tilknyt stregkode")
    sale.stop_attach()
    tap(sale.ids.annul)
    check(wait_modal(ConfirmDialog), "Annullér køb?")
    tap(button_with_text(modal(ConfirmDialog), "Nej"))
    pay = go_pay(app, sale)
    for method in ("method", "cash", "card", "mobilepay"):
        if method != "method":
            tap(pay.ids[method])
        check(pay, f"Betal ({method})")
    tap(button_with_text(pay, "Tilføj reference"))
    check(wait_modal(ReferencePopup), "reference")
    tap(button_with_text(modal(ReferencePopup), "Fortryd"))
    tap(pay.ids.mobilepay_yes)
    check(pay, "Vil du have kvittering?")
    tap(pay.ids.receipt_no)
    check(pay, "Tak!")
    tap(pay.ids.new_sale)

    app.counter.log_out()
    pump()
    check(sale, "Scan dit kort")
    tap(sale.ids.login.ids.people.children[0])
    check(wait_modal(PinPopup), "Tast din kode")
