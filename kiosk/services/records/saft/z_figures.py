"""The Z report's figures for the export's ``eventReport``: what the Z entry's own payload lacks (pieces and
amounts per article group, payments per payment code and per seller, gross per VAT rate, drawer openings,
copies, voids, line corrections, pay-ins and -outs since the previous Z, running grand totals), from the journal
and the sales the Z counted."""

from __future__ import annotations

import json
import uuid
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kiosk.db.models import JournalEntry, Sale
from kiosk.services.records.saft.codes import CHUNK, payment_type
from kiosk.services.records.saft.groups import ArticleGroups, Group

WINDOW_KINDS = ("drawer_open", "annulment", "cash_in", "cash_out", "receipt_copy", "cart_line_reduced")
LINE_REMOVED, LINE_LOWERED = "Linje fjernet", "Antal sat ned"  # corrLineType: what happened to the line


@dataclass
class ZFigures:
    payload: dict[str, Any]  # the Z entry's own figures (chained): totals, per method, category and VAT rate
    pieces: Counter[Group] = field(default_factory=Counter)  # article group -> pieces, from the sales it counted
    group_ore: Counter[Group] = field(default_factory=Counter)
    tenders: Counter[str] = field(default_factory=Counter)  # payment code key -> number of payments
    tender_ore: Counter[str] = field(default_factory=Counter)
    seller_tenders: Counter[tuple[uuid.UUID, str]] = field(default_factory=Counter)  # (seller, payment) -> count
    seller_ore: Counter[tuple[uuid.UUID, str]] = field(default_factory=Counter)
    gross_by_rate: Counter[int] = field(default_factory=Counter)
    training_ore: int = 0
    events: Counter[str] = field(default_factory=Counter)  # journal kind -> count since the previous Z
    event_ore: Counter[str] = field(default_factory=Counter)
    corrections: Counter[str] = field(default_factory=Counter)  # LINE_REMOVED | LINE_LOWERED -> count
    correction_ore: Counter[str] = field(default_factory=Counter)  # the value taken off the cart
    grand: tuple[int, int, int] = (0, 0, 0)  # sales, returns, net since the first Z (running grand totals)


def figures_for(s: Session, kiosk_id: str, z_entries: list[JournalEntry], groups: ArticleGroups) -> dict[int, ZFigures]:
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
            _count_sale(by_number[sale.z_number], sale, groups)
    return figures


def _count_window_events(s: Session, kiosk_id: str, figures: dict[int, ZFigures], since: dict[int, int]) -> None:
    ends = sorted(figures)
    rows = s.execute(
        select(JournalEntry.seq, JournalEntry.kind, JournalEntry.payload).where(
            JournalEntry.kiosk_id == kiosk_id,
            JournalEntry.seq > min(since.values()),
            JournalEntry.seq < ends[-1],
            JournalEntry.kind.in_(WINDOW_KINDS),
        )
    )
    for seq, kind, raw in rows:
        z_seq = ends[bisect_left(ends, seq)]  # the first Z after the event is the one that counted it
        if seq <= since[z_seq]:
            continue
        p, z = json.loads(raw), figures[z_seq]
        if kind == "cart_line_reduced":
            before, after = int(p["quantity_before"]), int(p["quantity_after"])
            what = LINE_REMOVED if after == 0 else LINE_LOWERED
            z.corrections[what] += 1
            z.correction_ore[what] += (before - after) * int(p["line"]["unit_price_ore"])
            continue
        z.events[kind] += 1
        z.event_ore[kind] += int(p.get("total_ore", p.get("amount_ore", 0)))


def _count_sale(z: ZFigures, sale: Sale, groups: ArticleGroups) -> None:
    if sale.training:
        z.training_ore += sale.total_ore
        return
    for ln in sale.lines:
        group = groups.of(ln.product_id, ln.category)
        z.pieces[group] += ln.quantity
        z.group_ore[group] += ln.total_ore
        z.gross_by_rate[ln.vat_rate_bp] += ln.total_ore
    for t in sale.tenders:
        kind = payment_type(t.method, t.reference)
        z.tenders[kind] += 1
        z.tender_ore[kind] += t.amount_ore
        z.seller_tenders[(sale.seller_id, kind)] += 1
        z.seller_ore[(sale.seller_id, kind)] += t.amount_ore
