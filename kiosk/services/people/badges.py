"""Who a badge belongs to, inside the caller's transaction; and how a replaced badge is still recognised."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.db.models import JournalEntry, Person
from kiosk.errors import DomainError
from kiosk.i18n import L_

REISSUED = "badge_reissued"  # journal kind; its payload keeps the old badge's fingerprint


class BadgeError(DomainError):
    user_message = L_("Kortet kendes ikke. Spørg en medarbejder.")


class UnknownBadgeError(BadgeError):
    """A token no person has: garbage, another shop's card, or a mistyped code."""


class RevokedBadgeError(BadgeError):
    """A badge that was replaced by a new one, or belongs to someone no longer active."""

    user_message = L_("Det kort virker ikke længere. Brug dit nye kort, eller spørg en medarbejder.")


class ResidentCardError(BadgeError):
    user_message = L_("Det kort er til småjobs – spørg en medarbejder")


class NotABadgeError(BadgeError):
    user_message = L_("Det er ikke et kort fra kiosken. Scan dit kort eller vælg dit navn.")


def token_fingerprint(token: str) -> str:
    """What the journal keeps of a replaced badge: enough to recognise it, useless as a badge."""
    return hashlib.sha256(token.encode()).hexdigest()[:16]


def was_replaced(s: Session, token: str) -> bool:
    # Only runs for a token nobody has, so a scan of the journal's reissue entries is cheap enough.
    pattern = f'%"old":"{token_fingerprint(token)}"%'
    q = select(JournalEntry.id).where(JournalEntry.kind == REISSUED, JournalEntry.payload.like(pattern))
    return s.scalar(q.limit(1)) is not None


def worker_for_badge(s: Session, token: str) -> Person:
    """The active staff member holding this badge, or a typed error the screen can show as it is."""
    person = s.scalar(select(Person).where(Person.badge_token == token))
    if person is None:
        if was_replaced(s, token):
            raise RevokedBadgeError("a replaced badge was scanned")
        raise UnknownBadgeError("unknown badge token")
    if person.role == "resident":
        raise ResidentCardError(f"resident {person.id} scanned at the worker flow")
    if not person.active:
        raise RevokedBadgeError(f"inactive person {person.id}")
    return person
