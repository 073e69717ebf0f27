"""The server's side of several kiosks (run by `kiosk web` on PostgreSQL): enrolment with one-time codes, each
kiosk's sales stored once, and the change log kiosks pull by number.

Stored once: the sale's id is the primary key and (kiosk, receipt number) is unique; the insert does nothing on a
conflict, and the payload's hash then decides: the same sale sent again (a lost acknowledgement) is acknowledged,
a different one is kept apart as a conflict for a person and never overwrites what is stored.  A receipt number of
this kiosk taken by another sale means two devices use one identity (a cloned SD card): the identity is refused
from then on, until a person enrols the right device again."""

from __future__ import annotations

import hmac
import json
import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from kiosk.clock import Clock
from kiosk.db.engine import unit_of_work
from kiosk.db.migrate import head_revision
from kiosk.db.models import (
    Category,
    FleetChange,
    FleetConflict,
    FleetKiosk,
    FleetSale,
    Job,
    Person,
    Product,
    Signup,
)
from kiosk.errors import BadInput, KioskError
from kiosk.i18n import L_
from kiosk.services.fleet import chain
from kiosk.services.fleet.shifts import store_shift
from kiosk.services.fleet.wire import canonical, digest

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud and typed on a kiosk


class Refusal(KioskError):
    """The server says no; `code` goes back to the kiosk, which says it in its own language."""

    def __init__(self, code: str, status: int, **details: object) -> None:
        super().__init__(f"refused: {code} {details}")
        self.code, self.status, self.details = code, status, details


@dataclass(frozen=True)
class KioskState:
    number: int
    name: str
    state: str  # invited | joined | cloned
    sales: int
    journal: chain.JournalState
    accepted: tuple[dict[str, Any], ...] = ()  # breaks in its journal a person accepted (kiosk fleet journal-ok)


@dataclass
class PushResult:
    acks: list[dict[str, Any]] = field(default_factory=list)  # {"seq", "status": stored | same | conflict}
    refused: Refusal | None = None


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def _code_hash(code: str) -> str:
    return digest(code.strip().upper().replace("-", "").replace(" ", ""))


