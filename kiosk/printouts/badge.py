"""The badge slip: printed on the receipt printer, cut out and kept in a card sleeve."""

from __future__ import annotations

from kiosk.config import ShopSettings
from kiosk.domain.scan import make_payload
from kiosk.printouts.document import QR, Document, Feed, Line
from kiosk.printouts.shop_lines import shop_head

SCAN_ME = "Scan mig ved kiosken"


def badge_slip(name: str, token: str, shop: ShopSettings) -> Document:
    """The shop's name and address, the person's name, a large QR of the badge token (never the database id), and
    what to do with it.  The QR holds only ``HK1:B:<token>``: short, so it prints fast and scans from a crumpled
    card; the address tells whoever finds a lost one where it belongs."""
    return Document(
        (
            *shop_head(shop),
            Feed(),
            Line(name, bold=True, align="center", large=True),
            Feed(),
            QR(make_payload("badge", token), size=8),
            Feed(),
            Line(SCAN_ME, bold=True, align="center"),
            Line("Mød ind · Gå hjem · Kasse", align="center"),
            Feed(),
            Line("Mistet? Sig det til en medarbejder,", align="center"),
            Line("så laver vi et nyt kort.", align="center"),
        ),
        cut=True,
        title=f"Kort til {name}",
    )
