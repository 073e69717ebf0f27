"""SAF-T Cash Register export (momsbekendtgørelsen § 65, point 3): the electronic journal for a range of local dates
as XML in the structure of the Norwegian SAF-T Cash Register schema v1.00, which the Danish format builds on.

Where the figures come from: amounts, lines and payments from the journal payloads (hash-chained, the same data as
the receipt); product ids and categories, which a receipt does not carry, from the sale rows the entries point at.
Sales and refunds become ``cashtransaction`` elements, every other journal entry an ``event``; a Z report also gets
its ``eventReport``.  Employees appear as a short id and a first name only (data minimisation).
Signing is described in `kiosk.services.records.saft_signing`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import uuid
import xml.etree.ElementTree as ET
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from babel.dates import format_date
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from kiosk import __version__
from kiosk.clock import LOCAL_TZ, to_local, utc_now
from kiosk.config import Settings, ShopSettings
from kiosk.db.engine import unit_of_work
from kiosk.db.models import Category, JournalEntry, Person, Product, Sale
from kiosk.domain.money import vat_included
from kiosk.errors import ConfigError, DomainError
from kiosk.services.records import journal
from kiosk.services.records.saft_signing import (
    FIRST_PREVIOUS,
    NS,
    SIGNED_FIELDS,
    UNSIGNED_KEY_VERSION,
    TransactionFields,
    TransactionSigner,
    signed_string,
)

log = logging.getLogger(__name__)

SALE_KINDS = {
    "sale": ("sale", False),
    "refund": ("refund", False),
    "training_sale": ("sale", True),
    "training_refund": ("refund", True),
}
OTHER_GROUP = "Andet"  # the reports' name for a line without a category
DEFAULT_RATES = (2500, 0)
INDENT = "  "
REGISTER_CHILD_LEVEL = 4  # auditfile > company > location > cashregister > event | cashtransaction
CHUNK = 500  # journal entries read at a time (well under SQLite's limit on bound parameters)

# Basic codes: (basicID, predefinedBasicID from ../shared/saft/codelist-*.csv, description).  The schema keys
# basicID across all types, so the ids never repeat.
TRANS_TYPES = {
    "sale": ("CASHSAL", "11001", "Salg ved disken (kontant, kort eller MobilePay)"),
    "refund": ("RETURNSAL", "11006", "Retur (kreditnota til kunden)"),
}
LINE_TYPES = {"sale": ("SAL", None, "Salgslinje"), "refund": ("RET", None, "Returlinje")}
PAYMENT_TYPES = {
    "cash": ("CASH", "12001", "Kontant"),
    "card": ("CARD", "12002", "Betalingskort (fritstående terminal)"),
    "mobilepay": ("MOBILEPAY", "12011", "MobilePay"),
}
# Journal kind -> event code.  Other parts of the kiosk journal logins, X reports and copies under these names.
EVENT_TYPES = {
    "app_start": ("POSSTART", "13001", "Kassen startet"),
    "app_stop": ("POSEND", "13002", "Kassen lukket"),
    "login": ("EMPIN", "13003", "Medarbejder logget ind"),
    "logout": ("EMPOUT", "13004", "Medarbejder logget ud"),
    "drawer_open": ("DRAWOPEN", "13005", "Skuffen åbnet uden salg"),
    "x_report": ("XREP", "13008", "X-rapport"),
    "z_report": ("ZREP", "13009", "Z-rapport (dagsafslutning)"),
    "receipt_copy": ("COPYREC", "13014", "Kopi af kvittering"),
    "training_receipt": ("TRAINREC", "13017", "Øvelseskvittering – ikke en kvittering"),
    "cash_out": ("CASHOUT", "13019", "Udbetaling fra kassen"),
    "price_change": ("PRICECHG", "13021", "Prisændring"),
    "training_on": ("TRAINON", "13023", "Øvelse slået til"),
    "training_off": ("TRAINOFF", "13024", "Øvelse slået fra"),
    "annulment": ("VOIDREC", "13028", "Kurv annulleret før betaling"),
    "cash_in": ("CASHIN", "13999", "Indbetaling til kassen"),
}
OTHER_EVENT = ("OTHER", "13999", "Anden hændelse")  # an unknown kind is exported too, never dropped
# Categories are free text; a few words pick a specific article group from code list 04, the rest are goods.
GROUP_WORDS = (
    (r"bager|brød|kage|mad", "04006"),
    (r"sodavand|vand|juice|most", "04011"),
    (r"kaffe|\bte\b", "04012"),
    (r"\bøl\b", "04007"),
    (r"\bvin\b", "04008"),
    (r"tobak", "04013"),
    (r"service|udlån|reparation", "04999"),
)
PRIVATE_KEYS = {"by_seller", "name", "seller", "phone", "person_id"}  # no names in event texts; a person is empID
ROLES = {"worker": "Medarbejder", "supervisor": "Ansvarlig", "admin": "Administrator"}


@dataclass(frozen=True)
class _Line:
    name: str
    quantity: int
    unit_ore: int
    total_ore: int
    vat_bp: int
    group: str  # category name as sold
    art_id: str | None


@dataclass(frozen=True)
class _Tx:
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
    lines: tuple[_Line, ...]
    payments: tuple[tuple[str, int, str | None], ...]  # method, amount, terminal/MobilePay reference
    chain_hash: str
    copies: int


@dataclass
class _ZFigures:
    payload: dict[str, Any]  # the Z entry's own figures (chained): totals, per method, category and VAT rate
    pieces: Counter[str] = field(default_factory=Counter)  # category -> pieces, from the sales the Z counted
    tenders: Counter[str] = field(default_factory=Counter)  # method -> number of payments
    gross_by_rate: Counter[int] = field(default_factory=Counter)
    training_ore: int = 0
    events: Counter[str] = field(default_factory=Counter)  # journal kind -> count since the previous Z
    event_ore: Counter[str] = field(default_factory=Counter)
    grand: tuple[int, int, int] = (0, 0, 0)  # sales, returns, net since the first Z (running grand totals)


@dataclass(frozen=True)
class _Event:
    seq: int
    at: datetime
    kind: str
    emp_id: str | None
    text: str
    trans_seq: int | None = None
    z: _ZFigures | None = None


@dataclass
class _Export:
    kiosk_id: str
    chain: journal.VerifyResult
    first_at: datetime | None
    transactions: list[_Tx] = field(default_factory=list)
    events: list[_Event] = field(default_factory=list)
    employees: dict[str, Person] = field(default_factory=dict)
    articles: dict[str, Product] = field(default_factory=dict)
    groups: set[str] = field(default_factory=set)
    rates: set[int] = field(default_factory=lambda: set(DEFAULT_RATES))


def export_saft(
    sessions: sessionmaker[Session],
    settings: Settings,
    date_from: date,
    date_to: date,
    out_dir: Path,
    *,
    signer: TransactionSigner | None = None,
    now: datetime | None = None,
) -> Path:
    """Write the journal of local dates `date_from`..`date_to` (both included) as one SAF-T file; return its path.

    Without a `signer` each transaction's ``signature`` is its journal entry's chained SHA-256 hash (keyVersion
    ``unsigned-chain-v1``) and the header says the file is not signed.
    """
    if date_from > date_to:
        raise DomainError(user_message="Fra-datoen skal ligge før eller på til-datoen")
    if not re.fullmatch(r"\d{8}", settings.shop.cvr):
        raise ConfigError(user_message="CVR-nummeret i opsætningen skal være 8 cifre")
    start = datetime.combine(date_from, time.min, tzinfo=LOCAL_TZ)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=LOCAL_TZ)
    with unit_of_work(sessions) as s:  # one snapshot: the chain check and the figures see the same journal
        data = _collect(s, settings.kiosk.id, start, end)
    if not data.chain.ok:
        log.warning("SAF-T export of a broken journal: %s", data.chain.problem)
    if signer is None:
        log.warning("SAF-T export is not signed: no key configured, signature = the journal's SHA-256 chain hash")
    created = now or utc_now()
    skeleton = _auditfile(data, settings, date_from, date_to, created, signer)
    return _write(skeleton, _register_records(data, settings.shop, signer), out_dir, settings.shop.cvr, created)


# -- reading the journal ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Lookup:
    """The small tables the journal entries point at, read once per export."""

    people: dict[uuid.UUID, Person]
    products: dict[uuid.UUID, Product]
    emp_ids: dict[uuid.UUID, str]
    art_ids: dict[uuid.UUID, str]
    copies: Counter[uuid.UUID]  # sale -> copies printed


def _collect(s: Session, kiosk_id: str, start: datetime, end: datetime) -> _Export:
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
    data = _Export(kiosk_id, chain, first_at)
    look = _lookup(s, in_range)
    by_seq = select(JournalEntry).where(*in_range).order_by(JournalEntry.seq)
    z_figures = _z_figures(s, kiosk_id, list(s.scalars(by_seq.where(JournalEntry.kind == "z_report"))))
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
                data.events.append(_Event(entry.seq, entry.created_at, entry.kind, emp_id, text, z=z))
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
    data: _Export, look: _Lookup, entry: JournalEntry, payload: dict[str, Any], sale: Sale | None
) -> None:
    emp_id = _employee(data, look, entry.person_id)
    approver = payload.get("approved_by")
    approver_id = _employee(data, look, uuid.UUID(approver)) if approver else None
    copies = look.copies[entry.sale_id] if entry.sale_id else 0
    tx = _transaction(entry, payload, sale, (emp_id, approver_id), look.art_ids, copies)
    data.transactions.append(tx)
    _note_products(data, tx, sale, look)
    if tx.training:  # an event too, so training receipts are plain to see among the events
        data.events.append(_Event(entry.seq, entry.created_at, "training_receipt", emp_id, "", entry.seq))


def _payload_person(payload: dict[str, Any]) -> uuid.UUID | None:
    """Services.record journals who logged in or out in the payload (it has no person column to fill)."""
    try:
        return uuid.UUID(str(payload["person_id"])) if payload.get("person_id") else None
    except ValueError:
        return None


def _employee(data: _Export, look: _Lookup, pid: uuid.UUID | None) -> str | None:
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
) -> _Tx:
    kind, training = SALE_KINDS[entry.kind]
    rows = sale.lines if sale else []
    lines = []
    for i, ln in enumerate(p["lines"]):
        row = rows[i] if i < len(rows) else None  # payload lines and sale lines share the position order
        lines.append(
            _Line(
                ln["name"],
                int(ln["quantity"]),
                int(ln["unit_price_ore"]),
                int(ln["total_ore"]),
                int(ln["vat_rate_bp"]),
                (row.category if row else "") or OTHER_GROUP,
                art_ids.get(row.product_id) if row and row.product_id else None,
            )
        )
    return _Tx(
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


def _note_products(data: _Export, tx: _Tx, sale: Sale | None, look: _Lookup) -> None:
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
    text = _event_type(kind)[2] if kind in EVENT_TYPES else f"{OTHER_EVENT[2]}: {kind}"
    return f"{text}; {json.dumps(kept, ensure_ascii=False, sort_keys=True)}" if kept else text


def _z_figures(s: Session, kiosk_id: str, z_entries: list[JournalEntry]) -> dict[int, _ZFigures]:
    """Per Z entry in the range: what the Z payload lacks (counts, grand totals), from the journal and the sales."""
    if not z_entries:
        return {}
    wanted, last = {e.seq for e in z_entries}, z_entries[-1].seq
    figures: dict[int, _ZFigures] = {}
    since: dict[int, int] = {}  # Z seq -> the previous Z's seq
    grand, previous = (0, 0, 0), 0
    all_z = select(JournalEntry.seq, JournalEntry.payload).where(
        JournalEntry.kiosk_id == kiosk_id, JournalEntry.kind == "z_report", JournalEntry.seq <= last
    )
    for seq, raw in s.execute(all_z.order_by(JournalEntry.seq)):
        p = json.loads(raw)
        grand = (grand[0] + p["gross_ore"], grand[1] - p["refunds_ore"], grand[2] + p["net_ore"])
        if seq in wanted:
            figures[seq], since[seq] = _ZFigures(p, grand=grand), previous
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


def _count_window_events(s: Session, kiosk_id: str, figures: dict[int, _ZFigures], since: dict[int, int]) -> None:
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


def _count_sale(z: _ZFigures, sale: Sale) -> None:
    if sale.training:
        z.training_ore += sale.total_ore
        return
    for ln in sale.lines:
        z.pieces[ln.category or OTHER_GROUP] += ln.quantity
        z.gross_by_rate[ln.vat_rate_bp] += ln.total_ore
    for t in sale.tenders:
        z.tenders[t.method] += 1


def _short_ids(rows: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """8 hex characters, stable across exports; the full id only for a pair that happens to share a prefix."""
    ids = list(rows)
    clashes = {k for k, n in Counter(i.hex[:8] for i in ids).items() if n > 1}
    return {i: i.hex if i.hex[:8] in clashes else i.hex[:8] for i in ids}


# -- formatting ------------------------------------------------------------------------------------------------


def kr(ore: int) -> str:
    """Integer øre as the schema's 2-decimal amount: 1475 -> '14.75', -25 -> '-0.25'."""
    return f"{Decimal(ore).scaleb(-2):.2f}"


