"""One lockout for every code entry, against a real SQLite file through the composition root, with a clock the
test moves: the lock doubles on each repeat and starts over after a right code, it survives a restart (a new
Services on the same file), it is per person across every entry point, the staff menu counts per kiosk, and a
leader's code shorter than 6 digits must be changed at the log-in that uses it."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from kiosk.db.engine import unit_of_work
from kiosk.db.models import JournalEntry
from kiosk.errors import DomainError
from kiosk.services.people import (
    BARCODE,
    CHECKIN,
    REFUND,
    TILL,
    CodeLockedError,
    MustChangeCodeError,
    WrongCodeError,
)
from tests.conftest import SettableClock
from tests.integration.conftest import ADMIN_CODE as ADMIN
from tests.integration.conftest import LEADER_CODE as LEADER
from tests.integration.conftest import WORKER_CODE as WORKER
from tests.integration.conftest import running_kiosk

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(START)


def entries(services: Any, *kinds: str) -> list[tuple[Any, dict[str, Any]]]:
    """Who and what, for entries of these kinds (what the journal adds to every entry, such as its key, left out)."""
    with unit_of_work(services.sessions) as s:
        q = select(JournalEntry).where(JournalEntry.kind.in_(kinds)).order_by(JournalEntry.seq)
        return [(e.person_id, _ours(json.loads(e.payload))) for e in s.scalars(q)]


def _ours(payload: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v for k, v in payload.items() if k in {"entry", "try", "tries", "minutes", "until", "method", "person", "by"}
    }


def guess_until_locked(enter: Callable[[str], object], wrong: str = "0000") -> datetime:
    """Four wrong codes say how many tries are left; the fifth locks, and the lock's end is returned."""
    for left in (4, 3, 2, 1):
        with pytest.raises(WrongCodeError) as caught:
            enter(wrong)
        assert caught.value.tries_left == left
    with pytest.raises(CodeLockedError) as locked:
        enter(wrong)
    return locked.value.until


def test_the_lock_doubles_on_each_repeat_survives_a_restart_and_a_right_code_starts_over(
    settings: Any, services: Any, team: dict[str, Any], clock: SettableClock
) -> None:
    worker = team["worker"].id

    def at_the_till(guard: Any) -> Callable[[str], object]:
        return lambda pin: guard.enter(worker, pin, TILL)

    assert guess_until_locked(at_the_till(services.code_guard)) == START + timedelta(minutes=5)
    with pytest.raises(CodeLockedError) as refused:
        services.code_guard.enter(worker, WORKER, TILL)  # even the right code waits
    assert refused.value.user_message == "For mange forkerte koder. Prøv igen kl. 10.05, eller brug dit kort."
    assert entries(services, "code_wrong") == [(worker, {"entry": "till", "try": n}) for n in (1, 2, 3, 4, 5)]
    with unit_of_work(services.sessions) as s:  # by id, never the digits typed
        said = [str(v) for e in s.scalars(select(JournalEntry)) for v in json.loads(e.payload).values()]
    assert "0000" not in said and WORKER not in said
    assert entries(services, "code_locked") == [
        (worker, {"entry": "till", "tries": 5, "minutes": 5, "until": "2026-11-23T09:05:00+00:00"})
    ]

    services.close()  # the kiosk restarts: the lock, and how many came before it, are still there
    with running_kiosk(settings, clock) as again:
        clock.now = START + timedelta(minutes=4, seconds=59)
        with pytest.raises(CodeLockedError):
            again.code_guard.enter(worker, WORKER, TILL)
        clock.now = START + timedelta(minutes=5)
        assert guess_until_locked(at_the_till(again.code_guard)) == clock.now + timedelta(minutes=10)
        clock.advance(minutes=10)
        assert guess_until_locked(at_the_till(again.code_guard)) == clock.now + timedelta(minutes=20)
        clock.advance(minutes=20)
        assert again.code_guard.enter(worker, WORKER, TILL).id == worker  # a right code ends the doubling
        assert entries(again, "code_ok") == [(worker, {"entry": "till"})]
        assert guess_until_locked(at_the_till(again.code_guard)) == clock.now + timedelta(minutes=5)
        assert again.code_guard.state(worker).locks == 1


def test_the_longest_lock_is_a_day(services: Any) -> None:
    guard = services.code_guard
    assert [guard.lock_length(n) for n in range(5)] == [timedelta(minutes=m) for m in (5, 10, 20, 40, 80)]
    assert guard.lock_length(9) == guard.lock_length(60) == timedelta(days=1)


def test_wrong_codes_anywhere_count_against_the_same_person_and_the_badge_still_works(
    services: Any, team: dict[str, Any]
) -> None:
    leader = team["leader"].id
    guard = services.code_guard
    for entry in (CHECKIN, CHECKIN, REFUND, BARCODE):
        with pytest.raises(WrongCodeError):
            guard.enter(leader, "999999", entry)
    with pytest.raises(CodeLockedError):
        guard.enter(leader, "999999", TILL)
    with pytest.raises(CodeLockedError):  # the staff menu finds his code, but it is locked
        services.staff_access.log_in_with_pin(LEADER)
    assert entries(services, "staff_login") == []
    assert services.code_guard.state(None).wrong_in_a_row == 0, "the kiosk's count at Personale is not his"
    badge = services.people.badge_token(leader)
    assert services.staff_access.log_in_with_badge(badge).id == leader
    assert guard.enter(team["admin"].id, ADMIN, REFUND).id == team["admin"].id, "another leader is not locked"


