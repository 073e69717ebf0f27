"""Reading shifts and the clock guard's "last known good time", inside the caller's transaction."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import Session, aliased

from kiosk.clock import to_local
from kiosk.db.models import Shift
from kiosk.domain.shifts import LIVE_SOURCES, ShiftRecord, check_clock
from kiosk.services.records import clock_guard


def record_of(row: Shift) -> ShiftRecord:
    return ShiftRecord(
        id=row.id,
        person_id=row.person_id,
        check_in=row.check_in_at,
        check_out=row.check_out_at,
        source=row.source,
        needs_review=row.needs_review,
        corrects_id=row.corrects_id,
        recorded_by_id=row.recorded_by_id,
        reason=row.reason,
        created_at=row.created_at,
    )


def is_effective() -> ColumnElement[bool]:
    """No later row corrects this one.  Computed, not stored: the original row is never touched again, so
    what the kiosk recorded stays exactly as recorded (the `superseded` column is left at False)."""
    later = aliased(Shift)
    return ~exists(select(later.id).where(later.corrects_id == Shift.id))


def effective_between(
    session: Session, start: datetime, end: datetime, person_ids: Collection[uuid.UUID] | None = None
) -> list[ShiftRecord]:
    """Effective records that started in [start, end), oldest first."""
    q = select(Shift).where(is_effective(), Shift.check_in_at >= start, Shift.check_in_at < end)
    if person_ids is not None:
        q = q.where(Shift.person_id.in_(list(person_ids)))
    return [record_of(r) for r in session.scalars(q.order_by(Shift.check_in_at))]


def latest_effective(session: Session, person_id: uuid.UUID) -> ShiftRecord | None:
    q = (
        select(Shift)
        .where(Shift.person_id == person_id, is_effective())
        .order_by(Shift.check_in_at.desc(), Shift.created_at.desc())
        .limit(1)
    )
    row = session.scalar(q)
    return record_of(row) if row else None


def open_effective(session: Session) -> list[ShiftRecord]:
    """Everyone's open live records (checked in, no end yet)."""
    q = select(Shift).where(is_effective(), Shift.check_out_at.is_(None), Shift.source.in_(LIVE_SOURCES))
    return [record_of(r) for r in session.scalars(q.order_by(Shift.check_in_at))]


def flagged_effective(session: Session) -> list[ShiftRecord]:
    q = select(Shift).where(is_effective(), Shift.needs_review)
    return [record_of(r) for r in session.scalars(q.order_by(Shift.check_in_at))]


def visit_days(session: Session, person_id: uuid.UUID) -> list[date]:
    q = select(Shift.check_in_at).where(Shift.person_id == person_id, is_effective())
    return [to_local(t).date() for t in session.scalars(q)]


def get_record(session: Session, shift_id: uuid.UUID) -> tuple[ShiftRecord, bool] | None:
    """The record and whether it is effective."""
    row = session.get(Shift, shift_id)
    if row is None:
        return None
    corrected = session.scalar(select(exists().where(Shift.corrects_id == shift_id)))
    return record_of(row), not corrected


# The clock guard's high-water mark is shared with the sales flow (records.clock_guard); check-in keeps its words.
last_good_time = clock_guard.last_good_time
remember_good_time = clock_guard.remember
reset_good_time = clock_guard.reset


def guard_clock(session: Session, now: datetime, tolerance: timedelta) -> None:
    """Raise ClockWrongError before anything is written (the caller's transaction then stores nothing)."""
    check_clock(now, last_good_time(session), tolerance)
