"""What a receipt says (momsbekendtgørelsen § 64): the same data goes to paper and to the journal."""

from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from kiosk.domain.scan import make_payload


def receipt_token(sale_id: uuid.UUID) -> str:
    """The token in a receipt's own code (``HK1:R:<token>``): the sale's random id, base64url without padding.

    22 characters, so the QR code stays small; a uuid4 holds 122 random bits, so nobody can guess another
    sale's code (a refund needs a supervisor's code on top).  Derived, not stored: copies print the same code."""
    return base64.urlsafe_b64encode(sale_id.bytes).decode("ascii").rstrip("=")


def receipt_payload(sale_id: uuid.UUID) -> str:
    return make_payload("receipt", receipt_token(sale_id))


def sale_id_from_token(token: str) -> uuid.UUID | None:
    """The sale a receipt code names, or None for a token that is not one of ours."""
    if len(token) != 22:
        return None
    try:
        return uuid.UUID(bytes=base64.urlsafe_b64decode(token + "=="))
    except (binascii.Error, ValueError):
        return None


@dataclass(frozen=True)
class ReceiptLine:
    name: str
    quantity: int
    unit_price_ore: int
    total_ore: int
    vat_rate_bp: int


@dataclass(frozen=True)
class ReceiptTender:
    method: str  # cash | card | mobilepay
    amount_ore: int
    received_ore: int | None
    change_ore: int
    reference: str | None


@dataclass(frozen=True)
class Receipt:
    shop_name: str
    shop_address: str
    cvr: str
    kind: str  # sale | refund
    number: int | None  # None on training receipts: they are outside the sequence
    issued_at: datetime  # UTC
    seller_first_name: str
    lines: tuple[ReceiptLine, ...]
    total_ore: int
    vat_ore: int
    rounding_ore: int
    tenders: tuple[ReceiptTender, ...]
    training: bool = False
    original_number: int | None = None  # a credit receipt names the receipt it corrects
    qr_url: str = ""
    copy: bool = False
    code: str = ""  # HK1:R:<token>: scanned at the till to find the sale for a refund
    series: str = ""  # several kiosks: the kiosk's number in front of the receipt number ("2" -> "2-000123")

    def numbered(self, number: int | None) -> str:
        """A receipt number as printed: "123" on a kiosk on its own, "2-000123" in kiosk 2's series."""
        if number is None:
            return ""
        return f"{self.series}-{number:06d}" if self.series else str(number)

    def as_journal(self) -> dict[str, Any]:
        """The journal gets the same information as the paper (§ 65, point 2)."""
        # What dataclasses.asdict gives (the lines and tenders as tuples of dicts), without its deep copy of every
        # value: the fields are strings, numbers and the time, and asdict took ~a tenth of a checkout's CPU.
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["lines"] = tuple(_fields(line) for line in self.lines)
        data["tenders"] = tuple(_fields(tender) for tender in self.tenders)
        data["issued_at"] = self.issued_at.isoformat()
        data.pop("copy")
        if not self.series:
            data.pop("series")  # a kiosk on its own journals what it always did
        # The seller is the entry's person id; a name in an append-only journal could never be erased (GDPR).
        data.pop("seller_first_name")
        return data


def _fields(item: ReceiptLine | ReceiptTender) -> dict[str, Any]:
    return {f.name: getattr(item, f.name) for f in fields(item)}
