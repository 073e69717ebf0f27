"""Pure småjobs rules: the spreadsheet import, names and Danish phone numbers, and the Danish wording."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kiosk.domain import jobs as jt
from kiosk.errors import DomainError, ImportRejected
from tests.conftest import sample

HEADER = "title;place;starts;ends;capacity;description\n"


def test_the_shared_jobs_file_parses_into_four_jobs_in_utc() -> None:
    rows = jt.parse_jobs_csv(sample("jobs.csv").read_bytes())
    assert rows[0].title == "Oprydning i gården"
    assert len(rows) == 4
    assert rows[0].starts_at == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # 10:00 Copenhagen in winter
    assert rows[0].capacity == 6


def test_a_bad_row_rejects_the_file_and_names_the_spreadsheet_row() -> None:
    data = (HEADER + "Godt job;Gården;2026-12-01 10:00;2026-12-01 12:00;3;\n"
            "Dårligt job;Gården;2026-12-01 12:00;2026-12-01 10:00;3;\n"
            "Også dårligt;;2026-12-01 10:00;2026-12-01 12:00;nul;\n").encode()  # fmt: skip
    with pytest.raises(ImportRejected) as caught:
        jt.parse_jobs_csv(data)
    assert [row for row, _ in caught.value.problems] == [3, 4]
    assert "slut er før start" in caught.value.problems[0][1]


def test_an_absurd_capacity_is_refused() -> None:
    with pytest.raises(ImportRejected) as caught:
        jt.parse_jobs_csv((HEADER + "Job;Gården;2026-12-01 10:00;2026-12-01 12:00;5000;\n").encode())
    assert caught.value.problems[0][0] == 2


def test_job_problems_lists_every_field_at_once_in_danish() -> None:
    start = datetime(2026, 12, 1, 9, tzinfo=UTC)
    problems = jt.job_problems("", " ", start, start, 0)
    assert set(problems) == {"title", "place", "ends_at", "capacity"}
    assert problems["ends_at"] == "Slut skal være efter start."


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("12345678", "12345678"), ("12 34 56 78", "12345678"), ("+45 12 34 56 78", "12345678"), ("", None), (None, None)],
)
def test_danish_phone_numbers_are_stored_as_eight_digits(typed: str | None, stored: str | None) -> None:
    assert jt.clean_phone(typed) == stored


@pytest.mark.parametrize("typed", ["1234", "+46 12345678", "0123 4567", "tlf 12345678"])
def test_a_phone_number_that_is_not_danish_gets_a_plain_message(typed: str) -> None:
    with pytest.raises(DomainError) as caught:
        jt.clean_phone(typed)
    assert caught.value.user_message == "Skriv et dansk telefonnummer med 8 cifre."


def test_names_are_tidied_and_empty_or_absurd_names_refused() -> None:
    assert jt.clean_name("  Åse   Marie-Louise ") == "Åse Marie-Louise"
    for bad in ("", "   ", "1234", "x" * 61, "<script>"):
        with pytest.raises(DomainError):
            jt.clean_name(bad)


def test_dates_times_and_free_places_read_the_danish_way() -> None:
    start = datetime(2026, 12, 1, 9, tzinfo=UTC)
    assert jt.date_text(start) == "1. december 2026"
    assert jt.weekday_date_text(start) == "Tirsdag 1. december 2026"
    assert jt.time_range_text(start, start + timedelta(hours=3)) == "10.00–13.00"
    assert jt.starts_text(start) == "Jobbet starter 1. december kl. 10.00"
    assert (jt.free_text(4), jt.free_text(1)) == ("4 ledige pladser", "1 ledig plads")
    assert jt.free_text(0).startswith("Fuldt")


def test_the_check_in_window_opens_half_an_hour_before_and_closes_at_the_end() -> None:
    start = datetime(2026, 12, 1, 9, tzinfo=UTC)
    end = start + timedelta(hours=3)
    assert not jt.in_window(start, end, start - timedelta(minutes=31))
    assert jt.in_window(start, end, start - timedelta(minutes=30))
    assert jt.in_window(start, end, end)
    assert not jt.in_window(start, end, end + timedelta(seconds=1))


def test_months_before_counts_calendar_months_and_clamps_the_day() -> None:
    assert jt.months_before(datetime(2026, 12, 1, tzinfo=UTC), 12) == datetime(2025, 12, 1, tzinfo=UTC)
    assert jt.months_before(datetime(2026, 3, 31, tzinfo=UTC), 1) == datetime(2026, 2, 28, tzinfo=UTC)
    assert jt.months_before(datetime(2026, 1, 15, tzinfo=UTC), 13) == datetime(2024, 12, 15, tzinfo=UTC)


def test_the_staff_form_reads_danish_dates_and_times_in_local_time() -> None:
    from datetime import UTC, datetime

    from kiosk.domain.jobs import form_times

    starts, ends = form_times("1-12-2026", "10.00", "13:30")
    assert (starts, ends) == (datetime(2026, 12, 1, 9, 0, tzinfo=UTC), datetime(2026, 12, 1, 12, 30, tzinfo=UTC))
    assert form_times("2026-07-01", "9", "12.00")[0] == datetime(2026, 7, 1, 7, 0, tzinfo=UTC)  # summer time


def test_the_staff_form_names_every_field_that_is_not_a_date_or_time() -> None:
    import pytest

    from kiosk.domain.jobs import JobInvalid, form_capacity, form_times

    with pytest.raises(JobInvalid) as caught:
        form_times("31-02-2026", "25.00", "i morgen")
    assert set(caught.value.problems) == {"day", "starts_at", "ends_at"}
    with pytest.raises(JobInvalid) as caught:
        form_capacity("mange")
    assert "capacity" in caught.value.problems
    assert form_capacity(" 12 ") == 12
