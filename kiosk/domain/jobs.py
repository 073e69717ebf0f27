"""Small jobs ("småjobs"): spreadsheet rows, validation of a job and of a resident's name and phone, and the
Danish wording every screen, slip and poster shares ("1. december 2026", "10.00–13.00", "4 ledige pladser").

Pure functions: no database, no clock of their own (callers pass "now")."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from babel.dates import format_date

from kiosk.clock import LOCAL_TZ, to_local
from kiosk.domain.csvfile import read_rows
from kiosk.domain.text import shorten, text_problem
from kiosk.errors import DomainError, ImportRejected
from kiosk.i18n import L_, _, joined, lazy_clock, lazy_date

JOB_COLUMNS = ("title", "place", "starts", "ends", "capacity")
JOB_OPTIONAL = ("description",)  # any other column is named in an error, not silently left out
FIRST_YEAR, LAST_YEAR = 2000, 2100  # a job's year outside these is a typing slip ("0001", "20266")
_CAPACITY = re.compile(r"^[0-9]{1,4}$")  # ASCII digits: str.isdigit() also takes "²", which int() refuses
LOCALE = "da_DK"
CHECKIN_EARLY = timedelta(minutes=30)  # a resident may check in this long before the job starts
MAX_TITLE, MAX_PLACE, MAX_NAME, MAX_CAPACITY = 120, 120, 60, 200
MAX_LENGTH = timedelta(hours=14)  # longer than a day's work is a typing error
_NAME = re.compile(r"^[^\W\d_]+(?:[ '\-.][^\W\d_]+)*\.?$")  # letters, with single spaces, hyphens, apostrophes


class JobInvalid(DomainError):
    """A job form or row that cannot be stored.  `problems` maps a field to a Danish message."""

    user_message = L_("Jobbet kan ikke gemmes. Ret felterne og prøv igen.")

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems  # each a Text (L_): the form says it beside its field
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()), user_message=joined(problems.values()))


@dataclass(frozen=True)
class JobRow:
    title: str
    place: str
    starts_at: datetime  # UTC
    ends_at: datetime
    capacity: int
    description: str


def _local(text: str, what: str) -> datetime:
    for fmt in ("%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M", "%d.%m.%Y %H:%M"):
        try:
            wall = datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
        problem = wall_clock_problem(wall)
        if problem is not None:
            raise ValueError(f"{what} '{shorten(text)}': {problem}")
        return wall.replace(tzinfo=LOCAL_TZ).astimezone(UTC)
    said = _("{what} '{text}' er ikke et tidspunkt (skriv fx 2026-12-01 10:00)")
    raise ValueError(said.format(what=what, text=shorten(text)))


def wall_clock_problem(wall: datetime) -> str | None:
    """Why a Danish wall-clock time cannot be a job's start or end, or None.  The spring-forward gap (the last
    Sunday of March, 02.00-03.00) does not exist on Danish clocks: taken as it stood, 02.30 became 01.30 UTC and a
    job 02.30-03.15 seemed to end before it started."""
    if not FIRST_YEAR <= wall.year <= LAST_YEAR:
        said = _("året {year} kan ikke passe. Skriv et år fra {first} til {last}")
        return said.format(year=wall.year, first=FIRST_YEAR, last=LAST_YEAR)
    there = wall.replace(tzinfo=LOCAL_TZ)
    if there.astimezone(UTC).astimezone(LOCAL_TZ).replace(tzinfo=None) != wall:
        said = _("klokken {clock} findes ikke den dag: uret springer fra 02.00 til 03.00 (sommertid). Skriv fx 03.00")
        return said.format(clock=wall.strftime("%H.%M"))
    return None


def job_problems(title: str, place: str, starts_at: datetime, ends_at: datetime, capacity: int) -> dict[str, str]:
    """Every problem at once, so staff fix the form in one go.  Empty when the job can be stored."""
    problems: dict[str, str] = {}
    if not title.strip():
        problems["title"] = L_("Skriv en titel.")
    elif len(title.strip()) > MAX_TITLE:
        problems["title"] = L_("Titlen er for lang (højst {n} tegn).", n=MAX_TITLE)
    elif (odd := text_problem(title)) is not None:
        problems["title"] = odd
    if not place.strip():
        problems["place"] = L_("Skriv hvor jobbet er.")
    elif len(place.strip()) > MAX_PLACE:
        problems["place"] = L_("Stedet er for langt (højst {n} tegn).", n=MAX_PLACE)
    elif (odd := text_problem(place)) is not None:
        problems["place"] = odd
    if ends_at <= starts_at:
        problems["ends_at"] = L_("Slut skal være efter start.")
    elif ends_at - starts_at > MAX_LENGTH:
        problems["ends_at"] = L_("Jobbet varer over 14 timer. Tjek slut-tidspunktet.")
    if capacity < 1 or capacity > MAX_CAPACITY:
        problems["capacity"] = L_("Antal pladser skal være mellem 1 og {most}.", most=MAX_CAPACITY)
    return problems


def parse_jobs_csv(data: bytes) -> list[JobRow]:
    """All rows or none: every bad row is named by the number the spreadsheet shows."""
    rows = read_rows(data, JOB_COLUMNS, JOB_OPTIONAL)
    parsed: list[JobRow] = []
    problems: list[tuple[int, str]] = []
    for row in rows:
        v = row.values
        try:
            if not v["title"]:
                raise ValueError(_("titel mangler"))
            if not v["place"]:
                raise ValueError(_("sted mangler"))
            starts, ends = _local(v["starts"], "start"), _local(v["ends"], "slut")
            if ends <= starts:
                raise ValueError(_("slut er før start"))
            if not _CAPACITY.match(v["capacity"]) or not 1 <= int(v["capacity"]) <= MAX_CAPACITY:
                said = _("antal pladser '{text}' skal være et helt tal fra 1 til {most}")
                raise ValueError(said.format(text=shorten(v["capacity"]), most=MAX_CAPACITY))
            other = job_problems(v["title"], v["place"], starts, ends, int(v["capacity"]))
            description = v.get("description", "")
            if (odd := text_problem(description, multiline=True)) is not None:
                other["description"] = odd
            if other:
                raise ValueError(_(joined(other.values())))  # the command says it now
            parsed.append(JobRow(v["title"], v["place"], starts, ends, int(v["capacity"]), description))
        except ValueError as exc:
            problems.append((row.number, str(exc)))
    if problems:
        raise ImportRejected(problems)
    return parsed


# --- residents -------------------------------------------------------------------------------------------------


def clean_name(name: str) -> str:
    """A first name or nickname: letters (æøå, accents), spaces, hyphens.  Raises DomainError with a Danish message."""
    if (odd := text_problem(name)) is not None:
        raise DomainError("refused character in a name", user_message=odd)
    text = " ".join(name.split())
    if not text:
        raise DomainError("empty name", user_message=L_("Skriv dit navn."))
    if len(text) > MAX_NAME:
        raise DomainError("name too long", user_message=L_("Navnet er for langt (højst {n} tegn).", n=MAX_NAME))
    if not _NAME.match(text):
        raise DomainError("odd name", user_message=L_("Skriv dit navn med bogstaver."))
    return text


def clean_phone(phone: str | None) -> str | None:
    """A Danish number: 8 digits, optionally with +45/0045 and spaces.  Stored as 8 digits; None when left out."""
    if phone is None or not phone.strip():
        return None
    digits = re.sub(r"[\s\-]", "", phone.strip())
    for prefix in ("+45", "0045"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
    if not (len(digits) == 8 and digits.isdigit() and digits[0] != "0"):
        raise DomainError("not a Danish number", user_message=L_("Skriv et dansk telefonnummer med 8 cifre."))
    return digits


def phone_text(phone: str) -> str:
    """'12345678' -> '12 34 56 78', how Danes read a number aloud."""
    return " ".join(phone[i : i + 2] for i in range(0, len(phone), 2))


# --- wording ---------------------------------------------------------------------------------------------------


# Texts (kiosk.i18n): the Danish the posters and slips print, said in the reader's language on a screen.


def date_text(moment: datetime) -> str:
    """'1. december 2026' / '1 December 2026' in the shop's local time."""
    return lazy_date(moment, "d. MMMM y", "d MMMM y")


