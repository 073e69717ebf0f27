"""Staff create, change and cancel (Aflys) småjobs: journaled with who, and a cancellation reaches every resident."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from kiosk.db.engine import unit_of_work
from kiosk.db.models import JournalEntry
from kiosk.domain.jobs import JobInvalid
from kiosk.domain.scan import make_payload
from kiosk.errors import DomainError
from kiosk.printouts.document import QR
from kiosk.services.jobs.admin import JobAdmin, JobDraft
from kiosk.services.jobs.board import Jobs
from kiosk.services.jobs.signup_types import JobClosed, SignupRefused
from kiosk.services.jobs.signups import Signups
from kiosk.services.people.directory import People
from kiosk.services.records.journal import verify
from kiosk.services.reports.impact import collect
from tests.conftest import SettableClock

START = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)  # Saturday 10.00 in Copenhagen


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(START - timedelta(days=3))


@pytest.fixture
def admin(sessions: Any, clock: SettableClock) -> JobAdmin:
    return JobAdmin(sessions, "kiosk-1", clock)


@pytest.fixture
def team(sessions: Any) -> dict[str, Any]:
    people = People(sessions)
    return {"leader": people.add("Lasse Leder", "supervisor", pin="2468"), "worker": people.add("Ali Hansen", "worker")}


def draft(capacity: int = 2, title: str = "Juletræer i gården", start: datetime = START) -> JobDraft:
    return JobDraft(
        title, "Vi sætter juletræer op.", "Gården ved Nyvej 23", start, start + timedelta(hours=3), capacity
    )


def journal(sessions: Any, kind: str) -> list[JournalEntry]:
    with unit_of_work(sessions) as s:
        return list(s.scalars(select(JournalEntry).where(JournalEntry.kind == kind).order_by(JournalEntry.seq)))


def test_a_new_job_and_a_change_are_journaled_with_who_and_the_old_and_new_values(
    sessions: Any, admin: JobAdmin, team: dict[str, Any]
) -> None:
    leader = team["leader"].id
    job = admin.save(leader, draft(capacity=2))
    assert Jobs(sessions).upcoming(START - timedelta(days=1))[0].title == "Juletræer i gården"
    [created] = journal(sessions, "job_created")
    assert created.person_id == leader
    assert json.loads(created.payload)["capacity"] == 2

    changed = admin.save(leader, draft(capacity=5, title="Juletræer og lys"), job.id)
    assert (changed.id, changed.qr_token, changed.capacity) == (job.id, job.qr_token, 5)  # posters keep working
    [entry] = journal(sessions, "job_changed")
    assert entry.person_id == leader
    assert json.loads(entry.payload)["changes"] == {
        "title": {"old": "Juletræer i gården", "new": "Juletræer og lys"},
        "capacity": {"old": 2, "new": 5},
    }


def test_a_worker_may_not_create_jobs_and_places_cannot_drop_below_those_taken(
    sessions: Any, admin: JobAdmin, signups: Signups, team: dict[str, Any]
) -> None:
    with pytest.raises(DomainError) as refused:
        admin.save(team["worker"].id, draft())
    assert refused.value.user_message == "Det kræver en ansvarlig"
    job = admin.save(team["leader"].id, draft(capacity=2))
    signups.sign_up_new(job.id, "Nadia", "23456789", consent=True)
    signups.sign_up_new(job.id, "Omar", None, consent=True)
    with pytest.raises(JobInvalid) as invalid:
        admin.save(team["leader"].id, draft(capacity=1), job.id)
    assert invalid.value.problems["capacity"] == "2 er allerede tilmeldt. Der skal være mindst 2 pladser."
    assert journal(sessions, "job_changed") == []


def test_cancelling_tells_everyone_signed_up_or_waiting_at_their_next_scan_and_on_the_call_list(
    sessions: Any, admin: JobAdmin, signups: Signups, clock: SettableClock, team: dict[str, Any]
) -> None:
    job = admin.save(team["leader"].id, draft(capacity=1))
    nadia = signups.sign_up_new(job.id, "Nadia", "23456789", consent=True)
    omar = signups.sign_up_new(job.id, "Omar", None, consent=True)  # waitlist, no phone
    assert omar.status == "waitlist"

    done = admin.cancel(team["leader"].id, job.id)
    assert (done.residents, done.to_call, done.job.cancelled) == (2, 1, True)
    [entry] = journal(sessions, "job_cancelled")
    assert entry.person_id == team["leader"].id and json.loads(entry.payload) == {"job": str(job.id), "signups": 2}

    # gone from the residents' list; its poster and a new sign-up say it is cancelled
    assert Jobs(sessions).upcoming(clock()) == []
    with pytest.raises(JobClosed) as closed:
        signups.sign_up_new(job.id, "Åse", None, consent=True)
    assert closed.value.user_message == "Jobbet er aflyst."

    # staff see both on "Ring til", marked as cancelled
    calls = signups.call_list()
    assert [(c.name, c.phone_text, c.cancelled) for c in calls] == [
        ("Nadia", "23 45 67 89", True),
        ("Omar", "intet nummer", True),
    ]

    # Omar scans his card: he hears it, and leaves the call list
    assert omar.card is not None
    card = make_payload("card", omar.card_token)
    mine = signups.mine(card)
    assert [n.message for n in mine.news] == ["«Juletræer i gården» 5. december 2026 kl. 10.00–13.00 er aflyst. "
                                              "Du skal ikke komme."]  # fmt: skip
    assert mine.jobs == ()
    signups.mark_told([n.signup_id for n in mine.news])
    assert [c.name for c in signups.call_list()] == ["Nadia"]
    assert [e.kind for e in journal(sessions, "job_cancel_told")] == ["job_cancel_told"]

    # Nadia comes on the day with her slip anyway: told plainly, no check-in
    clock.now = START + timedelta(minutes=5)
    with pytest.raises(SignupRefused) as refused:
        signups.scan(next(el.data for el in nadia.slip.elements if isinstance(el, QR)))
    assert refused.value.user_message == "Jobbet er aflyst."

    # after the day: nobody is a no-show, and the report counts a cancelled job
    clock.now = START + timedelta(days=1)
    assert signups.close_past_jobs(clock()).no_shows == 0
    report = collect(sessions, START.date(), START.date(), now=clock())
    assert (report.jobs_offered, report.jobs_cancelled) == (0, 1)
    with unit_of_work(sessions) as s:
        assert verify(s, "kiosk-1").ok


def test_a_job_that_has_begun_or_is_already_cancelled_cannot_be_cancelled(
    sessions: Any, admin: JobAdmin, clock: SettableClock, team: dict[str, Any]
) -> None:
    leader = team["leader"].id
    job = admin.save(leader, draft())
    with pytest.raises(DomainError) as refused:
        admin.cancel(team["worker"].id, job.id)
    assert refused.value.user_message == "Det kræver en ansvarlig"
    admin.cancel(leader, job.id)
    with pytest.raises(DomainError) as again:
        admin.cancel(leader, job.id)
    assert again.value.user_message == "Jobbet er allerede aflyst."
    with pytest.raises(DomainError) as changed:
        admin.save(leader, draft(capacity=4), job.id)
    assert changed.value.user_message == "Jobbet er aflyst."

    later = admin.save(leader, draft(title="Snerydning", start=START + timedelta(days=2)))
    clock.now = START + timedelta(days=2, minutes=1)
    with pytest.raises(DomainError) as begun:
        admin.cancel(leader, later.id)
    assert begun.value.user_message == "Jobbet er gået i gang og kan ikke aflyses."
    assert len(journal(sessions, "job_cancelled")) == 1
