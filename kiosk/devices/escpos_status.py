"""The printer's real-time status (ESC/POS ``DLE EOT n``), read by us from the transport.

A printer that took the bytes is not a printer that printed: the cable can come out right after the write, the
paper can run out.  So after each job the kiosk asks, and reads the answer itself with a deadline: python-escpos'
``paper_status()`` says "adequate" when nothing answers (DESIGN §3).

Queries, one byte back each (bits 1 and 4 set, bits 0 and 7 clear, so anything else is not an answer):
  ``DLE EOT 1`` printer status: bit 3 offline.
  ``DLE EOT 2`` offline cause: bit 2 cover open, bit 5 stopped at paper end, bit 6 error.
  ``DLE EOT 4`` roll paper sensor: bits 2-3 near end, bits 5-6 paper end.
Decoding is pure (``decode``), so it is tested without a printer; ``ask`` runs the queries over any line that
can send and receive with a timeout.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

DLE_EOT = b"\x10\x04"
QUERIES = (1, 2, 4)
ANSWER_MASK, ANSWER_BITS = 0x93, 0x12
OFFLINE = 0x08  # n=1
COVER_OPEN, PAPER_END_STOP, ERROR = 0x04, 0x20, 0x40  # n=2
PAPER_NEAR_END, PAPER_END = 0x0C, 0x60  # n=4

# send(data); receive(timeout_s) -> whatever arrived within the timeout (b"" when nothing did)
Send = Callable[[bytes], None]
Receive = Callable[[float], bytes]


@dataclass(frozen=True)
class PrinterStatus:
    answered: bool
    offline: bool = False
    cover_open: bool = False
    paper_out: bool = False
    paper_low: bool = False
    error: bool = False

    @property
    def ok(self) -> bool:
        """The printer answered and can print."""
        return self.answered and not (self.offline or self.cover_open or self.paper_out or self.error)

    def problem(self) -> str:
        """What is wrong, for the log (English, like the rest of the log)."""
        if not self.answered:
            return "no answer to the status query"
        found = [
            word
            for flag, word in (
                (self.paper_out, "paper out"),
                (self.cover_open, "cover open"),
                (self.error, "error"),
                (self.offline, "offline"),
            )
            if flag
        ]
        return ", ".join(found) or "ok"

    def danish(self) -> str:
        """The same in plain Danish, for `kiosk devices`."""
        if not self.answered:
            return "intet svar på status"
        if self.paper_out:
            return "papiret er sluppet op"
        if self.cover_open:
            return "låget er åbent"
        if self.error or self.offline:
            return "printeren melder fejl"
        return "papiret er ved at slippe op" if self.paper_low else "klar"


NO_ANSWER = PrinterStatus(answered=False)


def is_answer(byte: int) -> bool:
    return byte & ANSWER_MASK == ANSWER_BITS


def decode(answers: dict[int, int]) -> PrinterStatus:
    """The status from the answer byte to each query n (1, 2, 4); a missing answer means no answer."""
    if set(answers) != set(QUERIES):
        return NO_ANSWER
    printer, cause, paper = answers[1], answers[2], answers[4]
    return PrinterStatus(
        answered=True,
        offline=bool(printer & OFFLINE),
        cover_open=bool(cause & COVER_OPEN),
        paper_out=bool(cause & PAPER_END_STOP) or paper & PAPER_END == PAPER_END,
        paper_low=bool(paper & PAPER_NEAR_END),
        error=bool(cause & ERROR),
    )


def ask(send: Send, receive: Receive, timeout_s: float) -> PrinterStatus:
    """Ask the three questions one after the other; the whole exchange ends by `timeout_s`.  Bytes that are
    not status answers (XON/XOFF, automatic status back) are skipped."""
    deadline = time.monotonic() + timeout_s
    answers: dict[int, int] = {}
    for n in QUERIES:
        send(DLE_EOT + bytes((n,)))
        while n not in answers:
            left = deadline - time.monotonic()
            if left <= 0:
                return NO_ANSWER
            got = receive(left)
            answer = next((b for b in got if is_answer(b)), None)
            if answer is not None:
                answers[n] = answer
    return decode(answers)
