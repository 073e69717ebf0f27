"""A resident's own data and the kiosk's daily upkeep: `kiosk person export` shows everything stored about them,
`kiosk person forget` erases them at once (their place goes to the waitlist), a resident's list of upcoming jobs,
a job's list for staff, and the once-a-day upkeep the app and `kiosk jobs close` share."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kiosk import cli, cli_jobs, cli_person
from kiosk.config import PrinterSettings
from kiosk.devices.escpos_decode import qr_payloads
from kiosk.devices.printer import EscposPrinter
from kiosk.domain.scan import make_payload
from kiosk.services.jobs.board import JobView
from kiosk.services.jobs.signups import Signups
from kiosk.services.people.person_data import CannotForget, PersonNotFound, export_person, forget_person
from tests.conftest import SettableClock, add_job

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # 10.00 in Copenhagen


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(START - timedelta(days=7))


def make_job(sessions: Any, capacity: int = 1, start: datetime = START) -> JobView:
    return add_job(sessions, "Oprydning i gården", start, capacity)  # type: ignore[return-value]


def test_export_holds_the_person_and_every_sign_up_with_hours(
    sessions: Any, signups: Signups, clock: SettableClock
) -> None:
    job = make_job(sessions)
    result = signups.sign_up_new(job.id, "Åse Holm", "12 34 56 78", consent=True)
    clock.now = START + timedelta(minutes=5)
    signups.scan(make_payload("card", result.card_token))
    clock.now = START + timedelta(hours=2, minutes=5)
    signups.scan(make_payload("card", result.card_token))

    data = export_person(sessions, "12345678")  # found by phone number
    assert data["person"]["name"] == "Åse Holm" and data["person"]["phone"] == "12345678"
    assert data["person"]["has_card_or_badge"] and "badge_token" not in json.dumps(data)
    [signup] = data["signups"]
    assert (signup["job"], signup["status"], signup["minutes"]) == ("Oprydning i gården", "completed", 120)
    assert [e["kind"] for e in data["journal"]] == ["resident_created", "job_signup", "job_check_in", "job_check_out"]
    assert export_person(sessions, str(result.person_id)) == data
    with pytest.raises(PersonNotFound):
        export_person(sessions, "Nogen Andre")


def test_forget_erases_the_resident_and_gives_the_place_to_the_waitlist(sessions: Any, signups: Signups) -> None:
    job = make_job(sessions, capacity=1)
    gone = signups.sign_up_new(job.id, "Gunnar", "11223344", consent=True)
    waiting = signups.sign_up_new(job.id, "Bo", None, consent=True)
    assert waiting.status == "waitlist"

    done = forget_person(signups, sessions, "gunnar", START - timedelta(days=1))
    assert (done.cancelled, done.moved_up) == (1, 1)
    data = export_person(sessions, str(gone.person_id))
    assert data["person"]["name"] == "Slettet beboer" and data["person"]["phone"] is None
    assert not data["person"]["has_card_or_badge"] and not data["person"]["active"]
    assert "Gunnar" not in json.dumps(data) and "11223344" not in json.dumps(data)
    assert [(line.name, line.status) for line in signups.roster(job.id).lines] == [
        ("Bo", "signed_up"),
        ("Slettet beboer", "cancelled"),
    ]
    assert [c.name for c in signups.call_list()] == ["Bo"]


def test_workers_are_not_forgotten_here(sessions: Any, signups: Signups) -> None:
    from kiosk.services.people.directory import People
    from tests.conftest import sample

    People(sessions).import_csv(sample("people.csv").read_bytes())
    with pytest.raises(CannotForget):
        forget_person(signups, sessions, "Jørgen", START)


def test_a_card_shows_the_residents_upcoming_jobs_and_a_slip_only_its_own(sessions: Any, signups: Signups) -> None:
    first = signups.sign_up_new(make_job(sessions).id, "Åse", "12345678", consent=True)
    later = make_job(sessions, start=START + timedelta(days=2))
    second = signups.sign_up_by_card(later.id, first.card_token)
    mine = signups.mine(make_payload("card", first.card_token))
    assert mine.name == "Åse" and [j.job.starts_at for j in mine.jobs] == [START, START + timedelta(days=2)]
    slip_code = qr_payloads(EscposPrinter(PrinterSettings(url="dummy")).render(second.slip))[0]
    assert [j.signup_id for j in signups.mine(slip_code).jobs] == [second.signup_id]


def test_the_daily_upkeep_marks_no_shows_and_erases_residents_past_the_limit(
    sessions: Any, signups: Signups, clock: SettableClock
) -> None:
    job = make_job(sessions, capacity=3)
    signups.sign_up_new(job.id, "Villads", None, consent=True)
    clock.now = START + timedelta(hours=4)
    done = signups.daily_upkeep()
    assert (done.closed.jobs, done.closed.no_shows, done.retention.erased) == (1, 1, 0)
    assert [line.status for line in signups.roster(job.id).lines] == ["no_show"]
    clock.now = START + timedelta(days=400)
    assert signups.daily_upkeep().retention.erased == 1
    assert signups.daily_upkeep().retention.erased == 0  # safe to run again


def test_person_commands(sessions: Any, signups: Signups, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    signups.sign_up_new(make_job(sessions, start=datetime(2030, 1, 2, 9, tzinfo=UTC)).id, "Noor", None, consent=True)
    out = tmp_path / "noor.json"
    args = argparse.Namespace(config=None, demo=False, person="Noor", out=str(out))
    assert cli_person.cmd_person_export(args) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["person"]["name"] == "Noor"
    assert cli_person.cmd_person_forget(argparse.Namespace(config=None, demo=False, person="Noor")) == 0
    assert "1 tilmeldinger afmeldt" in capsys.readouterr().out
    assert cli.main(["person", "export", "Noor"]) == 1  # gone: "Ingen hedder 'Noor'."
    assert "Ingen hedder 'Noor'." in capsys.readouterr().err
    assert cli_jobs.cmd_jobs_close(argparse.Namespace(config=None, demo=False)) == 0
    assert "job afsluttet" in capsys.readouterr().out
