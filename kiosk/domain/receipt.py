"""What a receipt says (momsbekendtgørelsen § 64): the same data goes to paper and to the journal."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any


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

    def as_journal(self) -> dict[str, Any]:
        """The journal gets the same information as the paper (§ 65, point 2)."""
        data = asdict(self)
        data["issued_at"] = self.issued_at.isoformat()
        data.pop("copy")
        return data