def _percent(rate_bp: int) -> str:
    return kr(rate_bp)  # basis points have the same scale as øre: 2500 -> '25.00'


def _vat_code(rate_bp: int) -> str:
    return format(Decimal(rate_bp).scaleb(-2).normalize(), "f")  # 2500 -> '25', 0 -> '0'


def group_id(category: str) -> str:
    """A category's article group id: stable for its name, unique among the basic codes."""
    return "AG" + hashlib.sha256(category.encode()).hexdigest()[:8]


def _group_code(category: str) -> str:
    name = category.casefold()
    return next((code for pattern, code in GROUP_WORDS if re.search(pattern, name)), "04003")


def _event_type(kind: str) -> tuple[str, str, str]:
    return EVENT_TYPES.get(kind, OTHER_EVENT)


def _amount_type(ore: int) -> str:
    return "D" if ore < 0 else "C"  # credit = income to the shop, debit = money back to the customer


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _date_time(moment: datetime) -> tuple[str, str]:
    local = to_local(moment)
    return local.date().isoformat(), local.strftime("%H:%M:%S")


def _sub(parent: ET.Element, tag: str) -> ET.Element:
    return ET.SubElement(parent, tag)


def _add(parent: ET.Element, *fields: tuple[str, object]) -> ET.Element:
    """Child elements in the order given (the schema is a strict sequence); None means "leave it out"."""
    for tag, value in fields:
        if value is not None:
            ET.SubElement(parent, tag).text = str(value)
    return parent


