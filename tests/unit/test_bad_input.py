"""Bad input from a spreadsheet, a form or a text field gets a plain answer naming what is wrong and what to do:
never a traceback, never a silent surprise, never a 10 kB echo (issue 17, "Bad input")."""

from __future__ import annotations

import codecs
from datetime import datetime

import pytest

from kiosk.domain.jobs import JobInvalid, clean_name, form_times, parse_jobs_csv
from kiosk.domain.people_csv import parse_people_csv
from kiosk.domain.products import PRODUCT_NAME, PRODUCT_PRICE, parse_products_csv
from kiosk.domain.text import check_text, shorten, text_problem
from kiosk.errors import DomainError, ImportRejected

PRODUCTS = "barcode;name;category;price_dkk;vat_percent\n"
JOBS = "title;place;starts;ends;capacity;description\n"


def problems(parse, text: str | bytes) -> dict[int, str]:  # type: ignore[no-untyped-def]
    data = text.encode("utf-8") if isinstance(text, str) else text
    with pytest.raises(ImportRejected) as caught:
        parse(data)
    return dict(caught.value.problems)


# ---- products ---------------------------------------------------------------------------------------------------


def test_a_vat_of_inf_1e400_or_nan_is_named_as_not_a_number() -> None:
    found = problems(
        parse_products_csv,
        PRODUCTS + "11111111;Kaffe;Café;15,00;inf\n22222222;Te;Café;12,00;1e400\n33333333;Kakao;Café;20,00;nan\n",
    )
    assert found == {
        2: "moms 'inf' er ikke et tal. Skriv 25 eller 0",
        3: "moms '1e400' er ikke et tal. Skriv 25 eller 0",
        4: "moms 'nan' er ikke et tal. Skriv 25 eller 0",
    }


def test_a_25_digit_price_is_too_high_by_the_product_forms_own_rule() -> None:
    found = problems(parse_products_csv, PRODUCTS + "11111111;Kaffe;Café;1234567890123456789012345;25\n")
    assert found == {2: "Prisen er for høj. Den kan højst være 3.000,00\xa0kr."}


def test_import_prices_follow_the_product_form_zero_and_a_million_are_refused_the_highest_is_taken() -> None:
    found = problems(parse_products_csv, PRODUCTS + "11111111;Gratis;Café;0;25\n22222222;Guld;Café;1.234.567,00;25\n")
    with pytest.raises(DomainError) as zero:
        PRODUCT_PRICE.check(0)
    with pytest.raises(DomainError) as high:
        PRODUCT_PRICE.check(123_456_700)
    assert found == {2: zero.value.user_message, 3: high.value.user_message}  # the same words as the form
    assert found[2] == "Tast en pris over 0 kr."
    assert parse_products_csv((PRODUCTS + "11111111;Kasse;Café;3.000,00;25\n").encode())[0].price_ore == 300_000


def test_a_cell_over_the_csv_field_limit_is_named_by_its_row_not_a_csv_error() -> None:
    found = problems(
        parse_products_csv, PRODUCTS + "11111111;Kaffe;Café;15,00;25\n22222222;" + "x" * 140_000 + ";Café;1;25\n"
    )
    assert found == {3: "et felt er over 131.072 tegn langt (måske et anførselstegn, der ikke er lukket). Ret rækken"}


def test_a_10_kb_cell_is_repeated_cut_short_with_an_ellipsis() -> None:
    found = problems(parse_products_csv, PRODUCTS + "11111111;Kaffe;Café;" + "9x" * 5000 + ";25\n")
    assert len(found[2]) < 120
    assert found[2].startswith("'9x9x9x") and "…' er ikke et beløb" in found[2]


def test_product_names_with_control_or_bidi_characters_are_refused_on_the_form_and_in_a_file() -> None:
    found = problems(
        parse_products_csv, PRODUCTS + "11111111;Kaffe\x00;Café;15,00;25\n22222222;Te \u202e05,21;Café;12,00;25\n"
    )
    assert found[2] == "Teksten har et usynligt styretegn (U+0000). Skriv teksten igen uden det."
    assert found[3] == "Teksten har et tegn, der vender skriveretningen (U+202E). Skriv teksten igen uden det."
    with pytest.raises(DomainError) as caught:
        PRODUCT_NAME.clean("Kaffe\x1b[2J")  # the Varer form's own rule
    assert caught.value.user_message == "Teksten har et usynligt styretegn (U+001B). Skriv teksten igen uden det."


# ---- jobs -------------------------------------------------------------------------------------------------------


def test_a_year_0001_date_and_a_superscript_capacity_get_plain_reasons() -> None:
    found = problems(
        parse_jobs_csv,
        JOBS
        + "Oprydning;Gården;0001-01-01 10:00;0001-01-01 12:00;3;\n"
        + "Oprydning;Gården;2026-12-01 10:00;2026-12-01 12:00;²;\n",
    )
    assert found == {
        2: "start '0001-01-01 10:00': året 1 kan ikke passe. Skriv et år fra 2000 til 2100",
        3: "antal pladser '²' skal være et helt tal fra 1 til 200",
    }


