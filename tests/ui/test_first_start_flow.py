"""A real shop from its first start, through real touches: a new database opens Kom i gang (not home); the
volunteer types the shop and the first admin, checks the printer and the scanner; people and products come from
the shop's spreadsheets on the command line; the admin gives a worker a code; the worker sells; the admin refunds.

The session's app is handed a new shop's services (a fresh SQLite file and its own kiosk.toml) for these tests,
and the demo shop's back afterwards: Kivy allows one window per process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.conftest import sample
from tests.ui.conftest import NOW
from tests.ui.helpers import (
    assert_big_buttons,
    button_with_text,
    buttons,
    key,
    lock_till,
    modal,
    pump,
    scan,
    shot,
    tap,
    tap_in_view,
    wait_modal,
    wait_until,
)

REPO = Path(__file__).resolve().parents[2]
ADMIN_PIN, WORKER_PIN = "471123", "3690"  # an admin's code: 6 digits or more


@dataclass
class NewShop:
    services: Any
    config: Path


@pytest.fixture
def new_shop(app: Any, tmp_path: Path) -> Iterator[NewShop]:
    """The app as `kiosk run` starts it on a Pi just installed: an empty database, the README's config file."""
    from kiosk.bootstrap import build_services
    from kiosk.config import load_settings
    from kiosk.devices.printer import PreviewPrinter
    from kiosk.devices.scanner import FakeScanner
    from kiosk.services.sales import Counter

    config = tmp_path / "etc" / "kiosk.toml"
    config.parent.mkdir()
    config.write_text(f'# Hedemarken\ndata_dir = "{tmp_path / "data"}"\n[printer]\ncolumns = 42\n', encoding="utf-8")
    fresh = build_services(load_settings(config), printer=PreviewPrinter(42), scanner=FakeScanner(), clock=lambda: NOW)
    saved = app.services, app.counter
    app.services, app.counter = fresh, Counter(fresh)
    fresh.scanner.start(app._scan_from_device)
    app._fill_screens()
    pump()
    try:
        yield NewShop(fresh, config)
    finally:
        app.services, app.counter = saved
        app.in_setup = False
        app._fill_screens()
        pump()
        fresh.close()


