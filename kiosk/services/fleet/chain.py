"""Each kiosk's signed journal on the server.  The kiosk sends its entries in order, in the same sync round as its
sales, and advances what it counts as sent only to the number the server answers; the server keeps an entry only
when it follows the last one kept: the next number, pointing at the last one's hash, its own hash recomputed from
its fields (records.journal.entry_hash, the kiosk's own function), and signed with the kiosk's Ed25519 key.

The key is pinned at first sight: sent at `kiosk fleet join` (with the number of the entry that carries it), else
taken from the first entry that carries one (seq 1's payload, or a ``journal_key`` entry).  Entries before that one
may be unsigned (a journal kept before entries were signed): the key entry's signature covers them through the
chain.  A gap, a broken link, a changed entry, a bad signature or another key is kept on the kiosk's row as the
first break found, shown by `kiosk fleet list`, and answered to the kiosk, which says it on its home screen.  From
then on nothing more of that journal is taken until a person has looked (never silently accepted).

A person who has looked accepts the break with `kiosk fleet journal-ok`: an entry in the server's own signed journal
(ACCEPTED) says who, when, the break, and from which of the kiosk's entries the server checks again.  Nothing is
deleted: what was kept stays, the break is kept in that entry and listed.  The entry to check again from (the
anchor) must follow the last one kept; it is taken without a link to what went before (that link is what broke),
its own hash and signature checked, and the chain checked from it on as before; an anchor that carries a key (a
kiosk set up afresh) has that key pinned from it on.  The kiosk's entries between are not kept."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from kiosk.db.models import FleetJournal, FleetKiosk, JournalEntry
from kiosk.i18n import L_
from kiosk.services.records import journal, journal_key

SENT = "fleet_journal_sent"  # the kiosk's counters row: its last journal entry the server holds
ACCEPTED = "fleet_journal_ok"  # the server's own journal: a person accepted a break in a kiosk's journal


# --- on the kiosk ------------------------------------------------------------------------------------------------


WIRE_COLUMNS = journal.ENTRY_COLUMNS  # plain rows for `wire_entry`: no ORM objects while the till may be selling


def wire_entry(e: JournalEntry | Row[Any]) -> dict[str, Any]:
    """A journal entry as sent: every field its hash covers, as the kiosk hashed it, and its signature."""
    return {
        "kiosk_id": e.kiosk_id,
        "seq": e.seq,
        "created_at": e.created_at.isoformat(),
        "kind": e.kind,
        "person_id": str(e.person_id) if e.person_id else None,
        "sale_id": str(e.sale_id) if e.sale_id else None,
        "payload": e.payload,
        "prev_hash": e.prev_hash,
        "hash": e.hash,
        "signature": e.signature,
    }


def problem_text(problem: dict[str, Any]) -> str:
    """The first break the server found in a kiosk's journal, said to a person (the kiosk's home screen, `kiosk
    fleet status` on the kiosk, `kiosk fleet list` on the server)."""
    code, seq = problem.get("code"), problem.get("seq", "?")
    if code == "missing":
        what = L_("post nr. {seq} mangler (næste er nr. {next})", seq=seq, next=problem.get("next", "?"))
    elif code == "unlinked":
        what = L_("post nr. {seq} peger ikke på post nr. {before}", seq=seq, before=problem.get("before", "?"))
    elif code == "changed":
        what = L_("post nr. {seq} er ændret", seq=seq)
    elif code == "unsigned":
        what = L_("post nr. {seq} har ikke en gyldig underskrift", seq=seq)
    elif code == "key":
        what = L_("post nr. {seq} er underskrevet med en anden nøgle end kioskens", seq=seq)
    elif code == "resent":
        what = L_("post nr. {seq} er sendt igen med et andet indhold", seq=seq)
    elif code == "chain":
        what = L_("post nr. {seq} er fra en anden kiosks journal", seq=seq)
    else:
        what = L_("post nr. {seq} kan ikke læses", seq=seq)
    return L_("Serveren godkender ikke kioskens journal: {what}. Ring til den ansvarlige.", what=what)


# --- on the server -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Broken(Exception):
    """The first break in a journal: what `problem_text` says."""

    code: str
    seq: int
    next: int | None = None

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {"code": self.code, "seq": self.seq}
        if self.code == "missing":
            found["next"] = self.next
        if self.code == "unlinked":
            found["before"] = self.seq - 1
        return found


def _entry(raw: dict[str, Any]) -> FleetJournal:
    """The entry as sent; Broken("bad") when a field is missing or not as the kiosk would have written it."""
    try:
        seq = int(raw["seq"])
    except (KeyError, TypeError, ValueError) as exc:
        raise Broken("bad", 0) from exc
    try:
        entry = FleetJournal(
            seq=seq,
            kiosk_id=str(raw["kiosk_id"]),
            created_at=str(raw["created_at"]),
            kind=str(raw["kind"]),
            person_id=None if raw.get("person_id") is None else str(raw["person_id"]),
            sale_id=None if raw.get("sale_id") is None else str(raw["sale_id"]),
            payload=str(raw["payload"]),
            prev_hash=str(raw["prev_hash"]),
            hash=str(raw["hash"]),
            signature=None if raw.get("signature") is None else str(raw["signature"]),
        )
        hashed = _hash_of(entry)
    except (KeyError, TypeError, ValueError) as exc:
        raise Broken("bad", seq) from exc
    if hashed != entry.hash:
        raise Broken("changed", seq)
    return entry


def _hash_of(e: FleetJournal) -> str:
    """The kiosk's own hash function over the fields as sent.  A field that would not come back the same from the
    kiosk's types (a time or an id written otherwise) is refused: the hash covers the kiosk's text, not ours."""
    at = datetime.fromisoformat(e.created_at)
    person = uuid.UUID(e.person_id) if e.person_id else None
    sale = uuid.UUID(e.sale_id) if e.sale_id else None
    same_ids = str(person or "") == (e.person_id or "") and str(sale or "") == (e.sale_id or "")
    if at.isoformat() != e.created_at or not same_ids:
        raise ValueError("not as the kiosk writes it")
    as_kiosk = _AsKiosk(e.kiosk_id, e.seq, at, e.kind, person, sale, e.payload, e.prev_hash)
    return journal.entry_hash(cast(Any, as_kiosk))  # it reads these fields only, by name


@dataclass(frozen=True)
class _AsKiosk:
    """The fields `entry_hash` covers, with the kiosk's types (never a row to write: only `journal` writes one)."""

    kiosk_id: str
    seq: int
    created_at: datetime
    kind: str
    person_id: uuid.UUID | None
    sale_id: uuid.UUID | None
    payload: str
    prev_hash: str


