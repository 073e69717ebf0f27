"""Check-in hours on several kiosks reach the server like sales, each shift once, so `kiosk export hours` run on
the server counts every kiosk's hours."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from kiosk.clock import Clock
from kiosk.db.engine import unit_of_work
from kiosk.db.migrate import head_revision
from kiosk.db.models import Person
from kiosk.services.fleet.link import Link
from tests.fleet.server import kiosk_command
from tests.fleet.test_fleet_sync import Fleet, enrolled, fleet, sync_of  # noqa: F401 (the module's server)

MORNING = datetime(2030, 1, 7, 8, 0, tzinfo=UTC)


def test_hours_checked_in_on_two_kiosks_are_in_the_servers_hours_export(fleet: Fleet) -> None:  # noqa: F811
    with unit_of_work(fleet.server._sessions) as s:  # two workers with badges, kept on the server
        s.add(Person(name="Bent Dør", role="worker", badge_token="BADGE-BENT"))
        s.add(Person(name="Cilla Café", role="worker", badge_token="BADGE-CILLA"))
    now = [MORNING]
    clock: Clock = lambda: now[0]  # noqa: E731
    kiosks = [enrolled(fleet, name, clock) for name in ("Timer ved døren", "Timer i caféen")]
    door, cafe = kiosks
    try:
        door.checkin.scan_badge("BADGE-BENT")
        cafe.checkin.scan_badge("BADGE-CILLA")
        checked_in = sync_of(door).outbox.first(10)  # the shift as it was at check-in, kept for a late replay
        now[0] = MORNING + timedelta(hours=2, minutes=30)
        door.checkin.scan_badge("BADGE-BENT")
        now[0] = MORNING + timedelta(hours=4)
        cafe.checkin.scan_badge("BADGE-CILLA")
        for k in kiosks:
            sync_of(k).push()
            assert sync_of(k).outbox.count() == 0
        sync = sync_of(door)  # the check-in state replayed after the check-out: acknowledged, nothing changes
        link = Link(fleet.web.url, f"{sync.identity.kiosk_no}:{sync.identity.secret}")
        rows = [{"seq": r.seq, "sale_id": str(r.sale_id), "receipt_no": 0, "payload": json.loads(r.payload)}
                for r in checked_in]  # fmt: skip
        assert [a["status"] for a in link.call("push", {"schema": head_revision(), "rows": rows})["acks"]] == ["same"]
        out = str(fleet.root / "timer.csv")
        on_server = kiosk_command(fleet.root / "server.toml", "export", "hours", "--month", "2030-01", "--out", out)
        assert on_server.returncode == 0, on_server.stderr
        assert "2 personer, i alt 6,50 timer" in on_server.stdout
        for k, name in ((door, "Bent Dør"), (cafe, "Cilla Café")):
            here = kiosk_command(
                k.settings.config_file,  # type: ignore[arg-type]
                "export", "hours", "--month", "2030-01", "--out", str(fleet.root / f"{name}.csv"),
            )  # fmt: skip
            line = next(x for x in here.stdout.splitlines() if x.strip().startswith(name))
            assert line in on_server.stdout.splitlines()  # the kiosk's own figure, on the server
        assert not [c for c in fleet.server.conflicts() if str(c["reason"]).startswith("shift")]
    finally:
        for k in kiosks:
            k.close()
