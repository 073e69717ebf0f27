"""Reading the journal for an export: sales and refunds become transactions (with their lines, payments and
the products behind them), the till's other entries events; employees and articles are gathered as they appear.

Amounts, lines and payments come from the journal payloads (hash-chained, the same data as the receipt); product
ids and categories, which a receipt does not carry, from the sale rows the entries point at.

Only what a cash-register file is for is read (codes.EVENT_TYPES): check-ins, shift corrections and their
reasons, småjobs and residents stay out, and only staff who sold or acted at the till become employees.  An
event's text is written from chosen payload fields (never a person: the person is the event's empID), and what
is still free text passes the privacy filter (codes.private_text)."""

from __future__ import annotations

import json
import re
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, selectinload

from kiosk.db.models import JournalEntry, Person, Product, Sale
from kiosk.services.records import journal
from kiosk.services.records.saft.codes import (
    CHUNK,
    DEFAULT_RATES,
    EVENT_TYPES,
    PRICE_CHANGE_KINDS,
    PRIVATE_KEYS,
    ROLES,
    SALE_KINDS,
    event_type,
    name_words,
    payment_type,
    private_text,
)
from kiosk.services.records.saft.elements import kr
from kiosk.services.records.saft.groups import ArticleGroups, Group
from kiosk.services.records.saft.z_figures import ZFigures, figures_for

EXPORT_KIND = "saft_export"  # the journal entry an export leaves (and the next export's chain start)


@dataclass(frozen=True)
class Line:
    name: str
    quantity: int
    unit_ore: int
    total_ore: int
    vat_bp: int
    group: Group  # category as sold, code from list 04
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
    payments: tuple[tuple[str, int, str | None], ...]  # payment code key (codes.PAYMENT_TYPES), amount, reference
    chain_hash: str
    copies: int


@dataclass(frozen=True)
class Event:
    seq: int
    at: datetime
    kind: str  # a key of codes.EVENT_TYPES
    emp_id: str | None
    text: str
    trans_seq: int | None = None
    z: ZFigures | None = None
    z_sellers: tuple[tuple[str, str, int, int], ...] = ()  # empID, payment code key, payments, amount


@dataclass
class Export:
    kiosk_id: str
    chain: journal.VerifyResult
    first_at: datetime | None
    transactions: list[Tx] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    employees: dict[str, Person] = field(default_factory=dict)
    articles: dict[str, tuple[Product, Group]] = field(default_factory=dict)
    groups: set[Group] = field(default_factory=set)
    rates: set[int] = field(default_factory=lambda: set(DEFAULT_RATES))


@dataclass
class _Lookup:
    """The small tables the journal entries point at, read once per export."""

    people: dict[uuid.UUID, Person]
    products: dict[uuid.UUID, Product]
    emp_ids: dict[uuid.UUID, str]
    art_ids: dict[uuid.UUID, str]
    copies: Counter[uuid.UUID]  # sale -> copies printed
    groups: ArticleGroups
    names: re.Pattern[str] | None  # every known person's name, for the privacy filter
    sale_seqs: dict[uuid.UUID, int] = field(default_factory=dict)  # sale -> its transaction's transID, as read


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
    till_kinds = (*SALE_KINDS, *EVENT_TYPES, *PRICE_CHANGE_KINDS)
    # The seq bounds keep SQLite on the (kiosk, seq) key: by kind alone it would walk five years of sales.
    bounds = JournalEntry.seq.between(first_seq or 0, last_seq or 0)
    by_seq = select(JournalEntry).where(*in_range, bounds, JournalEntry.kind.in_(till_kinds)).order_by(JournalEntry.seq)
    z_figures = figures_for(s, kiosk_id, list(s.scalars(by_seq.where(JournalEntry.kind == "z_report"))), look.groups)
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
                _add_event(data, look, entry, payload, z_figures.get(entry.seq))
    for z in z_figures.values():
        data.groups |= set(z.pieces)
        data.rates |= set(z.gross_by_rate)
    return data


