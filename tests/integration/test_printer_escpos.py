"""The ESC/POS printer end to end: real python-escpos, real bytes, real transports (pty, file, TCP)."""

from __future__ import annotations

import logging
import os
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kiosk.config import PrinterSettings
from kiosk.devices.base import ReceiptPrinter
from kiosk.devices.escpos_import import quiet_stdout
from kiosk.devices.factory import make_printer
from kiosk.devices.printer import EscposPrinter, FakePrinter, PreviewPrinter, decode_escpos_text
from kiosk.errors import ConfigError, PrinterOfflineError
from kiosk.printouts.document import QR, Document, Feed, Line, Rule
from tests.integration.conftest import HEALTHY_PRINTER, ByteCollector, PtyPair

CUT = b"\x1dV"
INIT = b"\x1b@"
DANISH = "ÆØÅ æøå €"

SLIP = Document(
    (
        Line("Hedemarkens Butik", bold=True, align="center", large=True),
        Rule(),
        Line("Æblemost 1 l            25,00 kr"),
        Line("I alt: 25,00 €", bold=True, align="right"),
        QR("https://example.org/hedemarken/smaajobs"),
        Feed(2),
    ),
    title="Kvittering nr. 12",
)


def printer(url: str = "dummy", **settings: Any) -> EscposPrinter:
    return EscposPrinter(PrinterSettings(url=url, **settings))


def slip_text(data: bytes) -> str:
    return decode_escpos_text(data, "cp858")


def print_in_thread(p: ReceiptPrinter, doc: Document, timeout: float) -> BaseException | None:
    """Run print_document on a worker thread (as the app does); fail the test if it has not returned in time."""
    done = threading.Event()
    outcome: list[BaseException | None] = [None]

    def work() -> None:
        try:
            p.print_document(doc)
        except BaseException as exc:
            outcome[0] = exc
        finally:
            done.set()

    threading.Thread(target=work, daemon=True).start()
    assert done.wait(timeout), f"print_document still blocked after {timeout} s"
    return outcome[0]


# -- bytes -------------------------------------------------------------------------------------------------


def test_danish_letters_and_the_euro_sign_come_back_from_the_slip_bytes() -> None:
    p = printer()
    p.print_document(Document((Line(DANISH),)))
    assert DANISH.encode("cp858") in p.last_bytes
    assert DANISH in slip_text(p.last_bytes)


def test_the_whole_slip_reads_back_line_by_line() -> None:
    p = printer()
    p.print_document(SLIP)
    lines = slip_text(p.last_bytes).splitlines()
    assert lines[:4] == ["Hedemarkens Butik", "-" * 48, "Æblemost 1 l            25,00 kr", "I alt: 25,00 €"]


@pytest.mark.parametrize("qr", ["native", "image"])
def test_every_init_is_followed_by_the_cp858_code_page_and_no_other_page_is_ever_chosen(qr: str) -> None:
    p = printer(qr=qr)
    p.print_document(SLIP)
    p.print_document(Document((Line("anden kvittering ø"),)))
    for job in p.jobs:
        assert job.count(INIT) == 1
        assert job.startswith(INIT + b"\x1bt\x13")
        # escpos' own text("\n") around image QR codes would pick CP437 (ESC t 0) if not pinned
        assert re.findall(rb"\x1bt.", job) == [b"\x1bt\x13"]


def test_the_international_character_set_stays_usa_so_brackets_print_as_brackets() -> None:
    p = printer()
    p.print_document(Document((Line("[nr] {ok} | \\"),)))
    assert b"\x1bR\x00" in p.last_bytes
    assert "[nr] {ok} | \\" in slip_text(p.last_bytes)


