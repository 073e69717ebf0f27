"""Check-in hours on several kiosks: every change to a shift (in, out, a correction, superseded) goes into the
outbox in the same transaction, like a sale, and the server keeps each shift once in its own `shifts` table, so
`kiosk export hours` and the impact report on the server count every kiosk's hours.

A shift, unlike a sale, changes after it is first written; it only moves forward: checked in -> checked out ->
superseded by a correction.  The server keeps the furthest state it has seen: a later state replaces an earlier
one, an earlier state arriving late (a replay) is acknowledged and changes nothing, and a different content in the
same state is kept as a conflict for a person, never overwriting what is stored."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from kiosk.clock import utc_now
from kiosk.db.base import new_id
from kiosk.db.models import FleetConflict, Shift, SyncOutbox
from kiosk.services.fleet.wire import canonical, digest

KIND = "shift"
FIELDS = ("person_id", "check_in_at", "check_out_at", "source", "needs_review", "corrects_id", "superseded",
          "recorded_by_id", "reason", "created_at")  # fmt: skip


def _out(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def shift_payload(shift: Shift) -> dict[str, Any]:
    return {"kind": KIND, "id": str(shift.id)} | {f: _out(getattr(shift, f)) for f in FIELDS}


def _queue_shifts(session: Session, _context: object, _instances: object) -> None:
    for obj in [*session.new, *session.dirty]:
        if not isinstance(obj, Shift) or (obj not in session.new and not session.is_modified(obj)):
            continue
        if obj.id is None:
            obj.id = new_id()
        if obj.created_at is None:
            obj.created_at = utc_now()
        if obj.needs_review is None:
            obj.needs_review = False
        if obj.superseded is None:
            obj.superseded = False
        # The outbox row's own key goes in `sale_id` (the queue's one unique key; a shift is queued at each change).
        payload = canonical(shift_payload(obj))
        session.add(SyncOutbox(sale_id=uuid.uuid4(), receipt_no=0, payload=payload, created_at=obj.created_at))


def watch_shifts(sessions: sessionmaker[Session]) -> None:
    """On a kiosk of several: every flush that writes a shift queues it, in the same transaction."""
    if not event.contains(sessions, "before_flush", _queue_shifts):
        event.listen(sessions, "before_flush", _queue_shifts)


# --- on the server -------------------------------------------------------------------------------------------


def _in(field: str, value: Any) -> Any:
    if value is None:
        return None
    if field.endswith("_at"):
        return datetime.fromisoformat(value)
    if field.endswith("_id"):
        return uuid.UUID(value)
    return value


def _rank(superseded: bool, checked_out: bool) -> int:
    return 2 if superseded else 1 if checked_out else 0


def store_shift(s: Session, kiosk_no: int, payload: dict[str, Any], now: datetime) -> str:
    """stored | same | conflict, by the rule in the module's docstring."""
    from sqlalchemy.dialects.postgresql import insert as pg_insert  # the server's dialect: not loaded by a lone kiosk

    key = uuid.UUID(str(payload["id"]))
    values = {f: _in(f, payload.get(f)) for f in FIELDS}
    text = canonical(payload)
    try:
        with s.begin_nested():
            inserted = s.execute(
                pg_insert(Shift).values(id=key, **values).on_conflict_do_nothing().returning(Shift.id)
            ).first()
    except IntegrityError:  # a person or corrected shift the server does not know
        s.add(FleetConflict(reason="shift_unknown", kiosk_no=kiosk_no, sale_id=key, receipt_no=0, payload=text,
                            payload_hash=digest(text), received_at=now))  # fmt: skip
        return "conflict"
    if inserted is not None:
        return "stored"
    stored = s.get(Shift, key)
    assert stored is not None
    if all(getattr(stored, f) == v for f, v in values.items()):
        return "same"
    have = _rank(stored.superseded, stored.check_out_at is not None)
    came = _rank(bool(values["superseded"]), values["check_out_at"] is not None)
    if came < have:
        return "same"  # an earlier state of this shift, arriving late: what is stored is newer
    if came > have and stored.person_id == values["person_id"] and stored.check_in_at == values["check_in_at"]:
        for f, v in values.items():
            setattr(stored, f, v)
        return "stored"
    s.add(FleetConflict(reason="shift_changed", kiosk_no=kiosk_no, sale_id=key, receipt_no=0, payload=text,
                        payload_hash=digest(text), received_at=now))  # fmt: skip
    return "conflict"
