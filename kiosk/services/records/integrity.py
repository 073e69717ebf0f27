"""The whole database checked against the journal: what `kiosk journal verify`, every backup and every restore ask.

The journal's hash chain (journal.verify) proves the journal is whole; the X/Z reports, refunds and the receipt
counter read the sales tables.  This module proves the two say the same, so a changed table cannot hide behind a
whole journal:

- every sale, refund and training receipt equals its journal entry: kind, receipt number, time, seller, total,
  VAT, øreafrunding, the credit note's original number, each line (name, quantity, unit price, line total, VAT
  rate, in order) and the payments (method, amount, received, change, reference);
- every sale has exactly one journal entry, and every sale the journal names is in the tables;
- the receipt and Z counters are past the last number used (a rewound counter would reuse numbers);
- the journal's guard triggers are there, unchanged, and no other trigger or view exists (one could rewrite
  every new sale after its entry is written);
- the schema version is one this build knows.

What it cannot see: the product catalogue (prices, names) is not bookkeeping and `kiosk products import` does
not journal it, so a changed catalogue price is not a problem here — only what was sold, at what price, is.
A line's category and product id are not in the journal either.  Person records, shifts and jobs are outside.

Problems are plain Danish sentences (through `_()`, so English on an English kiosk), one line each, in journal
order, at most MAX_PROBLEMS, each naming the sale and the difference ("Salg nr. 12: beløbet er 45,00 kr. men
journalen siger 50,00 kr.").  Reads only columns from the first schema version, so a backup from an older
version (not yet migrated) is checked the same way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from typing import Any

from babel.dates import format_datetime
from sqlalchemy import Connection, func, inspect, select, text
from sqlalchemy.orm import Session, aliased

from kiosk.clock import LOCAL_TZ
from kiosk.db.migrate import head_revision, known_revisions
from kiosk.db.models import Counter, JournalEntry, Sale, SaleLine, Tender
from kiosk.domain.money import format_dkk
from kiosk.i18n import _

# The journal kinds a sale writes (kiosk.services.sales.checkout), one entry per row in `sales`.
SALE_ENTRY_KINDS = ("sale", "training_sale", "refund", "training_refund")
# Counter names as kiosk.services.sales uses them (records sits below sales and cannot import it; the tests
# rewind the real counters through a real checkout, so a renamed counter fails them).
RECEIPT_COUNTER = "receipt"
Z_COUNTER = "z_report"
MAX_PROBLEMS = 10  # enough to act on; "every price set to 1 øre" must not print 150,000 lines
_WINDOW = 2000  # journal entries read at a time

# The guard triggers the migrations create (kiosk/db/migrations/versions/0001_initial_schema.py), as SQLite
# stores them.  A migration that adds a trigger adds it here too; a test checks a fresh database against this.
SQLITE_GUARDS = {
    "journal_no_update": "CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal "
    "BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END",
    "journal_no_delete": "CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal "
    "BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END",
}
POSTGRES_GUARDS = {"journal_append_only": "journal"}  # trigger -> table; its function must still raise


# Messages used in more than one place (functions: the language is chosen after import).
def _msg_guard_gone() -> str:
    return _("Journalens beskyttelse mangler: triggeren {name} er fjernet.")


def _msg_foreign_trigger() -> str:
    return _("Databasen har en trigger, som kiosken ikke har lavet: {name} på tabellen {table}.")


def _msg_foreign_view() -> str:
    return _("Databasen har et view, som kiosken ikke har lavet: {name}.")


def _msg_differs() -> str:
    return _("{where}: {what} er {here} men journalen siger {there}")


@dataclass
class DatabaseCheck:
    problems: list[str] = field(default_factory=list)
    sales: int = 0  # sales compared with their journal entry
    stopped: bool = False  # MAX_PROBLEMS reached: there may be more

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, problem: str) -> bool:
        """Record a problem; False once enough are recorded (the caller stops looking)."""
        if len(self.problems) >= MAX_PROBLEMS:
            self.stopped = True
            return False
        self.problems.append(problem)
        return True

    @property
    def full(self) -> bool:
        return len(self.problems) >= MAX_PROBLEMS


def schema_revision(session: Session) -> str | None:
    """The database's schema version (alembic_version), or None when it has none."""
    if not inspect(session.connection()).has_table("alembic_version"):
        return None
    return session.execute(text("SELECT version_num FROM alembic_version")).scalar()


