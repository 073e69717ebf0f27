"""The append-only electronic journal: every action gets a sequence number, a hash chained to the last, and a
signature by the kiosk's journal key (journal_key: the key lives in a file outside the database)."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Label, Row, Table, func, insert, select, text
from sqlalchemy.orm import Session

import kiosk.services.records.journal_key as journal_key
from kiosk.db.base import new_id
from kiosk.db.models import JournalEntry
from kiosk.db.prepared import Prepared, RawWrite
from kiosk.domain.chain_head import ChainHead

GENESIS = "0" * 64
_INSERT = Prepared(insert(cast(Table, JournalEntry.__table__)))  # the money path's INSERT (append_row), built once
_TAKE_TURN = Prepared(text("SELECT pg_advisory_xact_lock(:key)"))


def _canonical(entry: JournalEntry | Row[Any]) -> bytes:
    return _canonical_of(
        entry.kiosk_id, entry.seq, entry.created_at, entry.kind, entry.person_id, entry.sale_id, entry.payload,
        entry.prev_hash,
    )  # fmt: skip


def _canonical_of(
    kiosk_id: str,
    seq: int,
    at: datetime,
    kind: str,
    person_id: uuid.UUID | None,
    sale_id: uuid.UUID | None,
    payload: str,
    prev_hash: str,
) -> bytes:
    body = {
        "kiosk": kiosk_id,
        "seq": seq,
        "at": at.isoformat(),
        "kind": kind,
        "person": str(person_id) if person_id else None,
        "sale": str(sale_id) if sale_id else None,
        "payload": payload,
        "prev": prev_hash,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def entry_hash(entry: JournalEntry | Row[Any]) -> str:
    return hashlib.sha256(_canonical(entry)).hexdigest()


def _payload_text(payload: dict[str, Any] | None) -> str:
    return json.dumps(payload or {}, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


# Every field an entry's hash and signature cover, as plain columns: verify walks them, the fleet sends them.
ENTRY_COLUMNS = (
    JournalEntry.kiosk_id,
    JournalEntry.seq,
    JournalEntry.created_at,
    JournalEntry.kind,
    JournalEntry.person_id,
    JournalEntry.sale_id,
    JournalEntry.payload,
    JournalEntry.prev_hash,
    JournalEntry.hash,
    JournalEntry.signature,
)


def _lock_key(kiosk_id: str) -> int:
    """A stable 63-bit number for the chain's advisory lock (Python's hash() changes between runs)."""
    return int.from_bytes(hashlib.sha256(f"kiosk-journal:{kiosk_id}".encode()).digest()[:8], "big") >> 1


def append(
    session: Session,
    *,
    kiosk_id: str,
    kind: str,
    at: datetime,
    payload: dict[str, Any] | None = None,
    person_id: uuid.UUID | None = None,
    sale_id: uuid.UUID | None = None,
    flush: bool = True,
) -> JournalEntry:
    """Add an entry inside the caller's transaction (the same one that stores what it describes).  `flush=False`
    leaves the INSERT to the commit (or to the next query's autoflush), one round trip less for a checkout.

    Signed with the key of the database the session writes to (bootstrap.open_database attaches it); a chain's
    first entry carries the public key in its payload."""
    if session.get_bind().dialect.name == "postgresql":
        # Two writers in one chain (the server's web threads) would read the same last entry and clash on the next
        # number; the lock, held to commit, makes them take turns.  SQLite's BEGIN IMMEDIATE does this already.
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _lock_key(kiosk_id)})
    last = session.execute(
        select(JournalEntry.seq, JournalEntry.hash)
        .where(JournalEntry.kiosk_id == kiosk_id)
        .order_by(JournalEntry.seq.desc())
        .limit(1)
    ).first()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    signer = journal_key.signer_for(session)
    if seq == 1 and signer is not None:
        payload = {**(payload or {}), journal_key.KEY_FIELD: signer.public_key.hex()}
    entry = JournalEntry(
        kiosk_id=kiosk_id,
        seq=seq,
        created_at=at,
        kind=kind,
        person_id=person_id,
        sale_id=sale_id,
        payload=_payload_text(payload),
        prev_hash=prev,
    )
    entry.hash = entry_hash(entry)
    # No signer (a database opened past bootstrap): the entry stays unsigned, and verify names it.
    entry.signature = signer.sign(entry.hash) if signer is not None else None
    session.add(entry)
    if flush:
        session.flush()
    return entry


def take_turn(w: RawWrite, kiosk_id: str) -> None:
    """PostgreSQL: wait for the chain's advisory lock (held to commit) before reading its head, as `append` does.
    Nothing on SQLite, whose BEGIN IMMEDIATE already gave this transaction the file's write lock."""
    if w.dialect.name == "postgresql":
        w.execute(_TAKE_TURN, {"key": _lock_key(kiosk_id)})


def head_columns(kiosk_id: Any) -> tuple[Label[int], Label[str]]:
    """The chain's last number and hash as two scalar subqueries (NULL for an empty chain), each one step down the
    (kiosk, seq) index: a caller reads them in the same SELECT as what else it needs before writing (the
    checkout: one round trip, not three).  `kiosk_id` may be a bindparam, for a statement built once."""

    def last(column: Any) -> Any:
        newest = JournalEntry.seq.desc()
        return select(column).where(JournalEntry.kiosk_id == kiosk_id).order_by(newest).limit(1).scalar_subquery()

    return last(JournalEntry.seq).label("journal_seq"), last(JournalEntry.hash).label("journal_hash")


def append_row(
    w: RawWrite,
    head: tuple[int | None, str | None],
    *,
    kiosk_id: str,
    kind: str,
    at: datetime,
    payload: dict[str, Any] | None = None,
    person_id: uuid.UUID | None = None,
    sale_id: uuid.UUID | None = None,
) -> tuple[int, str]:
    """`append` for the money path: one INSERT on the transaction's cursor (kiosk.db.prepared), no ORM object.
    `head` is the chain's (last number, last hash) read in this transaction after `take_turn` (`head_columns`;
    (None, None) for an empty chain).  The entry is the one `append` would write: the same canonical form, hash chain,
    signature and first-entry key.  Returns its (number, hash)."""
    signer = journal_key.signer_for(w.engine)
    last_seq, last_hash = head
    seq, prev = (last_seq + 1, last_hash or GENESIS) if last_seq is not None else (1, GENESIS)
    if seq == 1 and signer is not None:
        payload = {**(payload or {}), journal_key.KEY_FIELD: signer.public_key.hex()}
    text_payload = _payload_text(payload)
    digest = hashlib.sha256(_canonical_of(kiosk_id, seq, at, kind, person_id, sale_id, text_payload, prev)).hexdigest()
    w.execute(
        _INSERT,
        {
            "id": new_id(),
            "kiosk_id": kiosk_id,
            "seq": seq,
            "created_at": at,
            "kind": kind,
            "person_id": person_id,
            "sale_id": sale_id,
            "payload": text_payload,
            "prev_hash": prev,
            "hash": digest,
            "signature": signer.sign(digest) if signer is not None else None,
        },
    )
    return seq, digest


def bring_key(session: Session, kiosk_id: str, at: datetime) -> JournalEntry | None:
    """A journal kept before entries were signed gets the key in a ``journal_key`` entry, signed on top of the
    chain so far (changing an earlier entry now breaks that signature).  Nothing for a chain that has its key
    or no entries yet (its first entry will carry the key)."""
    signer = journal_key.signer_for(session)
    if signer is None or journal_key.recorded_key(session, kiosk_id) is not None:
        return None
    if session.scalar(select(JournalEntry.seq).where(JournalEntry.kiosk_id == kiosk_id).limit(1)) is None:
        return None
    return append(
        session,
        kiosk_id=kiosk_id,
        kind=journal_key.KEY_KIND,
        at=at,
        payload={journal_key.KEY_FIELD: signer.public_key.hex()},
    )


def head_of(session: Session, entry: JournalEntry) -> ChainHead:
    """The chain head as of `entry` (just appended): what a Z report prints as its paper anchor."""
    signer = journal_key.signer_for(session)
    return ChainHead(entry.seq, entry.hash, signer.fingerprint if signer is not None else "")


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    problem: str | None  # None: the chain is whole
    head: ChainHead | None = field(default=None, compare=False)  # the last entry checked, for the paper anchor
    last_z: tuple[int, ChainHead] | None = field(default=None, compare=False)  # (Z number, the head its slip shows)

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify(
    session: Session,
    kiosk_id: str,
    *,
    first_seq: int = 1,
    last_seq: int | None = None,
    public_key: bytes | None = None,
) -> VerifyResult:
    """Walk the chain in order; name the first entry that is missing, altered, out of order or not signed by the
    chain's key.  A part of it (`first_seq`..`last_seq`, for an export of some days) is checked the same way,
    starting from the hash of the entry before it: that part is whole and hangs on to the rest (which `kiosk
    journal verify` walks in full).

    The chain's key is the one in its first entry; it must also be `public_key` (default: the key of the
    database's key file, when the session's database was opened with it).  Entries before a ``journal_key``
    entry (a journal kept unsigned before) need no signature: that entry's signature covers them."""
    recorded = journal_key.recorded_key(session, kiosk_id)
    if public_key is None and (signer := journal_key.signer_for(session)) is not None:
        public_key = signer.public_key
    key = journal_key.ChainKey(recorded[1]) if recorded else None
    signed_from = recorded[0] if recorded else 1  # no key at all: every entry lacks its signature
    if key is not None and public_key is not None and key.public_key != public_key:
        return VerifyResult(
            0,
            f"journalen er underskrevet med nøgle {key.fingerprint}, men kioskens nøglefil har nøgle "
            f"{journal_key.ChainKey(public_key).fingerprint}",
        )
    expected_seq, prev = first_seq, GENESIS
    if first_seq > 1:
        before = session.scalar(
            select(JournalEntry.hash).where(JournalEntry.kiosk_id == kiosk_id, JournalEntry.seq == first_seq - 1)
        )
        if before is None:
            return VerifyResult(0, f"post nr. {first_seq - 1} mangler")
        prev = before
    checked = 0
    last_z: tuple[int, int, str] | None = None  # the last Z report walked: its Z number, entry number and hash
    # Plain rows, streamed: no ORM objects for a five-year journal (they made verify ~4× slower and held memory).
    query = select(*ENTRY_COLUMNS).where(JournalEntry.kiosk_id == kiosk_id, JournalEntry.seq >= first_seq)
    if last_seq is not None:
        query = query.where(JournalEntry.seq <= last_seq)
    query = query.order_by(JournalEntry.seq)
    for entry in session.execute(query.execution_options(yield_per=5000)):
        if entry.seq != expected_seq:
            return VerifyResult(checked, f"post nr. {expected_seq} mangler (næste er nr. {entry.seq})")
        if entry.prev_hash != prev:
            return VerifyResult(checked, f"post nr. {entry.seq} peger ikke på post nr. {entry.seq - 1}")
        if entry_hash(entry) != entry.hash:
            return VerifyResult(checked, f"post nr. {entry.seq} er ændret")
        if entry.seq >= signed_from and (key is None or not key.signed(entry.hash, entry.signature)):
            return VerifyResult(checked, f"post nr. {entry.seq} har ikke en gyldig underskrift")
        if entry.kind == "z_report":
            last_z = (int(json.loads(entry.payload).get("z_number", 0)), entry.seq, entry.hash)
        prev, expected_seq = entry.hash, expected_seq + 1
        checked += 1
    fingerprint = key.fingerprint if key else ""
    head = ChainHead(expected_seq - 1, prev, fingerprint) if checked else None
    z_head = (last_z[0], ChainHead(last_z[1], last_z[2], fingerprint)) if last_z else None
    return VerifyResult(checked, None, head, z_head)


def count(session: Session, kiosk_id: str) -> int:
    return int(session.scalar(select(func.count()).where(JournalEntry.kiosk_id == kiosk_id)) or 0)
