from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lindung.domain import rates
from lindung.domain.benefits import (
    BENEFIT_SCHEDULES,
    BenefitError,
    RuleNotConfirmed,
    beasiswa_cap,
    check_claim,
    check_coverage_length,
    jkk_death,
    jkk_death_benefit,
    jkm,
    jkm_benefit,
    schedule_on,
)

DEATH = date(2025, 12, 15)
JUNE_2020 = date(2020, 6, 15)


def codes(problems):
    return [p.code for p in problems]


def test_the_schedules_name_their_regulation_and_follow_each_other():
    for schedule in BENEFIT_SCHEDULES:
        assert "PP 82/2019" in schedule.regulation
        assert ("Permenaker 5/2021" in schedule.regulation) == (schedule.valid_from >= date(2021, 4, 1))
        assert schedule.source.startswith("https://")
    assert BENEFIT_SCHEDULES[0].valid_from == date(2019, 12, 2)
    for before, after in zip(BENEFIT_SCHEDULES, BENEFIT_SCHEDULES[1:]):
        assert after.valid_from == before.valid_to + timedelta(days=1)
    assert BENEFIT_SCHEDULES[-1].valid_to is None


# --- PP 82/2019 from 2 December 2019 (a death in June 2020 used to raise) ---


def test_a_death_in_june_2020_has_the_pp_82_2019_amounts():
    assert jkm_benefit(12, on=JUNE_2020) == 42_000_000
    assert jkk_death_benefit(1_000_000, on=JUNE_2020) == 70_000_000
    assert beasiswa_cap(2, on=JUNE_2020) == 174_000_000
    assert schedule_on(JUNE_2020).regulation == "PP 44/2015 jo. PP 82/2019"
    assert check_claim(jenis="jkm", amount=42_000_000, masa_iur_bulan=12, on=JUNE_2020) == []
    assert jkm(12, on=JUNE_2020).aturan == ("PP 44/2015 jo. PP 82/2019",)


def test_pp_82_2019_starts_on_2_december_2019():
    assert jkm_benefit(12, on=date(2019, 12, 2)) == 42_000_000
    with pytest.raises(RuleNotConfirmed, match="berlaku sejak 2 Desember 2019.*PP 44/2015.*Rp24.000.000"):
        jkm_benefit(12, on=date(2019, 12, 1))


def test_a_short_masa_iur_before_april_2021_is_refused_not_guessed():
    # The Rp10 juta for under 3 months is reported with the 2021 rules only.
    with pytest.raises(RuleNotConfirmed, match="belum dikonfirmasi"):
        jkm_benefit(2, on=JUNE_2020)
    with pytest.raises(RuleNotConfirmed):
        jkm_benefit(2, on=date(2021, 3, 31))
    assert jkm_benefit(2, on=date(2021, 4, 1)) == 10_000_000
    problems = check_claim(jenis="jkm", amount=42_000_000, masa_iur_bulan=2, on=JUNE_2020)
    assert codes(problems) == ["aturan_belum_dikonfirmasi"]


def test_the_jkm_rincian_names_each_part():
    manfaat = jkm(12, on=DEATH)
    assert manfaat.jumlah == 42_000_000
    assert "santunan kematian Rp20.000.000" in manfaat.rincian
    assert "biaya pemakaman Rp10.000.000" in manfaat.rincian
    assert manfaat.aturan == ("PP 44/2015 jo. PP 82/2019; Permenaker 5/2021",)


def test_jkm_is_42_juta_from_three_months():
    assert jkm_benefit(3, on=DEATH) == 42_000_000
    assert jkm_benefit(120, on=DEATH) == 42_000_000


@pytest.mark.parametrize("masa_iur", [0, 1, 2])
def test_jkm_is_10_juta_below_three_months(masa_iur):
    assert jkm_benefit(masa_iur, on=DEATH) == 10_000_000


def test_jkm_components_add_up():
    schedule = schedule_on(DEATH)
    assert schedule.jkm_santunan_kematian == 20_000_000
    assert schedule.jkm_biaya_pemakaman == 10_000_000
    assert schedule.jkm_santunan_berkala == 12_000_000
    assert schedule.jkm_penuh == 42_000_000


@pytest.mark.parametrize("masa_iur", [-1, 1.5, None, True])
def test_jkm_refuses_bad_masa_iur(masa_iur):
    with pytest.raises(BenefitError):
        jkm_benefit(masa_iur, on=DEATH)