def check_database(session: Session, kiosk_id: str | None = None) -> DatabaseCheck:
    """Everything above, for one kiosk's sales (None: every kiosk the sales and journal name)."""
    result = DatabaseCheck()
    revision = schema_revision(session)
    if revision is None:
        result.add(_("Databasen har ingen skemaversion (alembic_version mangler): den er ikke fra kiosken."))
        return result
    if revision not in known_revisions():
        said = _(
            "Databasen er fra en nyere version af kiosken (skemaversion {revision}; "
            "denne version kender op til {head})."
        )
        result.add(said.format(revision=revision, head=head_revision()))
        return result  # its tables may not read as ours: nothing more to say
    for problem in _guard_problems(session):
        result.add(problem)
    for problem in _counter_problems(session):
        result.add(problem)
    kiosks = [kiosk_id] if kiosk_id is not None else _kiosks(session)
    for kiosk in kiosks:
        if result.full:
            result.stopped = True
            break
        _check_sales(session, kiosk, result)
    return result


def _kiosks(session: Session) -> list[str]:
    found = set(session.scalars(select(JournalEntry.kiosk_id).distinct()))
    found |= set(session.scalars(select(Sale.kiosk_id).distinct()))
    return sorted(found)


# --- triggers and views ------------------------------------------------------------------------------------------


def _normal(sql: str | None) -> str:
    return re.sub(r"\s+", " ", sql or "").strip().rstrip(";")


def _guard_problems(session: Session) -> list[str]:
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        return _sqlite_guard_problems(session)
    if dialect == "postgresql":
        return _postgres_guard_problems(session)
    return [_("Databasetypen {dialect} kan ikke kontrolleres for triggere.").format(dialect=dialect)]


def _sqlite_guard_problems(session: Session) -> list[str]:
    rows = session.execute(
        text("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('trigger', 'view') ORDER BY name")
    ).all()
    found = {name: sql for kind, name, _table, sql in rows if kind == "trigger"}
    problems = []
    for name, sql in SQLITE_GUARDS.items():
        if name not in found:
            problems.append(_msg_guard_gone().format(name=name))
        elif _normal(found[name]) != _normal(sql):
            problems.append(
                _("Journalens beskyttelse er ændret: triggeren {name} er ikke som kiosken lavede den.").format(
                    name=name
                )
            )
    for kind, name, table, _sql in rows:
        if kind == "view":
            problems.append(_msg_foreign_view().format(name=name))
        elif name not in SQLITE_GUARDS:
            problems.append(_msg_foreign_trigger().format(name=name, table=table))
    return problems


def _postgres_guard_problems(session: Session) -> list[str]:
    """The same on PostgreSQL, in the current schema: our one trigger (its function still raising), no other
    trigger, view or rewrite rule.  Event triggers and other schemas are out of reach of a connection's view."""
    triggers = session.execute(
        text(
            "SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE NOT t.tgisinternal AND n.nspname = current_schema() ORDER BY t.tgname"
        )
    ).all()
    found = {name: table for name, table in triggers}
    problems = []
    for name, table in POSTGRES_GUARDS.items():
        if found.get(name) != table:
            problems.append(_msg_guard_gone().format(name=name))
    source = session.execute(
        text("SELECT prosrc FROM pg_proc WHERE proname = 'journal_append_only' ORDER BY oid LIMIT 1")
    ).scalar()
    if "journal_append_only" in found and "RAISE EXCEPTION" not in (source or "").upper():
        problems.append(_("Journalens beskyttelse er ændret: funktionen journal_append_only afviser ikke længere."))
    for name, table in triggers:
        if name not in POSTGRES_GUARDS:
            problems.append(_msg_foreign_trigger().format(name=name, table=table))
    for (name,) in session.execute(
        text("SELECT table_name FROM information_schema.views WHERE table_schema = current_schema()")
    ):
        problems.append(_msg_foreign_view().format(name=name))
    for name, table in session.execute(
        text("SELECT rulename, tablename FROM pg_rules WHERE schemaname = current_schema()")
    ):
        problems.append(
            _("Databasen har en regel, som kiosken ikke har lavet: {name} på tabellen {table}.").format(
                name=name, table=table
            )
        )
    return problems


