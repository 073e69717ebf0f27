"""Power cut during payment: SIGKILL a till mid-stream again and again.  Every stored sale must be whole, the
receipt numbers gapless, and the journal chain intact — never half a sale.

Each kill starts a fresh Python with SQLAlchemy, so the drill's time limit grows with the number of kills
(tests/budget.py): 100 kills took 215 s on a 2-core machine at load 6-8, past the old 120 s default.  Each start and
each kill has its own bound too, so a till that hangs fails at that step instead of using up the whole budget."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from select import select as wait_readable

import pytest
from sqlalchemy import func, select

from kiosk.db.engine import unit_of_work
from kiosk.db.models import JournalEntry, Sale, SaleLine, Tender
from kiosk.services.records import journal
from tests.budget import budget
from tests.conftest import REPO

KILLS = int(os.environ.get("KIOSK_POWER_CUTS", "100"))
START_S = budget(60.0)  # a till's cold start until its first sale, on a machine busy with other test runs
KILL_S = budget(12.0)  # one whole kill: start, sell, SIGKILL, the check after it (~0.5 s idle, ~2 s at load 6-8)


def _kill_mid_stream(data_dir: Path, rng: random.Random) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.checkout_writer", str(data_dir)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    try:
        started, _, _ = wait_readable([proc.stdout], [], [], START_S)  # readline() alone would wait forever
        line = proc.stdout.readline() if started else ""
        if line.strip() != "READY":
            proc.kill()
            _out, err = proc.communicate(timeout=30)
            raise AssertionError(f"the till did not start selling within {START_S:.0f} s: {line!r} {err}")
        time.sleep(rng.uniform(0.0, 0.15))  # somewhere inside a checkout, most of the time
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)  # reaped, its pipes closed
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)


def _check_whole(settings, sessions) -> int:  # type: ignore[no-untyped-def]
    with unit_of_work(sessions) as s:
        sales = s.scalars(select(Sale).order_by(Sale.receipt_no)).all()
        numbers = [sale.receipt_no for sale in sales]
        assert numbers == list(range(1, len(sales) + 1)), "receipt numbers have a gap or a repeat"
        for sale in sales:
            lines = s.scalar(select(func.sum(SaleLine.total_ore)).where(SaleLine.sale_id == sale.id))
            paid = s.scalar(select(func.sum(Tender.amount_ore)).where(Tender.sale_id == sale.id))
            assert lines == sale.total_ore, f"receipt {sale.receipt_no} lost lines"
            assert paid == sale.total_ore + sale.rounding_ore, f"receipt {sale.receipt_no} lost its payment"
        journaled = s.scalar(select(func.count()).where(JournalEntry.kind == "sale"))
        assert journaled == len(sales), "a sale without its journal entry, or the other way round"
        result = journal.verify(s, settings.kiosk.id)
        assert result.ok, result.problem
        return len(sales)


@pytest.mark.slow
@pytest.mark.timeout(KILLS * KILL_S)
def test_killing_the_till_mid_checkout_never_leaves_half_a_sale(settings, sessions) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(2026)
    before = 0
    for _ in range(KILLS):
        _kill_mid_stream(settings.data_dir, rng)
        after = _check_whole(settings, sessions)
        assert after >= before  # nothing committed ever disappears
        before = after
    assert before > KILLS  # the drill really sold (at least one sale per run before the kill)
