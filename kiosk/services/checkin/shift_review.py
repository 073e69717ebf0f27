"""The supervisor's side of working time, and "Mine timer": runs inside a transaction CheckIn opens.

Approvals and corrections are new rows (`corrects_id` -> the row they replace, `recorded_by_id` -> the
supervisor, `reason` -> why).  The replaced row is left exactly as it was recorded.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

import kiosk.services.checkin.shift_store as store
from kiosk.db.models import Person, Shift
from kiosk.domain import shift_text as txt
from kiosk.domain import shifts as rules
from kiosk.domain.hours import DayLine
from kiosk.domain.roles import LEADER_ROLES
from kiosk.domain.shifts import ShiftRecord, ShiftRuleError
from kiosk.domain.text import text_problem
from kiosk.i18n import L_, joined
from kiosk.services.checkin.types import (
    HoursOverview,
    NotAllowedError,
    Period,
    ReviewItem,
    ReviewKind,
    ShiftNotFoundError,
)


def day_line(day: rules.DayHours, today: dt.date | None, corrections: Sequence[str] = ()) -> DayLine:
    return DayLine(
        hours=day,
        day_text=txt.day_text(day.day),
        first_in_text=txt.clock_text(day.first_in),
        last_out_text=txt.clock_text(day.last_out) if day.last_out else "",
        duration_text="–" if day.minutes == 0 and (day.open or day.end_unknown) else txt.duration_text(day.minutes),
        notes=txt.day_notes(day, today, corrections),
    )


def corrections_by_day(s: Session, records: Iterable[ShiftRecord]) -> dict[dt.date, tuple[str, ...]]:
    """For each day with a leader's correction: who corrected it, the time first recorded and why
    ("rettet af Bo Hansen (først 09.00–?): glemte at gå hjem").  A worker and a payroll clerk both see what was
    changed, not just that something was (arbejdstidsloven § 4b: the record must be checkable)."""
    found: dict[dt.date, list[str]] = {}
    for record in records:
        if record.source != rules.CORRECTION or record.approved or record.corrects_id is None:
            continue
        leader = s.get(Person, record.recorded_by_id) if record.recorded_by_id else None
        first = _first_recorded(s, record)
        found.setdefault(record.local_day, []).append(
            txt.correction_text(leader.name if leader else "", first.check_in, first.check_out, record.reason or "")
        )
    return {day: tuple(texts) for day, texts in found.items()}


def _first_recorded(s: Session, record: ShiftRecord) -> ShiftRecord:
    """The record as the kiosk first stored it: corrections of corrections walked back to the start."""
    seen = {record.id}
    while record.corrects_id is not None and record.corrects_id not in seen:
        found = store.get_record(s, record.corrects_id)
        if found is None:
            break
        record = found[0]
        seen.add(record.id)
    return record


def overview(
    s: Session, person_id: uuid.UUID, name: str, period: Period, day: dt.date, today: dt.date
) -> HoursOverview:
    if period == "week":
        first = rules.week_start(day)
        end = first + dt.timedelta(days=7)
        title = txt.week_text(first)
    else:
        first, end = rules.month_bounds(f"{day:%Y-%m}")
        title = txt.month_text(first)
    start, stop = rules.local_range(first, end)
    records = store.effective_between(s, start, stop, [person_id])
    days = rules.summarize_days(records)
    sums = rules.totals(days)
    notes = corrections_by_day(s, records)
    lines = tuple(day_line(d, today, notes.get(d.day, ())) for d in days)
    earlier = s.scalar(select(exists().where(Shift.person_id == person_id, Shift.check_in_at < start)))
    return HoursOverview(
        person_id, name, period, title, first, end, lines, sums.minutes, sums.pending_minutes,
        has_earlier=bool(earlier), has_later=end <= today,
    )  # fmt: skip


def require_supervisor(s: Session, supervisor_id: uuid.UUID) -> Person:
    person = s.get(Person, supervisor_id)
    if person is None or not person.active or person.role not in LEADER_ROLES:
        raise NotAllowedError(f"{supervisor_id} is not an active supervisor")
    return person


def _effective_record(s: Session, shift_id: uuid.UUID) -> ShiftRecord:
    found = store.get_record(s, shift_id)
    if found is None:
        raise ShiftNotFoundError(f"no shift {shift_id}")
    record, is_effective = found
    if not is_effective:
        raise ShiftRuleError(
            f"shift {shift_id} is already corrected", user_message=L_("Den er allerede rettet. Ret den nyeste.")
        )
    return record


def _kind(record: ShiftRecord) -> ReviewKind:
    if record.end_unknown:
        return "end_unknown"
    if record.source == rules.SELF_REPORTED:
        return "self_reported"
    if record.is_open:
        return "missing_check_out"
    return "long"


_KIND_TEXT: dict[ReviewKind, str] = {
    "end_unknown": L_("sluttid ukendt (svarede ved ikke)"),
    "self_reported": L_("selv oplyst"),
    "missing_check_out": L_("Gå hjem mangler, ikke besvaret"),
    "long": L_("meget lang vagt"),
}


def pending(s: Session, now: dt.datetime, closing: dt.time, margin: dt.timedelta) -> list[ReviewItem]:
    """What a supervisor should look at: flagged records and open ones long past closing, oldest first."""
    records = store.flagged_effective(s)
    records += [r for r in store.open_effective(s) if rules.is_forgotten(r, now, closing, margin)]
    records.sort(key=lambda r: r.check_in)
    ids = [r.person_id for r in records]
    names: dict[uuid.UUID, str] = {
        pid: n for pid, n in s.execute(select(Person.id, Person.name).where(Person.id.in_(ids)))
    }
    items: list[ReviewItem] = []
    for r in records:
        kind = _kind(r)
        original = store.get_record(s, r.corrects_id) if r.corrects_id else None
        end = txt.clock_text(r.check_out) if r.check_out else "?"
        name = names.get(r.person_id, "?")
        span = joined([txt.clock_text(r.check_in), end], "–")
        summary = L_(
            "{name}, {day} {span}: {kind}", name=name, day=txt.day_text(r.local_day), span=span, kind=_KIND_TEXT[kind]
        )
        items.append(ReviewItem(kind, r, name, original[0] if original else None, summary))
    return items


def approve(s: Session, shift_id: uuid.UUID, supervisor_id: uuid.UUID, now: dt.datetime) -> ShiftRecord:
    """The stated times are right: a new record with the same times, no longer flagged."""
    require_supervisor(s, supervisor_id)
    record = _effective_record(s, shift_id)
    if record.check_out is None:
        raise ShiftRuleError(
            f"shift {shift_id} has no end", user_message=L_("Der er ingen sluttid at godkende. Ret tiden i stedet.")
        )
    return _add(s, record, record.check_in, record.check_out, supervisor_id, rules.APPROVED_REASON, now)


def correct(
    s: Session,
    shift_id: uuid.UUID,
    supervisor_id: uuid.UUID,
    check_in: dt.datetime,
    check_out: dt.datetime,
    reason: str,
    now: dt.datetime,
    tolerance: dt.timedelta,
) -> ShiftRecord:
    require_supervisor(s, supervisor_id)
    record = _effective_record(s, shift_id)
    if not reason.strip():
        raise ShiftRuleError("no reason", user_message=L_("Skriv hvorfor tiden rettes."))
    if (odd := text_problem(reason)) is not None:  # no NUL, ESC or direction override (kiosk.domain.text)
        raise ShiftRuleError("refused character in the reason", user_message=odd)
    if check_in.tzinfo is None or check_out.tzinfo is None:
        raise ShiftRuleError("naive time", user_message=L_("Tiden mangler tidszone."))
    rules.validate_span(check_in, check_out, now, tolerance)
    return _add(s, record, check_in, check_out, supervisor_id, reason.strip()[:255], now)


def _add(
    s: Session,
    record: ShiftRecord,
    check_in: dt.datetime,
    check_out: dt.datetime,
    supervisor_id: uuid.UUID,
    reason: str,
    now: dt.datetime,
) -> ShiftRecord:
    row = Shift(
        person_id=record.person_id,
        check_in_at=check_in.astimezone(dt.UTC),
        check_out_at=check_out.astimezone(dt.UTC),
        source=rules.CORRECTION,
        needs_review=False,
        corrects_id=record.id,
        recorded_by_id=supervisor_id,
        reason=reason,
        created_at=now,
    )
    s.add(row)
    s.flush()
    return store.record_of(row)


def history(s: Session, shift_id: uuid.UUID) -> list[ShiftRecord]:
    """Walk back to the original, then forward through each record that replaced the one before."""
    row = s.get(Shift, shift_id)
    if row is None:
        raise ShiftNotFoundError(f"no shift {shift_id}")
    while row.corrects_id is not None:
        parent = s.get(Shift, row.corrects_id)
        if parent is None:  # pragma: no cover - the foreign key prevents it
            break
        row = parent
    chain = [store.record_of(row)]
    while (nxt := s.scalar(select(Shift).where(Shift.corrects_id == chain[-1].id))) is not None:
        chain.append(store.record_of(nxt))
    return chain
