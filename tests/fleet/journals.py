"""A kiosk's journal as the kiosk holds it and as the server keeps and walks it (the fleet tests compare them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from kiosk.bootstrap import Services
from kiosk.db.engine import unit_of_work
from kiosk.db.models import FleetJournal, JournalEntry
from kiosk.services.fleet import FleetSync
from kiosk.services.fleet.chain import JournalState

if TYPE_CHECKING:
    from tests.fleet.test_fleet_sync import Fleet


def _sync(k: Services) -> FleetSync:
    assert k.sync is not None
    return k.sync.sync


def local_journal(k: Services) -> list[tuple[int, str]]:
    with unit_of_work(k.sessions) as s:
        rows = s.execute(
            select(JournalEntry.seq, JournalEntry.hash)
            .where(JournalEntry.kiosk_id == k.settings.kiosk.id)
            .order_by(JournalEntry.seq)
        )
        return [(int(seq), str(h)) for seq, h in rows]


def server_journal(fleet: Fleet, kiosk_no: int) -> list[tuple[int, str]]:
    with unit_of_work(fleet.server._sessions) as s:
        rows = s.execute(
            select(FleetJournal.seq, FleetJournal.hash)
            .where(FleetJournal.kiosk_no == kiosk_no)
            .order_by(FleetJournal.seq)
        )
        return [(int(seq), str(h)) for seq, h in rows]


def journal_on_server(fleet: Fleet, k: Services) -> JournalState:
    """The server's walk of this kiosk's journal, from its first entry (what `kiosk fleet list` prints)."""
    number = _sync(k).identity.kiosk_no
    return next(state.journal for state in fleet.server.kiosks() if state.number == number)
