"""A kiosk of several whose server never answers: what it tells people is right.  "N salg venter" counts sales (a
check-in waiting is not a sale), `kiosk fleet status` says the check-ins apart, and staff clear the sign-ups noted
offline with `kiosk fleet noted --clear`.  No server is needed: the kiosk's own SQLite and a closed port."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.bootstrap import build_services
from kiosk.devices.printer import PreviewPrinter
from kiosk.devices.scanner import FakeScanner
from kiosk.services.fleet import FleetIdentity, save_identity
from kiosk.services.fleet.signups import NeedsConnection, noted, noted_path
from tests.budget import budget
from tests.conftest import add_job
from tests.fleet.server import kiosk_command, kiosk_settings, wait_until_true
from tests.fleet.test_fleet_sync import sell, stock_coffee

NOBODY = "http://127.0.0.1:9/"  # the discard port: nothing listens, the connection is refused at once


def test_waiting_counts_sales_not_check_ins_and_staff_clear_the_noted_sign_ups(tmp_path: Path) -> None:
    settings = kiosk_settings(tmp_path, "alene")
    save_identity(settings, FleetIdentity(NOBODY, 7, "Alene", "hemmelig"))
    k = build_services(settings, printer=PreviewPrinter(42), scanner=FakeScanner())
    try:
        stock_coffee(k.sessions, badge_token="BADGE-ÅSE")  # what a pull would have brought
        job = add_job(k.sessions, "Mal bænkene", datetime.now(UTC).replace(microsecond=0) + timedelta(days=2), 3)
        sell(k)
        sell(k)
        k.checkin.scan_badge("BADGE-ÅSE")  # a check-in: queued for the server too, but not a sale
        worker = k.sync
        assert worker is not None
        worker.base, worker.interval = 0.1, 0.1
        worker.start()
        assert wait_until_true(lambda: worker.status.connected is False, budget(30))
        assert worker.status.text() == "Ikke forbundet – salget gemmes her (2 salg venter)"  # what the home says
        assert (worker.status.waiting, worker.status.shifts) == (2, 1)
        worker.stop()
        with pytest.raises(NeedsConnection):
            k.signups.sign_up_new(job.id, "Bo Berg", "12345678", consent=True)  # type: ignore[attr-defined]
    finally:
        k.close()
    config = settings.config_file
    assert config is not None
    status = kiosk_command(config, "fleet", "status")
    assert status.returncode == 3, status.stderr  # something waits
    lines = status.stdout.splitlines()
    assert "Kiosk 7: 2 salg venter på serveren." in lines
    assert "1 ind- og udtjekninger venter på serveren." in lines
    assert "Når de er ringet op eller tilmeldt: kiosk fleet noted --clear" in lines
    cleared = kiosk_command(config, "fleet", "noted", "--clear")
    assert cleared.returncode == 0, cleared.stderr
    assert "Bo Berg (12345678): «Mal bænkene»" in cleared.stdout  # shown one last time
    assert "Listen er tømt (1 tilmeldinger)." in cleared.stdout
    assert noted(noted_path(settings)) == []
    again = kiosk_command(config, "fleet", "noted")
    assert again.stdout.strip() == "Ingen tilmeldinger er skrevet op."


def test_the_home_screens_count_never_waits_for_a_write_lock(tmp_path: Path) -> None:
    """The sync's reads (and "N salg venter", asked by the home screen every 10 s) read from a snapshot: a writer
    holding the file's lock (a long write, another process) does not freeze the home screen for the busy timeout."""
    settings = kiosk_settings(tmp_path, "låst")
    save_identity(settings, FleetIdentity(NOBODY, 8, "Låst", "hemmelig"))
    k = build_services(settings, printer=PreviewPrinter(42), scanner=FakeScanner())
    try:
        stock_coffee(k.sessions)
        sell(k)
        sell(k)
        worker = k.sync
        assert worker is not None
        database = Path(k.settings.database_url.removeprefix("sqlite:///"))
        with sqlite3.connect(database, isolation_level=None) as other:
            other.execute("BEGIN IMMEDIATE")  # another writer holds the lock
            started = time.monotonic()
            status = worker.status
            took = time.monotonic() - started
            other.execute("ROLLBACK")
        assert (status.waiting, status.shifts) == (2, 0)
        assert took < 1.0, f"the count waited {took:.1f} s for the write lock"
        assert [r.receipt_no for r in worker.sync.outbox.first(10)] == [1, 2]  # the sync's reads do not wait either
    finally:
        k.close()