def test_a_native_qr_code_is_a_few_gs_k_bytes_and_an_image_qr_is_a_much_bigger_raster() -> None:
    native, image = printer(qr="native"), printer(qr="image")
    doc = Document((QR("https://example.org/hedemarken/smaajobs"),))
    native.print_document(doc)
    image.print_document(doc)
    assert b"\x1d(k" in native.last_bytes and b"\x1dv0" not in native.last_bytes
    assert b"\x1dv0" in image.last_bytes and b"\x1d(k" not in image.last_bytes
    assert len(image.last_bytes) > 10 * len(native.last_bytes)


def test_characters_the_code_page_lacks_print_as_question_marks_and_dashes_stay_dashes() -> None:
    p = printer()
    p.print_document(Document((Line("Smørrebrød ☕"), Line("Kaffe – lille…"))))
    assert slip_text(p.last_bytes).splitlines()[:2] == ["Smørrebrød ?", "Kaffe - lille."]


def test_large_lines_are_double_size_bold_lines_are_bold_and_the_slip_is_cut() -> None:
    p = printer()
    p.print_document(Document((Line("TOTAL", large=True, bold=True, align="center"),)))
    data = p.last_bytes
    assert b"\x1b!\x30" in data  # double width and height
    assert b"\x1bE\x01" in data  # bold on
    assert b"\x1ba\x01" in data  # centred
    assert data.endswith(CUT + b"\x00")


def test_a_document_without_cut_is_not_cut() -> None:
    p = printer()
    p.print_document(Document((Line("hold"),), cut=False))
    assert CUT not in p.last_bytes


def test_open_drawer_sends_the_kick_on_pin_2() -> None:
    p = printer()
    p.open_drawer()
    assert p.last_bytes.startswith(b"\x1bp\x00")


# -- transports ----------------------------------------------------------------------------------------------


def test_a_slip_arrives_on_a_serial_printer_behind_a_pseudo_terminal(
    pty_pair: PtyPair, collect_bytes: Callable[[int], ByteCollector]
) -> None:
    collector = collect_bytes(pty_pair.master)
    p = printer(f"serial:{pty_pair.path}?baudrate=19200", timeout_s=2.0)
    assert p.is_online()
    assert print_in_thread(p, SLIP, timeout=10) is None
    assert collector.wait_for(CUT, timeout=5), "the cut command never arrived"
    assert "Æblemost 1 l            25,00 kr\nI alt: 25,00 €" in slip_text(bytes(collector.data))


def test_the_same_serial_printer_prints_again_after_being_unplugged_and_replugged(
    pty_pair: PtyPair, collect_bytes: Callable[[int], ByteCollector]
) -> None:
    p = printer(f"serial:{pty_pair.path}?baudrate=19200", timeout_s=1.0)
    collector = collect_bytes(pty_pair.master)
    p.print_document(Document((Line("først"),)))
    assert collector.wait_for(CUT, timeout=5)
    collector.stop()
    os.close(pty_pair.master)  # unplugged: the port's other end is gone
    with pytest.raises(PrinterOfflineError):
        p.print_document(Document((Line("imens"),)))
    pty_pair.master, slave = os.openpty()  # plugged in again (a pty cannot come back under the same name)
    os.close(pty_pair.slave)
    pty_pair.slave = slave
    replugged = printer(f"serial:{os.ttyname(slave)}?baudrate=19200", timeout_s=1.0)
    collector = collect_bytes(pty_pair.master)
    replugged.print_document(Document((Line("igen"),)))
    assert collector.wait_for(CUT, timeout=5)
    assert "igen" in slip_text(bytes(collector.data))


def test_an_unplugged_serial_printer_raises_printer_offline_instead_of_hanging(pty_pair: PtyPair) -> None:
    p = printer(f"serial:{pty_pair.path}?baudrate=19200", timeout_s=1.0)
    pty_pair.close()
    assert isinstance(print_in_thread(p, SLIP, timeout=5), PrinterOfflineError)
    assert not p.is_online()