# --- counters ----------------------------------------------------------------------------------------------------


def _counter_problems(session: Session) -> list[str]:
    counters = dict(session.execute(select(Counter.name, Counter.value)).tuples().all())
    problems = []
    last_receipt = session.scalar(select(func.max(Sale.receipt_no)))
    if last_receipt is not None and counters.get(RECEIPT_COUNTER, 0) < last_receipt:
        problems.append(
            _(
                "Kvitteringstælleren står på {value}, men sidste kvittering er nr. {last}: "
                "de næste salg ville få numre, der allerede er brugt."
            ).format(value=counters.get(RECEIPT_COUNTER, 0), last=last_receipt)
        )
    last_z = session.scalar(select(func.max(Sale.z_number)))
    if last_z is not None and counters.get(Z_COUNTER, 0) < last_z:
        problems.append(
            _(
                "Z-tælleren står på {value}, men sidste dagsafslutning er nr. {last}: "
                "den næste ville få et nummer, der allerede er brugt."
            ).format(value=counters.get(Z_COUNTER, 0), last=last_z)
        )
    return problems


# --- sales against their journal entries -------------------------------------------------------------------------


def _check_sales(session: Session, kiosk_id: str, result: DatabaseCheck) -> None:
    """Walk the journal's sale entries in order, a window of sequence numbers at a time, each joined to its sale,
    lines and payments.  Rows are keyed by the entry's number and ids compared in SQL: turning 1.2 million ids
    into Python UUIDs cost more than all the comparing (five years: 80 s → see README "Performance")."""
    conn = session.connection()
    for twice in _duplicate_entries(conn, kiosk_id):
        if not result.add(twice):
            return
    last = conn.execute(select(func.max(JournalEntry.seq)).where(JournalEntry.kiosk_id == kiosk_id)).scalar() or 0
    found: set[int] = set()  # seqs of entries whose sale exists and belongs to this kiosk
    # Windows of sequence numbers (dense per kiosk): each a bounded range on the (kiosk, seq) index, where
    # "kind IN (...) AND seq > x ORDER BY seq LIMIT n" can make SQLite sort the whole rest of the journal each time.
    for after in range(0, last, _WINDOW):
        window = (
            JournalEntry.kiosk_id == kiosk_id,
            JournalEntry.seq > after,
            JournalEntry.seq <= after + _WINDOW,
            JournalEntry.kind.in_(SALE_ENTRY_KINDS),
        )
        entries = conn.execute(_sales_query(window)).all()
        if not entries:
            continue
        lines = _grouped(conn.execute(_lines_query(window)).all())
        tenders = _grouped(conn.execute(_tenders_query(window)).all())
        for entry in entries:
            payload = json.loads(entry.payload)
            problem: str | None = None
            if entry.has_sale_id and entry.kind is not None:
                result.sales += 1
                found.add(entry.seq)
                here, paid = lines.get(entry.seq, []), tenders.get(entry.seq, [])
                if _same(kiosk_id, entry, payload, here, paid):
                    continue
            label = _label(entry.entry_kind, payload.get("number"), entry.seq)  # the slow path: name it
            if not entry.has_sale_id:
                problem = _("{sale}: journalposten nr. {seq} peger ikke på noget salg.").format(
                    sale=label, seq=entry.seq
                )
            elif entry.kind is None:
                problem = _("{sale} står i journalen (post nr. {seq}), men findes ikke i databasen.").format(
                    sale=label, seq=entry.seq
                )
            else:
                problem = _compare(label, kiosk_id, entry, payload, here, paid)
            if problem and not result.add(problem):
                return
    sales_here = conn.execute(select(func.count()).select_from(Sale).where(Sale.kiosk_id == kiosk_id)).scalar()
    if sales_here != len(found):  # only then look for the ones the journal does not name (one slower pass)
        _unjournaled_sales(conn, kiosk_id, result)


