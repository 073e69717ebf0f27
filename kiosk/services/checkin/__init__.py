"""Check-in: workers check in and out with a badge or their name and code, answer for a forgotten check-out, see
their hours; supervisors review and correct shifts.  `shift_store` is the one place that reads shifts."""

import kiosk.services.checkin.shift_store as shift_store
from kiosk.domain.hours import DayLine
from kiosk.services.checkin.presence import CheckIn
from kiosk.services.checkin.shift_review import corrections_by_day, day_line
from kiosk.services.checkin.types import (
    AnswerResult,
    CheckInResult,
    Choice,
    ForgottenCheckOut,
    HoursOverview,
    NotAllowedError,
    Period,
    ReviewItem,
    ReviewKind,
    ShiftNotFoundError,
    Status,
    WrongPinError,
)

__all__ = [
    "AnswerResult",
    "CheckIn",
    "CheckInResult",
    "Choice",
    "DayLine",
    "ForgottenCheckOut",
    "HoursOverview",
    "NotAllowedError",
    "Period",
    "ReviewItem",
    "ReviewKind",
    "ShiftNotFoundError",
    "Status",
    "WrongPinError",
    "corrections_by_day",
    "day_line",
    "shift_store",
]
