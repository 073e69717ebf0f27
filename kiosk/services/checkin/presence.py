"""Mød ind / Gå hjem: a badge scan (or name + PIN) toggles presence, and the hours hold up (§ 4b).

Every write happens in one transaction with its journal entry and the clock guard's high-water mark, so a
refused or failed scan stores nothing at all.  Supervisor work (reviews, approvals, corrections) lives in
shift_review.py; this class exposes it so the screens talk to one service.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

import kiosk.services.checkin.shift_review as shift_review
import kiosk.services.checkin.shift_store as store
from kiosk.clock import Clock, to_local
from kiosk.config import Settings
from kiosk.db.engine import unit_of_work
from kiosk.db.models import Person, Shift
from kiosk.domain import shift_text as txt
from kiosk.domain import shifts as rules
from kiosk.domain.pins import new_token
from kiosk.domain.roles import STAFF_ROLES
from kiosk.domain.scan import classify
from kiosk.domain.shifts import ShiftRecord, ShiftRuleError
from kiosk.i18n import L_
from kiosk.services.checkin.types import (
    AnswerResult,
    CheckInResult,
    Choice,
    ForgottenCheckOut,
    HoursOverview,
    Period,
    ReviewItem,
    ShiftNotFoundError,
    Status,
    WrongPinError,
)
from kiosk.services.people import CHECKIN, CodeGuard, NotABadgeError, PersonView, ResidentCardError, badges
from kiosk.services.records import journal

log = logging.getLogger(__name__)

DEFAULT_MARGIN = dt.timedelta(hours=1)


def _plain(value: object) -> object:
    """JSON for the journal: ids as text, times as ISO 8601 UTC."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return str(value) if isinstance(value, uuid.UUID) else value