class FleetServer:
    def __init__(self, sessions: sessionmaker[Session], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    def _require_postgres(self, s: Session) -> None:
        if s.get_bind().dialect.name != "postgresql":
            raise BadInput(
                "fleet server needs PostgreSQL",
                user_message=L_(
                    "Flere kiosker kræver at serveren kører på PostgreSQL ([database] url = "
                    '"postgresql+psycopg://…" i kiosk.toml).'
                ),
            )

    # --- enrolment -------------------------------------------------------------------------------------------

    def add_kiosk(self, name: str) -> tuple[int, str]:
        """A new kiosk number and its one-time code (shown once; only its hash is kept)."""
        name = name.strip()
        if not name or len(name) > 80:
            raise BadInput("bad kiosk name", user_message=L_("Giv kiosken et navn på 1 til 80 tegn."))
        code = new_code()
        with unit_of_work(self._sessions) as s:
            self._require_postgres(s)
            if s.scalar(select(FleetKiosk.number).where(FleetKiosk.name == name)) is not None:
                raise BadInput(
                    "kiosk name taken", user_message=L_("Der er allerede en kiosk med navnet {name}.", name=name)
                )
            kiosk = FleetKiosk(name=name, state="invited", code_hash=_code_hash(code), created_at=self._clock())
            s.add(kiosk)
            s.flush()
            return kiosk.number, code

    def join(self, code: str, schema: str, journal_key: object = None, key_seq: object = None) -> dict[str, Any]:
        """The code's kiosk gets its secret; a code is good once.  The kiosk's journal key (64 hex digits) and the
        number of the entry that carries it are pinned here: its journal must be signed with that key."""
        self._same_schema(schema)
        hex_digits = set("0123456789abcdef")
        if journal_key is not None and not (
            isinstance(journal_key, str) and len(journal_key) == 64 and set(journal_key) <= hex_digits
        ):
            raise Refusal("bad_request", 400)
        if key_seq is not None and not (isinstance(key_seq, int) and key_seq >= 1):
            raise Refusal("bad_request", 400)
        with unit_of_work(self._sessions) as s:
            kiosk = s.scalar(select(FleetKiosk).where(FleetKiosk.code_hash == _code_hash(code)).with_for_update())
            if kiosk is None:
                raise Refusal("code_unknown", 403)
            if kiosk.state != "invited":
                raise Refusal("code_used", 403, kiosk_no=kiosk.number)
            secret = secrets.token_urlsafe(32)
            kiosk.state, kiosk.secret_hash, kiosk.joined_at = "joined", digest(secret), self._clock()
            if journal_key is not None:
                kiosk.journal_key = str(journal_key)
                kiosk.journal_key_seq = key_seq if isinstance(key_seq, int) else None  # None: the first to carry it
            return {"kiosk_no": kiosk.number, "name": kiosk.name, "secret": secret}

    def _same_schema(self, schema: str) -> None:
        if schema != head_revision():
            raise Refusal("schema", 409, server=head_revision(), kiosk=schema)

    def _kiosk(self, s: Session, kiosk_no: int, secret: str, *, lock: bool = False) -> FleetKiosk:
        query = select(FleetKiosk).where(FleetKiosk.number == kiosk_no)
        kiosk = s.scalar(query.with_for_update() if lock else query)
        if kiosk is None or kiosk.secret_hash is None:
            raise Refusal("unknown_kiosk", 401)
        if not hmac.compare_digest(kiosk.secret_hash, digest(secret)):
            raise Refusal("unknown_kiosk", 401)
        if kiosk.state == "cloned":
            raise Refusal("cloned", 409, kiosk_no=kiosk.number)
        return kiosk

    def known(self, kiosk_no: int, secret: str) -> None:
        """Refuses an unknown or cloned kiosk (a sign-up through the server: sync/signup)."""
        with unit_of_work(self._sessions) as s:
            self._kiosk(s, kiosk_no, secret)

    # --- sales -----------------------------------------------------------------------------------------------

    def push(self, kiosk_no: int, secret: str, schema: str, rows: list[dict[str, Any]]) -> PushResult:
        """Store each sale once.  The kiosk's row lock makes two pushes of one kiosk (two workers racing, a retry
        while the first is still running) take turns."""
        self._same_schema(schema)
        result = PushResult()
        with unit_of_work(self._sessions) as s:
            self._require_postgres(s)
            kiosk = self._kiosk(s, kiosk_no, secret, lock=True)
            now = self._clock()
            for row in rows:
                if row["payload"].get("kind") == "shift":  # check-in hours: kept once in the server's shifts
                    result.acks.append({"seq": row["seq"], "status": store_shift(s, kiosk.number, row["payload"], now)})
                    continue
                payload = canonical(row["payload"])
                sale_id, receipt_no = uuid.UUID(str(row["sale_id"])), int(row["receipt_no"])
                if str(sale_id) != row["payload"].get("sale_id") or receipt_no != row["payload"].get("receipt_no"):
                    raise Refusal("bad_row", 400, seq=row.get("seq"))
                hashed = digest(payload)
                from sqlalchemy.dialects.postgresql import insert as pg_insert  # not loaded by a lone kiosk

                values = {
                    "sale_id": sale_id,
                    "kiosk_no": kiosk.number,
                    "receipt_no": receipt_no,
                    "payload": payload,
                    "payload_hash": hashed,
                    "received_at": now,
                }
                stored = s.execute(
                    pg_insert(FleetSale).values(**values).on_conflict_do_nothing().returning(FleetSale.sale_id)
                ).first()
                if stored is not None:
                    result.acks.append({"seq": row["seq"], "status": "stored"})
                    continue
                existing = s.get(FleetSale, sale_id)
                if existing is not None and existing.kiosk_no == kiosk.number and existing.payload_hash == hashed:
                    result.acks.append({"seq": row["seq"], "status": "same"})
                    continue
                conflict = {k: v for k, v in values.items() if k != "received_at"}
                if existing is not None:  # the same sale, changed since: kept apart for a person
                    s.add(FleetConflict(reason="changed", received_at=now, **conflict))
                    result.acks.append({"seq": row["seq"], "status": "conflict"})
                    continue
                # Another sale already has this kiosk's receipt number: a second device with this identity.
                s.add(FleetConflict(reason="cloned", received_at=now, **conflict))
                kiosk.state = "cloned"
                result.refused = Refusal("cloned", 409, kiosk_no=kiosk.number)
                break
        return result

    # --- journals --------------------------------------------------------------------------------------------

    def journal(self, kiosk_no: int, secret: str, schema: str, entries: list[dict[str, Any]]) -> dict[str, Any]:
        """Keeps the kiosk's journal entries that follow the last one kept (kiosk.services.fleet.chain); the answer
        says up to which entry the server holds it, and the first break found, if any."""
        self._same_schema(schema)
        with unit_of_work(self._sessions) as s:
            self._require_postgres(s)
            kiosk = self._kiosk(s, kiosk_no, secret, lock=True)  # one push of a kiosk's journal at a time
            return chain.take(s, kiosk, entries)

    def kiosks(self) -> list[KioskState]:
        """Every enrolled kiosk, its sales and its journal walked from the first entry (`kiosk fleet list`)."""
        with unit_of_work(self._sessions) as s:
            self._require_postgres(s)
            counted = dict(
                s.execute(select(FleetSale.kiosk_no, func.count()).group_by(FleetSale.kiosk_no)).tuples().all()
            )
            return [
                KioskState(
                    k.number,
                    k.name,
                    k.state,
                    int(counted.get(k.number, 0)),
                    chain.walk(s, k),
                    tuple(chain.acceptances(s, k.number)),
                )
                for k in s.scalars(select(FleetKiosk).order_by(FleetKiosk.number))
            ]

    def accept_journal(self, kiosk: str, by: str, from_seq: int | None, server_id: str) -> dict[str, Any]:
        """`kiosk fleet journal-ok`: a person has looked at the break in a kiosk's journal (chain.accept).  The
        kiosk by number or name; `by` who accepts it, kept in the server's own journal with the break."""
        by = by.strip()
        if not by or len(by) > 80:
            raise BadInput("who accepts", user_message=L_("Skriv hvem der godkender, med --by NAVN."))
        with unit_of_work(self._sessions) as s:
            self._require_postgres(s)
            query = select(FleetKiosk).where(
                FleetKiosk.number == int(kiosk) if kiosk.strip().isdigit() else FleetKiosk.name == kiosk.strip()
            )
            found = s.scalar(query.with_for_update())  # its journal's pushes wait for this
            if found is None:
                raise BadInput("no such kiosk", user_message=L_("Der er ingen kiosk {name}.", name=kiosk))
            return chain.accept(s, found, by, from_seq, server_id, self._clock())

    def sales(self) -> list[dict[str, Any]]:
        """Every kiosk's sales as stored (kiosk number, receipt number, the payload)."""
        with unit_of_work(self._sessions) as s:
            rows = s.scalars(select(FleetSale).order_by(FleetSale.kiosk_no, FleetSale.receipt_no))
            return [{"kiosk_no": r.kiosk_no, "receipt_no": r.receipt_no} | json.loads(r.payload) for r in rows]

    def conflicts(self) -> list[dict[str, Any]]:
        with unit_of_work(self._sessions) as s:
            rows = s.scalars(select(FleetConflict).order_by(FleetConflict.id))
            return [
                {"kiosk_no": r.kiosk_no, "sale_id": str(r.sale_id), "receipt_no": r.receipt_no, "reason": r.reason}
                for r in rows
            ]

    # --- a resident's news ----------------------------------------------------------------------------------

    def news(self, untold: list[uuid.UUID]) -> dict[str, Any]:
        """The sign-ups the server has not told their resident about (a place from the waitlist, a cancelled job)
        and their jobs as a pull sends them: the kiosk mirrors the jobs and says only these."""
        with unit_of_work(self._sessions) as s:
            jobs = {str(job_id) for job_id in s.scalars(select(Signup.job_id).where(Signup.id.in_(untold)))}
            return {"untold": [str(i) for i in untold], "jobs": [_job(s, key) for key in sorted(jobs)]}

    # --- changes ---------------------------------------------------------------------------------------------

    def pull(self, kiosk_no: int, secret: str, since: int, limit: int = 500) -> dict[str, Any]:
        """What changed after change number `since`: each changed row as it is now (a row changed twice is sent
        once), and the number to ask from next time."""
        with unit_of_work(self._sessions) as s:
            self._kiosk(s, kiosk_no, secret)
            changes = list(
                s.scalars(
                    select(FleetChange)
                    .where(FleetChange.change_no > since)
                    .order_by(FleetChange.change_no)
                    .limit(limit)
                )
            )
            wanted: dict[str, set[str]] = {}
            for change in changes:
                wanted.setdefault(change.entity, set()).add(change.entity_id)
            return {
                "upto": changes[-1].change_no if changes else since,
                "more": len(changes) == limit,
                "categories": [_category(s, i) for i in sorted(wanted.get("category", ()))],
                "products": [_product(s, i) for i in sorted(wanted.get("product", ()))],
                "people": [_person(s, i) for i in sorted(wanted.get("person", ()))],
                "jobs": [_job(s, i) for i in sorted(wanted.get("job", ()))],
            }


def _category(s: Session, key: str) -> dict[str, Any]:
    c = s.get(Category, uuid.UUID(key))
    if c is None:
        return {"id": key, "deleted": True}
    return {"id": key, "name": c.name, "sort_order": c.sort_order, "color": c.color, "saft_group": c.saft_group}


def _product(s: Session, key: str) -> dict[str, Any]:
    p = s.scalar(select(Product).where(Product.id == uuid.UUID(key)).options(selectinload(Product.barcodes)))
    if p is None:
        return {"id": key, "deleted": True}
    return {
        "id": key,
        "name": p.name,
        "category_id": str(p.category_id),
        "price_ore": p.price_ore,
        "vat_rate_bp": p.vat_rate_bp,
        "active": p.active,
        "sort_order": p.sort_order,
        "saft_group": p.saft_group,
        "barcodes": [b.code for b in p.barcodes],
    }


def _person(s: Session, key: str) -> dict[str, Any]:
    p = s.get(Person, uuid.UUID(key))
    if p is None:
        return {"id": key, "deleted": True}
    # Code hashes and badges: what a kiosk needs to let a person in.  No phone number leaves the server.
    return {"id": key, "name": p.name, "role": p.role, "badge_token": p.badge_token, "pin_hash": p.pin_hash,
            "active": p.active}  # fmt: skip


def _job(s: Session, key: str) -> dict[str, Any]:
    j = s.get(Job, uuid.UUID(key))
    if j is None:
        return {"id": key, "deleted": True}
    taken = len([x for x in s.scalars(select(Signup.status).where(Signup.job_id == j.id)) if x == "signed_up"])
    return {
        "id": key,
        "title": j.title,
        "description": j.description,
        "place": j.place,
        "starts_at": j.starts_at.isoformat(),
        "ends_at": j.ends_at.isoformat(),
        "capacity": j.capacity,
        "qr_token": j.qr_token,
        "cancelled": j.cancelled,
        "signed_up": taken,
        # Who holds a place or waits: a kiosk shows free places and knows a slip's QR on the day.
        "signups": [
            {
                "id": str(x.id),
                "person_id": str(x.person_id),
                "status": x.status,
                "token": x.token,
                "created_at": x.created_at.isoformat(),
                "notified": x.notified,
                "moved_up_at": x.moved_up_at.isoformat() if x.moved_up_at else None,  # the waitlist's news
            }
            for x in s.scalars(select(Signup).where(Signup.job_id == j.id).order_by(Signup.created_at))
        ],
    }
