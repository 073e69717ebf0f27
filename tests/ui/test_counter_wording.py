"""What a first week at the counter met in words and layout, as the cashier sees it on the running app: refund
lines read whole, one full stop after an amount, the refund question naming the cash handed over, Opsætning in
Danish (and English from the catalogue), every category in sight, toasts that cover no button, and a MobilePay
QR code that a phone reads as a payment to the shop."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete

from tests.ui.helpers import button_with_text, buttons, close_previews, lock_till, pump, tap, wait_modal
from tests.ui.test_till_admin import sell

Rect = tuple[float, float, float, float]


@pytest.fixture(autouse=True)
def _fresh(app: Any, services: Any) -> Iterator[None]:
    def clean() -> None:
        close_previews()
        lock_till(app)

    clean()
    yield
    clean()


def _open(app: Any, name: str, **props: Any) -> Any:
    app.go(name, **props)
    pump(6)
    assert app.sm.current == name
    return app.sm.get_screen(name)


def _rect(widget: Any) -> Rect:
    x, y = widget.to_window(widget.x, widget.y)
    return (x, y, widget.width, widget.height)


def _inside(inner: Rect, outer: Rect, slack: float = 1.0) -> bool:
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[0] + inner[2] <= outer[0] + outer[2] + slack
        and inner[1] + inner[3] <= outer[1] + outer[3] + slack
    )


# ---- refund: lines read whole, and the question names what is handed over ------------------------------


@pytest.mark.parametrize(
    ("language", "bought"),
    [("da", "Købt 2 × 14,75\n1 kan gives retur"), ("en", "Bought 2 × 14,75\n1 can be refunded")],
)
def test_a_refund_line_is_read_whole_in_its_box(
    app: Any, services: Any, aase: Any, boss: Any, language: str, bought: str
) -> None:
    original = sell(services, aase, [("Sodavand, 33 cl", 2), ("Æblemost fra Hedemarken, 0,5 l", 1)], "cash")
    services.sales.refund(original.sale_id, {0: 1}, "cash", boss.id, boss.id)
    app.set_language(language)
    refund = _open(app, "refund", supervisor=boss, sale_id=original.sale_id)
    rows = {row.name: row for row in refund.ids.lines.children}
    for row in rows.values():
        for label in (row.ids.name, row.ids.bought):
            assert not label.shorten, f"{label.text!r} is cut short"
            assert label.texture_size[0] <= label.width + 1, f"{label.text!r} is wider than its box"
            assert label.texture_size[1] <= label.height + 1, f"{label.text!r} is taller than its box"
            assert _inside(_rect(label), _rect(row)), f"{label.text!r} spills out of its line"
    assert rows["Sodavand, 33 cl"].bought == bought


def test_the_refund_question_names_the_cash_handed_over_without_a_minus(
    app: Any, services: Any, aase: Any, boss: Any
) -> None:
    from kiosk.widgets.dialog import ConfirmDialog

    original = sell(services, aase, [("Sodavand, 33 cl", 1)], "cash")  # 14,75: cash goes back as 15,00
    refund = _open(app, "refund", supervisor=boss, sale_id=original.sale_id)
    tap(refund.ids.whole)
    tap(refund.ids.give_back)
    dialog = wait_modal(ConfirmDialog)
    assert dialog.ids.title.text == "Giv 15,00\xa0kr. retur?"
    tap(button_with_text(dialog, "Fortryd"))

    tap(refund.ids.card)  # by card the exact amount goes back
    tap(refund.ids.give_back)
    dialog = wait_modal(ConfirmDialog)
    assert dialog.ids.title.text == "Giv 14,75\xa0kr. retur?"
    tap(button_with_text(dialog, "Fortryd"))

    tap(refund.ids.cash)
    tap(refund.ids.give_back)
    dialog = wait_modal(ConfirmDialog)
    assert "-" not in dialog.ids.title.text
    tap(button_with_text(dialog, "Giv retur"))
    assert refund.ids.give_back_amount.text == "15,00\xa0kr.", "the question named what is handed over"


# ---- one full stop after an amount ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("da", "Talt: 30,00\xa0kr. Dagen lukkes, og Z-rapporten udskrives."),
        ("en", "Counted: 30,00\xa0kr. The day is closed and the Z report printed."),
    ],
)
def test_the_close_day_question_has_one_stop_after_the_counted_amount(
    app: Any, boss: Any, language: str, message: str
) -> None:
    from kiosk.widgets.dialog import ConfirmDialog

    app.set_language(language)
    till = _open(app, "till_admin", supervisor=boss)
    tap(till.ids.close_day)
    rows = {row.label: row for row in till.ids.coins.children + till.ids.notes.children}
    tap(rows["20 kr."].ids.plus)
    tap(rows["10 kr."].ids.plus)
    tap(till.ids.finish_count)
    dialog = wait_modal(ConfirmDialog)
    assert dialog.ids.message.text == message
    assert ".." not in dialog.ids.message.text
    dialog.dismiss(animation=False)
    pump()


def test_a_toast_or_dialog_ending_an_amount_with_a_stop_shows_one(app: Any) -> None:
    from kiosk.widgets.dialog import ConfirmDialog

    app.show_toast("Udbetalt 63,00\xa0kr.. Kassen er talt.")
    pump()
    assert app.toast.text == "Udbetalt 63,00\xa0kr. Kassen er talt."
    dialog = ConfirmDialog(title="Betal 15,00\xa0kr.?", message="Talt: 63,00\xa0kr.. Dagen lukkes.")
    dialog.open(animation=False)
    pump()
    assert dialog.ids.message.text == "Talt: 63,00\xa0kr. Dagen lukkes."
    assert dialog.ids.title.text == "Betal 15,00\xa0kr.?"
    dialog.dismiss(animation=False)


# ---- Opsætning in the kiosk's language ----------------------------------------------------------------------

ENGLISH_WORDS = ("columns", "connected", "native", "simulated", "preview", "keyboard", "wedge", "chars", "scanner (")


def _settings_texts(screen: Any) -> list[str]:
    from kivy.uix.label import Label

    values = {row.value for row in screen.ids.shop_rows.children + screen.ids.kiosk_rows.children}
    texts = [w.text for w in screen.walk(restrict=True) if isinstance(w, Label) and w.text]
    return [t for t in texts if t not in values]  # the values are the shop's own data (names, paths)


def test_opsaetning_says_the_printer_and_scanner_in_danish_and_in_english_from_the_catalogue(
    app: Any, boss: Any
) -> None:
    screen = _open(app, "settings", supervisor=boss)
    assert screen.printer_detail == "Simuleret printer: bonen vises på skærmen · 48 tegn pr. linje"
    assert screen.scanner_detail == "Scanner som tastatur: tegn højst 50 ms fra hinanden, mindst 3 tegn"
    for label in (screen.ids.printer_detail, screen.ids.scanner_detail):
        assert not label.shorten and label.texture_size[0] <= label.width + 1, f"{label.text!r} is cut short"
    english = [t for t in _settings_texts(screen) if any(w in t.lower() for w in ENGLISH_WORDS)]
    assert not english, f"English on Opsætning: {english}"

    app.set_language("en")
    screen = _open(app, "settings", supervisor=boss)
    assert screen.printer_detail == "Simulated printer: the receipt is shown on the screen · 48 characters per line"
    assert screen.scanner_detail == "Scanner as a keyboard: keys at most 50 ms apart, at least 3 characters"


def test_a_real_printer_and_scanner_are_said_in_danish_and_read_whole(app: Any, services: Any, boss: Any) -> None:
    from kiosk.config import PrinterSettings, ScannerSettings
    from kiosk.screens.shop.settings import printer_words, scanner_words

    printer = PrinterSettings(url="serial:/dev/ttyUSB0?baudrate=19200", qr="native", columns=48)
    assert printer_words(printer) == (
        "ESC/POS-printer på serial:/dev/ttyUSB0?baudrate=19200\n"
        "Model TM-T20II · Tegnsæt CP858 · QR-kode: printerens egen · 48 tegn pr. linje"
    )
    assert "som billede" in printer_words(dataclasses.replace(printer, qr="image"))
    assert scanner_words(ScannerSettings(url="serial:/dev/ttyACM0")) == "Scanner på serial:/dev/ttyACM0"

    saved = services.settings  # the long stable port names a Pi gives USB serial devices
    by_id = "serial:/dev/serial/by-id/usb-Prolific_Technology_Inc._USB-Serial_Controller-if00-port0?baudrate=19200"
    services.settings = dataclasses.replace(
        saved,
        printer=dataclasses.replace(saved.printer, url=by_id, qr="image"),
        scanner=dataclasses.replace(saved.scanner, url="serial:/dev/serial/by-id/usb-Honeywell_1900-if00"),
    )
    try:
        screen = _open(app, "settings", supervisor=boss)
        for label in (screen.ids.printer_detail, screen.ids.scanner_detail):
            assert not label.shorten, f"{label.text!r} is cut short"
            assert label.texture_size[0] <= label.width + 1 and label.texture_size[1] <= label.height + 1
        assert screen.ids.printer_detail.text.startswith("ESC/POS-printer på serial:/dev/serial/by-id/")
        column, header = _rect(screen.ids.devices_column), screen.children[0].children[-1]
        assert column[1] + column[3] <= _rect(header)[1] + 1, "the devices' column runs up over the header"
    finally:
        services.settings = saved


# ---- every category in sight -------------------------------------------------------------------------------


@pytest.fixture
def many_categories(services: Any) -> Iterator[list[str]]:
    """Three more categories than the demo's five: eight buttons with "Alle"."""
    from kiosk.db.models import Category

    names = ["Sæsonvarer", "Reparationer", "Værksted"]
    with services.sessions() as s, s.begin():
        for n, name in enumerate(names):
            s.add(Category(name=name, sort_order=100 + n))
    yield names
    with services.sessions() as s, s.begin():
        s.execute(delete(Category).where(Category.name.in_(names)))


