"""Staff mode: a supervisor or admin opens it with their badge or their PIN; five wrong PINs in a row lock PIN
entry for five minutes.

The count of wrong tries is read from the journal (every wrong try, the lock and each login are journaled
anyway), so a lock survives an app restart without a table of its own.  Times come from the services' clock.
PINs are checked outside the write transaction: scrypt takes a while and must not hold the database lock.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

import kiosk.services.people.badges as badges
from kiosk.clock import Clock
from kiosk.db.engine import unit_of_work
from kiosk.db.models import JournalEntry, Person
from kiosk.domain import roles
from kiosk.domain.pins import check_pin
from kiosk.domain.roles import LEADER_ROLES
from kiosk.errors import DomainError
from kiosk.services.people.directory import PersonView, person_view
from kiosk.services.records import journal

log = logging.getLogger(__name__)

PIN_WRONG = "staff_pin_wrong"
PIN_LOCKED = "staff_pin_locked"
LOGIN = "staff_login"
LOGOUT = "staff_logout"

MAX_TRIES = 5
LOCK_FOR = dt.timedelta(minutes=5)


class WrongStaffPinError(DomainError):
    user_message = "Koden passer ikke til en leder. Prøv igen."

    def __init__(self, tries_left: int) -> None:
        super().__init__(f"wrong staff PIN, {tries_left} tries left")
        self.tries_left = tries_left


class StaffPinLockedError(DomainError):
    user_message = "For mange forkerte koder. Vent lidt, eller brug dit kort."

    def __init__(self, until: dt.datetime) -> None:
        super().__init__(f"staff PIN entry locked until {until.isoformat()}")
        self.until = until


class NotALeaderError(DomainError):
    user_message = "Dit kort åbner ikke personale-menuen. Den er kun for ledere."


def require_role(s: Session, person_id: uuid.UUID, least: str) -> Person:
    """The active person, if their role allows `least` (services check this, not only the screens)."""
    return roles.require_role(s.get(Person, person_id), least, person_id)


@dataclass(frozen=True)
class PinState:
    wrong_in_a_row: int
    locked_until: dt.datetime | None


class StaffAccess:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        kiosk_id: str,
        clock: Clock,
        *,
        max_tries: int = MAX_TRIES,
        lock_for: dt.timedelta = LOCK_FOR,
    ) -> None:
        self._sessions = sessions
        self.kiosk_id = kiosk_id
        self._clock = clock
        self.max_tries = max_tries
        self.lock_for = lock_for

    def pin_state(self) -> PinState:
        with unit_of_work(self._sessions) as s:
            return self._state(s, self._clock())

    def log_in_with_pin(self, pin: str) -> PersonView:
        """The supervisor or admin whose PIN this is.  A worker's PIN is as wrong as any other here."""
        with unit_of_work(self._sessions) as s:
            state = self._state(s, self._clock())
            leaders = [
                (p.id, p.pin_hash)
                for p in s.scalars(
                    select(Person).where(Person.active, Person.role.in_(LEADER_ROLES)).order_by(Person.name)
                )
                if p.pin_hash
            ]
        if state.locked_until is not None:
            raise StaffPinLockedError(state.locked_until)
        match = next((pid for pid, stored in leaders if check_pin(pin, stored)), None)
        with unit_of_work(self._sessions) as s:
            now = self._clock()
            if match is not None:
                person = s.get(Person, match)
                assert person is not None
                self._append(s, LOGIN, now, person.id, {"method": "pin"})
                log.info("staff mode opened by %s (PIN)", person.id)
                return person_view(person)
            state = self._state(s, now)  # again, inside the write lock: another till may have counted too
            wrong = state.wrong_in_a_row + 1
            self._append(s, PIN_WRONG, now, None, {"try": wrong})
            until = now + self.lock_for if wrong >= self.max_tries else None
            if until is not None:
                self._append(s, PIN_LOCKED, now, None, {"tries": wrong, "until": until.isoformat()})
                log.warning("staff PIN entry locked until %s after %d wrong tries", until.isoformat(), wrong)
        if until is not None:
            raise StaffPinLockedError(until)
        raise WrongStaffPinError(self.max_tries - wrong)

    def log_in_with_badge(self, token: str) -> PersonView:
        """A leader's badge opens staff mode (also while PIN entry is locked: the badge is not guessed)."""
        with unit_of_work(self._sessions) as s:
            person = badges.worker_for_badge(s, token)  # unknown, replaced, resident: typed errors
            if person.role not in LEADER_ROLES:
                raise NotALeaderError(f"{person.id} is a {person.role}")
            self._append(s, LOGIN, self._clock(), person.id, {"method": "badge"})
            log.info("staff mode opened by %s (badge)", person.id)
            return person_view(person)

    def log_out(self, person_id: uuid.UUID, reason: str) -> None:
        """`reason`: "logout" (the button), "idle" (left alone) or "left" (went to a screen outside staff mode)."""
        with unit_of_work(self._sessions) as s:
            self._append(s, LOGOUT, self._clock(), person_id, {"reason": reason})

    # --- internals ---------------------------------------------------------------------------------

    def _state(self, s: Session, now: dt.datetime) -> PinState:
        """Wrong tries since the last login or lock; locked while the last lock is younger than `lock_for`."""
        entries = s.scalars(
            select(JournalEntry)
            .where(JournalEntry.kiosk_id == self.kiosk_id, JournalEntry.kind.in_((PIN_WRONG, PIN_LOCKED, LOGIN)))
            .order_by(JournalEntry.seq.desc())
            .limit(self.max_tries)
        ).all()
        if entries and entries[0].kind == PIN_LOCKED:
            until = entries[0].created_at + self.lock_for
            return PinState(0, until if now < until else None)
        wrong = 0
        for entry in entries:
            if entry.kind != PIN_WRONG:
                break
            wrong += 1
        return PinState(wrong, None)

    def _append(
        self, s: Session, kind: str, now: dt.datetime, person_id: uuid.UUID | None, payload: dict[str, object]
    ) -> None:
        journal.append(s, kiosk_id=self.kiosk_id, kind=kind, at=now, payload=payload, person_id=person_id)