def _sales_query(window: tuple[Any, ...]) -> Any:
    original = aliased(Sale)
    return (
        select(
            JournalEntry.seq,
            JournalEntry.kind.label("entry_kind"),
            JournalEntry.payload,
            JournalEntry.sale_id.is_not(None).label("has_sale_id"),
            (Sale.seller_id == JournalEntry.person_id).label("same_seller"),
            Sale.kiosk_id,
            Sale.kind,
            Sale.receipt_no,
            Sale.training,
            Sale.created_at,
            Sale.total_ore,
            Sale.vat_ore,
            Sale.rounding_ore,
            Sale.original_sale_id.is_not(None).label("has_original"),
            original.receipt_no.label("original_no"),
        )
        .outerjoin(Sale, Sale.id == JournalEntry.sale_id)
        .outerjoin(original, original.id == Sale.original_sale_id)
        .where(*window)
        .order_by(JournalEntry.seq)
    )


def _lines_query(window: tuple[Any, ...]) -> Any:
    return (
        select(
            JournalEntry.seq,
            SaleLine.name,
            SaleLine.quantity,
            SaleLine.unit_price_ore,
            SaleLine.total_ore,
            SaleLine.vat_rate_bp,
        )
        .join(SaleLine, SaleLine.sale_id == JournalEntry.sale_id)
        .where(*window)
        .order_by(JournalEntry.seq, SaleLine.position)
    )


def _tenders_query(window: tuple[Any, ...]) -> Any:
    return (
        select(
            JournalEntry.seq,
            Tender.method,
            Tender.amount_ore,
            Tender.received_ore,
            Tender.change_ore,
            Tender.reference,
        )
        .join(Tender, Tender.sale_id == JournalEntry.sale_id)
        .where(*window)
    )


def _grouped(rows: Iterable[Any]) -> dict[int, list[tuple[Any, ...]]]:
    grouped: dict[int, list[tuple[Any, ...]]] = {}
    for row in rows:
        grouped.setdefault(row[0], []).append(tuple(row[1:]))
    return grouped


def _duplicate_entries(conn: Connection, kiosk_id: str) -> list[str]:
    """A sale journaled twice: its second entry would make it count twice in SAF-T."""
    rows = conn.execute(
        select(func.min(JournalEntry.seq), func.max(JournalEntry.seq))
        .where(
            JournalEntry.kiosk_id == kiosk_id,
            JournalEntry.kind.in_(SALE_ENTRY_KINDS),
            JournalEntry.sale_id.is_not(None),
        )
        .group_by(JournalEntry.sale_id)
        .having(func.count() > 1)
        .order_by(func.min(JournalEntry.seq))
        .limit(MAX_PROBLEMS)
    ).all()
    said = _("Journalpost nr. {last} gælder et salg, der allerede står i post nr. {first}.")
    return [said.format(last=last, first=first) for first, last in rows]


