"""The register of forgotten residents: who was erased on request, kept OUTSIDE the database, so that restoring an
older backup (which still holds the name and phone number) never brings a forgotten person back.

One line per erasure, `{"person": "<uuid>", "at": "<iso time>"}`, no name or number: the register itself must not
be personal data.  It is written before the erasure (a crash in between leaves someone registered but not yet
erased, which the next start or restore finishes; the other order could lose the request).  Every start and every
`kiosk restore` re-applies it.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from kiosk.config import Settings
from kiosk.db.models import Person
from kiosk.services.jobs import ERASED_NAME, Signups
from kiosk.services.people.person_data import CannotForget, ForgetResult, find_person, forget_person
from kiosk.services.records import journal_key_path

log = logging.getLogger(__name__)


def register_path(settings: Settings) -> Path:
    """Beside the database it belongs to (`kiosk.sqlite` -> `kiosk-forgotten.jsonl`), so the demo database and
    the shop's never share one; `<data_dir>/forgotten.jsonl` for a database that is not a file."""
    key = journal_key_path(settings)
    stem = key.name.removesuffix("journal.key")
    return key.with_name(f"{stem}forgotten.jsonl")


def note(path: Path, person_id: uuid.UUID, at: datetime) -> None:
    """Append one erasure, flushed to disk before the erasure itself is done."""
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({"person": str(person_id), "at": at.isoformat()}) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def registered(path: Path) -> list[uuid.UUID]:
    """The ids in the register (a torn last line after a power cut is skipped, the rest still count)."""
    if not path.is_file():
        return []
    found = []
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            found.append(uuid.UUID(json.loads(raw)["person"]))
        except (ValueError, KeyError, TypeError):
            log.warning("skipping an unreadable line in %s", path)
    return found


def forget(signups: Signups, sessions: sessionmaker[Session], path: Path, wanted: str, now: datetime) -> ForgetResult:
    """`kiosk person forget`: the register first, then the erasure (see the module's note on the order)."""
    with sessions() as s:
        person = find_person(s, wanted)
        if person.role != "resident":
            raise CannotForget(f"{person.id} is {person.role}")
        person_id = person.id
    note(path, person_id, now)
    return forget_person(signups, sessions, str(person_id), now)


def reapply(signups: Signups, sessions: sessionmaker[Session], path: Path, now: datetime) -> int:
    """Erase again everyone in the register whom the database still names (after a restore, or a database copied
    in by hand).  Returns how many were erased again."""
    again = 0
    for person_id in registered(path):
        with sessions() as s:
            still_named = _still_named(s, person_id)
        if still_named:
            forget_person(signups, sessions, str(person_id), now)
            again += 1
    if again:
        log.warning("%d forgotten residents were back in the database and are erased again", again)
    return again


def _still_named(s: Session, person_id: uuid.UUID) -> bool:
    person = s.get(Person, person_id)
    return person is not None and person.name != ERASED_NAME