def test_the_staff_menu_counts_per_kiosk_and_a_right_code_there_ends_the_count(
    services: Any, team: dict[str, Any], clock: SettableClock
) -> None:
    access = services.staff_access
    for _ in range(3):
        with pytest.raises(WrongCodeError):
            access.log_in_with_pin(WORKER)  # a worker's code opens nothing here
    assert access.pin_state().wrong_in_a_row == 3
    assert access.log_in_with_pin(ADMIN).id == team["admin"].id
    assert access.pin_state().wrong_in_a_row == 0
    assert [who for who, _p in entries(services, "code_wrong")] == [None, None, None]  # nobody was chosen
    assert guess_until_locked(access.log_in_with_pin) == START + timedelta(minutes=5)
    with pytest.raises(CodeLockedError):
        access.log_in_with_pin(ADMIN)
    assert services.code_guard.enter(team["worker"].id, WORKER, CHECKIN).id == team["worker"].id


def test_a_time_clock_code_is_counted_and_locks_and_a_locked_one_stores_no_shift(
    services: Any, team: dict[str, Any]
) -> None:
    worker = team["worker"].id
    guess_until_locked(lambda pin: services.checkin.check_in_with_pin(worker, pin))
    with pytest.raises(CodeLockedError):
        services.checkin.check_in_with_pin(worker, WORKER)
    assert not services.checkin.is_checked_in(worker)
    assert [p["entry"] for _who, p in entries(services, "code_wrong")] == ["checkin"] * 5


def test_a_leaders_short_code_opens_once_to_choose_a_new_one_of_6_digits(services: Any, team: dict[str, Any]) -> None:
    old = services.people.add("Bo Leder", "supervisor", pin="4826")  # set before the 6-digit rule
    access = services.staff_access
    with pytest.raises(MustChangeCodeError) as caught:
        access.log_in_with_pin("4826")
    assert caught.value.person.id == old.id
    assert entries(services, "staff_login") == [], "the menu does not open yet"
    with pytest.raises(MustChangeCodeError):
        services.code_guard.enter(old.id, "4826", REFUND)  # nor does an approval
    assert services.checkin.check_in_with_pin(old.id, "4826").status == "checked_in"  # the time clock is no log-in

    with pytest.raises(DomainError) as short:
        access.log_in_with_new_code(old.id, "4826", "1234")
    assert short.value.user_message == "En leders kode skal være 6 til 8 tal"
    with pytest.raises(DomainError) as taken:
        access.log_in_with_new_code(old.id, "4826", ADMIN)  # Line's: either would open the other's menu
    assert taken.value.user_message == "Den kode er optaget. Vælg en anden"
    with pytest.raises(WrongCodeError):
        access.log_in_with_new_code(old.id, "0000", "482611")  # the old code is checked again (and counted)
    assert access.log_in_with_new_code(old.id, "4826", "482611").id == old.id
    assert entries(services, "staff_login") == [(old.id, {"method": "pin"})]
    assert entries(services, "pin_set") == [(old.id, {"person": str(old.id), "by": "themself", "entry": "staff"})]
    with pytest.raises(WrongCodeError):
        access.log_in_with_pin("4826")
    assert access.log_in_with_pin("482611").id == old.id


def test_codes_shorter_than_6_digits_are_refused_for_leaders_and_workers_keep_4(
    services: Any, team: dict[str, Any]
) -> None:
    admin, leader, worker = team["admin"].id, team["leader"].id, team["worker"].id

    def refused(person: Any, pin: str) -> str:
        with pytest.raises(DomainError) as caught:
            services.people_admin.set_pin(admin, person, pin)
        return caught.value.user_message

    assert refused(leader, "1470") == "En leders kode skal være 6 til 8 tal"
    assert refused(leader, "123456789") == "En leders kode skal være 6 til 8 tal"
    assert refused(worker, "135799") == "Koden skal være 4 tal"
    assert refused(leader, ADMIN) == "Den kode er optaget. Vælg en anden"
    services.people_admin.set_pin(admin, leader, "14703699")
    assert services.staff_access.log_in_with_pin("14703699").id == leader
    assert services.people_admin.set_role(admin, leader, "worker") is True, "a leader made worker loses the code"
    assert not services.people.check_pin(leader, "14703699")


def test_a_spreadsheet_that_makes_a_leader_a_worker_removes_the_leaders_code(
    services: Any, team: dict[str, Any]
) -> None:
    from kiosk.services.people import import_people

    data = "name;role;phone\nJørgen Bækgaard;worker;\n".encode()
    done = import_people(services.sessions, data, kiosk_id="kiosk-1", at=START)
    assert done.codes_removed == ("Jørgen Bækgaard",)
    assert not services.people.check_pin(team["leader"].id, LEADER), "a worker's code is 4 digits"