def _unjournaled_sales(conn: Connection, kiosk_id: str, result: DatabaseCheck) -> None:
    """Sales in the tables that no journal entry names (EXCEPT: one pass each, no index on journal.sale_id)."""
    journaled = select(JournalEntry.sale_id).where(
        JournalEntry.kiosk_id == kiosk_id, JournalEntry.kind.in_(SALE_ENTRY_KINDS), JournalEntry.sale_id.is_not(None)
    )
    missing = select(Sale.id).where(Sale.kiosk_id == kiosk_id).except_(journaled).subquery()
    rows = conn.execute(
        select(Sale.kind, Sale.receipt_no, Sale.training, Sale.created_at)
        .where(Sale.id.in_(select(missing.c.id)))
        .order_by(Sale.created_at)
        .limit(MAX_PROBLEMS)
    ).all()
    for kind, number, training, at in rows:
        word = _word(kind, training)
        name = _("{word} nr. {number}") if number is not None else _("{word} fra {when}")
        said = _("{sale} står i databasen, men ikke i journalen.")
        if not result.add(said.format(sale=name.format(word=word, number=number, when=_when(at) if at else ""))):
            return


def _word(kind: str, training: bool) -> str:
    if kind == "refund":
        return _("Øvelsesretur") if training else _("Retur")
    return _("Øvelsessalg") if training else _("Salg")


def _label(entry_kind: str, number: Any, seq: int) -> str:
    """How a problem names a sale: by the receipt number the journal gives it (the chain vouches for it)."""
    word = _word("refund" if entry_kind.endswith("refund") else "sale", entry_kind.startswith("training"))
    if number is not None:
        return _("{word} nr. {number}").format(word=word, number=number)
    return _("{word} (journalpost nr. {seq})").format(word=word, seq=seq)


def _when(moment: datetime) -> str:
    return format_datetime(moment, "d. MMMM y 'kl.' HH.mm.ss", tzinfo=LOCAL_TZ, locale="da_DK")


def _kr(ore: Any) -> str:
    return format_dkk(ore) if isinstance(ore, int) else _("intet")


_LINE = itemgetter("name", "quantity", "unit_price_ore", "total_ore", "vat_rate_bp")
_TENDER = itemgetter("method", "amount_ore", "received_ore", "change_ore", "reference")


def _same(kiosk_id: str, sale: Any, payload: dict[str, Any], lines: list[Any], tenders: list[Any]) -> bool:
    """The common case in one expression: everything equal (150,000 sales are checked on five years)."""
    try:
        training = sale.entry_kind.startswith("training")
        return bool(
            sale.same_seller
            and sale.kiosk_id == kiosk_id
            and sale.training == training == payload["training"]
            and sale.kind == payload["kind"]
            and sale.receipt_no == payload["number"]
            and sale.total_ore == payload["total_ore"]
            and sale.vat_ore == payload["vat_ore"]
            and sale.rounding_ore == payload["rounding_ore"]
            and sale.original_no == payload["original_number"]
            and (sale.kind == "refund") == bool(sale.has_original)
            and lines == [_LINE(line) for line in payload["lines"]]
            and tenders == [_TENDER(tender) for tender in payload["tenders"]]
            and sale.created_at == datetime.fromisoformat(payload["issued_at"])
        )
    except (KeyError, TypeError, ValueError):
        return False


