import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.cart import Cart, CartLine
from kiosk.domain.payment import Payment
from kiosk.errors import DomainError


def test_cash_change_and_rounding_for_a_soda_and_a_fruit() -> None:
    cart = Cart()
    cart.add(CartLine(None, "Sodavand", 1475))
    cart.add(CartLine(None, "Frugt", 525))
    cart.add(CartLine(None, "Frugt", 525))  # same product again: one line, two pieces
    assert len(cart.lines) == 2
    assert cart.total_ore == 2525
    pay = Payment(cart.total_ore)
    assert pay.cash_due_ore == 2550  # 25,25 -> 25,50
    line = pay.pay_cash(5000)
    assert (line.amount_ore, line.change_ore, line.rounding_ore) == (2550, 2450, 25)
    assert pay.done
    assert pay.rounding_ore == 25


def test_card_is_never_rounded() -> None:
    pay = Payment(1475)
    pay.pay_electronic("card", reference="A1B2")
    assert pay.done
    assert pay.rounding_ore == 0
    assert pay.tenders[0].amount_ore == 1475


def test_split_tender_rounds_only_the_cash_part() -> None:
    pay = Payment(10010)
    pay.pay_electronic("mobilepay", 5000)
    assert pay.cash_due_ore == 5000  # 50,10 -> 50,00
    pay.pay_cash(5000)
    assert pay.done
    assert pay.rounding_ore == -10


def test_too_little_cash_is_a_part_payment_and_the_rest_can_go_on_card() -> None:
    pay = Payment(3000)
    pay.pay_cash(2000)
    assert not pay.done
    assert pay.remaining_ore == 1000
    pay.pay_electronic("card")
    assert pay.done


def test_a_card_amount_larger_than_what_is_left_is_refused() -> None:
    pay = Payment(3000)
    with pytest.raises(DomainError):
        pay.pay_electronic("card", 4000)


def test_a_cash_refund_pays_out_the_rounded_amount() -> None:
    pay = Payment(-1475)
    line = pay.pay_cash(0)
    assert line.amount_ore == -1500
    assert pay.done


def test_removing_the_last_piece_removes_the_line() -> None:
    cart = Cart()
    line = cart.add(CartLine(None, "Kaffe", 1500))
    cart.change(line, -1)
    assert cart.empty


def test_vat_is_computed_per_rate_on_the_total() -> None:
    cart = Cart()
    cart.add(CartLine(None, "Kaffe", 1500, quantity=3))
    cart.add(CartLine(None, "Frimærke", 1000, vat_rate_bp=0))
    assert cart.vat_by_rate() == {0: 0, 2500: 900}


@given(
    total=st.integers(min_value=1, max_value=1_000_000),
    card=st.integers(min_value=0, max_value=1_000_000),
    extra=st.integers(min_value=0, max_value=100_000),
)
def test_any_split_settles_exactly_with_at_most_25_ore_rounding(total: int, card: int, extra: int) -> None:
    pay = Payment(total)
    if 0 < card < total:
        pay.pay_electronic("card", card)
    if pay.cash_due_ore == 0:
        pay.pay_electronic("card")
    else:
        line = pay.pay_cash(pay.cash_due_ore + extra)
        assert line.change_ore == extra
    assert pay.done
    assert abs(pay.rounding_ore) <= 25
    assert pay.paid_ore == total + pay.rounding_ore
