"""The Z report's figures for the export's ``eventReport``: what the Z entry's own payload lacks (pieces per
article group, number of payments, gross per VAT rate, drawer openings, copies, voids, pay-ins and -outs since the
previous Z, running grand totals), from the journal and the sales the Z counted."""

from __future__ import annotations

import json
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kiosk.db.models import JournalEntry, Sale
from kiosk.services.records.saft.codes import CHUNK, OTHER_GROUP


@dataclass
class ZFigures:
    payload: dict[str, Any]  # the Z entry's own figures (chained): totals, per method, category and VAT rate
    pieces: Counter[str] = field(default_factory=Counter)  # category -> pieces, from the sales the Z counted
    tenders: Counter[str] = field(default_factory=Counter)  # method -> number of payments
    gross_by_rate: Counter[int] = field(default_factory=Counter)
    training_ore: int = 0
    events: Counter[str] = field(default_factory=Counter)  # journal kind -> count since the previous Z
    event_ore: Counter[str] = field(default_factory=Counter)
    grand: tuple[int, int, int] = (0, 0, 0)  # sales, returns, net since the first Z (running grand totals)


def figures_for(s: Session, kiosk_id: str, z_entries: list[JournalEntry]) -> dict[int, ZFigures]:
    """Per Z entry in the range: what the Z payload lacks (counts, grand totals), from the journal and the sales."""
    if not z_entries:
        return {}
    wanted, last = {e.seq for e in z_entries}, z_entries[-1].seq
    figures: dict[int, ZFigures] = {}
    since: dict[int, int] = {}  # Z seq -> the previous Z's seq
    grand, previous = (0, 0, 0), 0
    all_z = select(JournalEntry.seq, JournalEntry.payload).where(
        JournalEntry.kiosk_id == kiosk_id, JournalEntry.kind == "z_report", JournalEntry.seq <= last
    )
    for seq, raw in s.execute(all_z.order_by(JournalEntry.seq)):
        p = json.loads(raw)
        grand = (grand[0] + p["gross_ore"], grand[1] - p["refunds_ore"], grand[2] + p["net_ore"])
        if seq in wanted:
            figures[seq], since[seq] = ZFigures(p, grand=grand), previous
        previous = seq
    _count_window_events(s, kiosk_id, figures, since)
    by_number = {int(f.payload["z_number"]): f for f in figures.values()}
    counted = select(Sale).where(
        Sale.kiosk_id == kiosk_id, Sale.z_number >= min(by_number), Sale.z_number <= max(by_number)
    )
    counted = counted.options(selectinload(Sale.lines), selectinload(Sale.tenders))
    for sale in s.scalars(counted, execution_options={"yield_per": CHUNK}):
        if sale.z_number in by_number:
            _count_sale(by_number[sale.z_number], sale)
    return figures


def _count_window_events(s: Session, kiosk_id: str, figures: dict[int, ZFigures], since: dict[int, int]) -> None:
    ends = sorted(figures)
    rows = s.execute(
        select(JournalEntry.seq, JournalEntry.kind, JournalEntry.payload).where(
            JournalEntry.kiosk_id == kiosk_id,
            JournalEntry.seq > min(since.values()),
            JournalEntry.seq < ends[-1],
            JournalEntry.kind.in_(("drawer_open", "annulment", "cash_in", "cash_out", "receipt_copy")),
        )
    )
    for seq, kind, raw in rows:
        z_seq = ends[bisect_left(ends, seq)]  # the first Z after the event is the one that counted it
        if seq > since[z_seq]:
            p = json.loads(raw)
            figures[z_seq].events[kind] += 1
            figures[z_seq].event_ore[kind] += int(p.get("total_ore", p.get("amount_ore", 0)))


def _count_sale(z: ZFigures, sale: Sale) -> None:
    if sale.training:
        z.training_ore += sale.total_ore
        return
    for ln in sale.lines:
        z.pieces[ln.category or OTHER_GROUP] += ln.quantity
        z.gross_by_rate[ln.vat_rate_bp] += ln.total_ore
    for t in sale.tenders:
        z.tenders[t.method] += 1
