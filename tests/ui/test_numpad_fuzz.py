"""Property-based fuzzing of the cash numpad, tapped like a nervous first-day cashier would: any sequence of
digits, Slet and OK on the Betal screen never crashes the till, never takes more digits than the pad holds,
explains an empty OK, and a finished sale always got at least what was due, with the change right."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.ui.helpers import button_with_text, pump, staff_member, tap

KEYS = [*"0123456789", "Slet", "OK"]


@pytest.fixture
def cashier(app: Any, services: Any) -> Iterator[Any]:
    app.counter.log_in(staff_member(services, "Åse"))
    yield app
    app.counter.cancel_payment()
    app.counter.clear()
    app.counter.finished = None
    app.counter.log_out()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(keys=st.lists(st.sampled_from(KEYS), max_size=10))
def test_any_taps_on_the_cash_numpad_leave_the_till_sound(cashier: Any, keys: list[str]) -> None:
    app = cashier
    counter = app.counter
    counter.cancel_payment()
    counter.clear()
    counter.finished = None
    kaffe = next(p for p in app.services.catalog.products() if p.name == "Kaffe, kop")
    counter.add(kaffe)  # 15,00 kr.
    app.go("sale")
    pump()
    tap(app.sm.get_screen("sale").ids.pay)
    pay = app.sm.get_screen("pay")
    assert app.sm.current == "pay"
    tap(pay.ids.cash)
    pad = pay.ids.cash_pad

    for key in keys:
        if pay.stage != "paying":
            break
        if pay.step != "cash":
            tap(pay.ids.cash)
        typed = pad.value
        tap(button_with_text(pad, key))
        assert len(pad.value) <= pad.max_length, "the pad holds at most its max length"
        if key == "OK" and not typed:
            assert app.toast.text == "Tast det modtagne beløb"
        assert app.sm.current == "pay", "a tap on the numpad never leaves the payment"

    payment = counter.payment
    if pay.stage == "paying":
        assert payment is None or not payment.done, "a fully paid sale is never left unfinished"
    else:
        sale = counter.finished
        assert sale is not None and sale.payment.done
        cash = [t for t in sale.payment.tenders if t.method == "cash"]
        received = sum(t.received_ore or 0 for t in cash)
        due = sale.payment.total_ore + sum(t.rounding_ore for t in cash)
        assert received >= due
        assert sum(t.change_ore for t in cash) == received - due
    counter.cancel_payment()
