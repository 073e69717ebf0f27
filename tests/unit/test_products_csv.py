import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.products import parse_products_csv, products_csv
from kiosk.errors import ImportRejected
from tests.conftest import sample

HEADER = "barcode;name;category;price_dkk;vat_percent\n"


def test_the_shops_spreadsheet_export_reads_as_16_products() -> None:
    rows = parse_products_csv(sample("products.csv").read_bytes())
    assert len(rows) == 16
    soda = next(r for r in rows if r.barcode == "2000000001159")
    assert (soda.name, soda.category, soda.price_ore, soda.vat_rate_bp) == (
        "Sodavand, 33 cl",
        "Café",
        1475,
        2500,
    )


def test_a_bom_and_windows_line_endings_make_no_difference() -> None:
    data = (HEADER + "12345678;Æblemost;Lokalt;28,00;25\n").replace("\n", "\r\n").encode("utf-8-sig")
    assert parse_products_csv(data)[0].name == "Æblemost"


def test_plain_comma_csv_with_quoted_decimal_commas_is_accepted() -> None:
    data = b'barcode,name,category,price_dkk,vat_percent\n12345678,"Kaffe, kop",Caf\xc3\xa9,"15,00",25\n'
    row = parse_products_csv(data)[0]
    assert (row.name, row.price_ore) == ("Kaffe, kop", 1500)


def test_danish_excel_windows_1252_export_keeps_its_letters() -> None:
    data = (HEADER + "12345678;Rødgrød;Café;10,00;25\n").encode("cp1252")
    assert parse_products_csv(data)[0].name == "Rødgrød"


def test_every_bad_row_is_named_with_its_spreadsheet_row_number() -> None:
    data = (
        HEADER
        + "11111111;Kaffe;Café;15,00;25\n"
        + "22222222;;Café;12,00;25\n"  # row 3: no name
        + "33333333;Te;Café;tolv;25\n"  # row 4: bad price
        + "11111111;Kakao;Café;20,00;25\n"  # row 5: duplicate barcode
        + "44444444;Bolle;Bageri;8,50;12\n"  # row 6: VAT 12 %
    ).encode()
    with pytest.raises(ImportRejected) as caught:
        parse_products_csv(data)
    problems = dict(caught.value.problems)
    assert sorted(problems) == [3, 4, 5, 6]
    assert "navn" in problems[3]
    assert "tolv" in problems[4]
    assert "række 2" in problems[5]
    assert "moms" in problems[6]


def test_a_missing_column_is_reported_on_the_header_row() -> None:
    with pytest.raises(ImportRejected) as caught:
        parse_products_csv(b"barcode;name;price_dkk\n1234;Kaffe;15,00\n")
    assert caught.value.problems[0][0] == 1
    assert "category" in caught.value.problems[0][1]


def test_export_reads_back_as_the_same_products() -> None:
    rows = parse_products_csv(sample("products.csv").read_bytes())
    assert parse_products_csv(products_csv(rows)) == rows


@given(st.binary(max_size=400))
def test_any_bytes_either_parse_or_are_refused_with_reasons(data: bytes) -> None:
    try:
        rows = parse_products_csv(data)
    except ImportRejected as exc:
        assert exc.problems
        assert all(isinstance(row, int) and reason for row, reason in exc.problems)
    else:
        assert rows
