"""Hypothesis over interleavings of sell / sync / kill / cut on two kiosks against the real `kiosk web` on
PostgreSQL.  Each kiosk talks to the server through its own cable (tests/fleet/cable.py) that the test cuts, or
that loses the server's answers (the acknowledgement lost; the kiosk killed mid-push, then restarted from its
SQLite file).  After every example the links are mended and each kiosk drained: the server holds exactly each
kiosk's sales, each once, no conflict, each kiosk's receipt series on the server is 1..n without a gap, and each
kiosk's journal verifies on the server (entry for entry, chained and signed with the key pinned at join)."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from kiosk.bootstrap import Services
from kiosk.services.fleet import Offline, join
from kiosk.services.fleet.chain import JournalState
from tests.budget import budget
from tests.fleet.cable import Cable
from tests.fleet.journals import journal_on_server, local_journal, server_journal
from tests.fleet.server import kiosk_settings
from tests.fleet.test_fleet_sync import (  # noqa: F401 (fleet: the module's server)
    Fleet,
    fleet,
    local_sales,
    open_kiosk,
    sell,
    server_sales,
    sync_of,
)

EXAMPLES = 60  # about a tenth of a second each here (6 s in all); well under a minute on a busy machine


@dataclass
class Till:
    name: str
    cable: Cable
    services: Services

    def restart(self) -> None:
        """The kiosk process dies (nothing but its SQLite file survives) and starts again."""
        settings = self.services.settings
        self.services.close()
        self.services = open_kiosk(settings)

    def push(self, batch: int = 3) -> None:
        """One sync round's sending: the sales, then their journal entries."""
        with contextlib.suppress(Offline):  # the link is down or the answer was lost: the outbox keeps it
            sync_of(self.services).push(batch=batch)
            sync_of(self.services).push_journal(batch=batch)


@pytest.fixture(scope="module")
def tills(fleet: Fleet) -> Iterator[list[Till]]:  # noqa: F811
    made = []
    for name in ("Blandet 1", "Blandet 2"):
        cable = Cable(fleet.web.url)
        settings = kiosk_settings(fleet.root, name)
        join(settings, cable.url, fleet.add(name))  # the kiosk knows the server only through its cable
        services = open_kiosk(settings)
        sync_of(services).pull()
        made.append(Till(name, cable, services))
    yield made
    for till in made:
        till.services.close()
        till.cable.close()


STEP = st.one_of(
    st.tuples(st.just("sell"), st.integers(0, 1), st.integers(1, 3)),
    st.tuples(st.just("sync"), st.integers(0, 1), st.integers(1, 4)),
    st.tuples(st.just("lose_ack"), st.integers(0, 1), st.integers(0, 2)),  # answers that still arrive first
    st.tuples(st.just("kill"), st.integers(0, 1), st.integers(0, 2)),  # killed mid-push after n answers
    st.tuples(st.just("cut"), st.integers(0, 1), st.just(0)),
    st.tuples(st.just("mend"), st.integers(0, 1), st.just(0)),
)


@pytest.mark.timeout(budget(240))
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEP, min_size=1, max_size=16))
def test_any_interleaving_leaves_every_sale_on_the_server_exactly_once(
    fleet: Fleet,  # noqa: F811
    tills: list[Till],
    steps: list[tuple[str, int, int]],
) -> None:
    for op, which, n in steps:
        till = tills[which]
        if op == "sell":
            sell(till.services, n)
        elif op == "sync":
            till.push(batch=n)
        elif op in ("lose_ack", "kill"):
            till.cable.answers_left = n
            till.push(batch=1)
            till.cable.answers_left = None
            if op == "kill":
                till.restart()
        elif op == "cut":
            till.cable.cut = True
        else:
            till.cable.cut = False
    for till in tills:  # the link comes back: each kiosk drains
        till.cable.cut = False
        waiting = {r.sale_id for r in sync_of(till.services).outbox.first(10_000)}
        stored = {uuid.UUID(str(s["sale_id"])) for s in server_sales(fleet, sync_of(till.services).identity.kiosk_no)}
        if waiting & stored:
            event("a sale the server holds, its answer lost, sent again")  # --hypothesis-show-statistics
        sync_of(till.services).push()
        sync_of(till.services).push_journal()
        assert sync_of(till.services).outbox.count() == 0
    kiosks = set()
    for till in tills:
        kiosk_no = sync_of(till.services).identity.kiosk_no
        kiosks.add(kiosk_no)
        on_server = server_sales(fleet, kiosk_no)
        ids = [uuid.UUID(str(s["sale_id"])) for s in on_server]
        assert len(ids) == len(set(ids))  # none twice
        assert set(ids) == local_sales(till.services)  # none lost, none the kiosk did not sell
        assert [s["receipt_no"] for s in on_server] == list(range(1, len(ids) + 1))  # the series, gapless
        # Its journal verifies on the server: every entry, each once, in its chain, signed with the pinned key.
        assert server_journal(fleet, kiosk_no) == local_journal(till.services)
        assert journal_on_server(fleet, till.services) == JournalState(
            kiosk_no, len(local_journal(till.services)), None
        )
        assert sync_of(till.services).journal_problem is None
    assert not [c for c in fleet.server.conflicts() if c["kiosk_no"] in kiosks]
