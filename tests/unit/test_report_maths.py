"""The X and Z report maths (§ 65 points 5, 6, 8, 12, 13), without a database: the figures a leader reads when
closing the till, on small days worked out by hand.  Amounts are øre; VAT at 25 % is 20 % of the price incl. VAT.

The ordinary day used by most tests (float 500,00 kr. in the drawer from yesterday):
  1 Åse     Sodavand 14,76 (Café)                cash: due 15,00, rounded UP   +0,24   VAT 2,952 -> 2,95
  2 Åse     2 × Rugbrød 32,00 = 64,00 (Bageri)   card                                 VAT 12,80
  3 Jørgen  Grøntsagskasse 95,00 (Lokalt)        MobilePay                            VAT 19,00
  4 Jørgen  Kaffe 23,12 (Café)                   cash: due 23,00, rounded DOWN -0,12  VAT 4,624 -> 4,62
  sales 4; gross 14,76 + 64,00 + 95,00 + 23,12 = 196,88; rounding +0,24 - 0,12 = +0,12
  cash 15,00 + 23,00 = 38,00; card 64,00; MobilePay 95,00 (together 197,00 = 196,88 + 0,12)
  Åse 14,76 + 64,00 = 78,76; Jørgen 95,00 + 23,12 = 118,12
  Café 14,76 + 23,12 = 37,88; Bageri 64,00; Lokalt 95,00
  VAT 25 %: 2,95 + 12,80 + 19,00 + 4,62 = 39,37
  cash expected in the drawer: 500,00 + 38,00 = 538,00
"""

from __future__ import annotations

import pytest

from kiosk.domain.reports import CashMovement, SaleFigures, build_report, counted_total

FLOAT = 50000
VAT25 = 2500
VAT0 = 0


def sale(
    seller: str,
    lines: list[tuple[str, int, int]],
    tenders: list[tuple[str, int]],
    vat: list[tuple[int, int]],
    *,
    rounding: int = 0,
    kind: str = "sale",
    training: bool = False,
) -> SaleFigures:
    """One receipt: its total is the sum of its lines (before cash rounding), as on the receipt's "I alt"."""
    return SaleFigures(
        kind=kind,
        training=training,
        seller=seller,
        total_ore=sum(total for _category, _rate, total in lines),
        rounding_ore=rounding,
        lines=tuple(lines),
        vat_by_rate=tuple(vat),
        tenders=tuple(tenders),
    )


SODAVAND = sale("Åse", [("Café", VAT25, 1476)], [("cash", 1500)], [(VAT25, 295)], rounding=24)
RUGBROED = sale("Åse", [("Bageri", VAT25, 6400)], [("card", 6400)], [(VAT25, 1280)])
KASSE = sale("Jørgen", [("Lokalt", VAT25, 9500)], [("mobilepay", 9500)], [(VAT25, 1900)])
KAFFE = sale("Jørgen", [("Café", VAT25, 2312)], [("cash", 2300)], [(VAT25, 462)], rounding=-12)
DAY = [SODAVAND, RUGBROED, KASSE, KAFFE]

# Sodavand taken back: the shop pays out the rounded 15,00 kr.; everything of sale 1 with the sign turned.
SODAVAND_BACK = sale("Åse", [("Café", VAT25, -1476)], [("cash", -1500)], [(VAT25, -295)], rounding=-24, kind="refund")


# --- an empty day --------------------------------------------------------------------------------------------


def test_an_empty_day_reports_zero_everywhere_and_expects_only_the_float_in_the_drawer() -> None:
    r = build_report([], [], opening_float_ore=FLOAT)
    assert (r.sales_count, r.refunds_count, r.training_count, r.annulments_count, r.drawer_openings) == (0, 0, 0, 0, 0)
    assert (r.gross_ore, r.refunds_ore, r.net_ore, r.rounding_ore) == (0, 0, 0, 0)
    assert (r.by_method, r.by_seller, r.by_category, r.vat_by_rate) == ({}, {}, {}, {})
    assert r.expected_cash_ore == 50000


def test_the_very_first_day_without_a_float_expects_an_empty_drawer() -> None:
    assert build_report([], []).expected_cash_ore == 0


# --- an ordinary day -----------------------------------------------------------------------------------------


def test_the_day_counts_four_sales_and_totals_them_before_rounding() -> None:
    r = build_report(DAY, [], opening_float_ore=FLOAT)
    assert (r.sales_count, r.refunds_count, r.training_count) == (4, 0, 0)
    assert (r.gross_ore, r.refunds_ore, r.net_ore) == (19688, 0, 19688)


def test_each_payment_method_totals_what_was_actually_paid_with_it() -> None:
    r = build_report(DAY, [], opening_float_ore=FLOAT)
    assert r.by_method == {"cash": 3800, "card": 6400, "mobilepay": 9500}


