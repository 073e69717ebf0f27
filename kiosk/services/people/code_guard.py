"""One lockout for every code typed at the kiosk: the staff menu, Køb's log-in, the refund and barcode approvals,
Mød ind / Gå hjem.  A code is a code wherever it is typed, so a guess anywhere counts against the same lock.

Per person: five wrong codes in a row lock that person's code for five minutes; each lock after that (with no
right code in between) lasts twice as long as the one before (5, 10, 20 … minutes, at most a day), and a right
code starts over.  Where nobody is chosen before typing (the staff menu tries every leader's code), the wrong
tries count per kiosk and entry point the same way.  A badge is never guessed, so it works while a code is locked.

The state is read from the journal, like the rest of the kiosk's history: every wrong try ("code_wrong", by
person id and never the digits), every lock ("code_locked", with its end) and a right code that ends a count
("code_ok") are journaled, so a lock survives a restart without a table of its own.  Counts are per kiosk (the
journal's kiosk index finds them in one step); times come from the services' clock.

scrypt takes a while: codes are checked between two transactions, never while holding the database's write lock.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.clock import Clock
from kiosk.db.engine import unit_of_work
from kiosk.db.models import JournalEntry, Person
from kiosk.domain.pins import check_pin, code_problem, hash_pin, too_short_for
from kiosk.domain.roles import LEADER_ROLES
from kiosk.domain.shift_text import clock_text
from kiosk.errors import DomainError
from kiosk.i18n import L_
from kiosk.services.people.codes import codes_to_avoid
from kiosk.services.people.directory import PersonView, person_view
from kiosk.services.records import journal

log = logging.getLogger(__name__)

# Where a code is typed (the journal's "entry"): the staff menu, Køb's log-in, the two approvals, the time clock.
STAFF, TILL, REFUND, BARCODE, CHECKIN = "staff", "till", "refund", "barcode", "checkin"
ENTRIES = (STAFF, TILL, REFUND, BARCODE, CHECKIN)

CODE_WRONG = "code_wrong"
CODE_LOCKED = "code_locked"
CODE_OK = "code_ok"
PIN_SET = "pin_set"
KINDS = (CODE_WRONG, CODE_LOCKED, CODE_OK)

MAX_TRIES = 5
FIRST_LOCK = dt.timedelta(minutes=5)
LONGEST_LOCK = dt.timedelta(days=1)  # doubling stops here: a worker is never shut out for weeks
READ_BACK = 120  # journal rows read per count: more than enough locks to reach LONGEST_LOCK


class WrongCodeError(DomainError):
    user_message = L_("Forkert kode. Prøv igen.")

    def __init__(self, tries_left: int = 0, message: str | None = None) -> None:
        super().__init__(message or f"wrong code, {tries_left} tries left")
        self.tries_left = tries_left


class CodeLockedError(DomainError):
    def __init__(self, until: dt.datetime) -> None:
        said = L_("For mange forkerte koder. Prøv igen kl. {time}, eller brug dit kort.", time=clock_text(until))
        super().__init__(f"code entry locked until {until.isoformat()}", user_message=said)
        self.until = until


class MustChangeCodeError(DomainError):
    """The right code, but a leader's from before the 6-digit rule: it opens nothing until a new one is chosen."""

    user_message = L_("Vælg en ny kode på 6 cifre.")

    def __init__(self, person: PersonView) -> None:
        super().__init__(f"{person.id} has a code shorter than a leader's")
        self.person = person


@dataclass(frozen=True)
class CodeState:
    wrong_in_a_row: int  # since the last lock ended or the last right code
    locked_until: dt.datetime | None
    locks: int  # since the last right code: the next lock lasts FIRST_LOCK * 2**locks

    @property
    def counting(self) -> bool:
        """Something a right code has to end with a "code_ok" entry."""
        return bool(self.wrong_in_a_row or self.locks)


@dataclass(frozen=True)
class _Key:
    """Whose count: a person's, or (nobody chosen) this kiosk's at one entry point."""

    person_id: uuid.UUID | None
    entry: str