def test_jkk_death_at_the_lowest_income_is_70_juta():
    assert jkk_death_benefit(1_000_000, on=DEATH) == 70_000_000


def test_jkk_death_scales_with_income():
    assert jkk_death_benefit(2_000_000, on=DEATH) == 96_000_000 + 22_000_000


@pytest.mark.parametrize("penghasilan", [0, -1, 1_000_000.0])
def test_jkk_death_refuses_bad_income(penghasilan):
    with pytest.raises(BenefitError):
        jkk_death_benefit(penghasilan, on=DEATH)


def test_beasiswa_levels_add_up_to_87_juta_a_child():
    schedule = schedule_on(DEATH)
    assert [(lvl.jenjang, lvl.per_tahun, lvl.max_tahun) for lvl in schedule.beasiswa_levels] == [
        ("TK", 1_500_000, 2),
        ("SD", 1_500_000, 6),
        ("SMP", 2_000_000, 3),
        ("SMA", 3_000_000, 3),
        ("S1/pelatihan", 12_000_000, 5),
    ]
    assert sum(lvl.maksimal for lvl in schedule.beasiswa_levels) == schedule.beasiswa_per_anak == 87_000_000


@pytest.mark.parametrize("children, cap", [(0, 0), (1, 87_000_000), (2, 174_000_000), (3, 174_000_000)])
def test_beasiswa_cap(children, cap):
    assert beasiswa_cap(children, on=DEATH) == cap


def test_beasiswa_cap_refuses_negative_children():
    with pytest.raises(BenefitError):
        beasiswa_cap(-1, on=DEATH)


def test_events_before_the_schedule_are_refused():
    # Was 1 January 2020, a date PP 82/2019 covers; the first uncovered day is 1 December 2019.
    with pytest.raises(BenefitError):
        jkm_benefit(12, on=date(2019, 6, 1))
    assert codes(check_claim(jenis="jkm", amount=24_000_000, masa_iur_bulan=12, on=date(2019, 6, 1))) == [
        "aturan_belum_dikonfirmasi"
    ]


# --- JKK death: 48 x the income entered, with the JKM floor ---


def test_the_jkk_santunan_kematian_is_at_least_the_jkm_one():
    # 48 x Rp300.000 = Rp14.400.000 < Rp20.000.000: the santunan is Rp20 juta, 42 juta in all (not 36,4).
    manfaat = jkk_death(300_000, on=DEATH)
    assert manfaat.jumlah == 42_000_000
    floor = [line for line in manfaat.rincian if line.startswith("batas bawah berlaku")]
    assert floor and "santunan kematian JKM" in floor[0] and "PP 82/2019" in floor[0]
    assert jkk_death(416_666, on=DEATH).jumlah == 42_000_000
    assert jkk_death(300_000, on=JUNE_2020).jumlah == 42_000_000
    assert check_claim(jenis="jkk_kematian", amount=42_000_000, penghasilan=300_000, on=DEATH) == []
    short = check_claim(jenis="jkk_kematian", amount=36_400_000, penghasilan=300_000, on=DEATH)
    assert codes(short) == ["klaim_jkk_tidak_sesuai"] and "Rp42.000.000" in short[0].message


def test_above_the_threshold_the_jkk_death_is_unchanged():
    assert jkk_death(416_667, on=DEATH).jumlah == 48 * 416_667 + 22_000_000
    manfaat = jkk_death(1_000_000, on=DEATH)
    assert manfaat.jumlah == 70_000_000
    assert not any(line.startswith("batas bawah") for line in manfaat.rincian)
    assert jkk_death_benefit(1_099_000, on=DEATH) == 48 * 1_099_000 + 22_000_000


def test_no_lampiran_ii_base_is_under_the_floor():
    # A BPU registered at any Lampiran II base is never near the floor: the lowest base is Rp1 juta.
    for band in rates.BPU_BANDS:
        assert 48 * band.dasar >= schedule_on(DEATH).jkm_santunan_kematian


# --- claim checks (R23) ---


def test_a_correct_jkm_claim_has_no_problems():
    assert check_claim(jenis="jkm", amount=42_000_000, masa_iur_bulan=12, on=DEATH) == []
    assert check_claim(jenis="jkm", amount=10_000_000, masa_iur_bulan=2, on=DEATH) == []