# -- writing the file ------------------------------------------------------------------------------------------


def _auditfile(
    x: _Export, settings: Settings, date_from: date, date_to: date, created: datetime, signer: TransactionSigner | None
) -> ET.Element:
    shop = settings.shop
    root = ET.Element("auditfile", {"xmlns": NS})
    _header(root, x, date_from, date_to, created, signer)
    company = _add(
        _sub(root, "company"),
        ("companyIdent", shop.cvr),
        ("companyName", _clip(shop.name, 100)),
        ("taxRegistrationCountry", "DK"),
        ("taxRegIdent", f"DK{shop.cvr}"),
    )
    _address(company, shop.address)
    _vat_codes(company, x.rates, to_local(x.first_at).date() if x.first_at else date_from)
    _periods(company, date_from, date_to)
    _employees(company, x.employees)
    _articles(company, x.articles)
    _basics(company, x.groups)
    location = _add(_sub(company, "location"), ("name", _clip(shop.name, 100)))
    _address(location, shop.address)
    _add(
        _sub(location, "cashregister"),
        ("registerID", x.kiosk_id),
        ("regDesc", f"Hedemarken kiosk {__version__}, kasse {x.kiosk_id}"),
    )
    return root  # events and transactions are streamed into the cashregister by _write


def _register_records(x: _Export, shop: ShopSettings, signer: TransactionSigner | None) -> Iterator[ET.Element]:
    """The cashregister's events, then its transactions (the schema's order), one element at a time."""
    for event in sorted(x.events, key=lambda e: e.seq):
        yield _event(event, shop, x.kiosk_id)
    previous = FIRST_PREVIOUS
    for tx in x.transactions:
        element, previous = _cashtransaction(tx, shop.cvr, x.kiosk_id, previous, signer)
        yield element