class CodeGuard:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        kiosk_id: str,
        clock: Clock,
        *,
        max_tries: int = MAX_TRIES,
        first_lock: dt.timedelta = FIRST_LOCK,
        longest_lock: dt.timedelta = LONGEST_LOCK,
    ) -> None:
        self._sessions = sessions
        self.kiosk_id = kiosk_id
        self._clock = clock
        self.max_tries = max_tries
        self.first_lock = first_lock
        self.longest_lock = longest_lock

    # --- asking -------------------------------------------------------------------------------------

    def state(self, person_id: uuid.UUID | None, entry: str = STAFF) -> CodeState:
        """A person's count, or (person_id None) the kiosk's at `entry`."""
        with unit_of_work(self._sessions) as s:
            return self._state(s, _Key(person_id, entry), self._clock())

    def enter(self, person_id: uuid.UUID, pin: str, entry: str, *, short_ok: bool = False) -> PersonView:
        """The person whose tile was tapped, when `pin` is their code.  Raises CodeLockedError (nothing checked),
        WrongCodeError (counted), or MustChangeCodeError for a leader's short code unless `short_ok` (Mød ind /
        Gå hjem: the time clock is no log-in, the next log-in asks for the new code)."""
        key = _Key(person_id, entry)
        with unit_of_work(self._sessions) as s:
            state = self._state(s, key, self._clock())
            person = s.get(Person, person_id)
            stored = person.pin_hash if person is not None and person.active else None
        if state.locked_until is not None:
            raise CodeLockedError(state.locked_until)
        right = check_pin(pin, stored)
        with unit_of_work(self._sessions) as s:
            now = self._clock()
            if not right:
                refusal = self._count_wrong(s, key, now)
            else:
                person = s.get(Person, person_id)
                assert person is not None
                self._settle(s, key, now)
                view = person_view(person)
        if not right:
            raise refusal  # after the commit: the wrong try stays journaled
        if not short_ok and too_short_for(pin, view.role):
            raise MustChangeCodeError(view)
        return view

    def find_leader(self, pin: str, entry: str = STAFF) -> PersonView:
        """The supervisor or admin whose code this is, nobody being chosen first (a worker's code is as wrong as any
        other here).  Wrong tries count for this kiosk at `entry`; a leader whose own code is locked (guessed at an
        approval) is refused even with the right code."""
        kiosk_key = _Key(None, entry)
        with unit_of_work(self._sessions) as s:
            state = self._state(s, kiosk_key, self._clock())
            leaders = [
                (p.id, p.pin_hash)
                for p in s.scalars(
                    select(Person).where(Person.active, Person.role.in_(LEADER_ROLES)).order_by(Person.name)
                )
                if p.pin_hash
            ]
        if state.locked_until is not None:
            raise CodeLockedError(state.locked_until)
        match = next((pid for pid, stored in leaders if check_pin(pin, stored)), None)
        if match is None:
            with unit_of_work(self._sessions) as s:
                refusal = self._count_wrong(s, kiosk_key, self._clock())
            raise refusal  # after the commit: the wrong try stays journaled
        with unit_of_work(self._sessions) as s:
            now = self._clock()
            person = s.get(Person, match)
            assert person is not None
            own = _Key(person.id, entry)
            locked = self._state(s, own, now).locked_until
            if locked is None:
                self._settle(s, kiosk_key, now)
                self._settle(s, own, now)
            view = person_view(person)
        if locked is not None:
            raise CodeLockedError(locked)
        if too_short_for(pin, view.role):
            raise MustChangeCodeError(view)
        return view

    # --- a new code, at the log-in that found the old one too short ----------------------------------

    def change_code(self, person_id: uuid.UUID, old_pin: str, new_pin: str, entry: str) -> PersonView:
        """The person's own new code, in place of `old_pin` (checked again, as any code typed: a screen cannot
        change a code it was not given).  Refused with the Personer screen's reasons; journaled as "pin_set"
        without the code, by the person themself."""
        view = self.enter(person_id, old_pin, entry, short_ok=True)
        problem = code_problem(new_pin, view.role)
        if problem is not None:
            raise DomainError("code refused", user_message=problem)
        with unit_of_work(self._sessions) as s:
            person = s.get(Person, person_id)
            assert person is not None
            avoid = codes_to_avoid(s, person)
        if any(check_pin(new_pin, stored) for stored in avoid):  # scrypt, outside the write transaction
            raise DomainError("code taken", user_message=L_("Den kode er optaget. Vælg en anden"))
        hashed = hash_pin(new_pin)
        with unit_of_work(self._sessions) as s:
            person = s.get(Person, person_id)
            assert person is not None
            person.pin_hash = hashed
            payload = {"person": str(person.id), "by": "themself", "entry": entry}
            journal.append(
                s, kiosk_id=self.kiosk_id, kind=PIN_SET, at=self._clock(), payload=payload, person_id=person.id
            )
            log.info("%s chose a new code at %s", person.id, entry)
            return person_view(person)

    # --- internals ---------------------------------------------------------------------------------

    def lock_length(self, locks: int) -> dt.timedelta:
        """The lock after `locks` earlier ones: 5, 10, 20 … minutes, at most `longest_lock`."""
        return min(self.first_lock * (1 << min(locks, 30)), self.longest_lock)

    def _rows(self, s: Session, key: _Key) -> Sequence[JournalEntry]:
        q = select(JournalEntry).where(JournalEntry.kiosk_id == self.kiosk_id, JournalEntry.kind.in_(KINDS))
        if key.person_id is not None:
            q = q.where(JournalEntry.person_id == key.person_id)
        else:
            q = q.where(JournalEntry.person_id.is_(None))
        return s.scalars(q.order_by(JournalEntry.seq.desc()).limit(READ_BACK)).all()

    def _state(self, s: Session, key: _Key, now: dt.datetime) -> CodeState:
        """Newest first, back to the last right code: the wrong tries after the last lock, and the locks."""
        wrong = locks = 0
        last_until: dt.datetime | None = None
        for row in self._rows(s, key):
            payload = json.loads(row.payload)
            if key.person_id is None and payload.get("entry") != key.entry:
                continue  # the kiosk's count at another entry point
            if row.kind == CODE_OK:
                break
            if row.kind == CODE_LOCKED:
                locks += 1
                if last_until is None:
                    last_until = dt.datetime.fromisoformat(payload["until"])
            elif last_until is None:
                wrong += 1
        locked = last_until if last_until is not None and now < last_until else None
        return CodeState(0 if locked else wrong, locked, locks)

    def _count_wrong(self, s: Session, key: _Key, now: dt.datetime) -> WrongCodeError | CodeLockedError:
        """Journal one wrong try (and the lock it may start) in the caller's transaction; the refusal to raise
        once it is committed."""
        state = self._state(s, key, now)  # again, inside the write lock: another till may have counted too
        wrong = state.wrong_in_a_row + 1
        self._append(s, key, CODE_WRONG, now, {"try": wrong})
        if wrong < self.max_tries:
            return WrongCodeError(self.max_tries - wrong)
        until = now + self.lock_length(state.locks)
        minutes = int((until - now).total_seconds() // 60)
        self._append(s, key, CODE_LOCKED, now, {"tries": wrong, "minutes": minutes, "until": until.isoformat()})
        log.warning("code entry locked for %s at %s until %s", key.person_id or "the kiosk", key.entry, until)
        return CodeLockedError(until)

    def _settle(self, s: Session, key: _Key, now: dt.datetime) -> None:
        """A right code ends the count (and the doubling): journaled only when there was one to end."""
        if self._state(s, key, now).counting:
            self._append(s, key, CODE_OK, now, {})

    def _append(self, s: Session, key: _Key, kind: str, now: dt.datetime, payload: dict[str, object]) -> None:
        journal.append(
            s,
            kiosk_id=self.kiosk_id,
            kind=kind,
            at=now,
            payload={"entry": key.entry, **payload},
            person_id=key.person_id,
        )
