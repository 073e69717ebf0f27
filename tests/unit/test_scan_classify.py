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