def _header(
    root: ET.Element, x: _Export, date_from: date, date_to: date, created: datetime, signer: TransactionSigner | None
) -> None:
    years = f"{date_from.year}" if date_from.year == date_to.year else f"{date_from.year}-{date_to.year}"
    if signer:
        signing = f"Signeret med {signer.describe()}. Signeret streng: {SIGNED_FIELDS} (første forrige signatur: 0)."
    else:
        signing = (
            "IKKE SIGNERET: ingen nøgle sat op. signature = journalpostens SHA-256-kædehash, "
            f"keyVersion = {UNSIGNED_KEY_VERSION}."
        )
    chain = (
        f"Journalkæden er kontrolleret for perioden: {x.chain.checked} poster i orden og kædet til posten før."
        if x.chain.ok
        else f"ADVARSEL: journalkæden er brudt: {x.chain.problem}."
    )
    comment = (
        f"Elektronisk journal (momsbekendtgørelsen § 65), kasse {x.kiosk_id}, {date_from}–{date_to}. {chain} {signing}"
    )
    created_date, created_time = _date_time(created)
    _add(
        _sub(root, "header"),
        ("fiscalYear", years),
        ("startDate", date_from),
        ("endDate", date_to),
        ("curCode", "DKK"),
        ("dateCreated", created_date),
        ("timeCreated", created_time),
        ("softwareDesc", "Hedemarken kiosk"),
        ("softwareVersion", __version__),
        ("softwareCompanyName", "Hedemarken kiosk (open source)"),
        ("auditfileVersion", "1.00"),
        ("headerComment", _clip(comment, 999)),
    )


