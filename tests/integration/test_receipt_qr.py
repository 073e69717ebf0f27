"""The QR at a receipt's foot ("Ledige småjobs – scan koden") opens the shop's own job board: `[shop]
receipt_qr_url` when the shop set one, else `[web] public_url`; and no QR (and no line asking to scan it) while the
address is still the example file's example.org.  Read back from the bytes the printer gets."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.config import PrinterSettings, load_settings
from kiosk.db.engine import unit_of_work
from kiosk.db.models import Person
from kiosk.devices.escpos_decode import decode_escpos_text, qr_payloads
from kiosk.devices.printer import EscposPrinter
from kiosk.domain.cart import Cart, CartLine
from kiosk.domain.payment import Payment
from kiosk.printouts.receipt import receipt_document
from kiosk.services.sales.checkout import Sales

NOW = datetime(2026, 11, 23, 8, 2, tzinfo=UTC)
EXAMPLE = Path(__file__).parents[2] / "kiosk.example.toml"
SCAN_LINE = "Ledige småjobs - scan koden"  # on paper: CP858 has no en dash, the printer gets "-"


def printed(config: Path) -> tuple[str, list[str]]:
    """A coffee sold for cash with the kiosk set up by `config`: the receipt's text on paper and its QR codes."""
    from kiosk.bootstrap import open_database

    settings = load_settings(config)
    engine, sessions = open_database(settings)
    try:
        with unit_of_work(sessions) as s:
            seller = Person(name="Åse Ørbæk", role="worker")
            s.add(seller)
        cart = Cart()
        cart.add(CartLine(None, "Kaffe, kop", 1500, category="Café"))
        pay = Payment(cart.total_ore)
        pay.pay_cash(2000)
        receipt = Sales(sessions, settings, lambda: NOW).checkout(cart, pay, seller.id).receipt
    finally:
        engine.dispose()
    data = EscposPrinter(PrinterSettings(url="dummy")).render(receipt_document(receipt, 48))
    return decode_escpos_text(data, "cp858"), qr_payloads(data)


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "kiosk.toml"


def job_board_qr(codes: list[str]) -> list[str]:
    return [code for code in codes if not code.startswith("HK1:R:")]  # not the Retur code


def test_the_example_file_as_it_stands_prints_no_example_org_qr(config: Path) -> None:
    shutil.copy(EXAMPLE, config)
    text, codes = printed(config)
    assert "example.org" not in "".join(codes)
    assert job_board_qr(codes) == [], "a QR no phone can use"
    assert "scan koden" not in text
    assert "Tak for dit køb!" in text and "Retur: vis denne kode" in text  # the rest of the receipt as before


def test_the_job_boards_public_address_is_the_receipts_qr(config: Path) -> None:
    example = EXAMPLE.read_text(encoding="utf-8")
    public = 'public_url = "https://example.org/hedemarken/"'
    assert public in example
    config.write_text(example.replace(public, 'public_url = "https://smaajobs.hedemarken.dk/"'), encoding="utf-8")
    text, codes = printed(config)
    assert job_board_qr(codes) == ["https://smaajobs.hedemarken.dk/"]
    assert SCAN_LINE in text


def test_a_shops_own_receipt_address_wins(config: Path) -> None:
    config.write_text(
        '[shop]\nreceipt_qr_url = "https://hedemarken.dk/smaajobs"\n\n'
        '[web]\npublic_url = "https://smaajobs.hedemarken.dk/"\n',
        encoding="utf-8",
    )
    text, codes = printed(config)
    assert job_board_qr(codes) == ["https://hedemarken.dk/smaajobs"]
    assert SCAN_LINE in text


def test_an_empty_file_prints_no_job_board_qr(config: Path) -> None:
    config.write_text("", encoding="utf-8")
    text, codes = printed(config)  # the defaults: [web] public_url is still an example
    assert job_board_qr(codes) == [] and "scan koden" not in text


def test_the_demo_still_shows_a_receipt_with_its_job_board_qr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo shows what a shop's receipt looks like: its example address is printed (no customer scans it)."""
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KIOSK_CONFIG", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("", encoding="utf-8")
    assert load_settings(demo=True).receipt_qr == "https://example.org/hedemarken/"
    assert load_settings().receipt_qr == ""
