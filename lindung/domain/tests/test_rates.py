from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lindung.domain import rates
from lindung.domain.pekerjaan import SUMBER_DANA
from lindung.domain.periods import Month
from lindung.domain.rates import (
    GOVERNMENT_PAYERS,
    BPU_BANDS,
    JKK_MAX,
    RULES,
    DiscountRule,
    JkkBand,
    JkkRule,
    JkmRule,
    RateNotFound,
    find_discount,
    find_rule,
    rules_for,
    rupiah,
)


def test_every_rule_names_its_regulation_and_source():
    for rule in RULES:
        assert rule.regulation.strip()
        assert rule.source.startswith("https://")
        assert rule.component in rates.COMPONENTS
        assert rule.valid_to is None or rule.valid_from <= rule.valid_to


def test_no_component_has_two_rules_in_the_same_month():
    month = Month(2022, 1)
    while month <= Month(2030, 12):
        components = [rule.component for rule in rules_for(month)]
        assert len(components) == len(set(components)), month
        month += 1


def test_it_finds_the_lowest_jkk_band():
    rule = find_rule(rates.JKK, Month(2025, 11))
    assert isinstance(rule, JkkRule)
    assert rule.jkk_for(1_000_000) == 10_000
    assert rule.band_for(1_000_000).dasar == 1_000_000
    assert rule.bands is BPU_BANDS
    assert "Lampiran II" in rule.regulation


def test_the_lampiran_ii_rows_are_whole_and_one_percent_of_their_base():
    assert len(BPU_BANDS) == 33
    assert BPU_BANDS[0].low == 0 and BPU_BANDS[-1].high is None
    for before, after in zip(BPU_BANDS, BPU_BANDS[1:]):
        assert after.low == before.high + 1_000  # limits in whole thousands, no overlap
    for band in BPU_BANDS:
        assert band.high is None or band.low <= band.dasar <= band.high or band.low == 0
        assert band.jkk * 100 == band.dasar
        assert band.source.startswith("https://")
    assert max(band.jkk for band in BPU_BANDS) == JKK_MAX == 207_000


def test_the_first_and_last_rows_name_their_independent_sources():
    assert "pojokbandung" in BPU_BANDS[0].source
    assert "radarmukomuko" in BPU_BANDS[-1].source
    assert (BPU_BANDS[0].dasar, BPU_BANDS[-1].low, BPU_BANDS[-1].dasar) == (1_000_000, 20_200_000, 20_700_000)


@pytest.mark.parametrize("penghasilan, dasar", [(1, 1_000_000), (1_099_000, 1_000_000), (1_100_000, 1_200_000),
                                                (20_199_000, 19_700_000), (20_200_000, 20_700_000)])
def test_penghasilan_penetapan_manfaat(penghasilan, dasar):
    assert rates.penghasilan_penetapan_manfaat(penghasilan) == dasar


@pytest.mark.parametrize("penghasilan", [1_099_001, 1_099_999, 20_199_500])
def test_an_income_between_two_rows_raises_rate_not_found(penghasilan):
    rule = find_rule(rates.JKK, Month(2025, 11))
    with pytest.raises(RateNotFound, match="di antara baris .* belum dikonfirmasi"):
        rule.jkk_for(penghasilan)


def test_jkm_is_6800_flat():
    rule = find_rule(rates.JKM, Month(2025, 11))
    assert isinstance(rule, JkmRule)
    assert rule.amount == 6_800


def test_jht_is_two_percent():
    assert find_rule(rates.JHT, Month(2025, 11)).rate == Fraction(2, 100)


@pytest.mark.parametrize(
    "month, in_force",
    [
        (Month(2025, 12), False),
        (Month(2026, 1), True),
        (Month(2026, 12), True),
        (Month(2027, 3), True),
        (Month(2027, 4), False),
    ],
)
def test_pp_50_2025_discount_window_edges(month, in_force):
    assert (find_discount(month) is not None) is in_force