def test_with_eight_categories_every_one_is_in_sight_on_the_koeb_screen(
    app: Any, aase: Any, many_categories: list[str]
) -> None:
    app.counter.log_in(aase)
    app.go("sale")
    pump(6)
    sale = app.sm.get_screen("sale")
    shown = [b for b in sale.ids.categories.children if b.opacity > 0]
    assert {b.category for b in shown} >= {"", *many_categories}
    assert len(shown) >= 8
    column, window = _rect(sale.ids.product_column), (0.0, 0.0, *app.root.size)
    for button in shown:
        assert _inside(_rect(button), column) and _inside(_rect(button), window), f"{button.text} is out of sight"
        assert min(button.size) >= 72, f"{button.text} is too small to tap"
    tap(next(b for b in shown if b.category == many_categories[-1]))
    assert sale.category == many_categories[-1], "the last category is reached by a plain tap"
    tap(next(b for b in shown if b.category == ""))  # back to Alle for whoever sells next


# ---- toasts cover no button ---------------------------------------------------------------------------------


def _seen_buttons(screen: Any) -> list[tuple[str, Rect]]:
    """Every button one can see on the screen: its ancestors shown, and clipped to the scrolling area."""
    from kivy.uix.scrollview import ScrollView

    seen = []
    for button in buttons(screen):
        if button.opacity == 0 or button.width <= 0 or button.height <= 0:
            continue
        rect, parent, hidden = _rect(button), button.parent, False
        while parent is not None and parent is not parent.parent:
            hidden = hidden or getattr(parent, "opacity", 1) == 0
            if isinstance(parent, ScrollView):
                x1, y1, w1, h1 = rect
                x2, y2, w2, h2 = _rect(parent)
                left, bottom = max(x1, x2), max(y1, y2)
                right, top = min(x1 + w1, x2 + w2), min(y1 + h1, y2 + h2)
                if right <= left or top <= bottom:
                    hidden = True
                    break
                rect = (left, bottom, right - left, top - bottom)
            parent = parent.parent
        if not hidden:
            seen.append((getattr(button, "text", "") or type(button).__name__, rect))
    return seen


