import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.money import format_amount, format_dkk, parse_dkk, round_cash, vat_included


def test_amounts_are_written_the_danish_way() -> None:
    assert format_dkk(123450) == "1.234,50\xa0kr." or format_dkk(123450) == "1.234,50 kr."
    assert format_amount(1475) == "14,75"
    assert format_amount(-1475) == "-14,75"


@pytest.mark.parametrize(
    ("text", "ore"),
    [("15,00", 1500), ("1.234,50", 123450), ("8", 800), ("14.75", 1475), ("1.234", 123400), ("5,5", 550)],
)
def test_spreadsheet_amounts_are_read_as_ore(text: str, ore: int) -> None:
    assert parse_dkk(text) == ore


@pytest.mark.parametrize("text", ["", "abc", "15,001", "1,2,3", "--5"])
def test_nonsense_amounts_are_refused_in_danish(text: str) -> None:
    with pytest.raises(ValueError, match="beløb"):
        parse_dkk(text)


@pytest.mark.parametrize(
    ("ore", "rounded"),
    [(1400, 1400), (1401, 1400), (1424, 1400), (1425, 1450), (1474, 1450), (1475, 1500), (1499, 1500)],
)
def test_cash_is_rounded_to_the_nearest_50_ore_as_the_law_says(ore: int, rounded: int) -> None:
    assert round_cash(ore) == rounded


def test_vat_is_a_fifth_of_a_price_including_25_percent() -> None:
    assert vat_included(1500) == 300
    assert vat_included(1475) == 295
    assert vat_included(-1500) == -300


@given(st.integers(min_value=-10_000_000, max_value=10_000_000))
def test_cash_rounding_moves_at_most_25_ore_and_lands_on_50(ore: int) -> None:
    r = round_cash(ore)
    assert abs(r - ore) <= 25
    assert r % 50 == 0


@given(st.integers(min_value=0, max_value=100_000_000))
def test_formatted_amounts_read_back_to_the_same_ore(ore: int) -> None:
    assert parse_dkk(format_amount(ore)) == ore