def _key_in(e: FleetJournal) -> str | None:
    """The public key (hex) an entry carries: seq 1's payload, or a ``journal_key`` entry's."""
    if e.seq != 1 and e.kind != journal_key.KEY_KIND:
        return None
    try:
        value = json.loads(e.payload).get(journal_key.KEY_FIELD)
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None


class Checker:
    """Walks a kiosk's journal from where it stands: `follow(entry)` raises Broken at the first break."""

    def __init__(self, kiosk: FleetKiosk, last: FleetJournal | None, anchor: int | None = None) -> None:
        self.kiosk = kiosk
        self.seq, self.hash = (last.seq, last.hash) if last is not None else (0, journal.GENESIS)
        self.chain = last.kiosk_id if last is not None else None
        self.anchor = anchor  # a person accepted a break: the chain is checked again from this entry

    def follow(self, e: FleetJournal, *, hashed: bool = False) -> None:
        """`hashed`: its hash was recomputed just now (`_entry`), not again."""
        anchored = self.anchor is not None
        if self.anchor is not None:
            if e.seq != self.anchor:
                raise Broken("missing", self.anchor, e.seq)
            self.anchor = None
        elif e.seq != self.seq + 1:
            raise Broken("missing", self.seq + 1, e.seq)
        if not anchored and self.chain is not None and e.kiosk_id != self.chain:
            raise Broken("chain", e.seq)
        if not anchored and e.prev_hash != self.hash:
            raise Broken("unlinked", e.seq)
        if not hashed and _hash_of(e) != e.hash:
            raise Broken("changed", e.seq)
        carried = _key_in(e)
        kiosk = self.kiosk
        if anchored and carried is not None:  # accepted afresh with the key it carries (a card set up again)
            kiosk.journal_key, kiosk.journal_key_seq = carried, e.seq
        elif carried is not None:
            if kiosk.journal_key is None:  # first sight: pinned from now on
                kiosk.journal_key, kiosk.journal_key_seq = carried, e.seq
            elif carried != kiosk.journal_key:
                raise Broken("key", e.seq)  # not the key pinned at join, or a second key later in the chain
            elif kiosk.journal_key_seq is None:
                kiosk.journal_key_seq = e.seq  # pinned at join before the journal carried it (kept unsigned before)
        key_seq = kiosk.journal_key_seq
        if key_seq is not None and e.seq == key_seq and carried != kiosk.journal_key:
            raise Broken("key", e.seq)  # the entry the kiosk said carries its key does not
        if key_seq is not None and e.seq >= key_seq:
            key = journal_key.ChainKey(bytes.fromhex(kiosk.journal_key or ""))
            if not key.signed(e.hash, e.signature):
                raise Broken("unsigned", e.seq)
        self.seq, self.hash, self.chain = e.seq, e.hash, e.kiosk_id


