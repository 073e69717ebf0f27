"""The issue's drills on a real PostgreSQL with `kiosk web` as a process: a kiosk killed between its local commit and
its push, the server killed in the middle of a batch, batches replayed out of order.  Every sale arrives once."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from select import select as wait_readable

import pytest

from kiosk.db.migrate import head_revision
from kiosk.services.fleet import Offline
from kiosk.services.fleet.link import Link
from tests.budget import budget
from tests.conftest import REPO
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

# The issue asks for 50 kills; 50 take about a minute here (1.2 s a kiosk process), so the suite runs 20 and the
# full drill is KIOSK_FLEET_KILLS=50 (the interleavings test also kills a kiosk mid-push, in-process, 60 times).
KILLS = int(os.environ.get("KIOSK_FLEET_KILLS", "20"))
START_S = budget(60.0)  # a kiosk process's cold start until its first sale, on a busy machine
KILL_S = budget(15.0)  # one whole kill: start, push, sell, SIGKILL


def _life(config: str, rng: random.Random, between: bool) -> None:
    """One kiosk process, SIGKILLed right after its sale is committed (`between`: before the push starts) or a
    moment after the push began."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.fleet.selling_kiosk", config],
        cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert proc.stdout is not None and proc.stdin is not None
    try:
        ready, _, _ = wait_readable([proc.stdout], [], [], START_S)
        line = proc.stdout.readline() if ready else ""
        if not line.startswith("SOLD "):
            proc.kill()
            _out, err = proc.communicate(timeout=30)
            raise AssertionError(f"the kiosk did not sell within {START_S:.0f} s: {line!r} {err[-2000:]}")
        if not between:
            proc.stdin.write("go\n")
            proc.stdin.flush()
            time.sleep(rng.uniform(0.0, 0.08))  # inside the push, or just after it
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)


@pytest.mark.timeout(KILLS * KILL_S + budget(120))
def test_a_kiosk_killed_between_commit_and_push_loses_and_doubles_nothing(fleet: Fleet) -> None:  # noqa: F811
    enrolled(fleet, "Dræbt").close()  # joined, catalogue pulled
    settings = kiosk_settings(fleet.root, "Dræbt")
    rng = random.Random(16)
    for n in range(KILLS):
        _life(str(settings.config_file), rng, between=n % 2 == 0)
    k = open_kiosk(settings)  # restarted once more: what waits is pushed
    try:
        sync_of(k).push()
        assert sync_of(k).outbox.count() == 0
        on_server = server_sales(fleet, sync_of(k).identity.kiosk_no)
        ids = [uuid.UUID(str(s["sale_id"])) for s in on_server]
        assert len(ids) == len(set(ids)) and set(ids) == local_sales(k)  # each sale once, none lost
        assert len(ids) >= KILLS
        assert [s["receipt_no"] for s in on_server] == list(range(1, len(ids) + 1))  # the series, gapless
        assert not [c for c in fleet.server.conflicts() if c["kiosk_no"] == sync_of(k).identity.kiosk_no]
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
