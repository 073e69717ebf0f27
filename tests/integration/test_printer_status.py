"""After each receipt the kiosk asks the printer if it can print (DLE EOT 1, 2, 4) and reads the answer itself.

A serial printer on a real pseudo-terminal: the test's end answers like a healthy printer, answers "paper out",
or takes the bytes and says nothing (the cable came out right after the write).  python-escpos makes the bytes;
the print queue runs the job on its own thread, as in the kiosk.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.config import PrinterSettings
from kiosk.devices.factory import make_printer
from kiosk.devices.printer import EscposPrinter, decode_escpos_text
from kiosk.devices.urls import parse_printer_url
from kiosk.errors import PrinterOfflineError
from kiosk.printouts.document import Document, Line
from kiosk.services.shop.printing import PrintOutcome, PrintQueue
from tests.integration.conftest import PAPER_OUT, ByteCollector, PtyPair

CUT = b"\x1dV"
QUERIES = b"\x10\x04\x01\x10\x04\x02\x10\x04\x04"
RECEIPT = Document((Line("Kvittering nr. 7"), Line("Kaffe, kop        15,00 kr")), title="Kvittering nr. 7")
OFFLINE_MESSAGE = "Printeren svarer ikke. Tjek at den er tændt og har papir."
STATUS_TIMEOUT_S = 1.0


class Outcomes:
    def __init__(self) -> None:
        self.items: list[PrintOutcome] = []
        self._cond = threading.Condition()

    def __call__(self, outcome: PrintOutcome) -> None:
        with self._cond:
            self.items.append(outcome)
            self._cond.notify_all()

    def wait(self, count: int, timeout: float) -> list[PrintOutcome]:
        with self._cond:
            assert self._cond.wait_for(lambda: len(self.items) >= count, timeout), "no print outcome arrived"
            return list(self.items)


def serial_printer(pty_pair: PtyPair, *, query: str = "") -> EscposPrinter:
    url = f"serial:{pty_pair.path}?baudrate=19200{query}"
    return EscposPrinter(PrinterSettings(url=url, timeout_s=2.0), status_timeout_s=STATUS_TIMEOUT_S)


@pytest.fixture
def printer_end(pty_pair: PtyPair, collect_bytes: Callable[[int], ByteCollector]) -> ByteCollector:
    return collect_bytes(pty_pair.master)


@pytest.fixture
def queue() -> Iterator[Callable[[EscposPrinter], PrintQueue]]:
    """`queue(printer)` starts the print thread for it; all are stopped after the test."""
    started: list[PrintQueue] = []

    def start(printer: EscposPrinter) -> PrintQueue:
        started.append(PrintQueue(printer))
        return started[-1]

    yield start
    for q in started:
        q.stop()


def test_a_printer_that_answers_ok_after_the_receipt_gives_no_message(
    pty_pair: PtyPair, printer_end: ByteCollector, queue: Callable[[EscposPrinter], PrintQueue]
) -> None:
    printer = serial_printer(pty_pair)
    outcomes = Outcomes()
    queue(printer).submit(RECEIPT, outcomes)
    [outcome] = outcomes.wait(1, timeout=10)
    assert outcome.ok and outcome.message == "Kvitteringen er udskrevet"
    assert printer_end.wait_for(QUERIES, timeout=5)
    assert bytes(printer_end.data).index(CUT) < bytes(printer_end.data).index(QUERIES), "asked after the receipt"
    assert printer.state.ok


def test_a_printer_that_takes_the_bytes_and_stays_silent_gives_the_message_and_the_reprint_arrives(
    pty_pair: PtyPair, printer_end: ByteCollector, queue: Callable[[EscposPrinter], PrintQueue]
) -> None:
    printer = serial_printer(pty_pair)
    seen: list[bool] = []
    printer.state.add_listener(seen.append)
    q = queue(printer)
    printer_end.status = None  # the bytes go into the cable, and nothing comes back
    outcomes = Outcomes()
    started = time.monotonic()
    q.submit(RECEIPT, outcomes)
    [failed] = outcomes.wait(1, timeout=10)
    waited = time.monotonic() - started
    assert not failed.ok and failed.message == OFFLINE_MESSAGE
    assert CUT in printer_end.data, "the receipt's bytes were written: only the silence tells"
    assert waited < STATUS_TIMEOUT_S + 3, f"the status wait is bounded ({waited:.1f} s)"
    assert seen == [False] and not printer.state.ok

    printer_end.status = {1: 0x12, 2: 0x12, 4: 0x12}  # plugged back in: "Udskriv igen"
    before = len(printer_end.data)
    q.submit(Document((Line("KOPI"), *RECEIPT.elements), title="Kvittering nr. 7"), outcomes)
    [_, again] = outcomes.wait(2, timeout=10)
    assert again.ok
    reprint = decode_escpos_text(bytes(printer_end.data[before:]), "cp858")
    assert "KOPI" in reprint and "Kvittering nr. 7" in reprint
    assert seen == [False, True] and printer.state.ok


@pytest.mark.parametrize(
    ("answers", "why"),
    [(PAPER_OUT, "paper out"), ({1: 0x1A, 2: 0x16, 4: 0x12}, "cover open")],
)
def test_paper_out_or_an_open_cover_after_the_receipt_gives_the_message(
    pty_pair: PtyPair,
    printer_end: ByteCollector,
    queue: Callable[[EscposPrinter], PrintQueue],
    answers: dict[int, int],
    why: str,
) -> None:
    printer = serial_printer(pty_pair)
    printer_end.status = answers
    outcomes = Outcomes()
    queue(printer).submit(RECEIPT, outcomes)
    [outcome] = outcomes.wait(1, timeout=10)
    assert not outcome.ok and outcome.message == OFFLINE_MESSAGE
    with pytest.raises(PrinterOfflineError, match=why):
        printer.print_document(RECEIPT)
    assert not printer.state.ok


def test_escpos_own_paper_status_calls_a_silent_printer_adequate_which_is_why_we_read_the_byte(
    pty_pair: PtyPair, printer_end: ByteCollector
) -> None:
    """DESIGN §3, kept true: if this ever fails, escpos learned to tell silence from paper."""
    from kiosk.devices.escpos_import import load_escpos, tamed_escpos

    printer_end.status = None
    with tamed_escpos():
        p = load_escpos().Serial(devfile=pty_pair.path, baudrate=19200, timeout=0.3)
        p.open()
        try:
            assert p.paper_status() == 2  # "adequate"
        finally:
            p.device.close()
            p._device = False


def test_a_drawer_kick_nobody_answers_is_the_drawers_failure_and_the_receipt_is_still_tried(
    pty_pair: PtyPair, printer_end: ByteCollector, queue: Callable[[EscposPrinter], PrintQueue]
) -> None:
    printer = serial_printer(pty_pair)
    printer_end.status = None
    outcomes = Outcomes()
    queue(printer).submit(RECEIPT, outcomes, open_drawer=True)
    [outcome] = outcomes.wait(1, timeout=15)
    assert outcome.drawer_failed and not outcome.ok
    assert CUT in printer_end.data, "the drawer's failure did not stop the receipt from being sent"
    with pytest.raises(PrinterOfflineError) as raised:
        printer.open_drawer()
    assert raised.value.user_message == "Skuffen åbnede ikke – brug nøglen."


def test_a_drawer_that_opens_and_a_receipt_that_prints_report_both(
    pty_pair: PtyPair, printer_end: ByteCollector, queue: Callable[[EscposPrinter], PrintQueue]
) -> None:
    outcomes = Outcomes()
    queue(serial_printer(pty_pair)).submit(RECEIPT, outcomes, open_drawer=True)
    [outcome] = outcomes.wait(1, timeout=10)
    assert outcome.ok and outcome.drawer_opened is True
    assert b"\x1bp" in printer_end.data  # ESC p: the kick


def test_status_off_in_the_url_never_asks(pty_pair: PtyPair, printer_end: ByteCollector) -> None:
    printer = serial_printer(pty_pair, query="&status=off")
    assert not printer.answers_status
    printer.print_document(RECEIPT)
    assert printer_end.wait_for(CUT, timeout=5)
    time.sleep(0.2)  # part of the check: nothing more may follow the receipt
    assert b"\x10\x04" not in printer_end.data


def test_a_file_printer_is_never_asked_and_says_it_cannot_answer(tmp_path: Path) -> None:
    target = tmp_path / "lp0"
    printer = make_printer(PrinterSettings(url=f"file:{target}"))
    assert not printer.answers_status
    printer.print_document(RECEIPT)
    assert CUT in target.read_bytes() and b"\x10\x04" not in target.read_bytes()


@pytest.mark.parametrize(
    ("url", "answers"),
    [
        ("serial:/dev/ttyUSB0", True),
        ("usb:04b8:0e15", True),
        ("tcp://192.168.1.50", True),
        ("tcp://192.168.1.50:9100?status=off", False),
        ("file:/dev/usb/lp0", False),
        ("cups:TM-T20", False),
        ("lp:TM-T20", False),
        ("dummy", False),
    ],
)
def test_which_transports_can_answer(url: str, answers: bool) -> None:
    assert parse_printer_url(url).answers_status is answers
