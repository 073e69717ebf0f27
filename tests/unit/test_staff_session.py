"""The staff session (kiosk/services/people/staff_session.py): who has staff mode open, and each end journaled once
with its reason; a new leader ends the old one's session first; a rebuilt set of screens starts over unjournaled."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from kiosk.services.people import PersonView, StaffSession

NOW = datetime(2026, 11, 23, 13, 5, tzinfo=UTC)


def leader(name: str) -> PersonView:
    return PersonView(uuid.uuid4(), name, "supervisor", True, None)


def session() -> tuple[StaffSession, list[tuple[uuid.UUID, str]], list[PersonView | None]]:
    ended: list[tuple[uuid.UUID, str]] = []
    heard: list[PersonView | None] = []
    staff = StaffSession(lambda person_id, reason: ended.append((person_id, reason)), lambda: NOW)
    staff.add_listener(heard.append)
    return staff, ended, heard


def test_a_session_ends_once_with_its_reason_and_the_screens_hear_it() -> None:
    staff, ended, heard = session()
    jorgen = leader("Jørgen Hansen")
    staff.start(jorgen)
    assert (staff.leader, staff.since, staff.is_open) == (jorgen, NOW, True)
    staff.end("idle")
    staff.end("left")  # nothing open any more: nothing journaled
    assert ended == [(jorgen.id, "idle")]
    assert heard == [jorgen, None]
    assert not staff.is_open


def test_another_leader_logs_the_first_one_out() -> None:
    staff, ended, _heard = session()
    jorgen, anne = leader("Jørgen Hansen"), leader("Anne Berg")
    staff.start(jorgen)
    staff.start(jorgen)  # a double read: no logout
    staff.start(anne)
    assert ended == [(jorgen.id, "logout")]
    assert staff.leader == anne


def test_rebuilt_screens_forget_the_session_without_a_journal_line() -> None:
    staff, ended, heard = session()
    staff.hand_to(leader("Jørgen Hansen"))
    staff.forget()
    assert ended == [] and staff.leader is None and heard[-1] is None
