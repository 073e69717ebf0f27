"""Whether a staff code may be used: shared by the admin screen, the spreadsheet import and the code guard."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.db.models import Person
from kiosk.domain.pins import check_pin
from kiosk.domain.roles import LEADER_ROLES


def codes_to_avoid(s: Session, person: Person) -> list[str]:
    """The stored codes `person`'s may not equal.  Staff mode is opened by the code alone, so a code a leader uses
    can never be anyone else's too (a worker would get the leader's menu); workers may share a code among
    themselves.  Hashes only: check them outside a write transaction where you can (scrypt takes a while)."""
    others = select(Person).where(Person.active, Person.id != person.id, Person.pin_hash.is_not(None))
    if person.role not in LEADER_ROLES:
        others = others.where(Person.role.in_(LEADER_ROLES))
    return [other.pin_hash for other in s.scalars(others) if other.pin_hash]


def code_taken(s: Session, person: Person, pin: str) -> bool:
    return any(check_pin(pin, stored) for stored in codes_to_avoid(s, person))
