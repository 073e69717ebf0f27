from kiosk.domain.pins import check_pin, hash_pin, new_token


def test_a_pin_is_stored_hashed_and_checks_only_with_the_right_digits() -> None:
    stored = hash_pin("1234")
    assert "1234" not in stored
    assert check_pin("1234", stored)
    assert not check_pin("1235", stored)
    assert not check_pin("12345", stored)
    assert not check_pin("1234", None)


def test_the_same_pin_hashes_differently_for_two_people() -> None:
    assert hash_pin("1234") != hash_pin("1234")


def test_badge_tokens_are_long_and_unique() -> None:
    tokens = {new_token() for _ in range(1000)}
    assert len(tokens) == 1000
    assert all(len(t) >= 20 for t in tokens)


def test_a_workers_code_is_4_digits_and_a_leaders_or_admins_6_to_8() -> None:
    from kiosk.domain.pins import code_problem, too_short_for

    assert code_problem("1234", "worker") is None
    assert code_problem("123456", "worker") == "Koden skal være 4 tal"
    leaders = "En leders kode skal være 6 til 8 tal"
    assert code_problem("1234", "supervisor") == code_problem("12a456", "admin") == leaders
    assert code_problem("123456", "supervisor") is None and code_problem("12345678", "admin") is None
    assert code_problem("123456789", "admin") is not None
    assert too_short_for("1234", "admin") and not too_short_for("1234", "worker")
