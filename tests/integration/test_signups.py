"""Sign-up at the kiosk: capacity and waitlist, Afmeld, check-in on the day, no-shows and deleting old data."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from kiosk.config import ShopSettings
from kiosk.db.engine import unit_of_work
from kiosk.db.models import JournalEntry, Person, Signup
from kiosk.domain.scan import DEFAULT_JOB_URL, classify, make_payload
from kiosk.errors import ImportRejected
from kiosk.printouts.document import QR, Document
from kiosk.printouts.job_slips import job_slip
from kiosk.services.jobs.board import Jobs, JobView
from kiosk.services.jobs.signup_types import AlreadySignedUp, ConsentMissing, JobClosed, OutsideWindow, UnknownCode
from kiosk.services.jobs.signups import Signups
from tests.conftest import SettableClock, add_job, sample

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # 10.00 in Copenhagen


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(START - timedelta(days=7))


def make_job(sessions: Any, capacity: int = 2, start: datetime = START) -> JobView:
    return add_job(  # type: ignore[return-value]
        sessions, "Oprydning i gården", start, capacity, description="Handsker ligger klar."
    )


def qr_payloads(doc: Document) -> list[str]:
    return [el.data for el in doc.elements if isinstance(el, QR)]


def journal_rows(sessions: Any) -> list[JournalEntry]:
    with unit_of_work(sessions) as s:
        return list(s.scalars(select(JournalEntry).order_by(JournalEntry.seq)))


def test_the_shared_jobs_file_imports_four_jobs_listed_with_free_places(sessions: Any) -> None:
    jobs = Jobs(sessions)
    assert jobs.import_csv(sample("jobs.csv").read_bytes()).created == 4
    upcoming = jobs.upcoming(datetime(2026, 11, 1, tzinfo=UTC))
    assert upcoming[0].title == "Oprydning i gården"
    assert upcoming[0].free_text == "6 ledige pladser"
    assert jobs.by_qr(upcoming[1].qr_token).id == upcoming[1].id
    assert jobs.find("cykel").title == "Cykelværksted for børn"


def test_a_file_with_one_bad_row_imports_nothing_and_names_the_row(sessions: Any) -> None:
    good = sample("jobs.csv").read_text(encoding="utf-8").splitlines()
    bad = [*good[:3], "Fejl;Gården;2026-12-02 10:00;2026-12-02 09:00;2;", *good[3:]]
    with pytest.raises(ImportRejected) as caught:
        Jobs(sessions).import_csv("\n".join(bad).encode())
    assert [row for row, _ in caught.value.problems] == [4]
    assert Jobs(sessions).upcoming(datetime(2026, 11, 1, tzinfo=UTC)) == []


def test_a_full_job_waitlists_and_a_cancellation_moves_the_first_up_with_news(sessions: Any, signups: Signups) -> None:
    job = make_job(sessions, capacity=2)
    a = signups.sign_up_new(job.id, "Åse", "12 34 56 78", consent=True)
    b = signups.sign_up_new(job.id, "Bo", None, consent=True)
    c = signups.sign_up_new(job.id, "Cem", "87654321", consent=True)
    d = signups.sign_up_new(job.id, "Dina", None, consent=True)
    assert (a.status, b.status, c.status, d.status) == ("signed_up", "signed_up", "waitlist", "waitlist")
    assert d.message == "Du er på venteliste som nr. 2"
    assert a.first_timer and a.card is not None and a.job.free == 1
    cancelled = signups.cancel(signup_token=qr_payloads(a.slip)[0].split(":")[2])
    assert cancelled.moved_up and cancelled.job.free == 0
    news = signups.news_for(c.person_id)
    assert [n.job_title for n in news] == ["Oprydning i gården"]
    assert news[0].message.startswith("Der er blevet plads!")
    assert [(i.name, i.phone_text) for i in signups.call_list()] == [("Cem", "87 65 43 21")]
    signups.mark_told([n.signup_id for n in news])
    assert signups.news_for(c.person_id) == () and signups.call_list() == []
    assert signups.cancel(card_token=d.card_token, job_id=job.id).moved_up is False  # a waitlisted one just leaves
    kinds = [e.kind for e in journal_rows(sessions)]
    assert kinds.count("job_signup") == 4 and "job_cancel" in kinds and "job_moved_up" in kinds
    assert all("12345678" not in e.payload and "87654321" not in e.payload for e in journal_rows(sessions))


def test_signing_up_twice_for_one_job_is_refused(sessions: Any, signups: Signups) -> None:
    job = make_job(sessions)
    first = signups.sign_up_new(job.id, "Åse", None, consent=True)
    with pytest.raises(AlreadySignedUp) as caught:
        signups.sign_up_by_card(job.id, first.card_token)
    assert caught.value.user_message == "Du er allerede tilmeldt."
    signups.sign_up_new(job.id, "Bo", "12345678", consent=True)
    with pytest.raises(AlreadySignedUp):
        signups.sign_up_new(job.id, "bo", "+45 12 34 56 78", consent=True)  # typed again, no card
    again = signups.sign_up_by_card(make_job(sessions, start=START + timedelta(days=1)).id, first.card_token)
    assert again.status == "signed_up" and not again.first_timer and again.card is None


def test_signing_up_without_consent_stores_nobody(sessions: Any, signups: Signups) -> None:
    job = make_job(sessions)
    with pytest.raises(ConsentMissing):
        signups.sign_up_new(job.id, "Åse", "12345678", consent=False)
    with unit_of_work(sessions) as s:
        assert s.scalars(select(Person).where(Person.role == "resident")).all() == []


def test_a_worker_badge_or_a_foreign_code_is_refused_plainly(sessions: Any, signups: Signups) -> None:
    job = make_job(sessions)
    with unit_of_work(sessions) as s:
        s.add(Person(name="Karin", role="worker", badge_token="workerbadge1"))
    with pytest.raises(UnknownCode) as caught:
        signups.sign_up_by_card(job.id, "workerbadge1")
    assert "medarbejderkort" in caught.value.user_message
    with pytest.raises(UnknownCode):
        signups.scan("https://example.com/not-ours")


def test_check_in_opens_half_an_hour_before_and_a_second_scan_checks_out(
    sessions: Any, signups: Signups, clock: SettableClock
) -> None:
    job = make_job(sessions)
    slip_code = qr_payloads(signups.sign_up_new(job.id, "Åse", None, consent=True).slip)[0]
    clock.now = START - timedelta(hours=2)
    with pytest.raises(OutsideWindow) as caught:
        signups.scan(slip_code)
    assert caught.value.user_message == "Jobbet starter 1. december kl. 10.00."
    clock.now = START - timedelta(minutes=20)
    first = signups.scan(slip_code)
    assert first.action == "checked_in" and first.message == "Velkommen, Åse! Du er tjekket ind kl. 09.40"
    clock.now = START + timedelta(hours=2)
    second = signups.scan(slip_code)
    assert second.action == "checked_out" and second.minutes == 140
    with pytest.raises(JobClosed):
        signups.scan(slip_code)


def test_a_resident_card_checks_in_to_todays_job(sessions: Any, signups: Signups, clock: SettableClock) -> None:
    job = make_job(sessions)
    card = signups.sign_up_new(job.id, "Bo", None, consent=True).card
    assert card is not None
    clock.now = START + timedelta(minutes=5)
    assert signups.scan(qr_payloads(card)[0]).action == "checked_in"


def test_those_who_never_came_are_counted_as_no_shows_after_the_job(
    sessions: Any, signups: Signups, clock: SettableClock
) -> None:
    job = make_job(sessions, capacity=3)
    came = signups.sign_up_new(job.id, "Åse", None, consent=True)
    signups.sign_up_new(job.id, "Bo", None, consent=True)
    clock.now = START
    signups.scan(qr_payloads(came.slip)[0])
    result = signups.close_past_jobs(START + timedelta(hours=4))
    assert (result.jobs, result.no_shows, result.completed) == (1, 1, 1)
    assert signups.close_past_jobs(START + timedelta(hours=5)).jobs == 0  # runs daily, counts once
    with unit_of_work(sessions) as s:
        statuses = sorted(s.scalars(select(Signup.status)))
    assert statuses == ["completed", "no_show"]


def test_retention_erases_only_residents_past_the_limit_and_journals_counts_without_names(
    sessions: Any, signups: Signups, clock: SettableClock
) -> None:
    old_job = make_job(sessions, start=START - timedelta(days=500))
    new_job = make_job(sessions, start=START - timedelta(days=30))
    clock.now = START - timedelta(days=510)
    old = signups.sign_up_new(old_job.id, "Gamle Gunnar", "11223344", consent=True)
    clock.now = START - timedelta(days=40)
    recent = signups.sign_up_new(new_job.id, "Nye Nadia", None, consent=True)
    result = signups.delete_inactive_residents(START)
    assert result.erased == 1
    with unit_of_work(sessions) as s:
        gone, kept = s.get(Person, old.person_id), s.get(Person, recent.person_id)
        assert gone is not None and kept is not None
        assert (gone.name, gone.phone, gone.badge_token, gone.active) == ("Slettet beboer", None, None, False)
        assert kept.name == "Nye Nadia"
        assert s.scalar(select(Signup.status).where(Signup.person_id == old.person_id)) == "signed_up"  # still counted
    entry = [e for e in journal_rows(sessions) if e.kind == "residents_erased"][-1]
    assert json.loads(entry.payload)["count"] == 1 and entry.person_id is None
    assert all("Gunnar" not in e.payload and "11223344" not in e.payload for e in journal_rows(sessions))
    assert signups.delete_inactive_residents(START).erased == 0


def test_slip_qr_codes_classify_to_their_kind_and_token(sessions: Any, signups: Signups) -> None:
    job = make_job(sessions)
    result = signups.sign_up_new(job.id, "Åse", None, consent=True)
    shop = ShopSettings(job_url=DEFAULT_JOB_URL)
    assert qr_payloads(job_slip(job, shop)) == [f"{DEFAULT_JOB_URL}{job.qr_token}"]
    assert classify(qr_payloads(job_slip(job, shop))[0], DEFAULT_JOB_URL) == classify(make_payload("job", job.qr_token))
    with unit_of_work(sessions) as s:
        token = s.scalar(select(Signup.token).where(Signup.id == result.signup_id))
    found = classify(qr_payloads(result.slip)[0])
    assert (found.kind, found.value) == ("signup", token)
    assert result.card is not None
    assert (classify(qr_payloads(result.card)[0]).kind, classify(qr_payloads(result.card)[0]).value) == (
        "card", result.card_token)  # fmt: skip
    text = result.slip.as_text(42)
    assert "Afmeld: scan denne kode" in text and "1. december 2026" in text and "10.00–13.00" in text
