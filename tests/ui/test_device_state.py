"""The scanner's and printer's state where the cashier looks, and the printer's and drawer's own messages.

A serial scanner on a real pseudo-terminal behind a by-id style link is unplugged and plugged back in; a serial
printer on a pty takes a receipt's bytes and then says nothing to the status question (DLE EOT).  Real touches
on the offscreen app; waits are frame loops with deadlines.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.devices.escpos_decode import decode_escpos_text
from tests.integration.conftest import HEALTHY_PRINTER, ByteCollector, PluggablePty
from tests.ui.helpers import (
    button_with_text,
    lock_till,
    modal,
    pump,
    shot,
    staff_member,
    tap,
    wait_for,
    wait_modal,
    wait_until,
)

PRINTER_FAULT = "Salget er gemt. Printeren svarer ikke – tjek papir og strøm."


def lamps(app: Any, screen: str) -> Any:
    return app.sm.get_screen(screen).ids.devices


def shown(lamp: Any) -> tuple[str, bool]:
    """What the cashier sees of one device: its word, and whether its icon is red."""
    from kiosk.widgets import theme

    return lamp.ids.word.text, list(lamp.ids.icon.color) == list(theme.ERROR)


@pytest.fixture
def till(app: Any, services: Any) -> Iterator[Any]:
    """Åse sells; afterwards the till is locked and empty and the session's printer works again."""
    app.counter.log_in(staff_member(services, "Åse"))
    yield app
    lock_till(app)
    services.printer.online = True


@pytest.fixture
def serial_scanner(app: Any, services: Any, tmp_path: Path) -> Iterator[PluggablePty]:
    """The kiosk's scanner is a serial one on a pluggable pty (as /dev/serial/by-id/...), for this test."""
    from kiosk.devices.scanner import SerialScanner

    cable = PluggablePty(tmp_path / "scanner")
    cable.start()
    scanner = SerialScanner(f"serial:{cable.scanner_link}?baudrate=9600", reconnect_interval_s=0.2)
    scanner.start(app._scan_from_device)
    assert scanner.wait_connected(5)
    original, services.scanner = services.scanner, scanner
    yield cable
    services.scanner = original
    scanner.stop()
    cable.stop()
    app.go("sale")  # the screens follow the session's scanner again
    app.go_home()
    pump()


@pytest.fixture
def silent_printer(app: Any, services: Any) -> Iterator[ByteCollector]:
    """The kiosk prints on a serial printer on a pty; the test's end takes the bytes and, until told otherwise,
    never answers the status question."""
    import os
    import tty

    from kiosk.config import PrinterSettings
    from kiosk.devices.printer import EscposPrinter
    from kiosk.services.shop.printing import PrintQueue

    master, slave = os.openpty()
    tty.setraw(master)
    tty.setraw(slave)
    printer = EscposPrinter(
        PrinterSettings(url=f"serial:{os.ttyname(slave)}?baudrate=19200", timeout_s=2.0), status_timeout_s=1.0
    )
    end = ByteCollector(master)
    end.status = None
    originals = services.printer, services.print_queue
    services.printer, services.print_queue = printer, PrintQueue(printer)
    yield end
    services.print_queue.stop()
    services.printer, services.print_queue = originals
    end.stop()
    for fd in (master, slave):
        os.close(fd)
    app.go("sale")  # the screens follow the session's printer again
    app.go_home()
    pump()


def go(app: Any, screen: str) -> Any:
    app.go(screen)
    pump()  # laid out before the first tap
    return app.sm.get_screen(screen)


def pay_by_mobilepay_with_receipt(app: Any) -> Any:
    sale = go(app, "sale")
    tap(next(t for t in sale.ids.products.children if t.name == "Kanelsnegl"))
    tap(sale.ids.pay)
    pay = app.sm.get_screen("pay")
    tap(pay.ids.mobilepay)
    tap(pay.ids.mobilepay_yes)
    tap(pay.ids.receipt_yes)
    return pay


