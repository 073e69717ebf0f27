"""Job sign-ups on several kiosks: the places are the server's.  Online a kiosk signs up through `kiosk web` (the
server's own Signups counts the last place); offline it says so and notes the name for staff."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from kiosk.clock import utc_now
from kiosk.db.engine import unit_of_work
from kiosk.db.models import Signup
from kiosk.domain import jobs as jt
from kiosk.domain.scan import make_payload
from kiosk.services.fleet import FleetSync
from kiosk.services.fleet.signups import (
    NEWS_TIMEOUT_S,
    CancelNeedsConnection,
    FleetSignups,
    NeedsConnection,
    noted_path,
)
from kiosk.services.jobs import Signups
from kiosk.services.jobs.signup_types import AlreadySignedUp
from tests.conftest import add_job
from tests.fleet.cable import Cable
from tests.fleet.server import kiosk_command
from tests.fleet.test_fleet_sync import Fleet, enrolled, fleet, sync_of  # noqa: F401 (the module's server)


@pytest.fixture(autouse=True)
def _patient_news(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about what the news says, not how fast a busy test machine's server answers: the kiosks
    they build wait up to 5 s for it (a shop's kiosk waits 0.5 s; the test below keeps that)."""
    monkeypatch.setattr("kiosk.services.fleet.signups.NEWS_TIMEOUT_S", 5.0)


def test_the_last_place_is_the_servers_and_offline_the_name_is_noted_for_staff(fleet: Fleet) -> None:  # noqa: F811
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    job = add_job(fleet.server._sessions, "Mal bænkene", start, 1)
    job_id = job.id  # type: ignore[attr-defined]
    door, cafe = enrolled(fleet, "Døren"), enrolled(fleet, "Caféen ved søen")
    try:
        first = door.signups.sign_up_new(job_id, "Bo Berg", "12345678", consent=True)
        assert (first.status, first.message) == ("signed_up", "Du er tilmeldt!")
        assert first.card is not None  # a first-timer's card, printed by the kiosk
        second = cafe.signups.sign_up_new(job_id, "Eva Ek", None, consent=True)
        assert (second.status, second.message) == ("waitlist", "Du er på venteliste som nr. 1")  # one place in all
        with pytest.raises(AlreadySignedUp):  # the new card, pulled to the other kiosk, is the same person
            cafe.signups.sign_up_by_card(job_id, first.card_token)
        sync_of(door).pull()
        assert (door.jobs.get(job_id).taken, door.jobs.get(job_id).waiting) == (1, 1)  # both kiosks' sign-ups

        fleet.web.stop()
        with pytest.raises(NeedsConnection) as offline:
            door.signups.sign_up_new(job_id, "Åse Ørbæk", "87654321", consent=True)
        assert offline.value.user_message == (
            "Tilmelding kræver forbindelse til serveren, og der er ingen lige nu. "
            "Dit navn er skrevet op til personalet."
        )
        status = kiosk_command(door.settings.config_file, "fleet", "status")  # type: ignore[arg-type]
        assert "Tilmeldinger uden forbindelse, skrevet op til personalet:" in status.stdout, status.stderr
        assert "Åse Ørbæk (87654321): «Mal bænkene»" in status.stdout
    finally:
        if fleet.web.process is None:
            fleet.web.start()
        door.close()
        cafe.close()


def test_a_place_from_the_waitlist_is_news_at_a_fleet_kiosk_once_and_never_old_news_offline(fleet: Fleet) -> None:  # noqa: F811
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=4)
    tiles = add_job(fleet.server._sessions, "Rens fliserne", start, 1).id  # type: ignore[attr-defined]
    hedge = add_job(fleet.server._sessions, "Klip hækken", start + timedelta(days=1), 1).id  # type: ignore[attr-defined]
    phones = Signups(fleet.server._sessions, "server", lambda: datetime.now(UTC))  # the phone pages' sign-ups
    door, cafe = enrolled(fleet, "Nyt ved døren"), enrolled(fleet, "Nyt i caféen")
    try:
        bo = door.signups.sign_up_new(tiles, "Bo Berg", None, consent=True)
        eva = door.signups.sign_up_new(tiles, "Eva Ek", None, consent=True)
        assert eva.status == "waitlist" and not eva.news
        phones.cancel(signup_token=bo.token)  # Bo cancels on his phone: the server gives Eva the place
        mine = door.signups.mine(make_payload("card", eva.card_token))  # Eva scans her card at the door
        when = f"{jt.date_text(start)} kl. {jt.time_range_text(start, start + timedelta(hours=3))}"
        assert [n.message for n in mine.news] == [f"Der er blevet plads! Du er nu tilmeldt «Rens fliserne» {when}."]
        door.signups.mark_told([n.signup_id for n in mine.news])  # the screen showed it
        assert not [c for c in phones.call_list() if c.name == "Eva Ek"]  # told on the server: staff need not call
        assert door.signups.mine(make_payload("card", eva.card_token)).news == ()  # said once
        sync_of(cafe).pull()
        assert cafe.signups.mine(make_payload("card", eva.card_token)).news == ()  # not again at the other kiosk

        # Offline: the door's mirror still says Dina's place is untold, but she was told at the café since.
        carl = door.signups.sign_up_new(hedge, "Carl Cort", None, consent=True)
        dina = door.signups.sign_up_new(hedge, "Dina Dam", None, consent=True)
        phones.cancel(signup_token=carl.token)
        sync_of(door).pull()
        sync_of(cafe).pull()
        at_cafe = cafe.signups.mine(make_payload("card", dina.card_token))
        assert [n.job_title for n in at_cafe.news] == ["Klip hækken"]
        cafe.signups.mark_told([n.signup_id for n in at_cafe.news])
        stale = Signups.news_for(door.signups, dina.person_id)  # what the door's own copy would say
        assert [n.job_title for n in stale] == ["Klip hækken"]
        fleet.web.stop()
        assert door.signups.mine(make_payload("card", dina.card_token)).news == ()  # no news rather than old news
    finally:
        if fleet.web.process is None:
            fleet.web.start()
        door.close()
        cafe.close()