def last_kept(s: Session, kiosk_no: int) -> FleetJournal | None:
    return s.scalar(
        select(FleetJournal).where(FleetJournal.kiosk_no == kiosk_no).order_by(FleetJournal.seq.desc()).limit(1)
    )


def take(s: Session, kiosk: FleetKiosk, entries: list[dict[str, Any]]) -> dict[str, Any]:
    """Inside the push's transaction, the kiosk's row locked: keeps what follows, notes the first break.  The
    answer: the last entry kept ("upto", what the kiosk counts as sent) and the break, if any."""
    last = last_kept(s, kiosk.number)
    resume = _resume(s, kiosk.number, last)
    if kiosk.journal_problem is None:
        checker = Checker(kiosk, last, resume)
        try:
            for raw in entries:
                e = _entry(raw)
                if resume is not None and checker.seq < e.seq < resume:
                    continue  # before the entry a person said to check again from: not kept, never checked
                if e.seq <= checker.seq:  # sent again (a lost answer): the same entry is fine, another is not
                    kept = s.get(FleetJournal, (kiosk.number, e.seq))
                    if kept is None or kept.hash != e.hash:
                        raise Broken("resent", e.seq)
                    continue
                checker.follow(e, hashed=True)
                e.kiosk_no = kiosk.number
                s.add(e)
        except Broken as broken:
            kiosk.journal_problem = json.dumps(broken.as_dict())
        s.flush()
        last = last_kept(s, kiosk.number)
    problem = json.loads(kiosk.journal_problem) if kiosk.journal_problem else None
    upto = last.seq if last is not None else 0
    if resume is not None:
        upto = max(upto, resume - 1)  # the kiosk moves past the entries that are not kept
    return {"upto": upto, "problem": problem}


def acceptances(s: Session, kiosk_no: int) -> list[dict[str, Any]]:
    """The breaks a person accepted in this kiosk's journal, oldest first, from the server's own journal (where
    each is signed and chained: `kiosk fleet journal-ok`).  Each: {"kiosk_no", "problem", "by", "from_seq",
    "kept", "key", "key_seq", "at"} ("key", "key_seq": the key pinned before, for the walk of the entries before)."""
    found = []
    query = select(JournalEntry.payload, JournalEntry.created_at).where(JournalEntry.kind == ACCEPTED)
    for payload, at in s.execute(query.order_by(JournalEntry.kiosk_id, JournalEntry.seq)):
        said = json.loads(payload)
        if said.get("kiosk_no") == kiosk_no:
            found.append(said | {"at": at.isoformat()})
    return sorted(found, key=lambda a: int(a["from_seq"]))