def _address(parent: ET.Element, address: str) -> None:
    """'Hedemarken 1, 2620 Albertslund' -> street, number, postal code, city; anything else as the street name."""
    m = re.fullmatch(r"\s*(?P<street>.+?)\s+(?P<number>\d+\S*)\s*,\s*(?P<postal>\d{4})\s+(?P<city>.+?)\s*", address)
    el = _sub(parent, "streetAddress")
    if m is None:
        _add(el, ("streetname", _clip(address, 100)), ("country", "DK"))
        return
    _add(
        el,
        ("streetname", _clip(m["street"], 100)),
        ("number", _clip(m["number"], 20)),
        ("city", _clip(m["city"], 50)),
        ("postalCode", m["postal"]),
        ("country", "DK"),
    )


def _vat_codes(company: ET.Element, rates: set[int], since: date) -> None:
    details = _sub(company, "vatCodeDetails")
    for rate in sorted(rates, reverse=True):
        # standardVatCode from the Norwegian list (3 = output VAT, standard rate; 5 = zero rated): the Danish
        # list is not in ../shared/saft.
        _add(
            _sub(details, "vatCodeDetail"),
            ("vatCode", _vat_code(rate)),
            ("dateOfEntry", since),
            ("vatDesc", f"Moms {_vat_code(rate)} %" if rate else "Momsfri (0 %)"),
            ("standardVatCode", "3" if rate else "5"),
        )


def _periods(company: ET.Element, date_from: date, date_to: date) -> None:
    periods = _sub(company, "periods")
    first = date_from.replace(day=1)
    while first <= date_to:
        after = (first + timedelta(days=32)).replace(day=1)
        _add(
            _sub(periods, "period"),
            ("periodNumber", first.month),
            ("periodDesc", format_date(first, "MMMM y", locale="da_DK")),
            ("startDatePeriod", first),
            ("startTimePeriod", "00:00:00"),
            ("endDatePeriod", after - timedelta(days=1)),
            ("endTimePeriod", "23:59:59"),
        )
        first = after


def _employees(company: ET.Element, employees: dict[str, Person]) -> None:
    parent = _sub(company, "employees")
    for emp_id, person in sorted(employees.items()):
        entered_date, entered_time = _date_time(person.created_at)
        # surName is required by the schema and left empty on purpose: a first name is all the file needs (GDPR).
        el = _add(
            _sub(parent, "employee"),
            ("empID", emp_id),
            ("dateOfEntry", entered_date),
            ("timeOfEntry", entered_time),
            ("firstName", _clip(person.name.split()[0] if person.name.split() else "-", 50)),
            ("surName", ""),
        )
        _add(_sub(el, "employeeRole"), ("roleType", person.role), ("roleTypeDesc", ROLES.get(person.role)))


