from datetime import date

import pytest

from lindung.domain.arrears import consecutive_unpaid, due_date, is_overdue
from lindung.domain.periods import Month


def test_due_date_is_a_day_of_the_following_month():
    assert due_date(Month(2025, 11), 15) == date(2025, 12, 15)
    assert due_date(Month(2025, 12), 15) == date(2026, 1, 15)
    assert due_date(Month(2026, 1), 31) == date(2026, 2, 28)
    with pytest.raises(ValueError):
        due_date(Month(2025, 11), 0)


def test_is_overdue_only_after_the_due_day():
    assert not is_overdue(Month(2025, 11), 15, date(2025, 12, 15))
    assert is_overdue(Month(2025, 11), 15, date(2025, 12, 16))


def test_consecutive_unpaid_counts_back_from_the_latest_month():
    nov, dec, jan, feb = Month(2025, 11), Month(2025, 12), Month(2026, 1), Month(2026, 2)
    assert consecutive_unpaid([(nov, False), (dec, False), (jan, False)]) == 3
    assert consecutive_unpaid([(nov, False), (dec, True), (jan, False)]) == 1
    assert consecutive_unpaid([(nov, False), (jan, False)]) == 1  # a gap ends the run
    assert consecutive_unpaid([(feb, True), (jan, False)]) == 0
    assert consecutive_unpaid([]) == 0