def _resume(s: Session, kiosk_no: int, last: FleetJournal | None) -> int | None:
    """The entry a person said to check again from, while it is not kept yet."""
    accepted = acceptances(s, kiosk_no)
    if not accepted:
        return None
    anchor = int(accepted[-1]["from_seq"])
    return anchor if last is None or anchor > last.seq else None


def accept(
    s: Session, kiosk: FleetKiosk, by: str, from_seq: int | None, server_id: str, at: datetime
) -> dict[str, Any]:
    """A person has looked at the kiosk's journal break: recorded in the server's own journal (who, the break, and
    from which entry the chain is checked again), the break lifted from the kiosk's row.  Nothing is deleted.
    `from_seq` None: the entry after the break (for a gap, the one that came; for another key, the entry that
    carries it, whose key is pinned from then on); never one at or before the last entry kept."""
    from kiosk.errors import BadInput

    if kiosk.journal_problem is None:
        raise BadInput(
            "no break",
            user_message=L_("Kiosk {number}: journalen har intet brud at godkende.", number=kiosk.number),
        )
    problem = json.loads(kiosk.journal_problem)
    last = last_kept(s, kiosk.number)
    kept = last.seq if last is not None else 0
    if from_seq is None:
        seq = int(problem.get("seq", 0))
        code = problem.get("code")
        from_seq = int(problem.get("next") or seq) if code in ("missing", "key", "chain") else seq + 1
        from_seq = max(from_seq, kept + 1)
    if from_seq <= kept:
        raise BadInput(
            "anchor not after the kept entries",
            user_message=L_(
                "Serveren har allerede post nr. 1 til {kept}: tjek igen fra post nr. {next} eller senere.",
                kept=kept,
                next=kept + 1,
            ),
        )
    record = {
        "kiosk_no": kiosk.number,
        "problem": problem,
        "by": by,
        "from_seq": from_seq,
        "kept": kept,
        "key": kiosk.journal_key,
        "key_seq": kiosk.journal_key_seq,
    }
    journal.append(s, kiosk_id=server_id, kind=ACCEPTED, at=at, payload=record)
    kiosk.journal_problem = None
    return record


@dataclass(frozen=True)
class JournalState:
    kiosk_no: int
    entries: int  # kept on the server, each checked as it came
    problem: dict[str, Any] | None  # the first break (as sent to the kiosk); None: the chain is whole


def walk(s: Session, kiosk: FleetKiosk) -> JournalState:
    """Walks what the server keeps of a kiosk's journal from its first entry, as on arrival (a copy changed on
    the server since is found too).  Pinned keys are read, never changed, by this walk."""
    accepted = acceptances(s, kiosk.number)

    def pinned(part: int) -> FleetKiosk:
        """The key in force in part `part` of the journal (between two accepted breaks): the one pinned when the
        break that ended it was accepted; the last part's is on the kiosk's row."""
        key, key_seq = (
            (accepted[part]["key"], accepted[part]["key_seq"])
            if part < len(accepted)
            else (kiosk.journal_key, kiosk.journal_key_seq)
        )
        return FleetKiosk(number=kiosk.number, journal_key=key, journal_key_seq=key_seq)

    part = 0
    checker = Checker(pinned(0), None)
    n = 0
    try:
        query = select(FleetJournal).where(FleetJournal.kiosk_no == kiosk.number).order_by(FleetJournal.seq)
        for e in s.scalars(query.execution_options(yield_per=2000)):
            while part < len(accepted) and e.seq >= int(accepted[part]["from_seq"]):
                part += 1  # past an accepted break: checked again from its anchor, with that part's key
                anchor = int(accepted[part - 1]["from_seq"])
                checker = Checker(pinned(part), None, anchor)
                checker.seq = anchor - 1
            checker.follow(e)
            n += 1
    except Broken as broken:
        return JournalState(kiosk.number, n, broken.as_dict())
    except ValueError:
        return JournalState(kiosk.number, n, {"code": "bad", "seq": checker.seq + 1})
    stored = json.loads(kiosk.journal_problem) if kiosk.journal_problem else None
    return JournalState(kiosk.number, n, stored)