def test_a_42_juta_claim_after_two_months_is_flagged():
    # Karimun's 2-month programme: a death in the second month pays Rp10 juta.
    problems = check_claim(jenis="jkm", amount=42_000_000, masa_iur_bulan=2, on=DEATH)
    assert codes(problems) == ["klaim_jkm_tidak_sesuai"]
    assert "Rp10.000.000" in problems[0].message


def test_a_jkm_claim_without_masa_iur_is_flagged():
    assert codes(check_claim(jenis="jkm", amount=42_000_000, on=DEATH)) == ["masa_iur_kosong"]


def test_jkk_death_claims():
    assert check_claim(jenis="jkk_kematian", amount=70_000_000, penghasilan=1_000_000, on=DEATH) == []
    assert codes(check_claim(jenis="jkk_kematian", amount=48_000_000, penghasilan=1_000_000, on=DEATH)) == [
        "klaim_jkk_tidak_sesuai"
    ]
    assert codes(check_claim(jenis="jkk_kematian", amount=70_000_000, on=DEATH)) == ["penghasilan_kosong"]


def test_beasiswa_claims_within_the_caps_pass():
    problems = check_claim(
        jenis="beasiswa", amount=174_000_000, per_anak=[87_000_000, 87_000_000], sebab="jkk", on=DEATH
    )
    assert problems == []


def test_beasiswa_over_the_caps_is_flagged():
    problems = check_claim(
        jenis="beasiswa", amount=200_000_000, per_anak=[100_000_000, 50_000_000, 50_000_000], sebab="jkk", on=DEATH
    )
    assert codes(problems) == [
        "beasiswa_anak_lebih_dari_dua",
        "beasiswa_melebihi_batas",
        "beasiswa_per_anak_melebihi_batas",
    ]


def test_beasiswa_after_a_jkm_death_needs_three_years_of_masa_iur():
    short = check_claim(jenis="beasiswa", amount=3_000_000, children=1, sebab="jkm", masa_iur_bulan=35, on=DEATH)
    assert codes(short) == ["beasiswa_masa_iur_kurang"]
    enough = check_claim(jenis="beasiswa", amount=3_000_000, children=1, sebab="jkm", masa_iur_bulan=36, on=DEATH)
    assert enough == []
    # A work-accident death has no minimum period.
    assert check_claim(jenis="beasiswa", amount=3_000_000, children=1, sebab="jkk", masa_iur_bulan=1, on=DEATH) == []


def test_negative_claims_are_flagged():
    assert codes(check_claim(jenis="jkm", amount=-1, masa_iur_bulan=5, on=DEATH)) == ["klaim_negatif"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"jenis": "jht", "amount": 1},
        {"jenis": "jkm", "amount": 1.5, "masa_iur_bulan": 5},
        {"jenis": "beasiswa", "amount": 1, "sebab": "sakit"},
    ],
)
def test_bad_claim_arguments_raise(kwargs):
    with pytest.raises(BenefitError):
        check_claim(on=DEATH, **kwargs)


@given(st.integers(0, 10), st.integers(0, 400_000_000))
def test_beasiswa_claims_at_or_under_the_cap_never_flag_the_cap(children, amount):
    problems = check_claim(jenis="beasiswa", amount=amount, children=children, sebab="jkk", on=DEATH)
    assert ("beasiswa_melebihi_batas" in codes(problems)) == (amount > beasiswa_cap(children, on=DEATH))


# --- programme length (R14) ---


def test_a_two_month_programme_gets_both_warnings():
    problems = check_coverage_length(2, on=DEATH)
    assert codes(problems) == ["masa_iur_kurang_3_bulan", "kpi_proporsional"]
    assert all(p.severity == "warning" for p in problems)


def test_a_three_to_five_month_programme_gets_the_kpi_note_only():
    assert codes(check_coverage_length(3, on=DEATH)) == ["kpi_proporsional"]
    assert codes(check_coverage_length(5, on=DEATH)) == ["kpi_proporsional"]


def test_six_months_or_more_is_fine():
    assert check_coverage_length(6, on=DEATH) == []
    assert check_coverage_length(12, on=DEATH) == []


def test_coverage_length_needs_a_month():
    with pytest.raises(BenefitError):
        check_coverage_length(0, on=DEATH)
