"""Personer (admin): add a worker, supervisor or admin, change their role, print their badge, replace a lost badge
(the old one stops working at once), set a PIN, give them a photo from a USB stick or remove it, deactivate.
Every change is journaled with who made it (`person_id` of the entry is the admin; the person changed is in the
payload, by id only: no names or PINs in the journal, and of a photo only its stored name)."""

from __future__ import annotations

import contextlib
import logging
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.clock import Clock
from kiosk.config import ShopSettings
from kiosk.db.engine import unit_of_work
from kiosk.db.models import Person
from kiosk.domain.jobs import clean_phone
from kiosk.domain.pins import code_problem, hash_pin, new_token
from kiosk.domain.roles import LEADER_ROLES, ROLE_RANK, STAFF_ROLES
from kiosk.domain.text import check_text
from kiosk.errors import DomainError
from kiosk.i18n import L_
from kiosk.printouts.badge import badge_slip
from kiosk.printouts.document import Document
from kiosk.services.people.codes import code_taken
from kiosk.services.people.directory import PersonView, person_view
from kiosk.services.people.staff_access import require_role
from kiosk.services.records import PHOTO_DIR, import_image, journal

log = logging.getLogger(__name__)


class BadgeIssuer(Protocol):
    """What reissuing a badge needs (the check-in service: it journals the old badge's fingerprint)."""

    def reissue_badge(self, person_id: uuid.UUID, by_id: uuid.UUID | None = None) -> str: ...


@dataclass(frozen=True)
class ListedPerson:
    person: PersonView
    active: bool