def test_cash_rounded_up_and_down_is_booked_as_oereafrunding_of_the_difference() -> None:
    r = build_report(DAY, [], opening_float_ore=FLOAT)
    assert r.rounding_ore == 24 - 12
    # The methods together hold the goods plus the øreafrunding: 197,00 = 196,88 + 0,12.
    assert sum(r.by_method.values()) == r.net_ore + r.rounding_ore == 19700


def test_the_drawer_is_expected_to_hold_the_float_plus_the_rounded_cash() -> None:
    assert build_report(DAY, [], opening_float_ore=FLOAT).expected_cash_ore == 53800


def test_each_seller_is_credited_with_the_goods_they_sold() -> None:
    assert build_report(DAY, []).by_seller == {"Åse": 7876, "Jørgen": 11812}


def test_each_category_totals_its_lines() -> None:
    assert build_report(DAY, []).by_category == {"Café": 3788, "Bageri": 6400, "Lokalt": 9500}


def test_vat_is_totalled_for_the_day() -> None:
    assert build_report(DAY, []).vat_by_rate == {VAT25: 3937}


def test_lines_without_a_category_are_totalled_under_andet() -> None:
    # 10,00 kr. without a category and 5,00 kr. filed under "Andet" by hand: one row of 15,00 kr.
    odd = sale("Åse", [("", VAT25, 1000), ("Andet", VAT25, 500)], [("card", 1500)], [(VAT25, 300)])
    assert build_report([odd], []).by_category == {"Andet": 1500}


# --- VAT at 25 % and 0 % -------------------------------------------------------------------------------------


def test_vat_is_totalled_per_rate_with_the_zero_rate_listed_and_first() -> None:
    # A: Avis 25,00 (0 % moms) + Kaffe 20,00 (25 %: VAT 4,00), listed 25 % first; B: Avis 25,00 alone;
    # C: Rugbrød 64,00 (VAT 12,80).  25 %: 4,00 + 12,80 = 16,80; 0 %: nothing, but the rate is still shown.
    a = sale(
        "Åse",
        [("Café", VAT25, 2000), ("Aviser", VAT0, 2500)],
        [("card", 4500)],
        [(VAT25, 400), (VAT0, 0)],
    )
    b = sale("Åse", [("Aviser", VAT0, 2500)], [("mobilepay", 2500)], [(VAT0, 0)])
    r = build_report([a, b, RUGBROED], [])
    assert r.vat_by_rate == {VAT0: 0, VAT25: 1680}
    assert list(r.vat_by_rate) == [VAT0, VAT25]
    assert r.by_category == {"Café": 2000, "Aviser": 5000, "Bageri": 6400}
    assert r.gross_ore == 4500 + 2500 + 6400 == 13400


# --- refunds -------------------------------------------------------------------------------------------------


def test_a_refund_counts_negative_and_its_cash_leaves_the_drawer() -> None:
    r = build_report([*DAY, SODAVAND_BACK], [], opening_float_ore=FLOAT)
    assert (r.sales_count, r.refunds_count) == (4, 1)
    assert (r.gross_ore, r.refunds_ore, r.net_ore) == (19688, -1476, 18212)
    assert r.by_method == {"cash": 3800 - 1500, "card": 6400, "mobilepay": 9500}
    assert r.rounding_ore == 24 - 12 - 24
    assert r.by_seller == {"Åse": 6400, "Jørgen": 11812}
    assert r.by_category == {"Café": 2312, "Bageri": 6400, "Lokalt": 9500}
    assert r.vat_by_rate == {VAT25: 3937 - 295}
    assert r.expected_cash_ore == 50000 + 2300


def test_a_day_of_only_refunds_has_a_negative_net_and_less_cash_than_the_float() -> None:
    # Sodavand back in cash (-15,00 paid out, -0,24 rounding) and 2 × Rugbrød back on the card (-64,00).
    rugbroed_back = sale("Jørgen", [("Bageri", VAT25, -6400)], [("card", -6400)], [(VAT25, -1280)], kind="refund")
    r = build_report([SODAVAND_BACK, rugbroed_back], [], opening_float_ore=FLOAT)
    assert (r.sales_count, r.refunds_count) == (0, 2)
    assert (r.gross_ore, r.refunds_ore, r.net_ore) == (0, -7876, -7876)
    assert r.rounding_ore == -24
    assert r.by_method == {"cash": -1500, "card": -6400}
    assert r.by_seller == {"Åse": -1476, "Jørgen": -6400}
    assert r.vat_by_rate == {VAT25: -1575}
    assert r.expected_cash_ore == 48500


# --- training (øvelse) receipts ------------------------------------------------------------------------------


