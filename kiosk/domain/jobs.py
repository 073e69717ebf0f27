"""Small jobs ("småjobs") as they come from a spreadsheet: validated rows, Danish local times -> UTC."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from kiosk.clock import LOCAL_TZ
from kiosk.domain.csvfile import read_rows
from kiosk.errors import ImportRejected

JOB_COLUMNS = ("title", "place", "starts", "ends", "capacity")


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
            return datetime.strptime(text.strip(), fmt).replace(tzinfo=LOCAL_TZ).astimezone(UTC)
        except ValueError:
            continue
    raise ValueError(f"{what} '{text}' er ikke et tidspunkt (skriv fx 2026-12-01 10:00)")


def parse_jobs_csv(data: bytes) -> list[JobRow]:
    rows = read_rows(data, JOB_COLUMNS, ("description", "contact"))
    parsed: list[JobRow] = []
    problems: list[tuple[int, str]] = []
    for row in rows:
        v = row.values
        try:
            if not v["title"]:
                raise ValueError("titel mangler")
            if not v["place"]:
                raise ValueError("sted mangler")
            starts, ends = _local(v["starts"], "start"), _local(v["ends"], "slut")
            if ends <= starts:
                raise ValueError("slut er før start")
            if not v["capacity"].isdigit() or int(v["capacity"]) < 1:
                raise ValueError(f"antal pladser '{v['capacity']}' skal være et helt tal over 0")
            parsed.append(JobRow(v["title"], v["place"], starts, ends, int(v["capacity"]), v.get("description", "")))
        except ValueError as exc:
            problems.append((row.number, str(exc)))
    if problems:
        raise ImportRejected(problems)
    return parsed
