"""What the check-in service hands the screens: small frozen results with every text already phrased, and the
typed errors whose `user_message` a worker can act on."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from kiosk.clock import to_local
from kiosk.domain import shift_text as txt
from kiosk.domain.hours import DayLine
from kiosk.domain.shifts import ShiftRecord
from kiosk.errors import DomainError
from kiosk.i18n import L_
from kiosk.services.people import WrongCodeError

Status = Literal["checked_in", "checked_out", "already_in", "already_out", "needs_answer"]
Choice = Literal["closing", "time", "unknown"]
Period = Literal["week", "month"]
ReviewKind = Literal["self_reported", "end_unknown", "long", "missing_check_out"]


# A wrong code at Mød ind / Gå hjem is the code guard's refusal (kiosk/services/people/code_guard.py): counted,
# journaled and locked like a code typed anywhere else.
WrongPinError = WrongCodeError


class NotAllowedError(DomainError):
    user_message = L_("Det kan kun en leder gøre.")


class ShiftNotFoundError(DomainError):
    user_message = L_("Registreringen findes ikke (længere). Prøv igen.")


@dataclass(frozen=True)
class ForgottenCheckOut:
    """An earlier check-in with no check-out: the screen asks QUESTION with big choices."""

    shift_id: uuid.UUID
    checked_in_at: datetime
    closing_at: datetime | None  # None when they came after closing: then "Ved lukketid" is not offered
    question: str = txt.QUESTION

    @property
    def context_text(self) -> str:
        """'Du mødte ind mandag 23. november kl. 09.02.'"""
        local_day = to_local(self.checked_in_at).date()
        return L_(
            "Du mødte ind {day} kl. {time}.", day=txt.day_text(local_day), time=txt.clock_text(self.checked_in_at)
        )

    @property
    def closing_choice_text(self) -> str | None:
        return L_("Ved lukketid ({time})", time=txt.clock_text(self.closing_at)) if self.closing_at else None


@dataclass(frozen=True)
class CheckInResult:
    status: Status
    person_id: uuid.UUID
    name: str
    first_name: str
    at: datetime  # the scan
    message: str  # the big line
    week_minutes: int
    week_visits: int
    longest_streak_weeks: int
    shift_id: uuid.UUID | None = None  # the record opened or closed
    worked_minutes: int | None = None  # on check-out
    flagged: bool = False  # the shift just closed was very long and goes to a supervisor
    forgotten: ForgottenCheckOut | None = None

    @property
    def needs_answer(self) -> bool:
        """Ask "Hvornår gik du hjem?" first, then show `message` (a later-day check-in is already stored)."""
        return self.forgotten is not None

    @property
    def lines(self) -> tuple[str, ...]:
        """Encouragement under the big line: visits, this week's hours, the record streak."""
        out = [txt.visits_text(self.week_visits)] if self.week_visits else []
        if self.week_minutes:
            out.append(txt.week_hours_text(self.week_minutes))
        streak = txt.streak_text(self.longest_streak_weeks)
        return (*out, streak) if streak else tuple(out)


@dataclass(frozen=True)
class AnswerResult:
    shift_id: uuid.UUID  # the new, self-reported record
    corrects_id: uuid.UUID
    choice: Choice
    check_out: datetime | None
    message: str


@dataclass(frozen=True)
class HoursOverview:
    person_id: uuid.UUID
    name: str
    period: Period
    title: str  # 'Uge 48' / 'november 2026'
    first: date
    end: date  # exclusive
    days: tuple[DayLine, ...]
    total_minutes: int
    pending_minutes: int  # of the total, awaiting a supervisor
    has_earlier: bool = False  # hours before this period: "Før" pages back
    has_later: bool = False  # the period ends before today: "Efter" pages forward

    @property
    def total_text(self) -> str:
        return txt.duration_text(self.total_minutes)

    @property
    def visits(self) -> int:
        return len(self.days)


@dataclass(frozen=True)
class ReviewItem:
    kind: ReviewKind
    record: ShiftRecord
    person_name: str
    original: ShiftRecord | None  # what the flagged record replaces, shown beside it
    summary: str  # 'Åse Ørbæk, mandag 23. november 09.02–17.00: selv oplyst (ved lukketid)'