def test_the_discount_is_half_of_jkk_and_jkm_for_transport_only():
    rule = find_discount(Month(2026, 2))
    assert isinstance(rule, DiscountRule)
    assert rule.rate == Fraction(1, 2)
    assert rule.discounted == {rates.JKK, rates.JKM}
    assert rule.regulation == "PP 50/2025"
    assert rule.applies_to(sektor="transportasi", pembayar="mandiri")
    assert not rule.applies_to(sektor=None, pembayar="mandiri")


@pytest.mark.parametrize("pembayar", ["apbd", "apbn", "apbd_kabkota", "apbd_provinsi", "dbhcht", "apbdes", "dana_desa"])
def test_the_discount_never_applies_to_government_payers(pembayar):
    assert not find_discount(Month(2026, 2)).applies_to(sektor="transportasi", pembayar=pembayar)


def test_every_funding_source_counts_as_government_paid():
    # A new sumber dana must be classified on purpose, not get the discount by accident.
    assert set(SUMBER_DANA) <= GOVERNMENT_PAYERS


def test_months_before_the_table_raise_rate_not_found():
    with pytest.raises(RateNotFound):
        find_rule(rates.JKK, Month(2021, 12))
    assert rules_for(Month(2021, 12)) == []


def test_rules_for_lists_what_is_in_force():
    components = [rule.component for rule in rules_for(Month(2026, 2))]
    assert components == [rates.JKK, rates.JKM, rates.JHT, rates.DISCOUNT]
    assert rates.DISCOUNT not in [rule.component for rule in rules_for(Month(2025, 11))]


def test_find_rule_refuses_unknown_components():
    with pytest.raises(ValueError):
        find_rule("JP", Month(2025, 11))


def test_overlapping_rules_are_a_table_error():
    jkm = find_rule(rates.JKM, Month(2025, 11))
    table = (jkm, JkmRule(Month(2025, 1), None, 7_000, "X", "https://example.org"))
    with pytest.raises(RateNotFound, match="tumpang tindih"):
        find_rule(rates.JKM, Month(2025, 11), rules=table)


def test_overlapping_discounts_are_an_error_not_no_discount():
    discount = find_discount(Month(2026, 2))
    with pytest.raises(RateNotFound):
        find_discount(Month(2026, 2), rules=(discount, discount))


def test_a_later_rule_takes_over_from_its_month():
    old = JkmRule(Month(2022, 1), Month(2026, 6), 6_800, "lama", "https://example.org")
    new = JkmRule(Month(2026, 7), None, 7_200, "baru", "https://example.org")
    assert find_rule(rates.JKM, Month(2026, 6), rules=(old, new)).amount == 6_800
    assert find_rule(rates.JKM, Month(2026, 7), rules=(old, new)).amount == 7_200


def test_band_contains_is_inclusive():
    band = JkkBand(low=1_000_000, high=1_300_000, dasar=1_200_000, jkk=12_000, source="https://example.org")
    assert band.contains(1_000_000) and band.contains(1_300_000)
    assert not band.contains(1_300_001) and not band.contains(999_999)
    top = JkkBand(low=20_200_000, high=None, dasar=20_700_000, jkk=207_000, source="https://example.org")
    assert top.contains(10**12) and top.label == "Rp20.200.000 ke atas"


def test_rupiah_formats_with_dots():
    assert rupiah(16_800) == "Rp16.800"
    assert rupiah(32_020_800) == "Rp32.020.800"
    assert rupiah(0) == "Rp0"
    assert rupiah(-8_400) == "-Rp8.400"


@given(st.integers(1, 100_000), st.integers(1, 100_000))
def test_every_income_in_whole_thousands_has_a_row_and_more_income_never_a_lower_base(a, b):
    low, high = sorted((a * 1_000, b * 1_000))
    assert rates.band_for(low).dasar <= rates.band_for(high).dasar
    assert rates.band_for(high).jkk == rates.band_for(high).dasar // 100 <= JKK_MAX
