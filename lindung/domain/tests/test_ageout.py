from datetime import date

from lindung.domain import ageout
from lindung.domain.periods import Month


def test_the_age_out_day_is_the_66th_birthday_and_29_february_moves_to_1_march():
    assert ageout.age_out_day(date(1960, 5, 15), 65) == date(2026, 5, 15)
    assert ageout.age_out_day(date(1960, 2, 29), 65) == date(2026, 3, 1)


def test_coverage_ends_in_the_birthday_month_only_under_that_setting():
    end = Month(2026, 12)
    assert ageout.coverage_end(date(1960, 5, 15), 65, end, ageout.TO_WINDOW_END) is None
    assert ageout.coverage_end(date(1960, 5, 15), 65, end, ageout.BIRTHDAY_MONTH) == date(2026, 5, 15)
    assert ageout.coverage_end(date(1961, 5, 15), 65, end, ageout.BIRTHDAY_MONTH) is None  # after the window
    assert ageout.coverage_end(None, 65, end, ageout.BIRTHDAY_MONTH) is None


def test_who_turns_66_in_the_next_three_months():
    today = date(2026, 2, 10)
    assert ageout.turns_within(date(1960, 2, 10), 65, today=today) == date(2026, 2, 10)
    assert ageout.turns_within(date(1960, 5, 10), 65, today=today) == date(2026, 5, 10)
    assert ageout.turns_within(date(1960, 5, 11), 65, today=today) is None
    assert ageout.turns_within(date(1960, 2, 9), 65, today=today) is None  # already 66
