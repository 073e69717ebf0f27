"""A sale as the checkout stores it, as plain values: the checkout writes these rows with SQLAlchemy Core (no ORM
objects on the money path) and builds the receipt and the fleet's outbox payload from the same values.  The field
names are the `sales`, `sale_lines` and `tenders` columns', so whatever reads a stored sale (the receipt, the
outbox) reads this one alike."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class StoredLine:
    position: int
    product_id: uuid.UUID | None
    name: str
    category: str
    quantity: int
    unit_price_ore: int
    vat_rate_bp: int
    total_ore: int


@dataclass(frozen=True)
class StoredTender:
    method: str
    amount_ore: int
    received_ore: int | None
    change_ore: int
    reference: str | None


@dataclass(frozen=True)
class StoredSale:
    id: uuid.UUID
    kiosk_id: str
    kind: str  # sale | refund
    receipt_no: int | None  # None for training receipts
    training: bool
    seller_id: uuid.UUID
    original_sale_id: uuid.UUID | None
    created_at: datetime  # UTC
    total_ore: int
    vat_ore: int
    rounding_ore: int
    lines: tuple[StoredLine, ...]
    tenders: tuple[StoredTender, ...]

    def sale_row(self) -> dict[str, Any]:
        """The `sales` row (z_number stays NULL until a day close counts it)."""
        return {name: getattr(self, name) for name in _SALE_COLUMNS}

    def line_rows(self) -> list[dict[str, Any]]:
        return [{"sale_id": self.id, **{name: getattr(ln, name) for name in _LINE_COLUMNS}} for ln in self.lines]

    def tender_rows(self) -> list[dict[str, Any]]:
        return [{"sale_id": self.id, **{name: getattr(t, name) for name in _TENDER_COLUMNS}} for t in self.tenders]


_SALE_COLUMNS = tuple(f.name for f in fields(StoredSale) if f.name not in ("lines", "tenders"))
_LINE_COLUMNS = tuple(f.name for f in fields(StoredLine))
_TENDER_COLUMNS = tuple(f.name for f in fields(StoredTender))