def weekday_date_text(moment: datetime) -> str:
    """'Tirsdag 1. december 2026'."""
    return format_date(to_local(moment).date(), "EEEE d. MMMM y", locale=LOCALE).capitalize()


def clock_text(moment: datetime) -> str:
    """'10.00' (Danes put a dot between hours and minutes; English '10:00')."""
    return lazy_clock(moment)


def time_range_text(starts_at: datetime, ends_at: datetime) -> str:
    """'10.00–13.00'."""
    return joined([clock_text(starts_at), clock_text(ends_at)], "–")


def free_text(free: int) -> str:
    """'4 ledige pladser', '1 ledig plads', 'Fuldt – skriv dig på venteliste'."""
    if free <= 0:
        return "Fuldt – skriv dig på venteliste"
    return "1 ledig plads" if free == 1 else f"{free} ledige pladser"


def starts_text(starts_at: datetime) -> str:
    """'Jobbet starter 1. december kl. 10.00' (no year: it is soon), said in the reader's language."""
    day = lazy_date(starts_at, "d. MMMM", "d MMMM")
    return L_("Jobbet starter {day} kl. {time}", day=day, time=clock_text(starts_at))


def in_window(starts_at: datetime, ends_at: datetime, now: datetime) -> bool:
    """Check-in and check-out are open from 30 minutes before the start until the end."""
    return starts_at - CHECKIN_EARLY <= now <= ends_at


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the 31st becomes the month's last day)."""
    total = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(total, 12)
    first_next = date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    last_day = (first_next - timedelta(days=1)).day
    return moment.replace(year=year, month=month + 1, day=min(moment.day, last_day))


