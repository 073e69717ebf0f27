"""Power cut during payment: SIGKILL a till mid-stream again and again.  Every stored sale must be whole, the
receipt numbers gapless, and the journal chain intact — never half a sale.

Each kill is of a new till process that opens the database afresh; it is forked from one that has done the imports
(tests/integration/checkout_writer.py --forks), since a fresh Python per kill spent most of the drill importing
(100 kills: 215 s on a 2-core machine at load 6-8, ~30 s forked).  After each kill the sales are checked whole and
the journal's new part walked (hung on to the part walked before); at the end the whole chain from its first entry.
The drill's time limit grows with the number of kills (tests/budget.py), and each start and each kill has its own
bound too, so a till that hangs fails at that step instead of using up the whole budget."""

from __future__ import annotations

import contextlib
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


class Tills:
    """Tills to kill: `checkout_writer --forks` imports once, then forks a new till process per kill."""

    def __init__(self, data_dir: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.integration.checkout_writer", "--forks", str(data_dir)],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its tills are in its process group: one killpg ends any left selling
        )
        self._expect("IMPORTED", START_S, "the drill's tills were not imported")

    def _line(self, timeout: float) -> str:
        assert self.proc.stdout is not None
        ready, _, _ = wait_readable([self.proc.stdout], [], [], timeout)  # readline() alone would wait forever
        return self.proc.stdout.readline().strip() if ready else ""

    def _expect(self, word: str, timeout: float, what: str) -> list[str]:
        line = self._line(timeout)
        if not line.startswith(word):
            self.close()
            _out, err = self.proc.communicate(timeout=30)
            raise AssertionError(f"{what} within {timeout:.0f} s: {line!r} {err}")
        return line.split()[1:]

    def kill_mid_stream(self, rng: random.Random) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("sell\n")
        self.proc.stdin.flush()
        (pid,) = self._expect("READY", START_S, "the till did not start selling")
        time.sleep(rng.uniform(0.0, 0.15))  # somewhere inside a checkout, most of the time
        os.kill(int(pid), signal.SIGKILL)
        exited, status = self._expect("EXIT", KILL_S, "the killed till was not reaped")
        assert (exited, status) == (pid, str(-signal.SIGKILL)), "the till died of the kill, not of something else"

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError):  # gone already
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)


def _check_whole(settings, sessions, *, journal_from: int = 1) -> int:  # type: ignore[no-untyped-def]
    """Every sale whole, the receipt numbers gapless, the journal's chain intact (from entry `journal_from` on, hung
    on to the entry before it, which an earlier check walked); the number of sales."""
    with unit_of_work(sessions) as s:
        sales = s.scalars(select(Sale).order_by(Sale.receipt_no)).all()
        numbers = [sale.receipt_no for sale in sales]
        assert numbers == list(range(1, len(sales) + 1)), "receipt numbers have a gap or a repeat"
        # every sale's lines and payments summed in two queries (not two per sale: the drill checks after each kill)
        lines = dict(s.execute(select(SaleLine.sale_id, func.sum(SaleLine.total_ore)).group_by(SaleLine.sale_id)).all())
        paid = dict(s.execute(select(Tender.sale_id, func.sum(Tender.amount_ore)).group_by(Tender.sale_id)).all())
        for sale in sales:
            assert lines.get(sale.id) == sale.total_ore, f"receipt {sale.receipt_no} lost lines"
            due = sale.total_ore + sale.rounding_ore
            assert paid.get(sale.id) == due, f"receipt {sale.receipt_no} lost its payment"
        journaled = s.scalar(select(func.count()).where(JournalEntry.kind == "sale"))
        assert journaled == len(sales), "a sale without its journal entry, or the other way round"
        result = journal.verify(s, settings.kiosk.id, first_seq=journal_from)
        assert result.ok, result.problem
        return len(sales)


@pytest.mark.slow
@pytest.mark.timeout(KILLS * KILL_S)
def test_killing_the_till_mid_checkout_never_leaves_half_a_sale(settings, sessions) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(2026)
    before, walked = 0, 0
    tills = Tills(settings.data_dir)
    try:
        for _ in range(KILLS):
            tills.kill_mid_stream(rng)
            after = _check_whole(settings, sessions, journal_from=walked + 1)  # the chain's new part
            assert after >= before  # nothing committed ever disappears
            before = after
            with unit_of_work(sessions) as s:
                walked = journal.count(s, settings.kiosk.id)
    finally:
        tills.close()
    assert _check_whole(settings, sessions) == before  # and the whole chain, walked from its first entry
    assert before > KILLS  # the drill really sold (at least one sale per run before the kill)
