from datetime import date

import pytest

from lindung.domain import benefits
from lindung.domain.masa_iur import CAUTIOUS, GapRule, count, rule_on
from lindung.domain.periods import Month

ADDS_UP = GapRule(date(2027, 1, 1), gap_resets=False, dasar="Surat BPJS Cabang (contoh)")


def months(first: Month, n: int) -> list[Month]:
    return [first + i for i in range(n)]


def test_a_continuous_run_counts_every_month():
    masa = count(months(Month(2025, 1), 12), until=Month(2025, 12))
    assert (masa.total, masa.berjalan, masa.dihitung, masa.jeda) == (12, 12, 12, ())
    assert masa.reaches(36) == Month(2027, 12) and masa.reaches(3) == Month(2025, 3)


def test_a_gap_across_1_january_resets_the_count_under_the_cautious_rule():
    # PPU: April–December 2025 paid, January–March 2026 without APBD money, from April 2026 again.
    paid = months(Month(2025, 4), 9) + months(Month(2026, 4), 2)
    masa = count(paid, until=Month(2026, 5))
    assert masa.jeda == ((Month(2026, 1), Month(2026, 3)),)
    assert (masa.total, masa.berjalan, masa.dihitung) == (11, 2, 2)
    assert masa.under_jkm_threshold  # a non-work death now pays Rp10.000.000
    assert benefits.jkm_benefit(masa.dihitung, on=date(2026, 5, 10)) == 10_000_000
    assert masa.reaches(36) == Month(2029, 3)


def test_a_later_rule_that_adds_up_the_months_applies_from_its_date():
    paid = months(Month(2026, 4), 9) + months(Month(2027, 4), 2)
    rules = (CAUTIOUS, ADDS_UP)
    masa = count(paid, until=Month(2027, 5), rules=rules)
    assert masa.rule is ADDS_UP and masa.dihitung == 11 and not masa.under_jkm_threshold
    assert masa.reaches(3) == Month(2026, 6)
    assert count(paid, until=Month(2026, 12), rules=rules).rule is CAUTIOUS


def test_months_after_the_reference_month_and_repeats_are_ignored():
    masa = count([Month(2025, 1), Month(2025, 1), Month(2025, 2), Month(2025, 9)], until=Month(2025, 2))
    assert (masa.total, masa.berjalan, masa.terakhir) == (2, 2, Month(2025, 2))


def test_nobody_without_contributions_reaches_anything():
    masa = count([], until=Month(2025, 2))
    assert masa.dihitung == 0 and masa.under_jkm_threshold and masa.reaches(36) is None


def test_no_rule_before_the_first_one():
    with pytest.raises(ValueError, match="Tidak ada aturan"):
        rule_on(date(2010, 1, 1))
