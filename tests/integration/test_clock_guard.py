"""A clock set back (a Pi without a real-time clock waking up in 1970, a wrong NTP answer, a hand at the settings)
must not put sales, refunds or a Z report into the journal at a time before what it already holds: each is
refused with both times named, and nothing is stored."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.config import Settings
from kiosk.db.engine import unit_of_work
from kiosk.db.models import Counter, JournalEntry, Person, Sale
from kiosk.devices.clock_sync import describe
from kiosk.domain.cart import Cart, CartLine
from kiosk.domain.payment import Payment
from kiosk.domain.shifts import ClockWrongError
from kiosk.services.checkin import CheckIn
from kiosk.services.sales import CheckoutResult, Sales, Till
from tests.conftest import SettableClock

# Friday 4 December 2026, 09.00 in Copenhagen (UTC+1 in winter).
SOLD_AT = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)
BACK = datetime(2026, 12, 3, 9, 15, tzinfo=UTC)  # the day before, 10.15 in Copenhagen
SAID = (
    "Uret går forkert: det er 03.12.2026 kl. 10.15, men sidste post i journalen er fra 04.12.2026 kl. 09.00. "
    "Ret uret (eller tilkald en leder)."
)


def _sell(sales: Sales, seller: Person) -> CheckoutResult:
    cart = Cart()
    cart.add(CartLine(None, "Kaffe, kop", 1500, category="Café"))
    pay = Payment(cart.total_ore)
    pay.pay_cash(1500)
    return sales.checkout(cart, pay, seller.id)


def _stored(sessions: sessionmaker[Session]) -> tuple[int, int, int]:
    with unit_of_work(sessions) as s:
        receipt = s.get(Counter, "receipt")
        return (
            int(s.scalar(select(func.count()).select_from(Sale)) or 0),
            int(s.scalar(select(func.count()).select_from(JournalEntry)) or 0),
            receipt.value if receipt else 0,
        )


def test_a_sale_a_refund_and_a_z_report_are_refused_with_both_times_when_the_clock_went_back(
    settings: Settings, sessions: sessionmaker[Session], staff: tuple[Person, Person]
) -> None:
    worker, boss = staff
    clock = SettableClock(SOLD_AT)
    sales, till = Sales(sessions, settings, clock), Till(sessions, settings, clock)
    first = _sell(sales, worker)
    before = _stored(sessions)

    clock.now = BACK
    refusals = {
        "Betal": lambda: sales.ensure_room(),
        "sale": lambda: _sell(sales, worker),
        "refund": lambda: sales.refund(first.sale_id, {0: 1}, "cash", worker.id, boss.id),
        "Z": lambda: till.close_day(boss.id, {}),
    }
    for what, attempt in refusals.items():
        with pytest.raises(ClockWrongError) as caught:
            attempt()
        assert caught.value.user_message == SAID, what
    assert _stored(sessions) == before  # no sale, no journal entry, no receipt number used

    clock.now = SOLD_AT - timedelta(minutes=2)  # NTP trimming a clock that ran a little fast: tolerated
    assert _sell(sales, worker).receipt.number == 2
    assert till.close_day(boss.id, {}).z_number == 1


def test_a_1970_clock_is_refused_on_a_new_kiosk_too(
    settings: Settings, sessions: sessionmaker[Session], staff: tuple[Person, Person]
) -> None:
    sales = Sales(sessions, settings, lambda: datetime(1970, 1, 1, 0, 0, 12, tzinfo=UTC))
    with pytest.raises(ClockWrongError) as caught:
        _sell(sales, staff[0])
    assert (
        caught.value.user_message == "Uret går forkert: det er 01.01.1970 kl. 01.00. Ret uret (eller tilkald en leder)."
    )
    assert _stored(sessions) == (0, 0, 0)


def test_a_check_in_and_a_sale_share_one_last_good_time_and_a_leader_can_accept_a_fixed_clock(
    settings: Settings, sessions: sessionmaker[Session], staff: tuple[Person, Person]
) -> None:
    worker, boss = staff
    clock = SettableClock(datetime(2027, 6, 1, 8, 0, tzinfo=UTC))  # a wrong NTP answer: a year ahead
    checkin = CheckIn.from_settings(sessions, settings, clock)
    sales = Sales(sessions, settings, clock)
    _sell(sales, worker)  # stored at the false future time
    clock.now = SOLD_AT  # the clock is put right
    with pytest.raises(ClockWrongError) as caught:
        _sell(sales, worker)
    assert "sidste post i journalen er fra 01.06.2027 kl. 10.00" in caught.value.user_message
    checkin.accept_clock(boss.id)  # the leader's "the time is right now", journaled
    assert _sell(sales, worker).receipt.number == 2


def test_kiosk_devices_says_the_time_and_whether_the_clock_is_synchronised(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kiosk.cli import main

    Path(os.environ["KIOSK_CONFIG"]).write_text('[printer]\nurl = "dummy"\n[scanner]\nurl = "dummy"\n', "utf-8")
    assert main(["devices"]) == 0
    [line] = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("Ur ")]
    when, _, state = line.removeprefix("Ur").strip().partition(": ")
    assert re.fullmatch(r"\d\d\.\d\d\.20\d\d kl\. \d\d\.\d\d", when), line
    assert state in (describe(True), describe(False)), line  # Linux's kernel always answers