def _compare(
    label: str,
    kiosk_id: str,
    sale: Any,
    payload: dict[str, Any],
    lines: list[tuple[Any, ...]],
    tenders: list[tuple[Any, ...]],
) -> str | None:
    """The first way the stored sale differs from its journal entry, in words; None when it does not."""

    def differs(what: str, here: Any, there: Any, show: Any = str) -> str:
        return _end(_msg_differs().format(where=label, what=_(what), here=show(here), there=show(there)))

    training = sale.entry_kind.startswith("training")
    if sale.kiosk_id != kiosk_id:
        return differs("kassen", sale.kiosk_id, kiosk_id)
    if (sale.kind, sale.training) != (payload.get("kind"), training) or payload.get("training") != training:
        said = _("{sale}: salgets art passer ikke med journalen (i databasen: {kind}).")
        return said.format(sale=label, kind=_word(sale.kind, sale.training).lower())
    if sale.receipt_no != payload.get("number"):
        return differs("kvitteringsnummeret", sale.receipt_no, payload.get("number"))
    if not _same_time(sale.created_at, payload.get("issued_at")):
        return differs("tidspunktet", _when(sale.created_at), _journal_time(payload))
    if not sale.same_seller:
        return _("{sale}: sælgeren passer ikke med journalen.").format(sale=label)
    if sale.total_ore != payload.get("total_ore"):
        return differs("beløbet", sale.total_ore, payload.get("total_ore"), _kr)
    if sale.vat_ore != payload.get("vat_ore"):
        return differs("momsen", sale.vat_ore, payload.get("vat_ore"), _kr)
    if sale.rounding_ore != payload.get("rounding_ore"):
        return differs("øreafrundingen", sale.rounding_ore, payload.get("rounding_ore"), _kr)
    if sale.original_no != payload.get("original_number") or (sale.kind == "refund") != bool(sale.has_original):
        return differs("den oprindelige kvittering", sale.original_no, payload.get("original_number"))
    problem = _compare_lines(label, lines, payload.get("lines") or [])
    return problem or _compare_tenders(label, tenders, payload.get("tenders") or [])


def _end(sentence: str) -> str:
    """A full stop, unless the sentence already ends in one ("… 42,75 kr.")."""
    return sentence if sentence.endswith(".") else sentence + "."


def _journal_time(payload: dict[str, Any]) -> str:
    try:
        return _when(datetime.fromisoformat(payload["issued_at"]))
    except (KeyError, TypeError, ValueError):
        return _("intet tidspunkt")


def _same_time(stored: datetime, journaled: Any) -> bool:
    try:
        return isinstance(journaled, str) and stored == datetime.fromisoformat(journaled)
    except ValueError:
        return False


_LINE_FIELDS: tuple[tuple[str, str, Callable[[Any], str]], ...] = (
    ("varen", "name", str),
    ("antallet", "quantity", str),
    ("stykprisen", "unit_price_ore", _kr),
    ("linjens beløb", "total_ore", _kr),
    (
        "momssatsen",
        "vat_rate_bp",
        lambda bp: f"{bp / 100:g} %".replace(".", ",") if isinstance(bp, int) else _("intet"),
    ),
)


def _compare_lines(label: str, lines: list[tuple[Any, ...]], journaled: list[dict[str, Any]]) -> str | None:
    if len(lines) != len(journaled):
        said = _("{sale}: der er {here} varelinjer men journalen siger {there}.")
        return said.format(sale=label, here=len(lines), there=len(journaled))
    for n, (line, there) in enumerate(zip(lines, journaled, strict=True), start=1):
        for (what, key, show), here in zip(_LINE_FIELDS, line, strict=True):
            if here != there.get(key):
                where = _("{sale}, linje {n} ({name})").format(sale=label, n=n, name=there.get("name"))
                said = _msg_differs().format(where=where, what=_(what), here=show(here), there=show(there.get(key)))
                return _end(said)
    return None


def _compare_tenders(label: str, tenders: list[tuple[Any, ...]], journaled: list[dict[str, Any]]) -> str | None:
    keys = ("method", "amount_ore", "received_ore", "change_ore", "reference")
    wanted = [tuple(t.get(k) for k in keys) for t in journaled]
    if sorted(tenders, key=repr) == sorted(wanted, key=repr):
        return None  # the order of payments is not kept in the tables, and does not matter

    def paid(rows: list[tuple[Any, ...]]) -> str:
        methods = {"cash": _("kontant"), "card": _("kort"), "mobilepay": "MobilePay"}
        return " + ".join(f"{methods.get(r[0], r[0])} {_kr(r[1])}" for r in sorted(rows, key=repr)) or _("ingen")

    if paid(tenders) != paid(wanted):
        return _end(_msg_differs().format(where=label, what=_("betalingen"), here=paid(tenders), there=paid(wanted)))
    said = _("{sale}: betalingens modtaget beløb, byttepenge eller reference passer ikke med journalen.")
    return said.format(sale=label)