# --- the staff's job form -----------------------------------------------------------------------------------

_DAY = re.compile(r"^\s*(\d{1,2})[-./](\d{1,2})[-./](\d{4})\s*$")
_ISO_DAY = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_CLOCK = re.compile(r"^\s*(\d{1,2})(?:[.:](\d{2}))?\s*$")


def form_day(text: str) -> date | None:
    """'1-12-2026', '1.12.2026' or '2026-12-01'; None when it is not a date."""
    found, iso = _DAY.match(text), _ISO_DAY.match(text)
    try:
        if found:
            return date(int(found[3]), int(found[2]), int(found[1]))
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
    except ValueError:
        return None
    return None


def form_clock(text: str) -> tuple[int, int] | None:
    """'10.00', '10:30' or '9'; None when it is not a time of day."""
    found = _CLOCK.match(text)
    if not found:
        return None
    hour, minute = int(found[1]), int(found[2] or 0)
    return (hour, minute) if hour < 24 and minute < 60 else None


def form_times(day: str, start: str, end: str) -> tuple[datetime, datetime]:
    """The form's date and two times as UTC moments (a job never runs past midnight).  JobInvalid names every
    field that is not a date or a time."""
    the_day, starts, ends = form_day(day), form_clock(start), form_clock(end)
    problems: dict[str, str] = {}
    if the_day is None:
        problems["day"] = L_("Skriv datoen som 1-12-2026.")
    if starts is None:
        problems["starts_at"] = L_("Skriv start som 10.00.")
    if ends is None:
        problems["ends_at"] = L_("Skriv slut som 13.00.")
    if problems or the_day is None or starts is None or ends is None:
        raise JobInvalid(problems)

    if not FIRST_YEAR <= the_day.year <= LAST_YEAR:
        raise JobInvalid({"day": L_("Skriv et år fra {first} til {last}.", first=FIRST_YEAR, last=LAST_YEAR)})
    start_wall, end_wall = datetime.combine(the_day, time(*starts)), datetime.combine(the_day, time(*ends))
    for field, wall in (("starts_at", start_wall), ("ends_at", end_wall)):
        if (problem := wall_clock_problem(wall)) is not None:
            problems[field] = problem[0].upper() + problem[1:] + "."  # the spring-forward gap
    if problems:
        raise JobInvalid(problems)
    return start_wall.replace(tzinfo=LOCAL_TZ).astimezone(UTC), end_wall.replace(tzinfo=LOCAL_TZ).astimezone(UTC)


def form_capacity(text: str) -> int:
    if not _CAPACITY.match(text.strip()):
        raise JobInvalid({"capacity": L_("Antal pladser skal være et tal fra 1 til {most}.", most=MAX_CAPACITY)})
    return int(text.strip())


# --- what a job's slips, poster and screens show (the services build these; kiosk.printouts reads them) ---------

SignupStatus = Literal["signed_up", "waitlist"]


@dataclass(frozen=True)
class JobView:
    id: uuid.UUID
    title: str
    place: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    taken: int
    description: str
    qr_token: str = ""
    waiting: int = 0
    cancelled: bool = False
    contact_person_id: uuid.UUID | None = None
    contact_name: str | None = None

    @property
    def free(self) -> int:
        return max(self.capacity - self.taken, 0)

    @property
    def full(self) -> bool:
        return self.free == 0

    @property
    def date_text(self) -> str:
        return date_text(self.starts_at)

    @property
    def time_text(self) -> str:
        return time_range_text(self.starts_at, self.ends_at)

    @property
    def free_text(self) -> str:
        return free_text(self.free)


@dataclass(frozen=True)
class Confirmation:
    """Everything on the confirmation slip (kept apart from the Document so it can be reprinted)."""

    job: JobView
    name: str
    token: str  # the slip QR: HK1:S:<token>
    status: SignupStatus
    position: int | None  # place on the waitlist (1 = next in line)