def _covered(toast: Any, screen: Any) -> list[str]:
    tx, ty, tw, th = _rect(toast)
    return [
        name
        for name, (x, y, w, h) in _seen_buttons(screen)
        if x < tx + tw and tx < x + w and y < ty + th and ty < y + h
    ]


TOASTS = [
    "Hej, Åse!",
    "Printeren svarer ikke – tjek papir og strøm.",
    "Skuffen åbnede ikke – brug nøglen. Printeren svarer ikke – tjek papir og strøm.",
]


@pytest.mark.parametrize("text", TOASTS)
def test_a_toast_on_the_koeb_screen_covers_no_button(
    app: Any, aase: Any, many_categories: list[str], text: str
) -> None:
    """A full Køb screen: eight categories on two rows, a grid of tiles, a cart with Annullér køb and Betal."""
    app.counter.log_in(aase)
    app.go("sale")
    pump(4)
    sale = app.sm.get_screen("sale")
    tap(next(b for b in sale.ids.categories.children if b.category == ""))  # Alle: every tile
    for name in ("Kaffe, kop", "Kanelsnegl", "Sodavand, 33 cl"):
        tap(next(t for t in sale.ids.products.children if t.name == name))
    assert "Annullér køb" in [n for n, _r in _seen_buttons(sale)], "the cart's Annullér køb is in sight"
    app.show_toast(text, "error", 8)
    pump(4)
    assert app.toast.opacity == 1
    assert _covered(app.toast, sale) == [], f"the toast {text!r} covers buttons"
    assert _inside(_rect(app.toast), (0.0, 0.0, *app.root.size))


