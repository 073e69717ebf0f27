"""The impact report's rules (effektmåling), without a database: what a coordinator reads in the report to the
municipality.  Counts of people from 1 to 4 are hidden as "<5"; a rate or average over fewer than 5 people is
not shown ("–"); attendance stability is the share of weeks with at least one shift.  Every figure is worked out
by hand in the test; the workers are those of November 2026 in tests/integration/impact_fixture.py.

Calendar used: Monday 2 Nov 2026 starts ISO week 45; summer time ends Sunday 25 Oct 2026 (week 43); Monday
28 Dec 2026 starts week 53 and Monday 4 Jan 2027 week 1.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kiosk.domain.impact import (
    Attendance,
    attendance,
    count_text,
    decimal_text,
    hidden,
    hour_bands,
    percent_text,
    plain_count_text,
    share,
    weeks_between,
)

FIRST, LAST = date(2026, 11, 2), date(2026, 11, 29)  # Monday of week 45 to Sunday of week 48


def nov(day: int) -> date:
    return date(2026, 11, day)


# --- small counts ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "shown"),
    [(0, "0"), (1, "<5"), (4, "<5"), (5, "5"), (12, "12"), (1234, "1.234")],
)
def test_counts_of_people_from_1_to_4_read_as_under_5(count: int, shown: str) -> None:
    assert count_text(count) == shown


def test_exactly_4_is_hidden_and_exactly_5_is_not() -> None:
    assert (hidden(4), hidden(5)) == (True, False)


def test_zero_points_at_nobody_and_is_shown() -> None:
    assert hidden(0) is False


@pytest.mark.parametrize(("count", "shown"), [(0, "0"), (3, "3"), (4, "4"), (1234, "1.234")])
def test_counts_of_things_not_people_are_always_shown(count: int, shown: str) -> None:
    assert plain_count_text(count) == shown


# --- shares and percentages --------------------------------------------------------------------------------


def test_a_share_of_nothing_is_no_share_at_all() -> None:
    assert (share(0, 0), share(3, 0)) == (None, None)


def test_a_share_is_exact() -> None:
    assert (share(3, 4), share(0, 5), share(5, 5)) == (Decimal("0.75"), Decimal(0), Decimal(1))


@pytest.mark.parametrize(
    ("part", "whole", "shown"),
    [
        (5, 6, "83 %"),  # 83,33
        (2, 7, "29 %"),  # 28,57: the no-show rate of November (2 of 7 settled sign-ups)
        (1, 8, "13 %"),  # 12,5 rounds half up
        (5, 8, "63 %"),  # 62,5 rounds half up
        (4, 5, "80 %"),
        (0, 5, "0 %"),
        (5, 5, "100 %"),
    ],
)
def test_a_percentage_over_5_or_more_is_shown_rounded_to_whole_percent(part: int, whole: int, shown: str) -> None:
    assert percent_text(share(part, whole), whole) == shown


def test_a_percentage_over_4_people_is_not_shown_but_over_5_it_is() -> None:
    # One no-show of 4 settled sign-ups would point at the one; one of 5 is 20 %.
    assert percent_text(share(1, 4), 4) == "–"
    assert percent_text(share(1, 5), 5) == "20 %"


def test_a_no_show_rate_with_no_settled_sign_ups_is_not_shown() -> None:
    assert percent_text(share(0, 0), 0) == "–"


def test_a_percentage_with_nothing_to_divide_is_not_shown_even_for_many_people() -> None:
    assert percent_text(None, 40) == "–"


# --- averages ----------------------------------------------------------------------------------------------


def test_hours_per_worker_per_week_in_november_read_4_0() -> None:
    # 6510 minutes = 108,5 h over 27 worker-weeks = 4,0185... h, over 8 workers.
    assert decimal_text(Decimal(6510) / 60 / 27, 8) == "4,0"


def test_an_average_over_4_people_is_not_shown_but_over_5_it_is() -> None:
    assert decimal_text(Decimal("7.5"), 4) == "–"
    assert decimal_text(Decimal("7.5"), 5) == "7,5"


def test_an_average_with_nothing_to_divide_is_not_shown() -> None:
    assert decimal_text(None, 8) == "–"


def test_large_averages_use_a_thousands_dot_and_a_decimal_comma() -> None:
    assert decimal_text(Decimal("1234.5"), 5) == "1.234,5"


def test_weekly_hours_in_the_csv_have_two_decimals_and_whole_numbers_none() -> None:
    # Week 45: 2070 minutes = 34,5 h.
    assert decimal_text(Decimal(2070) / 60, 5, 2) == "34,50"
    assert decimal_text(Decimal(8), 5, 0) == "8"


def test_an_average_exactly_halfway_rounds_up_like_the_percentages() -> None:
    # 5 workers, 33,75 h over 15 worker-weeks = 2,25 h a week exactly: rounded half up to one decimal, 2,3.
    assert decimal_text(Decimal(2025) / 60 / 15, 5) == "2,3"


# --- weeks of a period -------------------------------------------------------------------------------------


def test_november_2026_has_four_weeks() -> None:
    assert weeks_between(FIRST, LAST) == [nov(2), nov(9), nov(16), nov(23)]


def test_one_day_is_one_week() -> None:
    assert weeks_between(nov(5), nov(5)) == [nov(2)]


def test_a_sunday_and_the_monday_after_are_two_weeks() -> None:
    assert weeks_between(date(2026, 11, 1), nov(2)) == [date(2026, 10, 26), nov(2)]


def test_a_period_across_the_month_boundary_counts_the_week_they_share_once() -> None:
    # Thursday 29 Oct to Tuesday 3 Nov: weeks 44 and 45.
    assert weeks_between(date(2026, 10, 29), nov(3)) == [date(2026, 10, 26), nov(2)]


def test_a_period_across_the_end_of_summer_time_counts_whole_weeks() -> None:
    # Saturday 24 Oct to Monday 26 Oct 2026, the clocks went back on the Sunday between: weeks 43 and 44.
    assert weeks_between(date(2026, 10, 24), date(2026, 10, 26)) == [date(2026, 10, 19), date(2026, 10, 26)]


def test_a_period_across_new_year_counts_week_53_and_week_1() -> None:
    assert weeks_between(date(2026, 12, 30), date(2027, 1, 4)) == [date(2026, 12, 28), date(2027, 1, 4)]


def test_a_period_that_ends_before_it_starts_has_no_weeks() -> None:
    assert weeks_between(nov(29), nov(2)) == []


# --- attendance stability ----------------------------------------------------------------------------------


def test_a_worker_who_came_every_week_is_stable() -> None:
    # Åse: Mondays 2, 9, 16, 23 Nov, 4 h each, first ever shift 5 Oct.
    a = attendance([nov(2), nov(9), nov(16), nov(23)], 960, date(2026, 10, 5), FIRST, LAST)
    assert a == Attendance(weeks_counted=4, weeks_present=4, minutes=960)
    assert (a.stability, a.stable, a.hours_per_week) == (Decimal(1), True, Decimal(4))


def test_two_shifts_in_one_week_count_that_week_once() -> None:
    # Bo: Tue 3 and Thu 5 Nov (week 45), Tue 17 Nov (week 47): 2 of 4 weeks, 14 h / 4 weeks.
    a = attendance([nov(3), nov(5), nov(17)], 840, date(2026, 10, 12), FIRST, LAST)
    assert (a.weeks_counted, a.weeks_present) == (4, 2)
    assert (a.stability, a.stable, a.hours_per_week) == (Decimal("0.5"), False, Decimal("3.5"))


def test_a_new_worker_is_counted_from_the_week_of_their_first_shift() -> None:
    # Cem began Tuesday 17 Nov (week 47) and came in weeks 47 and 48: 2 of 2, not 2 of 4.
    a = attendance([nov(17), nov(24)], 360, nov(17), FIRST, LAST)
    assert (a.weeks_counted, a.weeks_present, a.stability, a.stable) == (2, 2, Decimal(1), True)
    assert a.hours_per_week == Decimal(3)


def test_a_worker_who_began_in_the_last_week_is_one_of_one() -> None:
    a = attendance([nov(25)], 480, nov(25), FIRST, LAST)
    assert (a.weeks_counted, a.weeks_present, a.hours_per_week) == (1, 1, Decimal(8))


def test_3_of_4_weeks_is_stable() -> None:
    a = attendance([nov(2), nov(9), nov(23)], 720, date(2026, 9, 1), FIRST, LAST)
    assert (a.stability, a.stable) == (Decimal("0.75"), True)


def test_2_of_3_weeks_is_not_stable() -> None:
    # Began Monday 9 Nov, came in weeks 46 and 48: 2 of 3 = 66,7 %, under 3 of every 4.
    a = attendance([nov(9), nov(23)], 480, nov(9), FIRST, LAST)
    assert (a.weeks_counted, a.weeks_present, a.stable) == (3, 2, False)


def test_days_outside_the_period_do_not_count() -> None:
    # Sunday 1 Nov (week 44) and Tuesday 1 Dec (week 49) are outside 2-29 Nov; only Monday 16 Nov counts.
    a = attendance([date(2026, 11, 1), nov(16), date(2026, 12, 1)], 240, date(2026, 10, 1), FIRST, LAST)
    assert (a.weeks_counted, a.weeks_present, a.stability) == (4, 1, Decimal("0.25"))


def test_a_period_not_yet_over_counts_only_the_weeks_until_today() -> None:
    # Asked on Wednesday 18 Nov: weeks 45, 46 and 47 so far; came in 45 and 47.
    a = attendance([nov(3), nov(17)], 480, date(2026, 10, 1), FIRST, nov(18))
    assert (a.weeks_counted, a.weeks_present) == (3, 2)


def test_attendance_across_the_end_of_summer_time_and_a_month_boundary() -> None:
    # Period Mon 19 Oct - Sun 8 Nov 2026 (weeks 43, 44, 45); came Sat 24 Oct, Sun 25 Oct (the night the clocks
    # went back) and Mon 26 Oct: weeks 43 and 44; nothing in week 45.  2 of 3, 3 h a week (9 h / 3 weeks).
    days = [date(2026, 10, 24), date(2026, 10, 25), date(2026, 10, 26)]
    a = attendance(days, 540, date(2026, 9, 1), date(2026, 10, 19), date(2026, 11, 8))
    assert (a.weeks_counted, a.weeks_present, a.stable, a.hours_per_week) == (3, 2, False, Decimal(3))


def test_a_worker_with_no_weeks_to_count_has_no_stability_and_is_not_stable() -> None:
    a = Attendance(weeks_counted=0, weeks_present=0, minutes=0)
    assert (a.stability, a.stable, a.hours_per_week) == (None, False, Decimal(0))


def test_a_first_shift_after_the_period_leaves_no_weeks_to_count() -> None:
    a = attendance([], 0, date(2026, 12, 2), FIRST, LAST)
    assert (a.weeks_counted, a.weeks_present, a.stability, a.stable) == (0, 0, None, False)


# --- November 2026 as a whole ------------------------------------------------------------------------------

NOVEMBER = [
    Attendance(4, 4, 960),  # Åse      4 h a week
    Attendance(4, 2, 840),  # Bo       3,5
    Attendance(2, 2, 360),  # Cem      3 (new)
    Attendance(1, 1, 480),  # Dorte    8 (new)
    Attendance(4, 1, 510),  # Erik     2,125
    Attendance(4, 4, 960),  # Fatima   4
    Attendance(4, 4, 1200),  # Gurli   5
    Attendance(4, 4, 1200),  # Hans    5
]


def test_november_mean_stability_reads_84_percent_and_6_came_at_least_3_of_4_weeks() -> None:
    # 1 + ½ + 1 + 1 + ¼ + 1 + 1 + 1 = 6,75; 6,75 / 8 = 84,375 %.
    stabilities = [w.stability for w in NOVEMBER]
    assert None not in stabilities
    mean = sum(s for s in stabilities if s is not None) / len(NOVEMBER)
    assert percent_text(mean, len(NOVEMBER)) == "84 %"
    assert count_text(sum(w.stable for w in NOVEMBER)) == "6"


def test_november_hour_bands_put_5_under_5_hours_and_3_at_5_to_10() -> None:
    assert hour_bands(NOVEMBER) == [
        ("under 5 timer", 5),
        ("5–10 timer", 3),
        ("10–20 timer", 0),
        ("20 timer og derover", 0),
    ]


def test_hour_bands_include_their_lower_edge_and_exclude_their_upper_edge() -> None:
    workers = [
        Attendance(1, 1, 0),  # 0 h: under 5
        Attendance(1, 1, 299),  # 4,98 h: under 5
        Attendance(1, 1, 300),  # exactly 5 h: 5-10
        Attendance(2, 2, 1199),  # 9,99 h: 5-10
        Attendance(2, 2, 1200),  # exactly 10 h: 10-20
        Attendance(4, 4, 4799),  # 19,996 h: 10-20
        Attendance(4, 4, 4800),  # exactly 20 h: 20 and over
        Attendance(1, 1, 3000),  # 50 h: 20 and over
    ]
    assert hour_bands(workers) == [
        ("under 5 timer", 2),
        ("5–10 timer", 2),
        ("10–20 timer", 2),
        ("20 timer og derover", 2),
    ]


def test_hour_bands_of_nobody_list_every_band_at_zero() -> None:
    assert hour_bands([]) == [
        ("under 5 timer", 0),
        ("5–10 timer", 0),
        ("10–20 timer", 0),
        ("20 timer og derover", 0),
    ]


def test_each_worker_lands_in_exactly_one_band() -> None:
    assert sum(n for _label, n in hour_bands(NOVEMBER)) == 8
