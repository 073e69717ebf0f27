"""People: workers, supervisors, admins and residents; badges and PINs."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.db.engine import unit_of_work
from kiosk.db.models import ROLES, Person
from kiosk.domain.people_csv import parse_people_csv
from kiosk.domain.pins import check_pin, hash_pin, new_token
from kiosk.domain.roles import STAFF_ROLES
from kiosk.errors import DomainError


@dataclass(frozen=True)
class PersonView:
    id: uuid.UUID
    name: str
    role: str
    has_pin: bool
    photo: str | None
    phone: str | None = None  # 8 digits

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.strip() else self.name

    @property
    def initials(self) -> str:
        parts = self.name.split()
        return "".join(p[0] for p in parts[:2]).upper() if parts else "?"


def person_view(p: Person) -> PersonView:
    return PersonView(p.id, p.name, p.role, p.pin_hash is not None, p.photo, p.phone)


class People:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def staff(self) -> list[PersonView]:
        with unit_of_work(self._sessions) as s:
            q = select(Person).where(Person.active, Person.role.in_(STAFF_ROLES)).order_by(Person.name)
            return [person_view(p) for p in s.scalars(q)]

    def by_badge(self, token: str) -> PersonView | None:
        with unit_of_work(self._sessions) as s:
            p = s.scalar(select(Person).where(Person.badge_token == token, Person.active))
            return person_view(p) if p else None

    def check_pin(self, person_id: uuid.UUID, pin: str) -> bool:
        """Whether `pin` is the stored code, with no count and no lock: for checks outside the kiosk's screens
        (tests, the command line).  A code typed on the kiosk goes through the code guard (CodeGuard.enter)."""
        with unit_of_work(self._sessions) as s:
            p = s.get(Person, person_id)
            return p is not None and p.active and check_pin(pin, p.pin_hash)

    def add(self, name: str, role: str, *, phone: str | None = None, pin: str | None = None) -> PersonView:
        if role not in ROLES:
            raise DomainError(f"unknown role {role}")
        with unit_of_work(self._sessions) as s:
            p = Person(
                name=name.strip(),
                role=role,
                phone=phone or None,
                badge_token=new_token(),
                pin_hash=hash_pin(pin) if pin else None,
            )
            s.add(p)
            s.flush()
            return person_view(p)

    def badge_token(self, person_id: uuid.UUID) -> str | None:
        with unit_of_work(self._sessions) as s:
            p = s.get(Person, person_id)
            return p.badge_token if p else None

    def import_csv(self, data: bytes, *, pins: Mapping[str, str] | None = None) -> int:
        """people.csv (name;role;phone): all or nothing, a name already here is updated (see
        kiosk.services.people.spreadsheet, which `kiosk people import` uses with a journal entry).  `pins`: a code per
        role, for the demo database only."""
        from kiosk.services.people.spreadsheet import store_people  # it builds on this module

        with unit_of_work(self._sessions) as s:
            done = store_people(s, parse_people_csv(data), pins=pins)
        return done.created + done.updated