def kiosk_cli(shop: NewShop, *args: str) -> subprocess.CompletedProcess[str]:
    """The `kiosk` command on the same database, as a volunteer runs it on the Pi beside the running kiosk."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "KIOSK_DATA_DIR")}
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args, "--config", str(shop.config)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def type_into(screen: Any, field: Any, text: str) -> None:
    """Tap the field and make it say `text` on the on-screen keyboard, as a person corrects a field: ⌫ back to
    where it differs, then the rest typed (the shop's name from the config file is left as it is)."""
    tap(field)
    keep = 0
    while keep < min(len(field.text), len(text)) and field.text[keep] == text[keep]:
        keep += 1
    for _ in range(len(field.text) - keep):
        tap(key(screen, "⌫"))
    for char in text[keep:]:
        tap(key(screen, char.lower() if char.isalpha() else char))


def journal(services: Any) -> list[tuple[str, Any, dict[str, Any]]]:
    from kiosk.db.models import JournalEntry

    with services.sessions() as s:
        rows = s.execute(select(JournalEntry.kind, JournalEntry.person_id, JournalEntry.payload).order_by("seq"))
        return [(kind, person, json.loads(payload)) for kind, person, payload in rows]


def shows_cursor(field: Any) -> bool:
    """The field's words end in the cursor ("|"), as the one being typed into shows them."""
    from kivy.uix.label import Label

    shown = [w.text for w in field.children if isinstance(w, Label) and w.text]
    return any(text.endswith("|") or text.startswith("|") for text in shown)


def log_in_at_the_till(app: Any, first_name: str, pin: str, *, ok: bool = False) -> Any:
    """Køb from home, the person's name tile, their code on the popup's keys (then OK, when `ok`); the Køb screen."""
    from kiosk.widgets.pin_popup import PinPopup

    tap(app.sm.get_screen("home").ids.buy)
    sale = app.sm.current_screen
    tap_in_view(next(t for t in sale.ids.login.ids.people.children if t.name == first_name))
    popup = wait_modal(PinPopup)
    for digit in pin:
        tap(button_with_text(popup, digit))
    if ok:
        tap(button_with_text(popup, "OK"))
    return sale


def walk_first_start(app: Any, shop: NewShop) -> None:
    """Kom i gang, as the volunteer does it: every step by touch."""
    services = shop.services
    form = app.sm.get_screen("setup_shop")
    type_into(form, form.ids.name, "Hedemarkens Butik")
    type_into(form, form.ids.address, "Hedemarken 41, 2620 Albertslund")
    type_into(form, form.ids.cvr, "1234")
    fields = (form.ids.name, form.ids.address, form.ids.cvr, form.ids.mobilepay)
    assert [shows_cursor(f) for f in fields] == [False, False, True, False], "the tapped field has the cursor"
    assert form.ids.cvr.active, "and the blue frame"
    keys = {getattr(b, "key", None) for b in buttons(form.ids.keyboard)}
    assert "+" not in keys and set("0123456789") <= keys, "a CVR number's pad has digits, no phone number's +"
    tap(form.ids.next)
    assert form.ids.cvr.problem == "Et CVR-nummer har 8 cifre.", "a short CVR is named under its field"
    assert app.sm.current == "setup_shop"
    type_into(form, form.ids.cvr, "29876543")
    type_into(form, form.ids.mobilepay, "")  # no MobilePay yet: allowed
    assert "+" in {getattr(b, "key", None) for b in buttons(form.ids.keyboard)}, "a phone number's pad has its +"
    shot(app, "setup_shop")
    tap(form.ids.next)

    assert app.sm.current == "setup_admin"
    admin = app.sm.current_screen
    assert admin.step_text == "Trin 2 af 4"
    type_into(admin, admin.ids.name, "Line Sørensen")
    type_into(admin, admin.ids.pin, "4711")
    type_into(admin, admin.ids.pin_again, "4711")
    tap(admin.ids.next)
    assert admin.ids.pin.problem == "Koden skal være 6 til 8 tal.", "an admin's code is a leader's: 6 digits or more"
    type_into(admin, admin.ids.pin, ADMIN_PIN)
    type_into(admin, admin.ids.pin_again, "471124")
    tap(admin.ids.next)
    assert admin.ids.pin_again.problem == "De to koder er ikke ens. Tast den samme kode to gange."
    assert (admin.ids.pin.text, admin.ids.pin_again.text) == ("", ""), "both codes typed again"
    type_into(admin, admin.ids.pin, ADMIN_PIN)
    type_into(admin, admin.ids.pin_again, ADMIN_PIN)
    shot(app, "setup_admin")
    tap(admin.ids.next)

    assert app.sm.current == "setup_printer"
    printer_step = app.sm.current_screen
    printed = len(services.printer.printed)
    tap(printer_step.ids.print_slip)
    text = wait_until(lambda: services.printer.texts[printed:] and services.printer.texts[-1], what="the test slip")
    assert "Hedemarkens Butik" in text and "CVR 29876543" in text, "the slip shows the shop just typed"
    wait_until(lambda: printer_step.state == "ask", what="Kom der en seddel ud?")
    assert printer_step.ids.question.text == "Kom der en seddel ud?"
    shot(app, "setup_printer")
    tap(printer_step.ids.yes)

    assert app.sm.current == "setup_scanner"
    scanner_step = app.sm.current_screen
    assert scanner_step.ids.question.text == "Scan en vare eller et kort"
    scan(services, "5701234567890")
    assert scanner_step.ids.read.text == "5701234567890", "what the scanner read is shown"
    shot(app, "setup_scanner")
    tap(scanner_step.ids.forward)

    assert app.sm.current == "setup_done"
    done = app.sm.current_screen
    assert done.ids.printer.ok and done.ids.scanner.ok
    assert "Line Sørensen" in done.ids.admin.text
    shot(app, "setup_done")
    tap(done.ids.start)


def test_a_new_database_opens_kom_i_gang_and_nothing_else_can_be_reached(app: Any, new_shop: NewShop) -> None:
    assert app.sm.current == "setup_shop"
    form = app.sm.current_screen
    assert form.ids.name.text == "Hedemarkens Butik", "the config file's shop, to correct rather than retype"
    assert (form.ids.cvr.text, form.ids.mobilepay.text) == ("", ""), "never the example CVR and MobilePay numbers"
    assert app.sm.current_screen.step_text == "Trin 1 af 4"
    assert_big_buttons(app.sm.current_screen)
    for elsewhere in ("home", "sale", "staff", "staff_menu", "settings"):
        app.go(elsewhere)
        pump()
        assert app.sm.current == "setup_shop", f"{elsewhere} reached before the first admin"
    scan(new_shop.services, "5701234567890")  # a product on the first step: not a sale
    assert app.toast.text == "Gør opsætningen færdig først"


def test_skipping_the_printer_and_scanner_says_what_will_not_work(app: Any, new_shop: NewShop) -> None:
    from kiosk.services.shop.identity import ShopDraft

    services = new_shop.services
    services.first_start.set_shop(ShopDraft("Hedemarkens Butik", "Hedemarken 41, 2620 Albertslund", "29876543", ""))
    services.first_start.set_admin("Line Sørensen", ADMIN_PIN, ADMIN_PIN)
    app.go("setup_printer")
    pump()
    step = app.sm.current_screen
    words = " ".join(w.text for w in step.walk() if hasattr(w, "text") and isinstance(w.text, str))
    assert "Uden printer kommer der ingen kvitteringer" in words
    # where to try again once the printer is plugged in: Opsætning prints a test slip (it cannot change the port)
    assert "Prøv igen under Personale > Opsætning." in words
    tap(step.ids.print_slip)
    wait_until(lambda: step.state == "ask", what="the question")
    tap(step.ids.no)
    assert step.state == "failed" and step.ids.question.text == "Printeren virker ikke endnu."
    assert "papir" in step.ids.message.text
    tap(step.ids.skip)
    assert app.sm.current == "setup_scanner"
    tap(app.sm.current_screen.ids.skip)
    done = app.sm.current_screen
    assert app.sm.current == "setup_done"
    assert not done.ids.printer.ok and "Uden printer" in done.ids.printer.text
    assert not done.ids.scanner.ok and "Uden scanner" in done.ids.scanner.text
    tap(done.ids.start)
    assert app.sm.current == "home"
    checks = {p["device"]: p["outcome"] for kind, _who, p in journal(services) if kind == "device_check"}
    assert checks == {"printer": "failed", "scanner": "skipped"}


@pytest.mark.timeout(600)  # a long walk with three CLI runs: generous on a busy 2-core machine
def test_a_new_shop_from_first_start_to_a_workers_sale_and_the_admins_refund(app: Any, new_shop: NewShop) -> None:
    from kiosk.config import load_settings
    from kiosk.db.models import Person, Sale, Tender
    from kiosk.widgets.dialog import ConfirmDialog, ReferencePopup

    services = new_shop.services
    assert app.sm.current == "setup_shop", "a new database opens Kom i gang, not home"
    walk_first_start(app, new_shop)

    # Home, with the shop just typed; the flow cannot be reached again
    assert app.sm.current == "home"
    assert app.sm.current_screen.ids.shop.text == "Hedemarkens Butik"
    assert app.toast.text.startswith("Velkommen, Line!")
    app.go("setup_shop")
    pump()
    assert app.sm.current == "home"
    saved = load_settings(new_shop.config)
    assert (saved.shop.address, saved.shop.cvr, saved.shop.mobilepay) == (
        "Hedemarken 41, 2620 Albertslund",
        "29876543",
        "",
    )
    assert "# Hedemarken" in new_shop.config.read_text(encoding="utf-8"), "the volunteer's comments kept"
    kinds = [kind for kind, _who, _p in journal(services)]
    assert kinds[-1] == "first_start_done" and "pin_set" in kinds and "settings_changed" in kinds

    # Køb before the first product: the till says where the products come from, not an empty space
    sale = log_in_at_the_till(app, "Line", ADMIN_PIN, ok=True)  # a leader's code is 6 digits or more: OK ends it
    assert wait_until(lambda: app.counter.seller is not None)
    assert sale.ids.products.children == []
    assert sale.ids.no_products.text == "Ingen varer endnu.\nEn leder lægger dem ind under Personale > Varer."
    assert sale.ids.no_products.height > sale.ids.no_products.texture_size[1] > 0
    hint, tiles = sale.ids.no_products, sale.ids.product_scroll
    assert hint.to_window(hint.x, hint.y)[1] >= tiles.to_window(tiles.x, tiles.top)[1] - 1, "above the tiles' place"
    assert sale.ids.empty_hint.text == "Kurven er tom", "no 'tap a product or scan it' while there is none"
    lock_till(app)
    app.go_home()
    pump()

    # People and products from the shop's spreadsheets, on the command line beside the running kiosk
    people = kiosk_cli(new_shop, "people", "import", str(sample("people.csv")))
    assert people.returncode == 0, people.stderr
    products = kiosk_cli(new_shop, "products", "import", str(sample("products.csv")))
    assert products.returncode == 0, products.stderr
    listing = kiosk_cli(new_shop, "people", "list")
    assert listing.returncode == 0, listing.stderr
    assert "Åse Ørbæk" in listing.stdout and "Ahmad Karimi" in listing.stdout
    with services.sessions() as s:
        phones = {p.name: p.phone for p in s.scalars(select(Person))}
    assert (phones["Birthe Æbelø"], phones["Ahmad Karimi"]) == ("31223344", "20123456")
    assert sum(1 for name in phones if name == "Line Sørensen") == 1, "the imported admin is not a twin"

    # The admin gives Åse a code on Personer
    tap(app.sm.get_screen("home").ids.staff)
    staff = app.sm.current_screen
    for digit in ADMIN_PIN:
        tap(button_with_text(staff.ids.numpad, digit))
    tap(button_with_text(staff.ids.numpad, "OK"))
    assert app.sm.current == "staff_menu"
    tap(button_with_text(app.sm.current_screen.ids.entries, "Personer"))
    people_screen = app.sm.current_screen
    tap_in_view(next(t for t in people_screen.ids.people.children if getattr(t, "name", "").startswith("Åse")))
    tap(people_screen.ids.set_pin)
    code = wait_modal(ReferencePopup)
    for digit in WORKER_PIN:
        tap(button_with_text(code.ids.numpad, digit))
    tap(button_with_text(code.ids.numpad, "OK"))
    assert app.toast.text == "Koden er gemt."
    app.go_home()
    pump()

    # Åse sells: Køb, her name, her code, two products, cash
    sale = log_in_at_the_till(app, "Åse", WORKER_PIN)  # a worker's four digits open the till by themselves
    assert app.counter.seller is not None and app.counter.seller.first_name == "Åse"
    tiles = {t.name: t for t in sale.ids.products.children}
    assert (sale.ids.no_products.text, sale.ids.no_products.height) == ("", 0), "products now: no hint"
    assert sale.ids.empty_hint.text == "Tryk på en vare – eller scan den"
    assert tiles, "the imported products are on the till"
    coffee, soda = "Kaffe, kop", "Sodavand, 33 cl"
    tap(tiles[coffee])
    tap(tiles[soda])
    tap(sale.ids.pay)
    pay = app.sm.get_screen("pay")
    tap(pay.ids.cash)
    tap(button_with_text(pay, "50 kr."))
    sale_id = app.counter.finished.sale_id
    printed = len(services.printer.printed)
    tap(pay.ids.receipt_yes)
    receipt = wait_until(lambda: services.printer.texts[printed:] and services.printer.texts[-1], what="receipt")
    assert "Hedemarkens Butik" in receipt and "CVR 29876543" in receipt and "Åse" in receipt
    tap(pay.ids.new_sale)
    tap(sale.ids.header.ids.log_out)
    app.go_home()
    pump()

    # Line refunds it: Personale, her code, Kassen, Retur, today's sale, all of it, in cash
    tap(app.sm.get_screen("home").ids.staff)
    staff = app.sm.current_screen
    for digit in ADMIN_PIN:
        tap(button_with_text(staff.ids.numpad, digit))
    tap(button_with_text(staff.ids.numpad, "OK"))
    tap(button_with_text(app.sm.current_screen.ids.entries, "Kassen"))
    tap(app.sm.current_screen.ids.refund)
    refund = app.sm.current_screen
    assert app.sm.current == "refund"
    tap(next(b for b in refund.ids.todays.children if b.sale_id == sale_id))
    tap(refund.ids.whole)
    drawer = services.printer.drawer_opens
    tap(refund.ids.give_back)
    dialog = wait_modal(ConfirmDialog)
    tap(dialog.ids.yes)
    assert modal(ConfirmDialog) is None
    assert refund.step == "done"
    wait_until(lambda: services.printer.drawer_opens == drawer + 1, what="the drawer opened for the cash")
    with services.sessions() as s:
        refunds = list(s.scalars(select(Sale).where(Sale.original_sale_id == sale_id)))
        assert len(refunds) == 1
        methods = {t.method for t in s.scalars(select(Tender).where(Tender.sale_id == refunds[0].id))}
    assert methods == {"cash"}, "a cash sale is refunded in cash"
    refunded = [p for kind, _who, p in journal(services) if kind == "refund"]
    assert refunded and refunded[-1]["approved_by"] == str(
        next(p.id for p in services.people.staff() if p.first_name == "Line")
    )