def _articles(company: ET.Element, articles: dict[str, Product]) -> None:
    parent = _sub(company, "articles")
    for art_id, product in sorted(articles.items()):
        _add(
            _sub(parent, "article"),
            ("artID", art_id),
            ("dateOfEntry", _date_time(product.created_at)[0]),
            ("artGroupID", group_id(product.category.name)),
            ("artDesc", _clip(product.name, 999)),
        )


def _basics(company: ET.Element, groups: set[str]) -> None:
    parent = _sub(company, "basics")
    rows: list[tuple[str, tuple[str, str | None, str]]] = [
        ("04", (group_id(g), _group_code(g), g)) for g in sorted(groups)
    ]
    rows += [("05", v) for v in LINE_TYPES.values()] + [("11", v) for v in TRANS_TYPES.values()]
    rows += [("12", v) for v in PAYMENT_TYPES.values()] + [("13", v) for v in (*EVENT_TYPES.values(), OTHER_EVENT)]
    for basic_type, (basic_id, predefined, desc) in rows:
        _add(
            _sub(parent, "basic"),
            ("basicType", basic_type),
            ("basicID", basic_id),
            ("predefinedBasicID", predefined),
            ("basicDesc", _clip(desc, 999)),
        )


def _event(ev: _Event, shop: ShopSettings, register_id: str) -> ET.Element:
    event_date, event_time = _date_time(ev.at)
    el = _add(
        ET.Element("event"),
        ("eventID", ev.seq),
        ("eventType", _event_type(ev.kind)[0]),
        ("transID", ev.trans_seq),
        ("empID", ev.emp_id),
        ("eventDate", event_date),
        ("eventTime", event_time),
        ("eventText", _clip(ev.text, 9999) or None),
    )
    if ev.z is not None:
        _z_report(el, ev.z, (event_date, event_time), shop, register_id)
    return el


