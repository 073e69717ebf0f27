"""Staff mode: a supervisor or admin opens it with their badge or their code.  The code is typed with nobody chosen
first, so it goes through the code guard's count for this kiosk (kiosk/services/people/code_guard.py): five wrong
codes lock code entry here for five minutes, doubling on repeat, and a leader's own lock (their code guessed at an
approval) holds here too.  A leader's code from before the 6-digit rule opens staff mode only once a new one is
chosen.  A badge is not guessed: it opens staff mode while code entry is locked.

Every login and logout is journaled.  Times come from the services' clock.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from sqlalchemy.orm import Session, sessionmaker

import kiosk.services.people.badges as badges
from kiosk.clock import Clock
from kiosk.db.engine import unit_of_work
from kiosk.db.models import Person
from kiosk.domain import roles
from kiosk.domain.roles import LEADER_ROLES
from kiosk.errors import DomainError
from kiosk.i18n import L_
from kiosk.services.people.code_guard import STAFF, CodeGuard, CodeState
from kiosk.services.people.directory import PersonView, person_view
from kiosk.services.records import journal

log = logging.getLogger(__name__)

LOGIN = "staff_login"
LOGOUT = "staff_logout"


class NotALeaderError(DomainError):
    user_message = L_("Dit kort åbner ikke personale-menuen. Den er kun for ledere.")


def require_role(s: Session, person_id: uuid.UUID, least: str) -> Person:
    """The active person, if their role allows `least` (services check this, not only the screens)."""
    return roles.require_role(s.get(Person, person_id), least, person_id)


class StaffAccess:
    def __init__(
        self, sessions: sessionmaker[Session], kiosk_id: str, clock: Clock, codes: CodeGuard | None = None
    ) -> None:
        self._sessions = sessions
        self.kiosk_id = kiosk_id
        self._clock = clock
        self.codes = codes or CodeGuard(sessions, kiosk_id, clock)

    def pin_state(self) -> CodeState:
        """The staff menu's count on this kiosk: is code entry locked here, and until when."""
        return self.codes.state(None, STAFF)

    def log_in_with_pin(self, pin: str) -> PersonView:
        """The supervisor or admin whose code this is.  Raises the code guard's refusals: WrongCodeError,
        CodeLockedError, or MustChangeCodeError (then `log_in_with_new_code`)."""
        leader = self.codes.find_leader(pin, STAFF)
        return self._logged_in(leader.id, "pin")

    def log_in_with_new_code(self, person_id: uuid.UUID, old_pin: str, new_pin: str) -> PersonView:
        """A leader whose code was too short: the new one stored (the old one checked again), then staff mode."""
        self.codes.change_code(person_id, old_pin, new_pin, STAFF)
        return self._logged_in(person_id, "pin")

    def log_in_with_badge(self, token: str) -> PersonView:
        """A leader's badge opens staff mode (also while code entry is locked: the badge is not guessed)."""
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

    def _logged_in(self, person_id: uuid.UUID, method: str) -> PersonView:
        with unit_of_work(self._sessions) as s:
            person = s.get(Person, person_id)
            assert person is not None
            self._append(s, LOGIN, self._clock(), person.id, {"method": method})
            log.info("staff mode opened by %s (%s)", person.id, method)
            return person_view(person)

    def _append(
        self, s: Session, kind: str, now: dt.datetime, person_id: uuid.UUID | None, payload: dict[str, object]
    ) -> None:
        journal.append(s, kiosk_id=self.kiosk_id, kind=kind, at=now, payload=payload, person_id=person_id)