def test_training_receipts_are_counted_but_kept_out_of_every_total() -> None:
    # Åse practises: a 150,00 kr. cash sale (rounded 149,76 -> 150,00) and taking it back; neither is money.
    practice = sale("Åse", [("Café", VAT25, 14976)], [("cash", 15000)], [(VAT25, 2995)], rounding=24, training=True)
    practice_back = sale(
        "Åse",
        [("Café", VAT25, -14976)],
        [("cash", -15000)],
        [(VAT25, -2995)],
        rounding=-24,
        kind="refund",
        training=True,
    )
    r = build_report([*DAY, practice, practice_back], [], opening_float_ore=FLOAT)
    assert (r.sales_count, r.refunds_count, r.training_count) == (4, 0, 2)
    assert (r.gross_ore, r.refunds_ore, r.net_ore, r.rounding_ore) == (19688, 0, 19688, 12)
    assert r.by_method == {"cash": 3800, "card": 6400, "mobilepay": 9500}
    assert r.by_seller == {"Åse": 7876, "Jørgen": 11812}
    assert r.by_category == {"Café": 3788, "Bageri": 6400, "Lokalt": 9500}
    assert r.vat_by_rate == {VAT25: 3937}
    assert r.expected_cash_ore == 53800


def test_a_seller_with_only_training_sales_is_not_among_the_sellers() -> None:
    trainee = sale("Bo", [("Café", VAT25, 2000)], [("card", 2000)], [(VAT25, 400)], training=True)
    r = build_report([*DAY, trainee, trainee], [])
    assert r.training_count == 2
    assert r.by_seller == {"Åse": 7876, "Jørgen": 11812}


def test_a_day_of_only_training_sales_has_no_money_in_it() -> None:
    trainee = sale("Bo", [("Café", VAT25, 2000)], [("cash", 2000)], [(VAT25, 400)], training=True)
    r = build_report([trainee], [], opening_float_ore=FLOAT)
    assert (r.sales_count, r.training_count, r.net_ore) == (0, 1, 0)
    assert (r.by_method, r.by_seller, r.vat_by_rate) == ({}, {}, {})
    assert r.expected_cash_ore == 50000


# --- split payments, cash movements, counts ------------------------------------------------------------------


def test_a_sale_paid_partly_by_card_and_partly_in_cash_counts_each_part_under_its_method() -> None:
    # 64,76 kr.: 50,00 on the card, the rest 14,76 in cash rounded up to 15,00 (+0,24).
    split = sale("Åse", [("Bageri", VAT25, 6476)], [("card", 5000), ("cash", 1500)], [(VAT25, 1295)], rounding=24)
    r = build_report([split], [], opening_float_ore=FLOAT)
    assert (r.sales_count, r.gross_ore, r.rounding_ore) == (1, 6476, 24)
    assert r.by_method == {"card": 5000, "cash": 1500}
    assert r.expected_cash_ore == 51500


def test_cash_put_in_and_taken_out_moves_only_the_cash_expected() -> None:
    movements = [
        CashMovement("cash_in", 50000, "byttepenge fra banken"),
        CashMovement("cash_out", 20000, "mælk til caféen"),
        CashMovement("cash_out", 2550, "frimærker"),
    ]
    r = build_report(DAY, movements, opening_float_ore=FLOAT)
    assert (r.cash_in_ore, r.cash_out_ore) == (50000, 22550)
    assert r.expected_cash_ore == 50000 + 3800 + 50000 - 22550 == 81250
    assert (r.net_ore, r.by_method["cash"]) == (19688, 3800)  # not turnover


def test_annulments_and_drawer_openings_are_counted_but_move_no_money() -> None:
    r = build_report(DAY, [], opening_float_ore=FLOAT, annulments=2, drawer_openings=3)
    assert (r.annulments_count, r.drawer_openings) == (2, 3)
    assert (r.net_ore, r.expected_cash_ore) == (19688, 53800)


# --- the blind count -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "total"),
    [
        ({}, 0),
        ({1000: 0}, 0),
        ({50000: 1, 200: 1}, 50200),
        ({50: 3, 100: 2, 2000: 1}, 150 + 200 + 2000),
        # one of every Danish coin and note: 0,50+1+2+5+10+20+50+100+200+500+1000 = 1.888,50 kr.
        (dict.fromkeys((50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000), 1), 188850),
    ],
)
def test_the_blind_count_adds_up_the_coins_and_notes(counts: dict[int, int], total: int) -> None:
    assert counted_total(counts) == total


def test_the_count_against_the_expected_cash_shows_what_is_over() -> None:
    # 538,00 expected; counted 5 × 100 + 1 × 20 + 1 × 10 + 4 × 2 + 1 × 0,50 = 538,50: 0,50 kr. over.
    counted = counted_total({10000: 5, 2000: 1, 1000: 1, 200: 4, 50: 1})
    assert counted - build_report(DAY, [], opening_float_ore=FLOAT).expected_cash_ore == 50


@pytest.mark.parametrize("counts", [{25: 1}, {300: 1}, {0: 4}, {200000: 1}])
def test_a_count_with_a_coin_or_note_denmark_does_not_have_is_refused(counts: dict[int, int]) -> None:
    with pytest.raises(ValueError, match="unknown denominations"):
        counted_total(counts)


def test_a_negative_number_of_pieces_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        counted_total({2000: 3, 500: -1})
