"""Small slips that are not receipts: the printer test slip."""

from __future__ import annotations

from babel.dates import format_datetime

from kiosk.clock import LOCAL_TZ, utc_now
from kiosk.config import Settings
from kiosk.printouts.document import QR, Document, Line, Rule


def test_slip(settings: Settings) -> Document:
    """Shows at a glance that the code page is right (ÆØÅ æøå €), QR codes print and the cutter works."""
    now = format_datetime(utc_now(), "d. MMMM y 'kl.' HH.mm", tzinfo=LOCAL_TZ, locale="da_DK")
    p = settings.printer
    return Document(
        (
            Line(settings.shop.name, bold=True, align="center", large=True),
            Line(settings.shop.address, align="center"),
            Line(f"CVR {settings.shop.cvr}", align="center"),
            Rule(),
            Line("Testudskrift", bold=True),
            Line("ÆØÅ æøå €"),
            Line(f"{p.columns} tegn pr. linje, tegnsæt {p.codepage}, QR {p.qr}"),
            Line("1234567890" * (p.columns // 10) + "1234567890"[: p.columns % 10]),
            Line(now),
            QR(settings.receipt_qr or settings.web.public_url),  # a QR even before the shop has its own address
            Line("Virker QR-koden? Scan den ved kiosken.", align="center"),
        ),
        cut=True,
        title="Testudskrift",
    )