def _lookup(s: Session, in_range: tuple[ColumnElement[bool], ...]) -> _Lookup:
    people = {p.id: p for p in s.scalars(select(Person))}
    products = {p.id: p for p in s.scalars(select(Product).options(selectinload(Product.category)))}
    copied = s.scalars(select(JournalEntry.sale_id).where(*in_range, JournalEntry.kind == "receipt_copy"))
    copies = Counter(sale_id for sale_id in copied if sale_id is not None)
    names = name_words(p.name for p in people.values())
    return _Lookup(people, products, _short_ids(people), _short_ids(products), copies, ArticleGroups.read(s), names)


def _add_transaction(
    data: Export, look: _Lookup, entry: JournalEntry, payload: dict[str, Any], sale: Sale | None
) -> None:
    emp_id = _employee(data, look, entry.person_id)
    approver = _as_id(payload.get("approved_by"))
    approver_id = _employee(data, look, approver)
    copies = look.copies[entry.sale_id] if entry.sale_id else 0
    tx = _transaction(entry, payload, sale, (emp_id, approver_id), look, copies)
    data.transactions.append(tx)
    if entry.sale_id is not None:
        look.sale_seqs[entry.sale_id] = entry.seq
    _note_products(data, tx, sale, look)
    if tx.training:  # an event too, so training receipts are plain to see among the events
        data.events.append(Event(entry.seq, entry.created_at, "training_receipt", emp_id, "", entry.seq))


def _add_event(data: Export, look: _Lookup, entry: JournalEntry, payload: dict[str, Any], z: ZFigures | None) -> None:
    kind = entry.kind
    if kind in PRICE_CHANGE_KINDS:
        if kind == "product_changed" and "price_ore" not in payload.get("changes", {}):
            return  # a product renamed or given a photo: not the till's
        kind = "price_change"
    person = entry.person_id or _payload_person(payload)
    emp_id = _employee(data, look, person)
    text = private_text(_event_text(kind, payload, look), look.names)
    trans_seq = look.sale_seqs.get(entry.sale_id) if entry.sale_id else None
    sellers: list[tuple[str, str, int, int]] = []  # the Z's totals per seller: by empID, never a name
    for (seller, method), count in z.seller_tenders.items() if z is not None else ():
        seller_emp = _employee(data, look, seller)
        if seller_emp is not None and z is not None:
            sellers.append((seller_emp, method, count, z.seller_ore[(seller, method)]))
    event = Event(entry.seq, entry.created_at, kind, emp_id, text, trans_seq, z, tuple(sorted(sellers)))
    data.events.append(event)


