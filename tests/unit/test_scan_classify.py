import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.scan import classify, make_payload


@pytest.mark.parametrize("kind", ["badge", "job", "signup", "receipt", "card"])
def test_our_own_qr_codes_are_recognised_by_kind(kind: str) -> None:
    scan = classify(make_payload(kind, "abc_DEF-123"))  # type: ignore[arg-type]
    assert (scan.kind, scan.value) == (kind, "abc_DEF-123")


def test_a_product_barcode_is_a_product() -> None:
    assert classify("2000000001012").kind == "product"


@pytest.mark.parametrize("code", ["\x00\x07\x1b", "HK1:Z:abc", "HK1:B:", "hello world!", "ÿþ", ""])
def test_garbage_is_called_garbage(code: str) -> None:
    assert classify(code).kind == "garbage"


@given(st.text(max_size=200))
def test_any_text_is_classified_without_crashing(code: str) -> None:
    assert classify(code).kind in {"badge", "job", "signup", "receipt", "card", "product", "garbage"}


BASE = "https://hedemarken.example.dk/smaajobs/job/"


def test_a_job_address_under_the_configured_base_is_that_job() -> None:
    from kiosk.domain.scan import job_payload

    code = job_payload("abc_DEF-123", BASE)
    assert code == BASE + "abc_DEF-123"
    assert classify(code, BASE) == classify(make_payload("job", "abc_DEF-123"), BASE)
    assert classify("HTTPS://HEDEMARKEN.EXAMPLE.DK/smaajobs/job/abc_DEF-123/", BASE).value == "abc_DEF-123"
    assert job_payload("tok", BASE.rstrip("/")) == BASE + "tok"  # with or without the trailing slash


@pytest.mark.parametrize(
    "code",
    [
        "https://evil.example.com/smaajobs/job/abc_DEF-123",  # another host
        BASE + "a b",  # not a token
        BASE,  # no token
        "https://example.org/hedemarken/receipt/123",
        "WIFI:S:Cafe;T:WPA;P:secret;;",
    ],
)
def test_other_addresses_and_other_systems_codes_are_refused_as_foreign(code: str) -> None:
    from kiosk.domain.scan import FOREIGN

    assert classify(code, BASE) == classify(code, BASE).__class__("garbage", FOREIGN)


def test_without_a_base_a_job_address_is_not_recognised() -> None:
    assert classify(BASE + "abc", "").kind == "garbage"