def _z_report(event: ET.Element, z: _ZFigures, when: tuple[str, str], shop: ShopSettings, register_id: str) -> None:
    p = z.payload
    r = _add(
        _sub(event, "eventReport"),
        ("reportID", f"Z{p['z_number']}"),
        ("reportType", "Z report"),
        ("companyIdent", shop.cvr),
        ("companyName", _clip(shop.name, 100)),
        ("reportDate", when[0]),
        ("reportTime", when[1]),
        ("registerID", register_id),
    )
    _add(_sub(r, "reportTotalCashSales"), ("totalCashSaleAmnt", kr(p["net_ore"])))
    groups = _sub(r, "reportArtGroups")
    for name, amount in sorted(p["by_category"].items()) or [(OTHER_GROUP, 0)]:  # the schema wants at least one
        _add(
            _sub(groups, "reportArtGroup"),
            ("artGroupID", group_id(name)),
            ("artGroupNum", z.pieces[name]),
            ("artGroupAmnt", kr(amount)),
        )
    payments = _sub(r, "reportPayments")
    for method, (basic_id, _code, _desc) in PAYMENT_TYPES.items():
        _add(
            _sub(payments, "reportPayment"),
            ("paymentType", basic_id),
            ("paymentNum", z.tenders[method]),
            ("paymentAmnt", kr(p["by_method"].get(method, 0))),
        )
    vat = {int(rate): int(amount) for rate, amount in p["vat_by_rate"].items()}
    vat_parent = _sub(r, "reportCashSalesVat")
    for rate in sorted({*vat, *z.gross_by_rate, *DEFAULT_RATES}, reverse=True):
        base = z.gross_by_rate[rate] - vat.get(rate, 0)
        _add(
            _sub(vat_parent, "reportCashSaleVat"),
            ("vatCode", _vat_code(rate)),
            ("vatPerc", _percent(rate)),
            ("cashSaleAmnt", kr(base)),
            ("vatAmnt", kr(vat.get(rate, 0))),
            ("vatAmntTp", _amount_type(base)),
        )
    _add(
        r,
        ("reportOpeningChangeFloat", kr(p["opening_float_ore"])),
        ("reportReceiptNum", p["sales_count"] + p["refunds_count"]),
        ("reportOpenCashBoxNum", z.events["drawer_open"]),
        ("reportReceiptCopyNum", z.events["receipt_copy"]),
        ("reportReceiptCopyAmnt", kr(z.event_ore["receipt_copy"])),
        ("reportReceiptProformaNum", 0),
        ("reportReceiptProformaAmnt", kr(0)),
        ("reportReturnNum", p["refunds_count"]),
        ("reportReturnAmnt", kr(-p["refunds_ore"])),
        ("reportDiscountNum", 0),
        ("reportDiscountAmnt", kr(0)),
        ("reportVoidTransNum", p["annulments_count"]),
        ("reportVoidTransAmnt", kr(z.event_ore["annulment"])),
    )
    # The kiosk journals no line corrections or price look-ups: the schema still wants one row each.
    for outer, inner, tags in (
        ("reportCorrLines", "reportCorrLine", ("corrLineType", "corrLineNum", "corrLineAmnt")),
        ("reportPriceInquiries", "reportPriceInquiry", ("priceInquiryGroup", "priceInquiryNum", "priceInquiryAmnt")),
        ("reportOtherCorrs", "reportOtherCorr", ("otherCorrType", "otherCorrNum", "otherCorrAmnt")),
    ):
        _add(_sub(_sub(r, outer), inner), (tags[0], "None"), (tags[1], 0), (tags[2], kr(0)))
    _add(
        r,
        ("reportReceiptDeliveryNum", 0),
        ("reportReceiptDeliveryAmnt", kr(0)),
        ("reportTrainingNum", p["training_count"]),
        ("reportTrainingAmnt", kr(z.training_ore)),
    )
    for kind, outer, inner, prefix in (
        ("cash_in", "reportPayIns", "reportPayIn", "payIn"),
        ("cash_out", "reportPayOuts", "reportPayOut", "payOut"),
    ):
        if z.events[kind]:
            _add(
                _sub(_sub(r, outer), inner),
                (f"{prefix}Type", EVENT_TYPES[kind][0]),
                (f"{prefix}Num", z.events[kind]),
                (f"{prefix}Amnt", kr(z.event_ore[kind])),
            )
    sales, returns, net = z.grand
    _add(
        r,
        ("reportGrandTotalSales", kr(sales)),
        ("reportGrandTotalReturn", kr(returns)),
        ("reportGrandTotalSalesNet", kr(net)),
    )


def _vat(parent: ET.Element, rate: int, vat_ore: int, gross_ore: int) -> None:
    _add(
        _sub(parent, "vat"),
        ("vatCode", _vat_code(rate)),
        ("vatPerc", _percent(rate)),
        ("vatAmnt", kr(vat_ore)),
        ("vatAmntTp", _amount_type(gross_ore)),
        ("vatBasAmnt", kr(gross_ore - vat_ore)),
    )


def _describe(tx: _Tx) -> str:
    if tx.training:
        return "ØVELSE – ikke en kvittering"
    if tx.kind == "refund":
        approved = f", godkendt af {tx.approver_id}" if tx.approver_id else ""
        return f"Retur af kvittering nr. {tx.original_number}{approved}"
    return "Salg"


