"""The impact report run on the server counts every kiosk's synced sales: its figures are the kiosks' own, summed."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from kiosk.clock import Clock
from kiosk.db.engine import unit_of_work
from kiosk.db.models import Person
from kiosk.services.reports.impact import collect
from tests.fleet.server import kiosk_command
from tests.fleet.test_fleet_sync import SELLER, Fleet, enrolled, fleet, sell, sync_of  # noqa: F401 (the module's server)

LEADER = uuid.UUID("00000000-0000-4000-8000-00000000001e")
MONDAY = datetime(2030, 1, 7, 10, 0, tzinfo=UTC)


def _figures(stdout: str) -> dict[str, str]:
    return dict(line.strip().split(": ", 1) for line in stdout.splitlines() if line.startswith("  "))


def test_the_impact_report_on_the_server_counts_both_kiosks_sales(fleet: Fleet) -> None:  # noqa: F811
    with unit_of_work(fleet.server._sessions) as s:  # a leader to approve the refund, reaching kiosks by the pull
        s.add(Person(id=LEADER, name="Lis Leder", role="supervisor"))
    clock: Clock = lambda: MONDAY  # noqa: E731
    kiosks = [enrolled(fleet, name, clock) for name in ("Effekt ved døren", "Effekt i caféen")]
    door, cafe = kiosks
    out = str(fleet.root / "effekt.csv")
    report = ("export", "impact", "--from", "2030-01-01", "--to", "2030-01-31", "--out", out, "--no-png")
    try:
        for _ in range(5):
            sell(door)  # 5 × 15 kr.
        first = sell(cafe, 2)
        for _ in range(6):
            sell(cafe, 2)  # 7 × 30 kr., one coffee of the first given back
        cafe.sales.refund(first, {0: 1}, "card", SELLER, LEADER, reference="R")
        before = kiosk_command(fleet.root / "server.toml", *report)
        assert before.returncode == 0, before.stderr
        assert _figures(before.stdout)["Salg i alt"] == "0,00\xa0kr."  # nothing synced yet
        for k in kiosks:
            assert sync_of(k).push() > 0
        on_server = kiosk_command(fleet.root / "server.toml", *report)
        assert on_server.returncode == 0, on_server.stderr
        figures = _figures(on_server.stdout)
        own = [collect(k.sessions, date(2030, 1, 1), date(2030, 1, 31)) for k in kiosks]
        assert [r.sales_ore for r in own] == [7500, 19500]
        assert figures["Salg i alt"] == "270,00\xa0kr."  # 75 + 195: the two kiosks' own figures, summed
        assert figures["Antal køb"] == "12"  # 5 + 7 receipts
        assert sum(r.refunds for r in own) == 1
        assert not [c for c in fleet.server.conflicts() if c["reason"] in ("changed", "cloned")]
    finally:
        for k in kiosks:
            k.close()