class CheckIn:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        kiosk_id: str,
        clock: Clock,
        closing_time: dt.time,
        forgotten_margin: dt.timedelta = DEFAULT_MARGIN,
        *,
        repeat_window: dt.timedelta = dt.timedelta(seconds=10),
        clock_tolerance: dt.timedelta = dt.timedelta(minutes=5),
        codes: CodeGuard | None = None,
    ) -> None:
        self._sessions = sessions
        self.codes = codes or CodeGuard(sessions, kiosk_id, clock)  # the one lockout every code entry shares
        self.kiosk_id = kiosk_id
        self._clock = clock
        self.closing_time = closing_time
        self.forgotten_margin = forgotten_margin
        self.repeat_window = repeat_window
        self.clock_tolerance = clock_tolerance

    @classmethod
    def from_settings(
        cls, sessions: sessionmaker[Session], settings: Settings, clock: Clock, *, codes: CodeGuard | None = None
    ) -> CheckIn:
        k = settings.kiosk
        return cls(
            sessions,
            k.id,
            clock,
            dt.time.fromisoformat(k.closing_time),
            dt.timedelta(minutes=k.forgotten_margin_min),
            repeat_window=dt.timedelta(seconds=k.repeat_scan_s),
            codes=codes,
        )

    # --- the worker's flow -------------------------------------------------------------------------

    def scan_code(self, code: str) -> CheckInResult:
        """Raw scanner text: a badge toggles; a resident card or anything else gets a clear refusal."""
        scan = classify(code)
        if scan.kind == "badge":
            return self.scan_badge(scan.value)
        if scan.kind == "card":
            raise ResidentCardError(f"resident card at the worker flow: {scan.kind}")
        raise NotABadgeError(f"not a badge: {scan.kind}")

    def scan_badge(self, token: str) -> CheckInResult:
        with unit_of_work(self._sessions) as s:
            now = self._guarded_now(s)
            return self._toggle(s, badges.worker_for_badge(s, token), "badge", now)

    def check_in_with_pin(self, person_id: uuid.UUID, pin: str) -> CheckInResult:
        """Name tile + PIN: toggles exactly like a badge.  The code goes through the code guard (wrong tries
        counted and journaled, five lock it; a leader's short code still clocks in: this is no log-in)."""
        with unit_of_work(self._sessions) as s:
            self._guarded_now(s)  # a wrong clock refuses before any code is counted
        self.codes.enter(person_id, pin, CHECKIN, short_ok=True)  # scrypt outside the write transaction
        with unit_of_work(self._sessions) as s:
            now = self._guarded_now(s)
            person = s.get(Person, person_id)
            if person is None or not person.active or person.role not in STAFF_ROLES:
                raise WrongPinError(message=f"no active staff member {person_id}")
            return self._toggle(s, person, "pin", now)

    def answer_forgotten(
        self, shift_id: uuid.UUID, choice: Choice, time: dt.time | dt.datetime | None = None
    ) -> AnswerResult:
        """Store the worker's own answer as a new, self-reported record flagged for a supervisor.  "Ved ikke"
        stores no end at all: no hours are counted for it until a supervisor decides."""
        with unit_of_work(self._sessions) as s:
            now = self._guarded_now(s)
            found = store.get_record(s, shift_id)
            if found is None:
                raise ShiftNotFoundError(f"no shift {shift_id}")
            record, is_effective = found
            if not (is_effective and record.is_open):
                raise ShiftRuleError(f"shift {shift_id} is not open", user_message=L_("Den tid er allerede gemt."))
            end = rules.reported_end(record, choice, time, self.closing_time, now, self.clock_tolerance)
            said = {"closing": "ved lukketid", "time": "valgt tid", "unknown": "ved ikke"}[choice]
            row = Shift(
                person_id=record.person_id,
                check_in_at=record.check_in,
                check_out_at=end,
                source=rules.SELF_REPORTED,
                needs_review=True,
                corrects_id=record.id,
                recorded_by_id=record.person_id,
                reason=f"Glemt at gå hjem – svar: {said}",
                created_at=now,
            )
            s.add(row)
            s.flush()
            payload = {"shift": row.id, "corrects": record.id, "choice": choice, "check_out": end}
            self._record(s, "forgotten_answer", now, record.person_id, payload)
        if end is None:
            message = L_("Tak! En leder hjælper med at finde tiden.")
        else:
            message = L_("Tak! Vi har skrevet kl. {time}. En leder kigger på det.", time=txt.clock_text(end))
        return AnswerResult(row.id, record.id, choice, end, message)

    def is_checked_in(self, person_id: uuid.UUID) -> bool:
        """For the name tiles: show "Gå hjem" rather than "Mød ind"."""
        with unit_of_work(self._sessions) as s:
            latest = store.latest_effective(s, person_id)
            return latest is not None and latest.is_open

    def my_hours(self, person_id: uuid.UUID, period: Period, *, day: dt.date | None = None) -> HoursOverview:
        """ "Mine timer": the week or month around `day` (default today), day by day."""
        today = to_local(self._clock()).date()
        with unit_of_work(self._sessions) as s:
            person = s.get(Person, person_id)
            if person is None:
                raise ShiftNotFoundError(f"no person {person_id}")
            return shift_review.overview(s, person.id, person.name, period, day or today, today)

    def reissue_badge(self, person_id: uuid.UUID, by_id: uuid.UUID | None = None) -> str:
        """A new unguessable token; the old badge stops working at once (and is recognised as replaced)."""
        with unit_of_work(self._sessions) as s:
            now = self._guarded_now(s)
            person = s.get(Person, person_id)
            if person is None:
                raise ShiftNotFoundError(f"no person {person_id}")
            old = person.badge_token
            person.badge_token = new_token()
            fingerprint = badges.token_fingerprint(old) if old else None
            self._record(s, badges.REISSUED, now, person.id, {"old": fingerprint, "by": by_id})
            log.info("badge reissued for %s", person.id)
            return person.badge_token

    # --- the supervisor's side (shift_review.py) ---------------------------------------------------

    def pending_reviews(self) -> list[ReviewItem]:
        with unit_of_work(self._sessions) as s:
            return shift_review.pending(s, self._clock(), self.closing_time, self.forgotten_margin)

    def approve(self, shift_id: uuid.UUID, supervisor_id: uuid.UUID) -> ShiftRecord:
        with unit_of_work(self._sessions) as s:
            now = self._guarded_now(s)
            record = shift_review.approve(s, shift_id, supervisor_id, now)
            payload = {"shift": record.id, "corrects": shift_id, "by": supervisor_id}
            self._record(s, "shift_approved", now, record.person_id, payload)
            return record

    def correct(
        self,
        shift_id: uuid.UUID,
        supervisor_id: uuid.UUID,
        check_in: dt.datetime,
        check_out: dt.datetime,
        reason: str,
    ) -> ShiftRecord:
        """A new record with who, when and why; the corrected one stays stored and visible."""
        with unit_of_work(self._sessions) as s:
            now = self._guarded_now(s)
            record = shift_review.correct(
                s, shift_id, supervisor_id, check_in, check_out, reason, now, self.clock_tolerance
            )
            payload = {"shift": record.id, "corrects": shift_id, "by": supervisor_id, "check_in": record.check_in,
                       "check_out": record.check_out, "reason": record.reason}  # fmt: skip
            self._record(s, "shift_correction", now, record.person_id, payload)
            return record

    def history(self, shift_id: uuid.UUID) -> list[ShiftRecord]:
        """The original and every record that replaced it, oldest first: nothing is ever hidden."""
        with unit_of_work(self._sessions) as s:
            return shift_review.history(s, shift_id)

    def accept_clock(self, supervisor_id: uuid.UUID) -> None:
        """After a clock that ran ahead (a wrong NTP answer) was put right, a supervisor accepts the current
        time; otherwise the guard would refuse every scan until the false future arrived."""
        with unit_of_work(self._sessions) as s:
            now = self._clock()
            rules.check_clock(now, None, self.clock_tolerance)  # 1970 is never accepted
            shift_review.require_supervisor(s, supervisor_id)
            previous = store.last_good_time(s)
            store.reset_good_time(s, now)
            self._record(s, "clock_accepted", now, supervisor_id, {"previous": previous})

    # --- internals ---------------------------------------------------------------------------------

    def _guarded_now(self, session: Session) -> dt.datetime:
        now = self._clock()
        try:
            store.guard_clock(session, now, self.clock_tolerance)
        except rules.ClockWrongError:
            log.error("refusing to record: clock says %s", now.isoformat())
            raise
        return now

    def _toggle(self, s: Session, person: Person, source: str, now: dt.datetime) -> CheckInResult:
        latest = store.latest_effective(s, person.id)
        view = PersonView(person.id, person.name, person.role, person.pin_hash is not None, person.photo)
        if latest is not None and latest.is_open:
            if now - latest.check_in < self.repeat_window:  # also catches a clock a few seconds behind
                return self._result(s, view, "already_in", now, "Du er allerede mødt ind", latest.id)
            if rules.is_forgotten(latest, now, self.closing_time, self.forgotten_margin):
                return self._forgotten(s, view, latest, source, now)
            return self._check_out(s, view, latest, now)
        last_out = latest.check_out if latest is not None and latest.source in rules.LIVE_SOURCES else None
        if latest is not None and last_out is not None and now - last_out < self.repeat_window:
            return self._result(s, view, "already_out", now, "Du er allerede gået hjem", latest.id)
        return self._check_in(s, view, source, now)

    def _check_in(
        self, s: Session, view: PersonView, source: str, now: dt.datetime, forgotten: ForgottenCheckOut | None = None
    ) -> CheckInResult:
        row = Shift(person_id=view.id, check_in_at=now, source=source, created_at=now)
        s.add(row)
        s.flush()
        self._record(s, "check_in", now, view.id, {"shift": row.id, "source": source})
        message = txt.checked_in_text(view.first_name, now)
        return self._result(s, view, "checked_in", now, message, row.id, forgotten=forgotten)

    def _check_out(self, s: Session, view: PersonView, record: ShiftRecord, now: dt.datetime) -> CheckInResult:
        minutes = rules.duration_minutes(record.check_in, now)  # raises rather than store a negative span
        row = s.get(Shift, record.id)
        assert row is not None
        # Filling in the end of an open record is completing it, done once; changing it later is a correction.
        row.check_out_at = now
        row.needs_review = rules.needs_review_for(record.check_in, now)
        self._record(s, "check_out", now, view.id, {"shift": row.id, "minutes": minutes})
        message = txt.checked_out_text(view.first_name, minutes)
        return self._result(s, view, "checked_out", now, message, row.id, minutes, flagged=row.needs_review)

    def _forgotten(
        self, s: Session, view: PersonView, record: ShiftRecord, source: str, now: dt.datetime
    ) -> CheckInResult:
        """On a later day the scan is an arrival: store it (the true time is worth keeping even if nobody
        answers) and ask about the old record.  Later the same day it is ambiguous, so store nothing and ask."""
        close = rules.closing_at(record.local_day, self.closing_time)
        question = ForgottenCheckOut(record.id, record.check_in, close if record.check_in < close else None)
        if to_local(now).date() > record.local_day:
            return self._check_in(s, view, source, now, forgotten=question)
        message = L_("Hej, {name}!", name=view.first_name)
        return self._result(s, view, "needs_answer", now, message, record.id, forgotten=question)

    def _result(
        self,
        s: Session,
        view: PersonView,
        status: Status,
        now: dt.datetime,
        message: str,
        shift_id: uuid.UUID | None,
        worked: int | None = None,
        *,
        flagged: bool = False,
        forgotten: ForgottenCheckOut | None = None,
    ) -> CheckInResult:
        week_first = rules.week_start(to_local(now).date())
        start, end = rules.local_range(week_first, week_first + dt.timedelta(days=7))
        week = rules.totals(rules.summarize_days(store.effective_between(s, start, end, [view.id])))
        streak = rules.longest_week_streak(store.visit_days(s, view.id))
        return CheckInResult(
            status, view.id, view.name, view.first_name, now, message, week.minutes, week.days, streak,
            shift_id=shift_id, worked_minutes=worked, flagged=flagged, forgotten=forgotten,
        )  # fmt: skip

    def _record(self, s: Session, kind: str, now: dt.datetime, person_id: uuid.UUID, payload: dict[str, Any]) -> None:
        """Journal what was stored, in the same transaction, and raise the clock guard's high-water mark.
        Ids and times only: never more personal data than the record needs."""
        clean = {key: _plain(value) for key, value in payload.items()}
        journal.append(s, kiosk_id=self.kiosk_id, kind=kind, at=now, payload=clean, person_id=person_id)
        store.remember_good_time(s, now)
