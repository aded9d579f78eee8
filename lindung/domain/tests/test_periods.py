from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lindung.domain.periods import (
    MONTH_NAMES_ID,
    CoverageWindow,
    Month,
    PeriodError,
    age_on,
    fiscal_year,
    months_inclusive,
)

months = st.builds(Month, st.integers(1900, 2200), st.integers(1, 12))


def test_it_parses_and_prints_months():
    assert Month.parse("2025-11") == Month(2025, 11)
    assert Month.parse(" 2025-3 ") == Month(2025, 3)
    assert str(Month(2025, 3)) == "2025-03"
    assert Month.parse(str(Month(2024, 1))) == Month(2024, 1)


@pytest.mark.parametrize("text", ["2025-13", "2025-00", "11-2025", "2025/11", "", "November 2025", None, 202511])
def test_it_rejects_bad_month_text(text):
    with pytest.raises(PeriodError):
        Month.parse(text)


@pytest.mark.parametrize("year, month", [(2025, 0), (2025, 13), (0, 1), (2025, True), ("2025", 1)])
def test_it_rejects_bad_month_values(year, month):
    with pytest.raises(PeriodError):
        Month(year, month)


def test_period_error_is_a_value_error_with_an_indonesian_message():
    with pytest.raises(ValueError, match="Bulan harus 1 sampai 12"):
        Month(2025, 13)


def test_it_takes_the_month_of_a_date():
    assert Month.of(date(2025, 11, 13)) == Month(2025, 11)


def test_it_adds_and_subtracts_across_years():
    assert Month(2025, 11) + 2 == Month(2026, 1)
    assert 2 + Month(2025, 11) == Month(2026, 1)
    assert Month(2026, 1) - 1 == Month(2025, 12)
    assert Month(2027, 4) - Month(2026, 1) == 15
    assert Month(2025, 1) - Month(2025, 3) == -2


def test_months_are_ordered_and_hashable():
    assert Month(2025, 12) < Month(2026, 1)
    assert sorted([Month(2026, 1), Month(2025, 12)]) == [Month(2025, 12), Month(2026, 1)]
    assert {Month(2025, 11): "karimun"}[Month.parse("2025-11")] == "karimun"


def test_first_and_last_day_know_leap_years():
    assert Month(2024, 2).first_day == date(2024, 2, 1)
    assert Month(2024, 2).last_day == date(2024, 2, 29)
    assert Month(2025, 2).last_day == date(2025, 2, 28)
    assert Month(2025, 12).last_day == date(2025, 12, 31)


def test_it_names_months_in_indonesian():
    assert Month(2025, 11).name_id == "November 2025"
    assert Month(2026, 8).name_id == "Agustus 2026"
    assert len(MONTH_NAMES_ID) == 12


def test_months_inclusive():
    assert months_inclusive(Month(2025, 11), Month(2025, 12)) == 2
    assert months_inclusive(Month(2025, 1), Month(2025, 1)) == 1
    assert months_inclusive(Month(2026, 1), Month(2027, 3)) == 15


def test_months_inclusive_refuses_an_end_before_the_start():
    with pytest.raises(PeriodError):
        months_inclusive(Month(2025, 12), Month(2025, 11))


def test_coverage_window():
    karimun = CoverageWindow(Month(2025, 11), 2)
    assert karimun.end == Month(2025, 12)
    assert karimun.months_list() == [Month(2025, 11), Month(2025, 12)]
    assert karimun.contains(Month(2025, 12))
    assert not karimun.contains(Month(2026, 1))
    assert not karimun.contains(Month(2025, 10))
    assert karimun.start_date == date(2025, 11, 1)
    assert karimun.end_date == date(2025, 12, 31)
    assert CoverageWindow.between(Month(2025, 11), Month(2025, 12)) == karimun
    assert str(karimun) == "November 2025 – Desember 2025"


def test_windows_overlap_when_they_share_a_month():
    a = CoverageWindow(Month(2025, 1), 12)
    assert a.overlaps(CoverageWindow(Month(2025, 12), 3))
    assert CoverageWindow(Month(2025, 12), 3).overlaps(a)
    assert not a.overlaps(CoverageWindow(Month(2026, 1), 3))
    assert a.overlaps(CoverageWindow(Month(2025, 5), 1))


@pytest.mark.parametrize("months_count", [0, -1, True, 1.5])
def test_window_needs_at_least_one_whole_month(months_count):
    with pytest.raises(PeriodError):
        CoverageWindow(Month(2025, 1), months_count)


def test_window_needs_a_month_as_start():
    with pytest.raises(PeriodError):
        CoverageWindow("2025-01", 12)


def test_fiscal_year_is_january_to_december():
    window = fiscal_year(2025)
    assert window.start == Month(2025, 1)
    assert window.end == Month(2025, 12)
    assert window.start_date == date(2025, 1, 1)
    assert window.end_date == date(2025, 12, 31)


def test_age_in_completed_years():
    assert age_on(date(2007, 11, 1), date(2025, 11, 1)) == 18
    assert age_on(date(2007, 11, 2), date(2025, 11, 1)) == 17
    assert age_on(date(1960, 1, 1), date(2025, 12, 31)) == 65


def test_age_of_someone_born_on_29_february():
    born = date(2004, 2, 29)
    assert age_on(born, date(2022, 2, 28)) == 17  # non-leap year: birthday counts from 1 March
    assert age_on(born, date(2022, 3, 1)) == 18
    assert age_on(born, date(2024, 2, 28)) == 19
    assert age_on(born, date(2024, 2, 29)) == 20


def test_age_refuses_a_day_before_birth():
    with pytest.raises(PeriodError):
        age_on(date(2000, 1, 2), date(2000, 1, 1))


@given(months, st.integers(-1200, 1200))
def test_adding_then_subtracting_months_round_trips(month, n):
    assert (month + n) - month == n
    assert (month + n) - n == month


@given(months, st.integers(1, 60), months, st.integers(1, 60))
def test_overlap_is_symmetric_and_matches_shared_months(a_start, a_len, b_start, b_len):
    a, b = CoverageWindow(a_start, a_len), CoverageWindow(b_start, b_len)
    shared = set(a.months_list()) & set(b.months_list())
    assert a.overlaps(b) == b.overlaps(a) == bool(shared)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)), st.integers(0, 120))
def test_age_is_reached_on_the_birthday(birth, years):
    try:
        birthday = birth.replace(year=birth.year + years)
    except ValueError:  # 29 February in a non-leap year
        birthday = date(birth.year + years, 3, 1)
    assert age_on(birth, birthday) == years
    if birthday > birth:
        assert age_on(birth, date.fromordinal(birthday.toordinal() - 1)) == years - 1
