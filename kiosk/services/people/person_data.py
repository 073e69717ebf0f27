"""A person's own data (GDPR, DANISH.md): everything the kiosk stores about someone, as JSON, and forgetting a
resident on request (`kiosk person export PERSON`, `kiosk person forget PERSON`).

Forgetting empties the person row exactly as the retention rule does (kiosk.services.jobs.upkeep.erase): the
append-only journal refers to people by id only and is never rewritten.  Their upcoming sign-ups are cancelled
first, so a waiting resident gets the place.  Workers are not forgotten here: their time records must be kept for
five years (arbejdstidsloven, bogføringsloven)."""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.db.engine import unit_of_work
from kiosk.db.models import Job, JournalEntry, Person, Sale, Shift, Signup
from kiosk.domain import jobs as jt
from kiosk.errors import DomainError
from kiosk.i18n import L_
from kiosk.services.jobs import ERASED_NAME, Signups, credited_minutes, erase
from kiosk.services.records import journal

log = logging.getLogger(__name__)

EXPORT_FORMAT = "hedemarken-person-export/1"


class PersonNotFound(DomainError):
    user_message = L_("Personen findes ikke.")


class CannotForget(DomainError):
    user_message = L_("Medarbejdere slettes ikke her: deres timer skal gemmes i 5 år.")


@dataclass(frozen=True)
class ForgetResult:
    person_id: uuid.UUID
    cancelled: int  # upcoming sign-ups cancelled
    moved_up: int  # residents who got a place because of it


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def find_person(s: Session, wanted: str) -> Person:
    """By id, an 8-digit phone number, or a name that only one person has (case-blind; part of it will do)."""
    text = wanted.strip()
    try:
        person = s.get(Person, uuid.UUID(text))
    except ValueError:
        person = None
    if person is not None:
        return person
    try:
        phone = jt.clean_phone(text)
    except DomainError:
        phone = None
    people = list(s.scalars(select(Person).where(Person.name != ERASED_NAME).order_by(Person.name)))
    if phone is not None:
        matches = [p for p in people if p.phone == phone]
    else:
        exact = [p for p in people if p.name.casefold() == text.casefold()]
        matches = exact or [p for p in people if text and text.casefold() in p.name.casefold()]
    if len(matches) != 1:
        said = (
            L_("Ingen hedder '{wanted}'.", wanted=wanted)
            if not matches
            else L_(
                "'{wanted}' passer på flere: {names}.",
                wanted=wanted,
                names=", ".join(f"{p.name} ({p.id})" for p in matches),
            )
        )
        raise PersonNotFound(f"{len(matches)} people match {wanted!r}", user_message=said)
    return matches[0]


def export_person(sessions: sessionmaker[Session], wanted: str) -> dict[str, Any]:
    """Everything stored about one person: the person row (never the PIN hash itself), their sign-ups with hours,
    their time records, the sales they rang up, and the journal lines that name them."""
    with unit_of_work(sessions) as s:
        person = find_person(s, wanted)
        signups = s.scalars(
            select(Signup)
            .join(Job, Job.id == Signup.job_id)
            .where(Signup.person_id == person.id)
            .order_by(Job.starts_at)
        )
        shifts = s.scalars(select(Shift).where(Shift.person_id == person.id).order_by(Shift.check_in_at))
        entries = s.scalars(
            select(JournalEntry).where(JournalEntry.person_id == person.id).order_by(JournalEntry.created_at)
        )
        sales = s.scalars(select(Sale).where(Sale.seller_id == person.id).order_by(Sale.created_at))
        return {
            "format": EXPORT_FORMAT,
            "person": {
                "id": str(person.id),
                "name": person.name,
                "role": person.role,
                "phone": person.phone,
                "has_card_or_badge": person.badge_token is not None,
                "has_pin": person.pin_hash is not None,
                "photo": person.photo,
                "active": person.active,
                "created_at": _iso(person.created_at),
                "last_activity_at": _iso(person.last_activity_at),
            },
            "signups": [
                {
                    "job": su.job.title,
                    "place": su.job.place,
                    "starts_at": _iso(su.job.starts_at),
                    "ends_at": _iso(su.job.ends_at),
                    "status": su.status,
                    "signed_up_at": _iso(su.created_at),
                    "checked_in_at": _iso(su.checked_in_at),
                    "checked_out_at": _iso(su.checked_out_at),
                    "minutes": credited_minutes(su),
                    "moved_up_from_waitlist_at": _iso(su.moved_up_at),
                }
                for su in signups
            ],
            "shifts": [
                {
                    "check_in_at": _iso(sh.check_in_at),
                    "check_out_at": _iso(sh.check_out_at),
                    "source": sh.source,
                    "needs_review": sh.needs_review,
                    "superseded": sh.superseded,
                    "reason": sh.reason,
                }
                for sh in shifts
            ],
            "sales": [{"receipt_no": sale.receipt_no, "at": _iso(sale.created_at)} for sale in sales],
            "journal": [{"at": _iso(e.created_at), "kind": e.kind, "payload": json.loads(e.payload)} for e in entries],
        }


def forget_person(signups: Signups, sessions: sessionmaker[Session], wanted: str, now: datetime) -> ForgetResult:
    """Erase a resident now: upcoming sign-ups cancelled (the waitlist moves up), name, phone and card removed."""
    with unit_of_work(sessions) as s:
        person = find_person(s, wanted)
        if person.role != "resident":
            raise CannotForget(f"{person.id} is {person.role}")
        active = s.scalars(
            select(Signup)
            .join(Job, Job.id == Signup.job_id)
            .where(
                Signup.person_id == person.id,
                or_(Signup.status == "waitlist", Signup.status == "signed_up"),
                Job.ends_at > now,
            )
        )
        cancelled = moved = 0
        for su in list(active):
            held_place = su.status == "signed_up"
            su.status, su.notified = "cancelled", True  # nobody is to call an erased person
            cancelled += 1
            if held_place and signups.move_up(s, su.job, now):
                moved += 1
        erase(person)
        journal.append(
            s,
            kiosk_id=signups.kiosk_id,
            kind="resident_forgotten",
            at=now,
            person_id=person.id,
            payload={"cancelled": cancelled, "moved_up": moved},
        )
        log.info("resident %s forgotten on request (%d sign-ups cancelled)", person.id, cancelled)
        return ForgetResult(person.id, cancelled, moved)
