"""People from the command line: `kiosk people import / export / list / set-code`.

Import is all or nothing, like the products import.  A name already in the kiosk (case and spacing aside) is the
same person: their role is updated, and their phone when the file has one (an empty cell never erases a number the
kiosk has), and a deactivated person is made active again; a new name gets a badge token but no code.  Two rules of
the Personer screen hold here too: a worker made leader loses their old code (it may be another worker's too, and
staff mode is opened by the code alone; a leader's code has 6 digits or more, a worker's 4, so a leader made worker
loses theirs as well), and the last active admin is never demoted.

The journal names people by id only: never a name, a phone number or a code."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.db.engine import unit_of_work
from kiosk.db.models import Person
from kiosk.domain.jobs import phone_text
from kiosk.domain.people_csv import PersonRow, danish_order, name_key, parse_people_csv, people_csv, role_word
from kiosk.domain.pins import code_problem, hash_pin, new_token
from kiosk.domain.roles import LEADER_ROLES, STAFF_ROLES
from kiosk.errors import DomainError, ImportRejected
from kiosk.i18n import L_
from kiosk.services.jobs import ERASED_NAME
from kiosk.services.people.codes import code_taken
from kiosk.services.people.person_data import find_person
from kiosk.services.records import journal


class CodeRefused(DomainError):
    """A code the kiosk's rules refuse (`kiosk people set-code` exits 2 on it)."""

    user_message = L_("Koden skal være 4 tal.")


@dataclass(frozen=True)
class PeopleImport:
    created: int
    updated: int
    reactivated: tuple[str, ...] = ()  # names of deactivated people the file brought back
    codes_removed: tuple[str, ...] = ()  # names of workers made leaders (and back), whose old code was removed


@dataclass(frozen=True)
class PersonLine:
    """One line of `kiosk people list`."""

    name: str
    role: str
    role_text: str  # medarbejder, leder, administrator, beboer
    phone_text: str  # "20 12 34 56", or "" when none
    code_text: str  # "ja", "nej", or "–" for a resident (who cannot have one)
    active: bool


def _known(s: Session) -> list[Person]:
    """Everyone the kiosk still knows by name (residents erased by the retention rule are left out)."""
    return list(s.scalars(select(Person).where(Person.name != ERASED_NAME).order_by(Person.name)))


def store_people(s: Session, rows: list[PersonRow], *, pins: Mapping[str, str] | None = None) -> PeopleImport:
    """The parsed rows into the caller's transaction: new names added, known names updated (see the module's
    rules).  `pins`: a code per role for new people, only for the demo database.  Raises ImportRejected (naming
    the rows) when a row's name belongs to more than one person here, or when it would leave no active admin."""
    by_name: dict[str, list[Person]] = {}
    for person in _known(s):
        by_name.setdefault(name_key(person.name), []).append(person)
    had_admin = any(p.active and p.role == "admin" for found in by_name.values() for p in found)
    problems = [
        (row.number, f"flere personer hedder {row.name} i kiosken; ret navnet i kiosken eller i filen")
        for row in rows
        if len(by_name.get(name_key(row.name), [])) > 1
    ]
    if problems:
        raise ImportRejected(problems)
    created = updated = 0
    reactivated: list[str] = []
    codes_removed: list[str] = []
    demoted: list[int] = []  # rows that take an active admin's role away
    for row in rows:
        found = by_name.get(name_key(row.name))
        if not found:
            pin = (pins or {}).get(row.role) if row.role in STAFF_ROLES else None
            if pin and code_problem(pin, row.role) is not None:
                raise ValueError(f"the demo code for {row.role} breaks the code rules")  # a bug, never a user's file
            s.add(
                Person(
                    name=row.name,
                    role=row.role,
                    phone=row.phone,
                    badge_token=new_token(),
                    pin_hash=hash_pin(pin) if pin else None,
                )
            )
            created += 1
            continue
        person = found[0]
        updated += 1
        if person.active and person.role == "admin" and row.role != "admin":
            demoted.append(row.number)
        if person.pin_hash is not None and _loses_code(person.role, row.role):
            person.pin_hash = None
            codes_removed.append(person.name)
        person.role = row.role
        if row.phone is not None:
            person.phone = row.phone
        if person.badge_token is None:
            person.badge_token = new_token()
        if not person.active:
            person.active = True
            reactivated.append(person.name)
    s.flush()
    if had_admin and not s.scalar(select(Person.id).where(Person.active, Person.role == "admin").limit(1)):
        raise ImportRejected([(n, "så er der ingen administrator tilbage i kiosken") for n in demoted])
    return PeopleImport(created, updated, tuple(reactivated), tuple(codes_removed))


