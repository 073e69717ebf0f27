"""SAF-T article groups: the default table, a product's group over its category's, and the products file's
optional saft_group / category_saft_group columns (a bad code named with its row)."""

from __future__ import annotations

import pytest

from kiosk.domain.products import parse_products_csv, products_csv
from kiosk.domain.saft_groups import article_group, default_group, parse_group
from kiosk.errors import ImportRejected

HEADER = "barcode;name;category;price_dkk;vat_percent;saft_group;category_saft_group\n"


def test_the_default_table_reads_the_category_name_and_calls_the_rest_goods() -> None:
    assert [default_group(c) for c in ("Bageri", "Kaffe og te", "Sodavand", "Café", "Genbrug")] == [
        "04006",
        "04012",
        "04011",
        "04003",
        "04003",
    ]


def test_a_products_group_beats_its_categorys_which_beats_the_table() -> None:
    assert article_group("04012", "04014", "Bageri") == "04012"
    assert article_group(None, "04014", "Bageri") == "04014"
    assert article_group(None, None, "Bageri") == "04006"


def test_a_cell_is_a_code_from_list_04_excel_dropping_the_zero_or_nothing() -> None:
    assert (parse_group("04012"), parse_group(" 4011 "), parse_group("")) == ("04012", "04011", None)
    with pytest.raises(ValueError, match="SAF-T-varegruppe '13001' findes ikke"):
        parse_group("13001")


def test_the_products_file_carries_both_groups_and_names_every_bad_row() -> None:
    rows = parse_products_csv((HEADER + "12345678;Kaffe, kop;Café;15,00;25;04012;\n").encode())
    assert (rows[0].saft_group, rows[0].category_saft_group) == ("04012", None)
    assert parse_products_csv(products_csv(rows)) == rows  # the export reads back with its groups
    bad = (
        HEADER
        + "11111111;Kaffe;Café;15,00;25;kaffe;\n"  # row 2: not a code
        + "22222222;Bolle;Bageri;8,50;25;;04006\n"
        + "33333333;Snegl;Bageri;17,50;25;;04014\n"  # row 4: the category already got another group
    )
    with pytest.raises(ImportRejected) as caught:
        parse_products_csv(bad.encode())
    problems = dict(caught.value.problems)
    assert sorted(problems) == [2, 4]
    assert "'kaffe' findes ikke" in problems[2]
    assert problems[4] == "kategorien Bageri har SAF-T-varegruppe 04006 i række 3"


def test_a_file_without_the_group_columns_still_reads() -> None:
    rows = parse_products_csv(b"barcode;name;category;price_dkk;vat_percent\n12345678;Te;Caf\xc3\xa9;12,00;25\n")
    assert (rows[0].saft_group, rows[0].category_saft_group) == (None, None)
