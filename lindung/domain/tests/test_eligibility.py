from dataclasses import dataclass
from datetime import date

import pytest

from lindung.domain.eligibility import (
    REASONS,
    EligibilityError,
    as_problems,
    check_age,
    check_all,
    check_bpjs,
    check_nik,
    check_pekerjaan,
)

START = date(2025, 11, 1)  # Karimun coverage start


@pytest.mark.parametrize(
    "born, reason",
    [
        (date(2007, 11, 1), None),  # 18 exactly on the start day
        (date(2007, 11, 2), "usia_kurang"),  # the day before the 18th birthday
        (date(2007, 10, 31), None),
        (date(1960, 11, 1), None),  # 65 exactly
        (date(1959, 11, 2), None),  # 65, turns 66 tomorrow
        (date(1959, 11, 1), "usia_lebih"),  # 66 exactly
        (date(1940, 1, 1), "usia_lebih"),
        (date(2015, 1, 1), "usia_kurang"),
        (date(2026, 1, 1), "usia_kurang"),  # born after the start
    ],
)
def test_age_bounds_are_inclusive(born, reason):
    assert check_age(born, START) == reason


def test_29_february_birthdays_turn_18_on_1_march_in_non_leap_years():
    born = date(2004, 2, 29)
    assert check_age(born, date(2022, 2, 28)) == "usia_kurang"
    assert check_age(born, date(2022, 3, 1)) is None


def test_29_february_birthdays_at_the_upper_bound():
    born = date(1960, 2, 29)
    assert check_age(born, date(2026, 2, 28)) is None  # still 65
    assert check_age(born, date(2026, 3, 1)) == "usia_lebih"  # 66


def test_age_bounds_can_be_configured_per_programme():
    assert check_age(date(1969, 1, 1), START, max_age=55) == "usia_lebih"
    assert check_age(date(2009, 1, 1), START, min_age=15) is None


def test_inverted_age_bounds_are_a_setting_error():
    with pytest.raises(EligibilityError):
        check_age(date(1990, 1, 1), START, min_age=65, max_age=18)


def test_a_missing_birth_date_is_its_own_reason():
    assert check_age(None, START) == "tanggal_lahir_kosong"


@dataclass
class FakeNik:
    valid: bool


@pytest.mark.parametrize(
    "nik_valid, reason",
    [
        (True, None),
        (False, "nik_tidak_valid"),
        (None, "nik_tidak_valid"),
        (FakeNik(True), None),
        (FakeNik(False), "nik_tidak_valid"),
    ],
)
def test_check_nik_takes_a_bool_or_a_parsed_nik(nik_valid, reason):
    assert check_nik(nik_valid) == reason


@pytest.mark.parametrize("already, reason", [(True, "sudah_terdaftar"), (False, None), (None, None)])
def test_check_bpjs(already, reason):
    assert check_bpjs(already) == reason


@pytest.mark.parametrize(
    "pekerjaan, sumber, reason",
    [
        ("petani_tembakau", "dbhcht", None),
        ("buruh_tani_tembakau", "dbhcht", None),
        ("buruh_pabrik_rokok", "dbhcht", None),
        ("petani", "dbhcht", "pekerjaan_tidak_sesuai"),
        ("ojol", "dbhcht", "pekerjaan_tidak_sesuai"),
        ("Buruh Tani Tembakau", "dbhcht", None),  # free text is parsed
        ("ojol", "apbd_kabkota", None),
        ("nelayan", "apbd_provinsi", None),
        ("perangkat_desa", "apbdes", None),
        (None, "apbd_kabkota", "pekerjaan_kosong"),
        ("", "apbd_kabkota", "pekerjaan_kosong"),
        ("   ", "dbhcht", "pekerjaan_kosong"),
        ("astronot", "apbd_kabkota", "pekerjaan_tidak_dikenal"),
    ],
)
def test_check_pekerjaan_by_funding_source(pekerjaan, sumber, reason):
    assert check_pekerjaan(pekerjaan, sumber) == reason


def test_a_programme_list_overrides_the_default():
    nelayan_only = frozenset({"nelayan"})
    assert check_pekerjaan("nelayan", "apbd_kabkota", nelayan_only) is None
    assert check_pekerjaan("petani", "apbd_kabkota", nelayan_only) == "pekerjaan_tidak_sesuai"


def test_a_programme_list_cannot_widen_dbhcht():
    assert check_pekerjaan("ojol", "dbhcht", frozenset({"ojol", "petani_tembakau"})) == "pekerjaan_tidak_sesuai"


def test_an_unknown_funding_source_is_a_setting_error():
    with pytest.raises(EligibilityError):
        check_pekerjaan("petani", "csr")


def test_check_all_collects_every_reason():
    reasons = check_all(
        tanggal_lahir=date(1950, 1, 1),
        coverage_start=START,
        nik_valid=False,
        already_participant=True,
        pekerjaan="ojol",
        sumber_dana="dbhcht",
    )
    assert reasons == ["nik_tidak_valid", "usia_lebih", "sudah_terdaftar", "pekerjaan_tidak_sesuai"]


def test_check_all_is_empty_for_an_eligible_candidate():
    reasons = check_all(
        tanggal_lahir=date(1985, 6, 15),
        coverage_start=START,
        nik_valid=FakeNik(True),
        already_participant=False,
        pekerjaan="buruh_bongkar_muat",
        sumber_dana="apbd_kabkota",
    )
    assert reasons == []


def test_every_reason_has_an_indonesian_message_and_becomes_a_problem():
    codes = ["tanggal_lahir_kosong", "usia_kurang", "usia_lebih", "nik_tidak_valid", "sudah_terdaftar",
             "pekerjaan_kosong", "pekerjaan_tidak_dikenal", "pekerjaan_tidak_sesuai"]
    assert set(REASONS) == set(codes)
    problems = as_problems(codes)
    assert [p.code for p in problems] == codes
    assert all(p.is_error and p.message for p in problems)
