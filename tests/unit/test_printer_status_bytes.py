"""What the printer's answers to DLE EOT 1, 2 and 4 mean (Epson's ESC/POS reference), without a printer."""

from __future__ import annotations

import pytest

from kiosk.devices.escpos_status import NO_ANSWER, ask, decode, is_answer

HEALTHY = {1: 0x12, 2: 0x12, 4: 0x12}


def test_a_healthy_printer_is_ok() -> None:
    status = decode(HEALTHY)
    assert status.ok and status.problem() == "ok" and status.danish() == "klar"


@pytest.mark.parametrize(
    ("answers", "problem", "danish"),
    [
        ({1: 0x1A, 2: 0x32, 4: 0x72}, "paper out, offline", "papiret er sluppet op"),
        ({1: 0x12, 2: 0x12, 4: 0x72}, "paper out", "papiret er sluppet op"),  # sensor only, not yet stopped
        ({1: 0x1A, 2: 0x16, 4: 0x12}, "cover open, offline", "låget er åbent"),
        ({1: 0x1A, 2: 0x52, 4: 0x12}, "error, offline", "printeren melder fejl"),
        ({1: 0x1A, 2: 0x12, 4: 0x12}, "offline", "printeren melder fejl"),
    ],
)
def test_paper_out_an_open_cover_or_an_error_is_not_ok(answers: dict[int, int], problem: str, danish: str) -> None:
    status = decode(answers)
    assert status.answered and not status.ok
    assert status.problem() == problem and status.danish() == danish


def test_paper_near_its_end_still_prints_but_is_said() -> None:
    status = decode({1: 0x12, 2: 0x12, 4: 0x1E})
    assert status.ok and status.paper_low and status.danish() == "papiret er ved at slippe op"


def test_a_missing_answer_is_no_answer_never_adequate() -> None:
    assert decode({1: 0x12, 2: 0x12}) == NO_ANSWER
    assert not NO_ANSWER.ok and NO_ANSWER.problem() == "no answer to the status query"


def test_only_bytes_shaped_like_a_status_answer_count() -> None:
    assert is_answer(0x12) and is_answer(0x1A) and is_answer(0x72)
    assert not is_answer(0x13)  # XOFF
    assert not is_answer(0x00) and not is_answer(0xFF)


def test_ask_sends_the_three_questions_in_order_and_skips_noise() -> None:
    sent: list[bytes] = []
    replies = {1: [b"\x13", b"\x12"], 2: [b"\x32"], 4: [b"\x72"]}  # XOFF before the first answer

    def receive(_timeout: float) -> bytes:
        n = sent[-1][2]
        return replies[n].pop(0)

    status = ask(sent.append, receive, 1.0)
    assert sent == [b"\x10\x04\x01", b"\x10\x04\x02", b"\x10\x04\x04"]
    assert status.answered and status.paper_out


def test_ask_gives_up_at_the_deadline_when_nothing_answers() -> None:
    calls: list[float] = []

    def silent(timeout: float) -> bytes:
        calls.append(timeout)
        return b""

    assert ask(lambda _data: None, silent, 0.05) == NO_ANSWER
    assert calls and all(t <= 0.05 for t in calls)
