"""Bytes and time on the wire of a typical 3-line receipt, native vs image QR, at 9600/19200/115200 baud.

    python bench/receipt_wire.py

Time on the wire is what a serial line needs at 8N1 (10 bits a byte); USB and network printers are faster.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from _summary import summary

from kiosk.config import PrinterSettings, Settings
from kiosk.devices.printer import EscposPrinter
from kiosk.domain.receipt import Receipt, ReceiptLine, ReceiptTender
from kiosk.printouts.receipt import receipt_document

BAUDS = (9600, 19200, 115200)


def typical_receipt(shop: Settings) -> Receipt:
    return Receipt(
        shop_name=shop.shop.name,
        shop_address=shop.shop.address,
        cvr=shop.shop.cvr,
        kind="sale",
        number=1234,
        issued_at=datetime(2026, 11, 23, 9, 2, tzinfo=UTC),
        seller_first_name="Åse",
        lines=(
            ReceiptLine("Kaffe, kop", 2, 1500, 3000, 2500),
            ReceiptLine("Sodavand, 33 cl", 1, 1475, 1475, 2500),
            ReceiptLine("Æblemost fra Hedemarken, 0,5 l", 1, 2800, 2800, 2500),
        ),
        total_ore=7275,
        vat_ore=1455,
        rounding_ore=-25,
        tenders=(ReceiptTender("cash", 7250, 10000, 2750, None),),
        qr_url=dataclasses.replace(shop, demo=True).receipt_qr,  # the job board's address, as a shop prints it
    )


def main() -> None:
    settings = Settings()
    doc = receipt_document(typical_receipt(settings), 48)
    print("Typical 3-line cash receipt with a QR code (48 columns, CP858)")
    print(f"  {'QR mode':8} {'bytes':>7}  " + "  ".join(f"{b:>7} baud" for b in BAUDS))
    for mode in ("native", "image"):
        printer = EscposPrinter(dataclasses.replace(PrinterSettings(), url="dummy", qr=mode))
        data = printer.render(doc)
        times = "  ".join(f"{len(data) * 10 / b:9.2f} s  " for b in BAUDS)
        print(f"  {mode:8} {len(data):7d}  {times}")
        at = " / ".join(f"{len(data) * 10 / b:.2f} s" for b in BAUDS)
        summary(f"typical 3-line receipt with QR, {mode} QR (`receipt_wire.py`)",
                f"{len(data):,} bytes: {at} at {' / '.join(str(b) for b in BAUDS)} baud")  # fmt: skip


if __name__ == "__main__":
    main()