def _loses_code(old: str, new: str) -> bool:
    """A resident cannot have a code; a worker's code may be another worker's too (see the module docstring); a
    leader's code is 6 digits or more, a worker's 4."""
    return new not in STAFF_ROLES or (new in LEADER_ROLES) != (old in LEADER_ROLES)


def import_people(sessions: sessionmaker[Session], data: bytes, *, kiosk_id: str, at: datetime) -> PeopleImport:
    """`kiosk people import FILE`: parse every row first, then store and journal in one transaction."""
    rows = parse_people_csv(data)
    with unit_of_work(sessions) as s:
        before = {p.id for p in _known(s)}
        done = store_people(s, rows)
        s.flush()
        now = {name_key(p.name): p.id for p in _known(s)}
        ids = [now[name_key(row.name)] for row in rows]
        journal.append(
            s,
            kiosk_id=kiosk_id,
            kind="people_imported",
            at=at,
            payload={
                "added": [str(i) for i in ids if i not in before],
                "updated": [str(i) for i in ids if i in before],
                "codes_removed": len(done.codes_removed),
                "reactivated": len(done.reactivated),
            },
        )
    return done


def export_people(sessions: sessionmaker[Session]) -> bytes:
    """Everyone active, in the import's format (name;role;phone): it reads straight back in."""
    with unit_of_work(sessions) as s:
        people = sorted((p for p in _known(s) if p.active), key=lambda p: danish_order(p.name))
        return people_csv((p.name, p.role, p.phone) for p in people)


def list_people(sessions: sessionmaker[Session]) -> list[PersonLine]:
    """Everyone the kiosk knows by name: active first, then by name."""
    with unit_of_work(sessions) as s:
        people = sorted(_known(s), key=lambda p: (not p.active, danish_order(p.name)))
        return [
            PersonLine(
                p.name,
                p.role,
                role_word(p.role),
                phone_text(p.phone) if p.phone else "",
                ("ja" if p.pin_hash else "nej") if p.role in STAFF_ROLES else "–",
                p.active,
            )
            for p in people
        ]


def _code_holder(s: Session, wanted: str) -> Person:
    person = find_person(s, wanted)
    if person.role not in STAFF_ROLES:
        said = L_(
            "{name} er {role}: kun medarbejdere, ledere og administratorer har en kode.",
            name=person.name,
            role=role_word(person.role),
        )
        raise DomainError(f"{person.id} is a {person.role}", user_message=said)
    if not person.active:
        said = L_("{name} er deaktiveret. Gør personen aktiv igen under Personer på kiosken først.", name=person.name)
        raise DomainError(f"{person.id} is not active", user_message=said)
    return person


@dataclass(frozen=True)
class CodeHolder:
    name: str
    digits: str  # how long their code must be, as the prompt says it: "4 tal", "6 til 8 tal"


def code_holder(sessions: sessionmaker[Session], wanted: str) -> CodeHolder:
    """The person `kiosk people set-code PERSON` means, checked before the code is asked for: found (the id, an
    8-digit phone number, or a name only one person has), active, and staff (a resident has no code)."""
    with unit_of_work(sessions) as s:
        person = _code_holder(s, wanted)
        return CodeHolder(person.name, "6 til 8 tal" if person.role in LEADER_ROLES else "4 tal")


def set_code(sessions: sessionmaker[Session], wanted: str, pin: str, *, kiosk_id: str, at: datetime) -> str:
    """A new code for a worker (4 digits), leader or admin (6 to 8), under the Personer screen's rules.  Journaled
    as "pin_set" without the code (and with no person as who: it came from the shell).  Returns the name."""
    with unit_of_work(sessions) as s:
        person = _code_holder(s, wanted)
        problem = code_problem(pin, person.role)
        if problem is not None:
            raise CodeRefused("code refused", user_message=L_("{problem}.", problem=problem))
        if code_taken(s, person, pin):
            raise CodeRefused("code taken", user_message=L_("Den kode er optaget. Vælg en anden."))
        person.pin_hash = hash_pin(pin)
        journal.append(
            s, kiosk_id=kiosk_id, kind="pin_set", at=at, payload={"person": str(person.id), "by": "kommandolinjen"}
        )
        return person.name
