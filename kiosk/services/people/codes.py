"""Whether a staff code may be used: shared by the admin screen and the spreadsheet import."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.db.models import Person
from kiosk.domain.pins import check_pin
from kiosk.domain.roles import LEADER_ROLES


def code_taken(s: Session, person: Person, pin: str) -> bool:
    """Staff mode is opened by the code alone, so a code a leader uses can never be anyone else's too (a worker
    would get the leader's menu); workers may share a code among themselves."""
    others = select(Person).where(Person.active, Person.id != person.id, Person.pin_hash.is_not(None))
    if person.role not in LEADER_ROLES:
        others = others.where(Person.role.in_(LEADER_ROLES))
    return any(check_pin(pin, other.pin_hash) for other in s.scalars(others))
