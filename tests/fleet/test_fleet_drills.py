"""The issue's drills on a real PostgreSQL with `kiosk web` as a process: a kiosk killed between its local commit and
its push, the server killed in the middle of a batch, batches replayed out of order.  Every sale arrives once."""

from __future__ import annotations

import json
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
import uuid

import pytest

from kiosk.db.migrate import head_revision
from kiosk.services.fleet import Offline
from kiosk.services.fleet.link import Link
from tests.budget import budget
from tests.conftest import REPO
from tests.fleet.journals import journal_on_server, local_journal, server_journal
from tests.fleet.server import kiosk_settings, wait_until_true
from tests.fleet.test_fleet_sync import (  # noqa: F401 (fleet: the module's server)
    Fleet,
    enrolled,
    fleet,
    local_sales,
    open_kiosk,
    sell,
    server_sales,
    sync_of,
)

# The 50 kills.  Each life is a fork of one kiosk process that has loaded Python and the kiosk once
# (tests/fleet/selling_kiosk.py): ~0.1 s a life here instead of a cold start's 1.2 s, so 50 take a few seconds.
KILLS = int(os.environ.get("KIOSK_FLEET_KILLS", "50"))
START_S = budget(60.0)  # the kiosk process's cold start, once, on a busy machine
LIFE_S = budget(20.0)  # one life: fork, start the kiosk on its file, push, sell


class Kiosk:
    """The forking kiosk process and a thread reading its lines (no select on a buffered pipe)."""

    def __init__(self, config: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.fleet.selling_kiosk", config],
            cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.expect("READY", START_S)

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.strip())
        self.lines.put("")  # it exited

    def expect(self, start: str, timeout: float) -> str:
        try:
            while not (line := self.lines.get(timeout=timeout)).startswith(start):
                if not line:
                    raise queue.Empty
        except queue.Empty:
            self.proc.kill()
            _out, err = self.proc.communicate(timeout=30)
            raise AssertionError(f"the kiosk did not say {start} within {timeout:.0f} s: {err[-3000:]}") from None
        return line

    def life(self, rng: random.Random, between: bool) -> None:
        """One kiosk process, SIGKILLed right after its sale is committed (`between`: before the push starts) or
        a moment after the push began."""
        assert self.proc.stdin is not None
        self.proc.stdin.write("between\n" if between else "push\n")
        self.proc.stdin.flush()
        pid = int(self.expect("SOLD ", LIFE_S).split()[1])
        if not between:
            time.sleep(rng.uniform(0.0, 0.03))  # inside the push (sales, then journal), or just after it
        os.kill(pid, signal.SIGKILL)
        self.expect(f"GONE {pid}", LIFE_S)

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(30)


@pytest.mark.timeout(START_S + KILLS * LIFE_S + budget(120))
def test_a_kiosk_killed_between_commit_and_push_loses_and_doubles_nothing(fleet: Fleet) -> None:  # noqa: F811
    enrolled(fleet, "Dræbt").close()  # joined, catalogue pulled
    settings = kiosk_settings(fleet.root, "Dræbt")
    rng = random.Random(16)
    kiosk = Kiosk(str(settings.config_file))
    try:
        for n in range(KILLS):
            kiosk.life(rng, between=n % 2 == 0)
    finally:
        kiosk.close()
    k = open_kiosk(settings)  # restarted once more: what waits is pushed
    try:
        sync_of(k).sync_once()
        assert sync_of(k).outbox.count() == 0
        on_server = server_sales(fleet, sync_of(k).identity.kiosk_no)
        ids = [uuid.UUID(str(s["sale_id"])) for s in on_server]
        assert len(ids) == len(set(ids)) and set(ids) == local_sales(k)  # each sale once, none lost
        assert len(ids) == KILLS  # every life sold one, and each was committed before its kill
        assert [s["receipt_no"] for s in on_server] == list(range(1, len(ids) + 1))  # the series, gapless
        assert not [c for c in fleet.server.conflicts() if c["kiosk_no"] == sync_of(k).identity.kiosk_no]
        # Its journal, killed mid-push too, verifies on the server entry for entry.
        assert server_journal(fleet, sync_of(k).identity.kiosk_no) == local_journal(k)
        assert journal_on_server(fleet, k).problem is None
    finally:
        k.close()


def test_the_server_killed_mid_batch_then_restarted_stores_every_sale_once(fleet: Fleet) -> None:  # noqa: F811
    k = enrolled(fleet, "Midt i")
    try:
        sold = {sell(k) for _ in range(240)}
        sync = sync_of(k)
        outcome: list[BaseException | int] = []

        def push() -> None:
            try:
                outcome.append(sync.push(batch=10))
            except Offline as exc:
                outcome.append(exc)

        pusher = threading.Thread(target=push)
        pusher.start()
        assert wait_until_true(lambda: sync.outbox.count() < 240, budget(60))  # the first batches are in
        process = fleet.web.process
        assert process is not None
        process.kill()  # the server dies with a batch in flight: its transaction rolls back or commits whole
        process.wait(30)
        fleet.web.stop()
        pusher.join(budget(60))
        assert len(outcome) == 1 and isinstance(outcome[0], Offline)
        assert 0 < sync.outbox.count() < 240
        fleet.web.start()
        sync.push()
        assert sync.outbox.count() == 0
        on_server = server_sales(fleet, sync.identity.kiosk_no)
        assert sorted(uuid.UUID(str(s["sale_id"])) for s in on_server) == sorted(sold)  # 240, each once
        assert [s["receipt_no"] for s in on_server] == list(range(1, 241))
    finally:
        if fleet.web.process is None:
            fleet.web.start()
        k.close()


def test_batches_replayed_out_of_order_are_acknowledged_without_duplicates(fleet: Fleet) -> None:  # noqa: F811
    k = enrolled(fleet, "Uorden")
    try:
        sold = {sell(k) for _ in range(9)}
        sync = sync_of(k)
        rows = [
            {"seq": r.seq, "sale_id": str(r.sale_id), "receipt_no": r.receipt_no, "payload": json.loads(r.payload)}
            for r in sync.outbox.first(100)
        ]
        batches = [rows[0:3], rows[3:6], rows[6:9]]
        link = Link(fleet.web.url, f"{sync.identity.kiosk_no}:{sync.identity.secret}")
        schema = head_revision()
        statuses = []
        for i in (2, 0, 2, 1, 0, 1):  # the last batch first, then each again: a proxy retrying, a queue reordered
            answer = link.call("push", {"schema": schema, "rows": batches[i]})
            statuses += [a["status"] for a in answer["acks"]]
        assert statuses.count("stored") == 9 and statuses.count("same") == 9 and "conflict" not in statuses
        assert sync.push() == 9  # the kiosk's own push: all acknowledged as the same, the outbox empties
        on_server = server_sales(fleet, sync.identity.kiosk_no)
        assert sorted(uuid.UUID(str(s["sale_id"])) for s in on_server) == sorted(sold)
        assert [s["receipt_no"] for s in on_server] == list(range(1, 10))
    finally:
        k.close()