def _cashtransaction(
    tx: _Tx, cvr: str, register_id: str, previous: str, signer: TransactionSigner | None
) -> tuple[ET.Element, str]:
    """One sale or refund, and its signature (the next transaction's "previous signature")."""
    trans_date, trans_time = _date_time(tx.at)
    nr = str(tx.number) if tx.number is not None else f"ØVELSE-{tx.seq}"  # training is outside the sequence
    amount_in, amount_ex = kr(tx.total_ore), kr(tx.total_ore - tx.vat_ore)
    el = _add(
        ET.Element("cashtransaction"),
        ("nr", nr),
        ("transID", tx.seq),
        ("transType", TRANS_TYPES[tx.kind][0]),
        ("transAmntIn", amount_in),
        ("transAmntEx", amount_ex),
        ("amntTp", "D" if tx.kind == "refund" else "C"),
        ("empID", tx.emp_id),
        ("periodNumber", to_local(tx.at).month),
        ("transDate", trans_date),
        ("transTime", trans_time),
        ("refID", tx.original_number),
        ("desc", _describe(tx)),
    )
    by_rate: Counter[int] = Counter()
    for i, ln in enumerate(tx.lines, start=1):
        line_vat = vat_included(ln.total_ore, ln.vat_bp)
        by_rate[ln.vat_bp] += ln.total_ore
        line = _add(
            _sub(el, "ctLine"),
            ("nr", nr),
            ("lineID", i),
            ("lineType", LINE_TYPES[tx.kind][0]),
            ("artGroupID", group_id(ln.group)),
            ("artID", ln.art_id),
            ("qnt", ln.quantity),
            ("lineAmntIn", kr(ln.total_ore)),
            ("lineAmntEx", kr(ln.total_ore - line_vat)),
            ("amntTp", _amount_type(ln.total_ore)),
            ("ppu", kr(ln.unit_ore)),
            ("empID", tx.emp_id),
            ("cashTransLineDescr", _clip(ln.name, 9999)),
            ("lineDate", trans_date),
            ("lineTime", trans_time),
        )
        _vat(line, ln.vat_bp, line_vat, ln.total_ore)
    for rate, gross in sorted(by_rate.items(), reverse=True):  # per rate, as the receipt's "Heraf moms"
        _vat(el, rate, vat_included(gross, rate), gross)
    _add(_sub(el, "rounding"), ("roundingAmnt", kr(tx.rounding_ore)))
    for method, amount, reference in tx.payments:  # the reference links a card/MobilePay payment to the sale
        _add(
            _sub(el, "payment"),
            ("paymentType", PAYMENT_TYPES[method][0]),
            ("paidAmnt", kr(amount)),
            ("empID", tx.emp_id),
            ("curCode", "DKK"),
            ("paymentRefID", reference),
        )
    fields = TransactionFields(
        trans_date,
        trans_time,
        nr,
        amount_in,
        amount_ex,
        str(tx.seq),
        register_id,
        cvr,
        tuple((PAYMENT_TYPES[m][0], kr(a)) for m, a, _ in tx.payments),
        "true" if tx.training else "false",
    )
    signature = signer.sign(signed_string(previous, fields)) if signer else tx.chain_hash
    _add(
        el,
        ("signature", signature),
        ("keyVersion", signer.key_version if signer else UNSIGNED_KEY_VERSION),
        ("receiptNum", 1),
        ("receiptCopyNum", min(tx.copies, 999)),
        ("receiptProformaNum", 0),
        ("receiptDeliveryNum", 0),
        ("voidTransaction", "false"),
        ("trainingID", fields.training),
    )
    return el, signature


def _write(skeleton: ET.Element, records: Iterator[ET.Element], out_dir: Path, cvr: str, created: datetime) -> Path:
    """Stream the records into the skeleton's cashregister, so a year of sales never sits in memory as one tree.

    The file gets the Danish name only when complete: it is written beside it and renamed.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"SAF-T Cash Register_{cvr}_{to_local(created):%Y%m%d%H%M%S}_1_1.xml"
    partial = path.with_name(path.name + ".part")
    ET.indent(skeleton, space=INDENT)
    # Text is escaped, so the only "</cashregister>" is the element's own end tag.
    head, end_tag, tail = ET.tostring(skeleton, encoding="unicode").partition("</cashregister>")
    with partial.open("w", encoding="utf-8") as f:
        f.write("<?xml version='1.0' encoding='UTF-8'?>\n" + head.rstrip())
        for element in records:
            ET.indent(element, space=INDENT, level=REGISTER_CHILD_LEVEL)
            f.write("\n" + INDENT * REGISTER_CHILD_LEVEL + ET.tostring(element, encoding="unicode"))
        f.write("\n" + INDENT * (REGISTER_CHILD_LEVEL - 1) + end_tag + tail)
        f.flush()
        os.fsync(f.fileno())  # the file may be handed over right away: make it durable first
    os.replace(partial, path)
    return path
