"""The kiosk's outbox: each sale (and refund) as it was stored, written in the sale's own transaction, deleted only
after the server acknowledged it.  Training sales stay on the kiosk."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.db.engine import unit_of_work
from kiosk.db.models import Sale, SyncOutbox
from kiosk.db.prepared import Prepared, RawWrite
from kiosk.domain.stored_sale import StoredSale
from kiosk.services.fleet.wire import canonical


def sale_payload(sale: Sale | StoredSale) -> dict[str, Any]:
    """The sale exactly as the kiosk stored it: its own prices, names and payments (the server never re-prices)."""
    return {
        "sale_id": str(sale.id),
        "kiosk_id": sale.kiosk_id,
        "kind": sale.kind,
        "receipt_no": sale.receipt_no,
        "created_at": sale.created_at.isoformat(),
        "seller_id": str(sale.seller_id),
        "original_sale_id": str(sale.original_sale_id) if sale.original_sale_id else None,
        "total_ore": sale.total_ore,
        "vat_ore": sale.vat_ore,
        "rounding_ore": sale.rounding_ore or 0,
        "lines": [
            {
                "position": ln.position,
                "product_id": str(ln.product_id) if ln.product_id else None,
                "name": ln.name,
                "category": ln.category or "",
                "quantity": ln.quantity,
                "unit_price_ore": ln.unit_price_ore,
                "vat_rate_bp": ln.vat_rate_bp,
                "total_ore": ln.total_ore,
            }
            for ln in sale.lines
        ],
        "tenders": [
            {
                "method": t.method,
                "amount_ore": t.amount_ore,
                "received_ore": t.received_ore,
                "change_ore": t.change_ore or 0,
                "reference": t.reference,
            }
            for t in sale.tenders
        ],
    }


_INSERT = insert(SyncOutbox)
_PREPARED = Prepared(_INSERT)  # the checkout's


def enqueue(target: Session | RawWrite, sale: Sale | StoredSale) -> None:
    """Called by checkout (its cursor and the values it stored) and refund (its session and ORM sale) inside their
    transaction (Sales.use_fleet): one INSERT, no ORM object to flush."""
    if sale.training or sale.receipt_no is None:
        return
    row = {
        "sale_id": sale.id,
        "receipt_no": sale.receipt_no,
        "payload": canonical(sale_payload(sale)),
        "created_at": sale.created_at,
    }
    if isinstance(target, RawWrite):
        target.execute(_PREPARED, row)
    else:
        target.execute(_INSERT, row)


@dataclass(frozen=True)
class Waiting:
    seq: int
    sale_id: uuid.UUID
    receipt_no: int
    payload: str


class Outbox:
    """`sessions` reads (a snapshot: the home screen's count never waits for a sale, nor holds one up); `writes`
    deletes what the server acknowledged (default: the same sessions)."""

    def __init__(self, sessions: sessionmaker[Session], writes: sessionmaker[Session] | None = None) -> None:
        self._sessions = sessions
        self._writes = writes or sessions

    def count(self) -> int:
        """Every row still waiting: sales, refunds and check-in changes."""
        with unit_of_work(self._sessions) as s:
            return int(s.scalar(select(func.count()).select_from(SyncOutbox)) or 0)

    def waiting(self) -> tuple[int, int]:
        """(sales and refunds, changes to shifts) still waiting: what a person is told, each by its own name.  A
        shift's row has receipt number 0 (kiosk.services.fleet.shifts); a sale's is its receipt number, from 1."""
        with unit_of_work(self._sessions) as s:  # both counted from the receipt number's index, never the payloads
            every = int(s.scalar(select(func.count(SyncOutbox.receipt_no))) or 0)
            shifts = int(s.scalar(select(func.count(SyncOutbox.receipt_no)).where(SyncOutbox.receipt_no == 0)) or 0)
        return every - shifts, shifts

    def first(self, limit: int) -> list[Waiting]:
        """The oldest waiting sales, in the order they were sold."""
        columns = (SyncOutbox.seq, SyncOutbox.sale_id, SyncOutbox.receipt_no, SyncOutbox.payload)
        with unit_of_work(self._sessions) as s:  # plain rows, no ORM objects: less of the till's CPU
            rows = s.execute(select(*columns).order_by(SyncOutbox.seq).limit(limit))
            return [Waiting(seq, sale_id, receipt_no, payload) for seq, sale_id, receipt_no, payload in rows]

    def acknowledged(self, seqs: list[int]) -> None:
        if not seqs:
            return
        with unit_of_work(self._writes) as s:
            s.execute(delete(SyncOutbox).where(SyncOutbox.seq.in_(seqs)))