def _as_id(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def _payload_person(payload: dict[str, Any]) -> uuid.UUID | None:
    """Who logged in or out: the till journals it in the payload (`person`; older entries `person_id`)."""
    return _as_id(payload.get("person_id")) or _as_id(payload.get("person"))


def _employee(data: Export, look: _Lookup, pid: uuid.UUID | None) -> str | None:
    """The person's empID, registering them as an employee; None for no one, and for anyone who is not staff (a
    resident never appears in the file)."""
    person = look.people.get(pid) if pid is not None else None
    if person is None or person.role not in ROLES:
        return None
    emp_id = look.emp_ids[person.id]
    data.employees[emp_id] = person
    return emp_id


def _transaction(
    entry: JournalEntry,
    p: dict[str, Any],
    sale: Sale | None,
    staff: tuple[str | None, str | None],  # seller, approver (refunds)
    look: _Lookup,
    copies: int,
) -> Tx:
    kind, training = SALE_KINDS[entry.kind]
    rows = sale.lines if sale else []
    lines = []
    for i, ln in enumerate(p["lines"]):
        row = rows[i] if i < len(rows) else None  # payload lines and sale lines share the position order
        product_id = row.product_id if row else None
        lines.append(
            Line(
                ln["name"],
                int(ln["quantity"]),
                int(ln["unit_price_ore"]),
                int(ln["total_ore"]),
                int(ln["vat_rate_bp"]),
                look.groups.of(product_id, row.category if row else None),
                look.art_ids.get(product_id) if product_id else None,
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
        payments=tuple(
            (payment_type(t["method"], t.get("reference")), int(t["amount_ore"]), t.get("reference"))
            for t in p["tenders"]
        ),
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
            group = look.groups.of(product.id, product.category.name)
            data.articles[look.art_ids[row.product_id]] = (product, group)
            data.groups.add(group)


def _dkk(ore: object) -> str:
    return kr(int(str(ore))).replace(".", ",") + " kr."


def _lines_text(lines: Iterable[dict[str, Any]]) -> str:
    return ", ".join(f"{int(ln.get('quantity', ln.get('qty', 1)))} × {ln.get('name', '?')}" for ln in lines)


def _reason(p: dict[str, Any]) -> str:
    reason = str(p.get("reason") or "").strip()
    return f"; årsag: {reason}" if reason else ""


def _price_change(p: dict[str, Any], look: _Lookup) -> str:
    if "changes" in p:  # the Varer screen: {"price_ore": [old, new], "product": [old, new] when renamed}
        old, new = p["changes"]["price_ore"]
        renamed = p["changes"].get("product")
        product = look.products.get(_as_id(p.get("product_id")) or uuid.UUID(int=0))
        name = renamed[1] if renamed else product.name if product else "?"
        return f"Prisændring (Varer): {name} fra {_dkk(old)} til {_dkk(new)}"
    return f"Prisændring: {p.get('product', '?')} fra {_dkk(p['old_ore'])} til {_dkk(p['new_ore'])}{_reason(p)}"


_TEXTS: dict[str, Callable[[dict[str, Any], _Lookup], str]] = {
    "z_report": lambda p, _: f"Z-rapport nr. {p.get('z_number')}",  # the figures are in eventReport
    "x_report": lambda p, _: (
        f"X-rapport: {p.get('sales_count', 0)} salg, {p.get('refunds_count', 0)} returer, "
        f"netto {_dkk(p.get('net_ore', 0))}"
    ),
    "drawer_open": lambda p, _: f"Skuffen åbnet uden salg{_reason(p)}",
    "cash_in": lambda p, _: f"Indbetaling til kassen: {_dkk(p['amount_ore'])}{_reason(p)}",
    "cash_out": lambda p, _: f"Udbetaling fra kassen: {_dkk(p['amount_ore'])}{_reason(p)}",
    "annulment": lambda p, _: (
        f"Kurv annulleret før betaling: {_lines_text(p.get('lines', []))} ({_dkk(p.get('total_ore', 0))}){_reason(p)}"
    ),
    "cart_line_reduced": lambda p, _: (
        f"{'Linje fjernet' if int(p['quantity_after']) == 0 else 'Antal sat ned'} før betaling: "
        f"{p['line'].get('name', '?')} fra {p['quantity_before']} til {p['quantity_after']} stk. "
        f"à {_dkk(p['line'].get('unit_price_ore', 0))}"
    ),
    "receipt_copy": lambda p, _: f"Kopi af kvittering nr. {p.get('receipt_no') or 'ØVELSE'}",
    "price_change": _price_change,
    "saft_export": lambda p, _: (
        f"SAF-T-fil for {p.get('from')}–{p.get('to')}: {p.get('transactions', 0)} transaktioner"
        + (", signeret" if p.get("last_signature") else ", ikke signeret")
    ),
}


def _event_text(kind: str, payload: dict[str, Any], look: _Lookup) -> str:
    if kind in _TEXTS:
        return _TEXTS[kind](payload, look)
    kept = {k: v for k, v in payload.items() if k not in PRIVATE_KEYS}
    text = event_type(kind)[2]
    return f"{text}; {json.dumps(kept, ensure_ascii=False, sort_keys=True)}" if kept else text


def _short_ids(rows: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """8 hex characters, stable across exports; the full id only for a pair that happens to share a prefix."""
    ids = list(rows)
    clashes = {k for k, n in Counter(i.hex[:8] for i in ids).items() if n > 1}
    return {i: i.hex if i.hex[:8] in clashes else i.hex[:8] for i in ids}