def test_a_job_in_the_spring_forward_gap_is_told_so_not_that_it_ends_before_it_starts() -> None:
    found = problems(parse_jobs_csv, JOBS + "Oprydning;Gården;2027-03-28 02:30;2027-03-28 03:15;3;\n")
    assert found == {
        2: "start '2027-03-28 02:30': klokken 02.30 findes ikke den dag: uret springer fra 02.00 til 03.00 "
        "(sommertid). Skriv fx 03.00"
    }
    with pytest.raises(JobInvalid) as caught:  # the staff's job form says the same
        form_times("28-3-2027", "2.30", "4.00")
    assert caught.value.problems == {
        "starts_at": "Klokken 02.30 findes ikke den dag: uret springer fra 02.00 til 03.00 (sommertid). Skriv fx 03.00."
    }


def test_a_utf16_file_is_refused_with_how_to_save_it() -> None:
    data = codecs.BOM_UTF16_LE + (JOBS + "Oprydning;Gården;2026-12-01 10:00;2026-12-01 12:00;3;\n").encode("utf-16-le")
    said = "Filen er gemt som UTF-16. Gem den som CSV UTF-8 (i Excel: Gem som > CSV UTF-8), og prøv igen."
    assert problems(parse_jobs_csv, data) == {1: said}
    no_bom = (JOBS + "x;y;z;w;1;\n").encode("utf-16-be")  # no BOM: the NULs give it away
    assert problems(parse_products_csv, no_bom) == {1: said}


def test_an_unknown_contact_column_and_a_doubled_column_are_named_not_ignored() -> None:
    row = "Oprydning;Gården;2026-12-01 10:00;2026-12-01 12:00;3;Vi rydder op"
    found = problems(parse_jobs_csv, JOBS.strip() + ";contact\n" + row + ";Jørgen\n")
    assert found == {
        1: "ukendt kolonne: contact. Kiosken kender kun disse: title, place, starts, ends, capacity, description. "
        "Slet eller omdøb kolonnen"
    }
    twice = problems(parse_jobs_csv, "title;place;starts;ends;capacity;capacity\n" + row + "\n")
    assert twice == {1: "kolonnen capacity står flere gange i overskriften. Slet den ene"}


def test_a_job_description_keeps_its_line_breaks_but_not_an_escape() -> None:
    good = JOBS + 'Oprydning;Gården;2026-12-01 10:00;2026-12-01 12:00;3;"Handsker\nog poser"\n'
    assert parse_jobs_csv(good.encode())[0].description == "Handsker\nog poser"
    found = problems(parse_jobs_csv, JOBS + "Oprydning;Gården;2026-12-01 10:00;2026-12-01 12:00;3;Se her\x1b[31m\n")
    assert found == {2: "Teksten har et usynligt styretegn (U+001B). Skriv teksten igen uden det."}


# ---- people and names -------------------------------------------------------------------------------------------


def test_people_imports_and_resident_names_refuse_nul_esc_and_direction_overrides() -> None:
    found = problems(
        parse_people_csv, "name;role;phone\nÅse\x00;worker;\nMads \u2066Ø;worker;\nLine;admin;" + "4" * 9000 + "\n"
    )
    assert found[2] == "Teksten har et usynligt styretegn (U+0000). Skriv teksten igen uden det."
    assert found[3] == "Teksten har et tegn, der vender skriveretningen (U+2066). Skriv teksten igen uden det."
    assert found[4].startswith("telefonnummeret '4444") and "…' er ikke et dansk nummer" in found[4]
    assert len(found[4]) < 120
    with pytest.raises(DomainError) as caught:
        clean_name("Åse\u202e")  # a resident signing up
    assert "(U+202E)" in caught.value.user_message


def test_shop_fields_refuse_control_and_bidi_characters() -> None:
    from kiosk.services.shop.identity import ShopDraft, shop_problems

    found = shop_problems(ShopDraft("Hedemarkens\u202eButik", "Hedemarken 1\x00", "12345678", "12345"))
    assert found == {
        "name": "Teksten har et tegn, der vender skriveretningen (U+202E). Skriv teksten igen uden det.",
        "address": "Teksten har et usynligt styretegn (U+0000). Skriv teksten igen uden det.",
    }


# ---- the two helpers themselves ----------------------------------------------------------------------------------


def test_shorten_keeps_short_text_and_cuts_long_text_with_one_ellipsis() -> None:
    assert shorten("Kaffe") == "Kaffe"
    assert shorten("x" * 60) == "x" * 60
    assert shorten("x" * 10_000) == "x" * 59 + "…"
    assert shorten("a\x00b") == "aU+0000b"  # a message never carries the NUL itself


@pytest.mark.parametrize("c", ["\x00", "\x1b", "\x7f", "\x85", "\x9b", "\u202a", "\u202e", "\u2066", "\u2069", "\n"])
def test_every_control_and_bidi_character_is_refused_in_a_one_line_field(c: str) -> None:
    assert text_problem(f"Kaffe{c}kop") is not None


def test_tab_and_line_breaks_are_fine_where_a_field_has_several_lines_and_letters_always_are() -> None:
    assert text_problem("Handsker\tog\r\nposer", multiline=True) is None
    assert check_text("Åse Ørbæk – café 15,00 € ½ ²") == "Åse Ørbæk – café 15,00 € ½ ²"


def test_a_job_year_far_from_now_on_the_form_points_at_the_day() -> None:
    with pytest.raises(JobInvalid) as caught:
        form_times("1-12-0001", "10.00", "12.00")
    assert caught.value.problems == {"day": "Skriv et år fra 2000 til 2100."}
    assert form_times("1-12-2026", "10.00", "12.00")[0] == datetime.fromisoformat("2026-12-01T09:00:00+00:00")
