"""explained(): the one way a screen tells a refusal (a KioskError) instead of crashing."""

from __future__ import annotations

import pytest

from kiosk.errors import DomainError, KioskError
from kiosk.widgets import theme
from kiosk.widgets.explained import explained


class Shell:
    """The edge a screen talks to: here it only keeps the toasts it was asked to show."""

    def __init__(self) -> None:
        self.toasts: list[tuple[str, str, float]] = []

    def show_toast(self, text: str, kind: str = "info", seconds: float = 4.0) -> None:
        self.toasts.append((text, kind, seconds))


def test_a_refusal_is_a_red_toast_with_its_plain_danish_words_and_the_rest_of_the_tap_is_skipped() -> None:
    shell, after = Shell(), []
    with explained(shell):
        raise DomainError(user_message="Kassen er lukket")
        after.append("not reached")  # type: ignore[unreachable]
    assert shell.toasts == [("Kassen er lukket", "error", theme.TOAST_LONG)]
    assert after == []


def test_work_that_goes_through_shows_nothing_and_a_longer_read_can_be_asked_for() -> None:
    shell = Shell()
    with explained(shell, theme.TOAST_READ):
        done = 2 + 2
    assert (done, shell.toasts) == (4, [])
    with explained(shell, theme.TOAST_READ):
        raise KioskError()
    assert shell.toasts == [(KioskError.user_message, "error", 8)]


def test_a_screen_can_say_it_its_own_way_instead_of_a_toast() -> None:
    said: list[str] = []
    with explained(lambda exc: said.append(exc.user_message)):
        raise DomainError(user_message="Forkert pris")
    assert said == ["Forkert pris"]


def test_a_bug_is_not_dressed_up_as_a_refusal() -> None:
    shell = Shell()
    with pytest.raises(ZeroDivisionError), explained(shell):
        _ = 1 / 0
    assert shell.toasts == []
