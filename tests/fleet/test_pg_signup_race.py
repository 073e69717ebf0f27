"""The last place on PostgreSQL (the server a phone's sign-up reaches): two sign-ups at the same moment, in two
real connections, give one place and one waitlist, and both are journaled in one unbroken chain.  On SQLite the
write lock taken at BEGIN serialises them; on PostgreSQL the job's row lock and the journal's lock must."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kiosk.bootstrap import open_database
from kiosk.config import DatabaseSettings, Settings
from kiosk.services.jobs import Signups
from kiosk.services.records import journal
from tests.conftest import add_job
from tests.fleet.postgres import Cluster

JOB_START = datetime(2030, 1, 2, 9, tzinfo=UTC)


def test_two_sign_ups_for_the_last_place_at_once_give_one_place(postgres: Cluster, tmp_path: Path) -> None:
    settings = dataclasses.replace(
        Settings(), database=DatabaseSettings(url=postgres.new_database()), data_dir=tmp_path / "server"
    )
    engine, sessions = open_database(settings)
    try:
        signups = Signups(sessions, settings.kiosk.id, lambda: datetime.now(UTC))
        first = add_job(sessions, "Mal bænkene", JOB_START - timedelta(days=1), 2)
        cards = [
            signups.sign_up_new(first.id, name, None, consent=True).card_token  # type: ignore[attr-defined]
            for name in ("Noor Haddad", "Gitte Beboer")
        ]
        for round_no in range(6):  # residents with a card: no new person row, nothing else to wait on
            job = add_job(sessions, f"Fej trappen {round_no}", JOB_START + timedelta(days=round_no), 1)
            outcome = _at_once(lambda card, j=job.id: signups.sign_up_by_card(j, card).status, cards)  # type: ignore[attr-defined]
            assert sorted(outcome) == ["signed_up", "waitlist"], outcome
        pairs = [("Ida Holm", "Ole Berg"), ("Aya Nour", "Emil Friis"), ("Sara Lund", "Adam Kaya")]
        for round_no, names in enumerate(pairs):  # two new residents on two phones
            job = add_job(sessions, f"Rens bedet {round_no}", JOB_START + timedelta(days=10 + round_no), 1)
            outcome = _at_once(
                lambda name, j=job.id: signups.sign_up_new(j, name, None, consent=True).status, list(names)
            )  # type: ignore[attr-defined]
            assert sorted(outcome) == ["signed_up", "waitlist"], outcome
        with sessions() as s:
            assert journal.verify(s, settings.kiosk.id).ok
    finally:
        engine.dispose()


def _at_once(act: Callable[[str], str], inputs: list[str]) -> list[str]:
    """`act` for each input in its own thread (its own connection), released together; what each got."""
    results: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(len(inputs))

    def run(value: str) -> None:
        start.wait(timeout=30)
        try:
            results.append(act(value))
        except BaseException as exc:  # the test reports what a person would have met
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(v,)) for v in inputs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    return results
