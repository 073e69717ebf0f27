"""Job sign-ups on several kiosks: the places are the server's.  Online a kiosk signs up through `kiosk web` (the
server's own Signups counts the last place); offline it says so and notes the name for staff."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kiosk.services.fleet.signups import NeedsConnection
from kiosk.services.jobs.signup_types import AlreadySignedUp
from tests.conftest import add_job
from tests.fleet.server import kiosk_command
from tests.fleet.test_fleet_sync import Fleet, enrolled, fleet, sync_of  # noqa: F401 (the module's server)


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