def test_an_unplugged_scanner_shows_red_with_its_word_on_home_and_koeb_and_turns_back(
    app: Any, till: Any, serial_scanner: PluggablePty
) -> None:
    app.go("sale")
    koeb = lamps(app, "sale")
    assert wait_for(lambda: shown(koeb.ids.scanner) == ("", False)), shown(koeb.ids.scanner)

    serial_scanner.stop()  # the cable is pulled while the Køb screen is showing
    assert wait_for(lambda: shown(koeb.ids.scanner) == ("Scanner: ikke tilsluttet", True)), shown(koeb.ids.scanner)
    assert shown(koeb.ids.printer) == ("", False), "the printer is fine"

    shot(app, "koeb_scanner_missing")
    app.go_home()
    home = lamps(app, "home")
    assert shown(home.ids.scanner) == ("Scanner: ikke tilsluttet", True)
    shot(app, "home_scanner_missing")

    serial_scanner.start()  # plugged back in while home is showing
    assert wait_for(lambda: shown(home.ids.scanner) == ("", False)), shown(home.ids.scanner)
    app.go("sale")
    assert shown(koeb.ids.scanner) == ("", False)


def test_a_printer_silent_after_the_receipt_gets_the_message_not_tak_and_udskriv_igen_delivers(
    app: Any, till: Any, silent_printer: ByteCollector
) -> None:
    from kiosk.widgets.dialog import ConfirmDialog

    pay = pay_by_mobilepay_with_receipt(app)
    dialog = wait_modal(ConfirmDialog)
    assert f"{dialog.title} {dialog.message}" == PRINTER_FAULT
    assert b"\x1dV" in silent_printer.data, "the receipt's bytes went out: only the printer's silence told"

    silent_printer.status = dict(HEALTHY_PRINTER)  # the cable is back in
    before = len(silent_printer.data)
    tap(button_with_text(dialog, "Udskriv igen"))
    assert wait_for(lambda: b"KOPI" in silent_printer.data[before:], timeout=10), "no copy arrived"
    assert wait_for(lambda: app.services.printer.state.ok, timeout=10)
    assert modal(ConfirmDialog) is None, "the copy printed: no new message"
    text = decode_escpos_text(bytes(silent_printer.data[before:]), "cp858")
    assert "KOPI" in text and "MobilePay" in text
    assert pay.stage == "done"

    app.go("sale")
    assert shown(lamps(app, "sale").ids.printer) == ("", False)


def test_the_printer_lamp_turns_red_with_its_word_after_a_receipt_nobody_answered_and_back_when_it_answers(
    app: Any, till: Any, silent_printer: ByteCollector, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kiosk.widgets import device_state
    from kiosk.widgets.dialog import ConfirmDialog

    monkeypatch.setattr(device_state, "PRINTER_PROBE_EVERY_S", 0.3)  # the kiosk asks every 30 s while red

    koeb = lamps(app, "sale")
    assert shown(koeb.ids.printer) == ("", False)
    pay_by_mobilepay_with_receipt(app)
    dialog = wait_modal(ConfirmDialog)
    tap(button_with_text(dialog, "Luk"))
    app.go("sale")
    assert shown(koeb.ids.printer) == ("Printer svarer ikke", True)
    shot(app, "koeb_printer_silent")
    app.go_home()
    home = lamps(app, "home")
    assert shown(home.ids.printer) == ("Printer svarer ikke", True)
    shot(app, "home_printer_silent")

    silent_printer.status = dict(HEALTHY_PRINTER)  # paper in, cable back: no receipt needed to see it
    assert wait_for(lambda: shown(home.ids.printer) == ("", False), timeout=10), shown(home.ids.printer)


def test_a_drawer_that_does_not_open_gets_its_own_message_not_the_receipts(app: Any, services: Any, till: Any) -> None:
    from kiosk.widgets.dialog import ConfirmDialog

    printer = services.printer
    printer.online = False
    sale = go(app, "sale")
    tap(next(t for t in sale.ids.products.children if t.name == "Kanelsnegl"))
    tap(sale.ids.pay)
    pay = app.sm.get_screen("pay")
    tap(pay.ids.cash)
    tap(pay.ids.exact)
    dialog = wait_modal(ConfirmDialog)
    assert (dialog.title, dialog.message) == ("Skuffen åbnede ikke – brug nøglen.", "Salget er gemt.")

    printer.online = True
    opened = printer.drawer_opens
    tap(button_with_text(dialog, "Prøv igen"))
    wait_until(lambda: printer.drawer_opens == opened + 1, what="the drawer kicked again")
    assert modal(ConfirmDialog) is None
    assert pay.stage == "receipt", "the receipt question is still there"