def test_a_serial_printer_that_stops_taking_bytes_fails_after_the_timeout(pty_pair: PtyPair) -> None:
    # nobody reads the master: like a printer holding its busy line; without a write timeout this blocks forever
    p = printer(f"serial:{pty_pair.path}?baudrate=19200", timeout_s=0.5)
    long_slip = Document(tuple(Line(f"linje {i:04d} " + "x" * 36) for i in range(1500)))
    error = print_in_thread(p, long_slip, timeout=10)
    assert isinstance(error, PrinterOfflineError)
    assert "Timeout" in str(error)


def test_a_file_printer_writes_the_slip_into_the_file(tmp_path: Path) -> None:
    device = tmp_path / "lp0"
    p = printer(f"file:{device}")
    p.print_document(SLIP)
    assert "I alt: 25,00 €" in slip_text(device.read_bytes())


def test_a_file_printer_whose_device_is_missing_is_offline(tmp_path: Path) -> None:
    p = printer(f"file:{tmp_path / 'no-such-dir' / 'lp0'}")
    with pytest.raises(PrinterOfflineError, match="cannot open"):
        p.print_document(SLIP)
    assert not p.is_online()


def network_printer(server: socket.socket, status: dict[int, int] | None) -> tuple[threading.Thread, bytearray]:
    """One connection on `server`, served like a network printer: collects the bytes, answers DLE EOT n from
    `status` (None: never answers)."""
    data = bytearray()

    def serve() -> None:
        conn, _ = server.accept()
        with conn:
            conn.settimeout(5)
            while chunk := conn.recv(65536):
                data.extend(chunk)
                for n in re.findall(rb"\x10\x04([\x01\x02\x04])", chunk):
                    if status is not None:
                        conn.sendall(bytes((status[n[0]],)))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return thread, data


def test_a_network_printer_receives_the_slip_over_tcp_and_is_asked_its_status() -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.settimeout(5)
        served, data = network_printer(server, HEALTHY_PRINTER)
        p = printer(f"tcp://127.0.0.1:{server.getsockname()[1]}", timeout_s=2.0)
        p.print_document(SLIP)
        served.join(5)
    job, _, queries = bytes(data).partition(b"\x10\x04")
    assert job.endswith(CUT + b"\x00")
    assert "I alt: 25,00 €" in slip_text(job)
    assert b"\x10\x04" + queries == b"\x10\x04\x01\x10\x04\x02\x10\x04\x04", "status asked after the slip"
    assert p.state.ok


def test_a_network_printer_that_takes_the_slip_but_never_answers_is_offline() -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.settimeout(5)
        served, data = network_printer(server, None)
        p = EscposPrinter(
            PrinterSettings(url=f"tcp://127.0.0.1:{server.getsockname()[1]}", timeout_s=2.0), status_timeout_s=0.5
        )
        with pytest.raises(PrinterOfflineError, match="no answer to the status query"):
            p.print_document(SLIP)
        served.join(5)
    assert CUT in data, "the bytes went out; only the status says they may never be printed"
    assert not p.state.ok


def test_a_network_printer_nobody_listens_on_is_offline() -> None:
    with socket.create_server(("127.0.0.1", 0)) as s:
        port = s.getsockname()[1]  # closed again when we print: connection refused
    with pytest.raises(PrinterOfflineError):
        printer(f"tcp://127.0.0.1:{port}", timeout_s=1.0).print_document(SLIP)


def test_a_usb_printer_that_is_not_there_is_offline_not_stuck() -> None:
    p = printer("usb:ffff:fffe", timeout_s=1.0)
    assert isinstance(print_in_thread(p, SLIP, timeout=10), PrinterOfflineError)
    assert not p.is_online()


# -- configuration -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("url", "bluetooth:printer"),
        ("url", "serial:/dev/ttyUSB0?speed=9600"),
        ("url", "usb:04b8"),
        ("profile", "NO-SUCH-PRINTER"),
        ("codepage", "CP999"),
    ],
)
def test_a_wrong_printer_setting_is_a_config_error_naming_it(field: str, value: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(value.split("?")[0].split(":")[0])):
        wrong: dict[str, Any] = {field: value}
        EscposPrinter(PrinterSettings(**wrong))