@pytest.mark.parametrize("text", TOASTS)
def test_a_toast_on_personer_covers_no_button(app: Any, boss: Any, text: str) -> None:
    people = _open(app, "people_admin", supervisor=boss)
    tile = next(t for t in people.ids.people.children if t.person.person.first_name == "Åse")
    people.choose(tile.person)
    pump(4)
    assert "Deaktivér" in [n for n, _r in _seen_buttons(people)]
    app.show_toast(text, "ok", 8)
    pump(4)
    assert _covered(app.toast, people) == [], f"the toast {text!r} covers buttons"


# ---- MobilePay: a QR code a phone opens as a payment, and the number to type --------------------------------


def _decode_qr(app: Any, tmp_path: Path) -> list[str]:
    """The QR codes in a picture of the whole window, read as a phone's camera would."""
    import zxingcpp
    from PIL import Image

    from kiosk.screenshot import export

    pump(4)
    path = export(app, tmp_path / "pay.png")
    return [r.text for r in zxingcpp.read_barcodes(Image.open(path))]


def _at_betal(app: Any, aase: Any, names: list[str]) -> Any:
    app.counter.log_in(aase)
    app.go("sale")
    pump(4)
    sale = app.sm.get_screen("sale")
    tap(next(b for b in sale.ids.categories.children if b.category == ""))  # Alle: every tile
    for name in names:
        tap(next(t for t in sale.ids.products.children if t.name == name))
    tap(sale.ids.pay)
    assert app.sm.current == "pay"
    return app.sm.get_screen("pay")


def _pay_by_mobilepay(app: Any, aase: Any, names: list[str]) -> Any:
    pay = _at_betal(app, aase, names)
    tap(pay.ids.mobilepay)
    pump(4)
    return pay


def _offered(pay: Any) -> list[str]:
    """The payment methods a cashier can see and tap on Betal, top to bottom."""
    shown = [pay.ids.cash, pay.ids.card, pay.ids.mobilepay]
    return [b.text for b in shown if b.opacity > 0 and b.height > 0 and not b.disabled]


def test_betal_offers_mobilepay_only_when_the_shop_has_a_mobilepay_number(app: Any, services: Any, aase: Any) -> None:
    saved = services.settings
    services.settings = dataclasses.replace(saved, shop=dataclasses.replace(saved.shop, mobilepay=""))
    try:
        pay = _at_betal(app, aase, ["Kaffe, kop"])
        assert _offered(pay) == ["Kontant", "Kort"], "no MobilePay to pick when the shop has no number"
        tap(pay.ids.mobilepay)  # where it would be: nothing opens
        assert pay.step == "method" and pay.ids.steps.current == "method"
        tap(pay.ids.card)
        assert pay.step == "card"
        tap(pay.ids.header.ids.back)  # to the basket, nothing taken
        assert app.sm.current == "sale"
    finally:
        services.settings = saved
    tap(app.sm.get_screen("sale").ids.pay)  # the shop has a number again
    assert _offered(pay) == ["Kontant", "Kort", "MobilePay"]
    tap(pay.ids.mobilepay)
    assert pay.step == "mobilepay" and pay.ids.mobilepay_number.text == "12345"


def test_the_mobilepay_qr_opens_a_payment_of_the_amount_to_the_shops_number(
    app: Any, services: Any, aase: Any, tmp_path: Path
) -> None:
    number = services.settings.shop.mobilepay
    assert number == "12345"
    pay = _pay_by_mobilepay(app, aase, ["Sodavand, 33 cl", "Kaffe, kop"])  # 29,75: MobilePay is never rounded
    link = "https://mobilepay.dk/erhverv/betalingslink/betalingslink-svar?phone=12345&amount=29.75"
    assert pay.ids.qr.data == link
    assert _decode_qr(app, tmp_path) == [link], "the QR on the screen is not the payment link"
    assert pay.ids.mobilepay_caption.text == "Scan koden, eller skriv nummeret i MobilePay:"
    assert pay.ids.mobilepay_number.text == "12345"
    assert pay.ids.mobilepay_amount.text == "29,75\xa0kr."


def test_a_number_mobilepay_links_cannot_name_shows_no_qr_only_the_number_to_type(
    app: Any, services: Any, aase: Any, tmp_path: Path
) -> None:
    saved = services.settings
    shop = dataclasses.replace(saved.shop, mobilepay="20 12 34 56")  # a phone number, not a MyShop number
    services.settings = dataclasses.replace(saved, shop=shop)
    try:
        pay = _pay_by_mobilepay(app, aase, ["Kaffe, kop"])
        assert pay.ids.qr.data == "" and pay.ids.qr.opacity == 0
        assert _decode_qr(app, tmp_path) == [], "no QR code that opens nothing"
        assert pay.ids.mobilepay_caption.text == "Skriv nummeret i MobilePay:"
        assert pay.ids.mobilepay_number.text == "20 12 34 56"
    finally:
        services.settings = saved
