"""Who may do what: worker (sell, check in) < supervisor (refund, training, X/Z, hours, jobs) < admin (products,
people, settings).  A role allows everything the roles below it allow.  This is the one role table: services and
screens ask it, none keeps a list of its own."""

from __future__ import annotations

from typing import Protocol, TypeVar

from kiosk.errors import DomainError
from kiosk.i18n import L_

ROLE_RANK = {"worker": 0, "supervisor": 1, "admin": 2}
STAFF_ROLES = ("worker", "supervisor", "admin")  # the roles that work a shift (residents only take småjobs)
LEADER_ROLES = ("supervisor", "admin")  # the roles that open staff mode


def role_allows(role: str, least: str) -> bool:
    """True when `role` is `least` or above it; residents and unknown roles are allowed nothing."""
    return ROLE_RANK.get(role, -1) >= ROLE_RANK[least]


class Staffed(Protocol):
    """What a role check reads of a person (a kiosk.db.models.Person)."""

    @property
    def role(self) -> str: ...

    @property
    def active(self) -> bool: ...


P = TypeVar("P", bound=Staffed)


def require_role(person: P | None, least: str, who: object) -> P:
    """The active person, if their role allows `least` (services check this, not only the screens); `who` names
    the person asked for in the log."""
    if person is None or not person.active or not role_allows(person.role, least):
        said = L_("Det kræver en administrator") if least == "admin" else L_("Det kræver en ansvarlig")
        raise DomainError(f"{who} is not {least}", user_message=said)
    return person