def _statuses(fleet: Fleet, job_id: object) -> dict[str, str]:  # noqa: F811
    """The server's sign-ups of a job: the person's name -> status."""
    with unit_of_work(fleet.server._sessions) as s:
        return {x.person.name: x.status for x in s.scalars(select(Signup).where(Signup.job_id == job_id))}


def test_afmeld_at_a_fleet_kiosk_frees_the_servers_place_for_its_waitlist_and_offline_is_noted(fleet: Fleet) -> None:  # noqa: F811
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=5)
    job_id = add_job(fleet.server._sessions, "Fej gården", start, 1).id  # type: ignore[attr-defined]
    door, cafe = enrolled(fleet, "Afmeld ved døren"), enrolled(fleet, "Afmeld i caféen")
    try:
        bo = door.signups.sign_up_new(job_id, "Bo Berg", None, consent=True)
        eva = door.signups.sign_up_new(job_id, "Eva Ek", None, consent=True)
        assert eva.status == "waitlist"
        done = cafe.signups.cancel(signup_token=bo.token)  # Bo's slip, scanned at the other kiosk: Afmeld
        assert done.message == "Du er afmeldt «Fej gården». Tak fordi du sagde til."
        assert _statuses(fleet, job_id) == {"Bo Berg": "cancelled", "Eva Ek": "signed_up"}  # the server's own
        assert (cafe.jobs.get(job_id).taken, cafe.jobs.get(job_id).waiting) == (1, 0)  # mirrored at once
        mine = door.signups.mine(make_payload("card", eva.card_token))  # Eva scans her card at the first kiosk
        when = f"{jt.date_text(start)} kl. {jt.time_range_text(start, start + timedelta(hours=3))}"
        assert [n.message for n in mine.news] == [f"Der er blevet plads! Du er nu tilmeldt «Fej gården» {when}."]

        sync_of(door).pull()
        fleet.web.stop()  # offline: Eva's Afmeld cannot free the server's place; nothing changes anywhere
        with pytest.raises(CancelNeedsConnection) as offline:
            door.signups.cancel(signup_token=eva.token)
        assert offline.value.user_message == (
            "Afmelding kræver forbindelse til serveren, og der er ingen lige nu. "
            "Dit navn er skrevet op til personalet, som afmelder dig."
        )
        assert door.jobs.get(job_id).taken == 1  # the kiosk's copy still has her place
        noted = kiosk_command(door.settings.config_file, "fleet", "noted")  # type: ignore[arg-type]
        assert "Afmeldinger uden forbindelse, skrevet op til personalet:" in noted.stdout, noted.stderr
        assert "Eva Ek: «Fej gården»" in noted.stdout
        assert "Tilmeldinger uden forbindelse" not in noted.stdout
    finally:
        if fleet.web.process is None:
            fleet.web.start()
        door.close()
        cafe.close()
    assert _statuses(fleet, job_id) == {"Bo Berg": "cancelled", "Eva Ek": "signed_up"}


def test_a_scan_does_not_wait_for_news_a_server_will_not_give_at_once(fleet: Fleet) -> None:  # noqa: F811
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=6)
    job_id = add_job(fleet.server._sessions, "Vask vinduerne", start, 1).id  # type: ignore[attr-defined]
    phones = Signups(fleet.server._sessions, "server", lambda: datetime.now(UTC))
    door = enrolled(fleet, "Langsom forbindelse")
    cable = Cable(fleet.web.url)
    through = FleetSync(door.sessions, dataclasses.replace(sync_of(door).identity, server_url=cable.url))
    # the door, via the cable, waiting for news as long as a shop's kiosk does
    at_door = FleetSignups(door.signups, through, noted_path(door.settings), utc_now, news_wait_s=NEWS_TIMEOUT_S)
    try:
        bo = door.signups.sign_up_new(job_id, "Bo Berg", None, consent=True)
        eva = door.signups.sign_up_new(job_id, "Eva Ek", None, consent=True)
        phones.cancel(signup_token=bo.token)  # Eva has a place from the waitlist: news on the server
        card = make_payload("card", eva.card_token)

        cable.silent = True  # the server takes the request and never answers
        mine = at_door.mine(card)
        assert (mine.name, mine.news) == ("Eva Ek", ())  # her jobs at once, no news
        cable.silent, cable.answer_after = False, 1.5  # it answers, but not in the moment she stands there
        assert at_door.mine(card).news == ()  # left for her next scan
        cable.answer_after = 0.0
        # A later scan says it (on a busy test machine the server may miss 0.5 s once more: then the one after).
        told = next((mine.news for mine in (at_door.mine(card) for _ in range(10)) if mine.news), ())
        assert [n.job_title for n in told] == ["Vask vinduerne"]
    finally:
        through.close()
        cable.close()
        door.close()