class PeopleAdmin:
    def __init__(
        self, sessions: sessionmaker[Session], kiosk_id: str, clock: Clock, checkin: BadgeIssuer, data_dir: Path
    ) -> None:
        self._sessions = sessions
        self.kiosk_id = kiosk_id
        self._clock = clock
        self._checkin = checkin
        self.data_dir = data_dir

    def everyone(self) -> list[ListedPerson]:
        """Workers, supervisors and admins (residents are looked after with the small jobs), active first."""
        with unit_of_work(self._sessions) as s:
            q = select(Person).where(Person.role.in_(STAFF_ROLES)).order_by(Person.active.desc(), Person.name)
            return [ListedPerson(person_view(p), p.active) for p in s.scalars(q)]

    def add(self, by: uuid.UUID, name: str, role: str, phone: str | None = None) -> PersonView:
        """A new worker, leader or admin with a badge and no code yet; `phone` is optional (8 digits, +45 allowed,
        checked as the spreadsheet import checks it)."""
        cleaned = " ".join(check_text(name).split())  # no NUL, ESC or direction override (kiosk.domain.text)
        if not cleaned:
            raise DomainError(user_message=L_("Skriv personens navn"))
        if len(cleaned) > 120:
            raise DomainError(user_message=L_("Navnet er for langt – højst 120 tegn"))
        if role not in ROLE_RANK:
            raise DomainError(f"unknown role {role!r}", user_message=L_("Vælg en rolle"))
        number = clean_phone(phone)
        with unit_of_work(self._sessions) as s:
            require_role(s, by, "admin")
            person = Person(name=cleaned, role=role, phone=number, badge_token=new_token())
            s.add(person)
            s.flush()
            payload: dict[str, Any] = {"person": str(person.id), "role": role}
            if number is not None:
                payload["phone_given"] = True  # never the number itself: the journal is kept for years
            self._journal(s, "person_added", by, payload)
            log.info("%s added %s (%s)", by, person.id, role)
            return person_view(person)

    def set_pin(self, by: uuid.UUID, person_id: uuid.UUID, pin: str) -> None:
        """A new code: 4 digits for a worker, 6 to 8 for a leader or an admin.  Staff mode is opened by the code
        alone, so a code a leader uses can never be anyone else's too (a worker would get the leader's menu)."""
        with unit_of_work(self._sessions) as s:
            require_role(s, by, "admin")
            person = _staff(s, person_id)
            problem = code_problem(pin, person.role)
            if problem is not None:
                raise DomainError("code refused", user_message=problem)
            if code_taken(s, person, pin):
                raise DomainError(user_message=L_("Den kode er optaget. Vælg en anden"))
            person.pin_hash = hash_pin(pin)
            self._journal(s, "pin_set", by, {"person": str(person.id)})

    def reissue_badge(self, by: uuid.UUID, person_id: uuid.UUID) -> str:
        """A new badge token; the old badge is refused from now on (and recognised as replaced)."""
        with unit_of_work(self._sessions) as s:
            require_role(s, by, "admin")
            _staff(s, person_id)
        return self._checkin.reissue_badge(person_id, by)

    def badge(self, person_id: uuid.UUID, shop: ShopSettings) -> Document:
        """The badge slip to print (the person's current badge), headed by the shop's name and address."""
        with unit_of_work(self._sessions) as s:
            person = _staff(s, person_id)
            name, token = person.name, person.badge_token
        if token is None:
            raise DomainError(f"{person_id} has no badge", user_message=L_("Personen har intet kort. Lav et nyt kort"))
        return badge_slip(name, token, shop)

    def set_photo(self, by: uuid.UUID, person_id: uuid.UUID, source: Path) -> str:
        """A PNG or JPEG from a USB stick becomes the person's photo (on their name tile); returns its name under
        the data dir.  The journal keeps that name, never the stick's path; a replaced photo's file is deleted."""
        name: str | None = None
        try:
            with unit_of_work(self._sessions) as s:
                require_role(s, by, "admin")
                person = _staff(s, person_id)
                name = import_image(self.data_dir, source, PHOTO_DIR)
                old, person.photo = person.photo, name
                self._journal(s, "photo_set", by, {"person": str(person.id), "photo": name})
        except BaseException:
            self._delete(name)  # not stored: no copy left behind
            raise
        self._delete(old)
        log.info("%s set the photo of %s", by, person_id)
        return name

    def remove_photo(self, by: uuid.UUID, person_id: uuid.UUID) -> None:
        """Back to the initials; the photo's file is deleted (it is personal data)."""
        with unit_of_work(self._sessions) as s:
            require_role(s, by, "admin")
            person = _staff(s, person_id)
            old = person.photo
            if old is None:
                return
            person.photo = None
            self._journal(s, "photo_removed", by, {"person": str(person.id)})
        self._delete(old)

    def _delete(self, name: str | None) -> None:
        """A photo file no person points to any more (after the commit: a failed change keeps the old one)."""
        if name and name.startswith(f"{PHOTO_DIR}/"):
            with contextlib.suppress(OSError):
                (self.data_dir / name).unlink(missing_ok=True)

    def set_active(self, by: uuid.UUID, person_id: uuid.UUID, active: bool) -> None:
        """Deactivate: badge, PIN and name tile stop working; their hours and sales stay.  An admin cannot
        deactivate themselves, so the kiosk always keeps someone who can manage it."""
        with unit_of_work(self._sessions) as s:
            require_role(s, by, "admin")
            person = _staff(s, person_id)
            if not active and person.id == by:
                raise DomainError(user_message=L_("Du kan ikke deaktivere dig selv"))
            if person.active == active:
                return
            person.active = active
            kind = "person_reactivated" if active else "person_deactivated"
            self._journal(s, kind, by, {"person": str(person.id)})

    def set_role(self, by: uuid.UUID, person_id: uuid.UUID, role: str) -> bool:
        """Worker, supervisor or admin, journaled with the old and the new role.  An admin cannot change their own
        role, so the last active admin is never demoted (the kiosk always keeps someone who can manage it; two
        tills' writes are serialised, and the second admin is no longer one when their change is checked).

        A worker's code need only differ from the leaders' codes, and staff mode is opened by the code alone: a
        worker made leader could share their code with another worker, who would then get the leader's menu.
        The codes are salted hashes, so that cannot be checked: the old code is removed instead.  A leader made
        worker loses theirs too: a worker's code is 4 digits, a leader's 6 or more.  True when a code was
        removed (the screen asks for a new one)."""
        if role not in ROLE_RANK:
            raise DomainError(f"unknown role {role!r}", user_message=L_("Vælg en rolle"))
        with unit_of_work(self._sessions) as s:
            require_role(s, by, "admin")
            person = _staff(s, person_id)
            old = person.role
            if old == role:
                return False
            if person.id == by:  # so the last active admin is never demoted: `by` is one, and stays one
                raise DomainError(user_message=L_("Du kan ikke fjerne dine egne administrator-rettigheder"))
            clear_pin = (role in LEADER_ROLES) != (old in LEADER_ROLES) and person.pin_hash is not None
            person.role = role
            payload: dict[str, Any] = {"person": str(person.id), "from": old, "to": role}
            if clear_pin:
                person.pin_hash = None
                payload["pin_removed"] = True
            self._journal(s, "role_changed", by, payload)
            log.info("%s changed the role of %s: %s -> %s", by, person.id, old, role)
            return clear_pin

    def _journal(self, s: Session, kind: str, by: uuid.UUID, payload: dict[str, Any]) -> None:
        journal.append(s, kiosk_id=self.kiosk_id, kind=kind, at=self._clock(), payload=payload, person_id=by)


def _staff(s: Session, person_id: uuid.UUID) -> Person:
    person = s.get(Person, person_id)
    if person is None or person.role not in STAFF_ROLES:
        raise DomainError(f"no staff member {person_id}", user_message=L_("Personen findes ikke"))
    return person
