"""`kiosk printer-test` and `kiosk devices` as a technician setting up the Pi meets them."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from kiosk.devices.printer import decode_escpos_text
from tests.conftest import REPO
from tests.integration.conftest import PAPER_OUT, ByteCollector, PtyPair

CUT = b"\x1dV"  # GS V: the cutter


def _config(tmp_path: Path, printer_url: str, scanner_url: str = "dummy") -> Path:
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(
        f'[shop]\nname = "Hedemarkens Butik"\n[printer]\nurl = "{printer_url}"\n[scanner]\nurl = "{scanner_url}"\n',
        encoding="utf-8",
    )
    return cfg


def _kiosk(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "kiosk", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_printer_test_on_a_serial_printer_prints_the_slip_with_danish_letters_intact(
    tmp_path: Path, data_dir: Path, pty_pair: PtyPair, collect_bytes: Callable[[int], ByteCollector]
) -> None:
    paper = collect_bytes(pty_pair.master)
    cfg = _config(tmp_path, f"serial:{pty_pair.path}?baudrate=19200")
    proc = _kiosk("--config", str(cfg), "printer-test")
    assert paper.wait_for(CUT, timeout=30), "no cut command arrived"
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    text = decode_escpos_text(bytes(paper.data), "cp858")
    assert "Hedemarkens Butik" in text
    assert "ÆØÅ æøå €" in text
    assert b"\x1bt\x13" in paper.data  # ESC t 19: code page CP858 chosen explicitly
    assert b"\x1d(k" in paper.data  # a native QR code
    assert "Testudskrift sendt" in out


def test_printer_test_with_the_printer_unplugged_says_so_in_danish(tmp_path: Path, data_dir: Path) -> None:
    cfg = _config(tmp_path, "serial:/dev/ttyUSB-not-here?baudrate=19200")
    proc = _kiosk("--config", str(cfg), "printer-test")
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 1
    assert "Printeren svarer ikke" in err
    assert "Traceback" not in err


def test_devices_lists_ports_and_says_whether_printer_and_scanner_answer(
    tmp_path: Path, data_dir: Path, pty_pair: PtyPair, collect_bytes: Callable[[int], ByteCollector]
) -> None:
    printer_end = collect_bytes(pty_pair.master)  # a printer that answers its status
    cfg = _config(tmp_path, f"serial:{pty_pair.path}", scanner_url="serial:/dev/ttyACM-not-here")
    proc = _kiosk("--config", str(cfg), "devices")
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "Serielle porte" in out
    assert f"Printer  serial:{pty_pair.path}: svarer" in out
    assert printer_end.queries == 3, "kiosk devices asked the printer its status (DLE EOT 1, 2, 4)"
    assert "Scanner  serial:/dev/ttyACM-not-here: SVARER IKKE" in out


def test_devices_says_a_printer_out_of_paper_does_not_answer_and_why(
    tmp_path: Path, data_dir: Path, pty_pair: PtyPair, collect_bytes: Callable[[int], ByteCollector]
) -> None:
    printer_end = collect_bytes(pty_pair.master)
    printer_end.status = PAPER_OUT
    cfg = _config(tmp_path, f"serial:{pty_pair.path}?baudrate=19200")
    proc = _kiosk("--config", str(cfg), "devices")
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert f"Printer  serial:{pty_pair.path}?baudrate=19200: SVARER IKKE (papiret er sluppet op)" in out
    assert "spørges om status efter hver seddel" in out


def test_devices_says_plainly_that_a_file_printer_cannot_answer_status(tmp_path: Path, data_dir: Path) -> None:
    lp0 = tmp_path / "lp0"
    lp0.touch()
    cfg = _config(tmp_path, f"file:{lp0}")
    proc = _kiosk("--config", str(cfg), "devices")
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert f"Printer  file:{lp0}: svarer" in out
    assert "Printeren kan ikke svare på status over file: – en seddel der ikke kommer ud, opdages ikke" in out
    assert lp0.read_bytes() == b"", "nothing was sent to ask"