def test_the_factory_gives_the_preview_for_preview_and_escpos_for_dummy() -> None:
    assert isinstance(make_printer(PrinterSettings(url="preview", columns=42)), PreviewPrinter)
    assert isinstance(make_printer(PrinterSettings(url="dummy")), EscposPrinter)
    with pytest.raises(ConfigError, match="carrier-pigeon:"):
        make_printer(PrinterSettings(url="carrier-pigeon:1"))


# -- preview and fake ----------------------------------------------------------------------------------------


def test_the_preview_printer_shows_each_slip_to_its_listeners_as_text() -> None:
    preview = PreviewPrinter(columns=42)
    seen: list[tuple[Document, str]] = []
    preview.add_listener(lambda doc, text: seen.append((doc, text)))
    preview.print_document(SLIP)
    assert seen == [(SLIP, SLIP.as_text(42))]
    assert preview.texts == [SLIP.as_text(42)]
    assert isinstance(preview, ReceiptPrinter)


def test_a_failing_preview_listener_does_not_fail_the_print() -> None:
    preview = PreviewPrinter()

    def broken(doc: Document, text: str) -> None:
        raise RuntimeError("widget gone")

    preview.add_listener(broken)
    preview.print_document(SLIP)
    assert len(preview.printed) == 1


def test_a_fake_printer_switched_offline_refuses_to_print_or_open_the_drawer() -> None:
    fake = FakePrinter()
    fake.open_drawer()
    fake.online = False
    with pytest.raises(PrinterOfflineError):
        fake.print_document(SLIP)
    with pytest.raises(PrinterOfflineError):
        fake.open_drawer()
    assert fake.drawer_opens == 1 and fake.printed == [] and not fake.is_online()


# -- import hygiene ------------------------------------------------------------------------------------------

PROBE = """
import logging, sys
import kiosk.devices.factory, kiosk.devices.printer, kiosk.devices.scanner, kiosk.devices.wedge
assert "escpos" not in sys.modules and "kivy" not in sys.modules, "imported at import time"
from kiosk.config import PrinterSettings
p = kiosk.devices.factory.make_printer(PrinterSettings(url="dummy", qr="image"))
from kiosk.printouts.document import Document, QR
p.print_document(Document((QR("x"),)))
sys.stderr.write(f"handlers={len(logging.getLogger().handlers)}")
"""


def test_escpos_loads_lazily_prints_nothing_leaves_no_root_handler_and_caches_its_profiles(
    tmp_path: Path,
) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path), "PYTHONPATH": os.getcwd()}
    env.pop("ESCPOS_CAPABILITIES_PICKLE_DIR", None)
    run = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout == ""
    assert run.stderr.endswith("handlers=0")
    assert list((tmp_path / "hedemarken-kiosk" / "escpos").glob("*.capabilities.pickle"))


def test_a_missing_device_node_is_offline_and_never_created_as_a_plain_file() -> None:
    node = "/dev/usb/hedemarken-test-lp9"
    p = printer(f"file:{node}")
    with pytest.raises(PrinterOfflineError, match="does not exist"):
        p.print_document(SLIP)
    assert not p.is_online()
    assert not os.path.exists(node)


def test_escpos_chatter_on_a_print_thread_goes_to_the_log_while_other_threads_still_print(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    inside, release = threading.Event(), threading.Event()

    def print_job() -> None:
        with quiet_stdout():
            print("Using hardware barcode renderer")
            inside.set()
            release.wait(5)

    caplog.set_level(logging.DEBUG, logger="escpos.stdout")
    worker = threading.Thread(target=print_job)
    worker.start()
    assert inside.wait(5)
    print("the till's own output")
    release.set()
    worker.join(5)
    assert capsys.readouterr().out == "the till's own output\n"
    assert "Using hardware barcode renderer" in caplog.text
