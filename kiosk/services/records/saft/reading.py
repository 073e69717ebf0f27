"""Reading the journal for an export: sales and refunds become transactions (with their lines, payments and
the products behind them), every other entry an event; employees and articles are gathered as they appear.

Amounts, lines and payments come from the journal payloads (hash-chained, the same data as the receipt); product
ids and categories, which a receipt does not carry, from the sale rows the entries point at."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, selectinload

from kiosk.db.models import Category, JournalEntry, Person, Product, Sale
from kiosk.services.records import journal
from kiosk.services.records.saft.codes import (
    CHUNK,
    DEFAULT_RATES,
    EVENT_TYPES,
    OTHER_EVENT,
    OTHER_GROUP,
    PRIVATE_KEYS,
    SALE_KINDS,
    event_type,
)
from kiosk.services.records.saft.z_figures import ZFigures, figures_for


@dataclass(frozen=True)
class Line:
    name: str
    quantity: int
    unit_ore: int
    total_ore: int
    vat_bp: int
    group: str  # category name as sold
    art_id: str | None


@dataclass(frozen=True)
class Tx:
    seq: int
    at: datetime
    kind: str  # sale | refund
    training: bool
    number: int | None
    original_number: int | None
    emp_id: str | None
    approver_id: str | None
    total_ore: int
    vat_ore: int
    rounding_ore: int
    lines: tuple[Line, ...]
    payments: tuple[tuple[str, int, str | None], ...]  # method, amount, terminal/MobilePay reference
    chain_hash: str
    copies: int


@dataclass(frozen=True)
class Event:
    seq: int
    at: datetime
    kind: str
    emp_id: str | None
    text: str
    trans_seq: int | None = None
    z: ZFigures | None = None


@dataclass
class Export:
    kiosk_id: str
    chain: journal.VerifyResult
    first_at: datetime | None
    transactions: list[Tx] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    employees: dict[str, Person] = field(default_factory=dict)
    articles: dict[str, Product] = field(default_factory=dict)
    groups: set[str] = field(default_factory=set)
    rates: set[int] = field(default_factory=lambda: set(DEFAULT_RATES))


@dataclass(frozen=True)
class _Lookup:
    """The small tables the journal entries point at, read once per export."""

    people: dict[uuid.UUID, Person]
    products: dict[uuid.UUID, Product]
    emp_ids: dict[uuid.UUID, str]
    art_ids: dict[uuid.UUID, str]
    copies: Counter[uuid.UUID]  # sale -> copies printed


def collect(s: Session, kiosk_id: str, start: datetime, end: datetime) -> Export:
    first_at = s.scalar(select(JournalEntry.created_at).where(JournalEntry.kiosk_id == kiosk_id, JournalEntry.seq == 1))
    in_range = (JournalEntry.kiosk_id == kiosk_id, JournalEntry.created_at >= start, JournalEntry.created_at < end)
    # The exported entries and their link to the one before: a day's export no longer walks five years of chain
    # (4.6 s); the whole chain is walked by `kiosk journal verify` and by every backup.
    first_seq, last_seq = s.execute(
        select(func.min(JournalEntry.seq), func.max(JournalEntry.seq)).where(*in_range)
    ).one()
    chain = (
        journal.verify(s, kiosk_id, first_seq=first_seq, last_seq=last_seq)
        if first_seq
        else journal.VerifyResult(0, None)
    )
    data = Export(kiosk_id, chain, first_at)
    look = _lookup(s, in_range)
    by_seq = select(JournalEntry).where(*in_range).order_by(JournalEntry.seq)
    z_figures = figures_for(s, kiosk_id, list(s.scalars(by_seq.where(JournalEntry.kind == "z_report"))))
    # A chunk at a time: only the plain records are kept, so memory stays flat however long the range is.
    for chunk in s.scalars(by_seq, execution_options={"yield_per": CHUNK}).partitions():
        ids = [e.sale_id for e in chunk if e.sale_id is not None and e.kind in SALE_KINDS]
        by_id: dict[uuid.UUID, Sale] = {}
        if ids:
            by_id = {x.id: x for x in s.scalars(select(Sale).where(Sale.id.in_(ids)).options(selectinload(Sale.lines)))}
        for entry in chunk:
            payload = json.loads(entry.payload)
            if entry.kind in SALE_KINDS:
                _add_transaction(data, look, entry, payload, by_id.get(entry.sale_id) if entry.sale_id else None)
            else:
                person = entry.person_id or _payload_person(payload)
                emp_id, text = _employee(data, look, person), _event_text(entry.kind, payload)
                z = z_figures.get(entry.seq)
                data.events.append(Event(entry.seq, entry.created_at, entry.kind, emp_id, text, z=z))
    data.groups |= {OTHER_GROUP, *s.scalars(select(Category.name))}
    data.groups |= {name for z in z_figures.values() for name in z.payload.get("by_category", {})}
    data.rates |= {rate for z in z_figures.values() for rate in z.gross_by_rate}
    return data


def _lookup(s: Session, in_range: tuple[ColumnElement[bool], ...]) -> _Lookup:
    people = {p.id: p for p in s.scalars(select(Person))}
    products = {p.id: p for p in s.scalars(select(Product).options(selectinload(Product.category)))}
    copied = s.scalars(select(JournalEntry.sale_id).where(*in_range, JournalEntry.kind == "receipt_copy"))
    copies = Counter(sale_id for sale_id in copied if sale_id is not None)
    return _Lookup(people, products, _short_ids(people), _short_ids(products), copies)


def _add_transaction(
    data: Export, look: _Lookup, entry: JournalEntry, payload: dict[str, Any], sale: Sale | None
) -> None:
    emp_id = _employee(data, look, entry.person_id)
    approver = payload.get("approved_by")
    approver_id = _employee(data, look, uuid.UUID(approver)) if approver else None
    copies = look.copies[entry.sale_id] if entry.sale_id else 0
    tx = _transaction(entry, payload, sale, (emp_id, approver_id), look.art_ids, copies)
    data.transactions.append(tx)
    _note_products(data, tx, sale, look)
    if tx.training:  # an event too, so training receipts are plain to see among the events
        data.events.append(Event(entry.seq, entry.created_at, "training_receipt", emp_id, "", entry.seq))


def _payload_person(payload: dict[str, Any]) -> uuid.UUID | None:
    """Services.record journals who logged in or out in the payload (it has no person column to fill)."""
    try:
        return uuid.UUID(str(payload["person_id"])) if payload.get("person_id") else None
    except ValueError:
        return None


def _employee(data: Export, look: _Lookup, pid: uuid.UUID | None) -> str | None:
    if pid is None or pid not in look.people:
        return None
    data.employees[look.emp_ids[pid]] = look.people[pid]
    return look.emp_ids[pid]


def _transaction(
    entry: JournalEntry,
    p: dict[str, Any],
    sale: Sale | None,
    staff: tuple[str | None, str | None],  # seller, approver (refunds)
    art_ids: dict[uuid.UUID, str],
    copies: int,
) -> Tx:
    kind, training = SALE_KINDS[entry.kind]
    rows = sale.lines if sale else []
    lines = []
    for i, ln in enumerate(p["lines"]):
        row = rows[i] if i < len(rows) else None  # payload lines and sale lines share the position order
        lines.append(
            Line(
                ln["name"],
                int(ln["quantity"]),
                int(ln["unit_price_ore"]),
                int(ln["total_ore"]),
                int(ln["vat_rate_bp"]),
                (row.category if row else "") or OTHER_GROUP,
                art_ids.get(row.product_id) if row and row.product_id else None,
            )
        )
    return Tx(
        seq=entry.seq,
        at=entry.created_at,
        kind=kind,
        training=training or bool(p.get("training")),
        number=p.get("number"),
        original_number=p.get("original_number"),
        emp_id=staff[0],
        approver_id=staff[1],
        total_ore=int(p["total_ore"]),
        vat_ore=int(p["vat_ore"]),
        rounding_ore=int(p.get("rounding_ore", 0)),
        lines=tuple(lines),
        payments=tuple((t["method"], int(t["amount_ore"]), t.get("reference")) for t in p["tenders"]),
        chain_hash=entry.hash,
        copies=copies,
    )


def _note_products(data: Export, tx: Tx, sale: Sale | None, look: _Lookup) -> None:
    for ln in tx.lines:
        data.groups.add(ln.group)
        data.rates.add(ln.vat_bp)
    for row in sale.lines if sale else []:
        if row.product_id is not None and row.product_id in look.products:
            product = look.products[row.product_id]
            data.articles[look.art_ids[row.product_id]] = product
            data.groups.add(product.category.name)


def _event_text(kind: str, payload: dict[str, Any]) -> str:
    if kind == "z_report":
        return f"Z-rapport nr. {payload.get('z_number')}"  # the figures are in eventReport
    kept = {k: v for k, v in payload.items() if k not in PRIVATE_KEYS}
    text = event_type(kind)[2] if kind in EVENT_TYPES else f"{OTHER_EVENT[2]}: {kind}"
    return f"{text}; {json.dumps(kept, ensure_ascii=False, sort_keys=True)}" if kept else text


def _short_ids(rows: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """8 hex characters, stable across exports; the full id only for a pair that happens to share a prefix."""
    ids = list(rows)
    clashes = {k for k, n in Counter(i.hex[:8] for i in ids).items() if n > 1}
    return {i: i.hex if i.hex[:8] in clashes else i.hex[:8] for i in ids}
