"""One full stop after an amount: Danish amounts end in "kr.", so a sentence that ends in one gets no second."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po

from kiosk import i18n
from kiosk.domain.money import format_dkk
from kiosk.domain.sentences import sentence, sentences, tidy

MONEY = r"\{(?:amount|price|total|change|due|paid|counted|cash|sum|difference|kroner)\}"


def test_sentences_ending_in_an_amount_get_no_second_stop() -> None:
    counted = format_dkk(6300)
    assert sentences(f"Talt: {counted}", "Dagen lukkes, og Z-rapporten udskrives") == (
        "Talt: 63,00\xa0kr. Dagen lukkes, og Z-rapporten udskrives."
    )
    assert sentence("Giv kunden 15,00\xa0kr.") == "Giv kunden 15,00\xa0kr."
    assert sentence("Tak for i dag!") == "Tak for i dag!"
    assert sentence("Dagen lukkes ") == "Dagen lukkes."
    assert sentences("", "Salget er gemt") == "Salget er gemt."


def test_tidy_makes_a_doubled_stop_after_kr_single_and_leaves_the_rest() -> None:
    assert tidy("Talt: 63,00\xa0kr.. Dagen lukkes.") == "Talt: 63,00\xa0kr. Dagen lukkes."
    assert tidy("Counted: 63.00 kr.. The day") == "Counted: 63.00 kr. The day"
    assert tidy("Vent…") == "Vent…" and tidy("Tjekker ...") == "Tjekker ..."
    assert tidy("Betal 15,00\xa0kr.?") == "Betal 15,00\xa0kr.?"


def test_no_message_on_screen_puts_a_stop_straight_after_an_amount() -> None:
    """Every Danish message the UI uses, and its English, ends an amount's sentence without a second stop."""
    with i18n.po_path("en").open("rb") as f:
        english = {m.id: m.string for m in read_po(f) if m.id and isinstance(m.id, str)}
    used = i18n.ui_messages()
    bad = [m for m in used if re.search(MONEY + r"\.", m)]
    bad += [english[m] for m in used if isinstance(english.get(m), str) and re.search(MONEY + r"\.", english[m])]
    assert not bad, f"an amount ends in 'kr.': join the sentences with kiosk.domain.sentences instead: {bad}"
