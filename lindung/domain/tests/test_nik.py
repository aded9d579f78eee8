from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lindung.domain.nik import (
    MESSAGES,
    WARNING_CODES,
    NikResult,
    compare_with_record,
    mask_nik,
    normalise_nik,
    parse_jenis_kelamin,
    parse_nik,
)

TODAY = date(2025, 11, 13)  # Karimun MoU day; fixed so century resolution does not drift
PENAJAM = "640901"  # Kecamatan Penajam, Kabupaten Penajam Paser Utara
MORO = "210201"  # Kecamatan Moro, Kabupaten Karimun


def parse(raw, today=TODAY):
    return parse_nik(raw, today=today)


def codes(result: NikResult) -> list[str]:
    return [p.code for p in result.problems]


# --- a good NIK ------------------------------------------------------------------------------------


def test_it_reads_a_mans_nik():
    result = parse(PENAJAM + "010190" + "0001")
    assert result.valid and result.problems == ()
    assert result.nik == "6409010101900001"
    assert result.kode_kecamatan == "64.09.01"
    assert result.tanggal_lahir == date(1990, 1, 1)
    assert result.jenis_kelamin == "L"


def test_it_reads_a_womans_nik_as_day_plus_40():
    result = parse(MORO + "410190" + "0002")
    assert result.valid
    assert (result.tanggal_lahir, result.jenis_kelamin) == (date(1990, 1, 1), "P")
    assert result.kode_kecamatan == "21.02.01"


def test_it_reads_the_last_day_a_woman_can_have():
    assert parse(MORO + "711285" + "0002").tanggal_lahir == date(1985, 12, 31)


@pytest.mark.parametrize("day", ["00", "32", "40", "72", "99"])
def test_it_rejects_a_day_outside_01_31_and_41_71(day):
    result = parse(PENAJAM + day + "0190" + "0001")
    assert codes(result) == ["birth_date_invalid"]
    assert (result.tanggal_lahir, result.jenis_kelamin) == (None, None)


@pytest.mark.parametrize("month", ["00", "13"])
def test_it_rejects_a_month_outside_01_12(month):
    result = parse(PENAJAM + "01" + month + "90" + "0001")
    assert codes(result) == ["birth_date_invalid"]
    assert f"bulan {month}" in result.problems[0].message


def test_it_rejects_a_date_that_no_calendar_has():
    result = parse(PENAJAM + "310490" + "0001")  # 31 April
    assert codes(result) == ["birth_date_invalid"]
    assert "31 April" in result.problems[0].message


# --- leap years and the century ----------------------------------------------------------------------


def test_it_accepts_29_february_2000():
    result = parse(PENAJAM + "290200" + "0001")
    assert result.valid and result.tanggal_lahir == date(2000, 2, 29)


def test_it_accepts_29_february_2000_for_a_woman():
    result = parse(PENAJAM + "690200" + "0001")
    assert (result.tanggal_lahir, result.jenis_kelamin) == (date(2000, 2, 29), "P")


def test_it_rejects_29_february_2001():
    result = parse(PENAJAM + "290201" + "0001")
    assert codes(result) == ["birth_date_invalid"]
    assert "29 Februari 2001" in result.problems[0].message


def test_it_accepts_29_february_1996_because_2096_is_in_the_future():
    assert parse(PENAJAM + "290296" + "0001").tanggal_lahir == date(1996, 2, 29)


def test_it_rejects_29_february_00_before_2000_because_1900_was_not_a_leap_year():
    # YY=00 means 1900 only for a "today" before 29-02-2000; 1900 is not a leap year
    # (divisible by 100, not by 400), so no such date exists.
    result = parse(PENAJAM + "290200" + "0001", today=date(1999, 12, 31))
    assert codes(result) == ["birth_date_invalid"]
    assert "29 Februari 1900" in result.problems[0].message


def test_it_resolves_00_to_1900_before_2000():
    result = parse(PENAJAM + "010100" + "0001", today=date(1999, 12, 31))
    assert result.tanggal_lahir == date(1900, 1, 1)


@pytest.mark.parametrize(
    "ddmmyy, born",
    [
        ("131125", date(2025, 11, 13)),  # today itself is in the past, not the future
        ("141125", date(1925, 11, 14)),  # tomorrow in 2025 is not a birth date: 1925
        ("010124", date(2024, 1, 1)),
        ("010126", date(1926, 1, 1)),
        ("150899", date(1999, 8, 15)),
    ],
)
def test_it_resolves_the_century_to_the_most_recent_past(ddmmyy, born):
    assert parse(PENAJAM + ddmmyy + "0001").tanggal_lahir == born


def test_it_accepts_a_datetime_as_today():
    result = parse(PENAJAM + "141125" + "0001", today=datetime(2025, 11, 13, 9, 30))
    assert result.tanggal_lahir == date(1925, 11, 14)


def test_it_uses_todays_date_by_default():
    result = parse_nik(PENAJAM + "010190" + "0001")
    assert result.tanggal_lahir == date(1990, 1, 1)


# --- serial and region ---------------------------------------------------------------------------------


def test_it_rejects_serial_0000():
    result = parse(PENAJAM + "010190" + "0000")
    assert codes(result) == ["serial_zero"]
    assert result.tanggal_lahir == date(1990, 1, 1)  # the rest is still read


@pytest.mark.parametrize("prefix", ["000101", "100101", "990101"])
def test_it_rejects_an_unknown_province(prefix):
    result = parse(prefix + "010190" + "0001")
    assert codes(result) == ["province_unknown"]
    assert result.kode_kecamatan is None


def test_it_warns_about_an_unknown_regency_but_stays_valid():
    result = parse("649901" + "010190" + "0001")
    assert codes(result) == ["regency_unknown"]
    assert result.valid and result.warnings == result.problems
    assert result.kode_kecamatan is None


def test_it_warns_about_an_unknown_district_but_stays_valid():
    result = parse("640999" + "010190" + "0001")
    assert codes(result) == ["district_unknown"]
    assert result.valid


def test_it_maps_a_pre_2022_papua_kecamatan_and_stays_valid():
    # 91.02.40 (Trikora, Jayawijaya, Papua) became 95.01.12 in Papua Pegunungan.
    result = parse("910240" + "010190" + "0001")
    assert result.valid
    assert codes(result) == ["kode_wilayah_lama"]
    assert result.kode_kecamatan == "95.01.12"


def test_it_maps_a_pre_2022_papua_regency_even_when_the_kecamatan_is_unknown():
    result = parse("910199" + "010190" + "0001")
    assert result.valid
    assert codes(result) == ["kode_wilayah_lama", "district_unknown"]
    assert result.kode_kecamatan is None


def test_it_collects_every_problem_at_once():
    result = parse("000101" + "321390" + "0000")
    assert codes(result) == ["province_unknown", "birth_date_invalid", "serial_zero"]
    assert [p.severity for p in result.errors] == ["error"] * 3


# --- not 16 digits and Excel damage ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, digits",
    [("640901010190001", "15 digit"), ("64090101019000011", "17 digit"), ("", "kosong"), (None, "kosong"),
     ("6409O10101900001", "huruf"), (640901010190001, "15 digit"), ("٦٤٠٩٠١٠١٠١٩٠٠٠٠١", "huruf")],
)
def test_it_rejects_what_is_not_16_digits(raw, digits):
    result = parse(raw)
    assert codes(result) == ["not_16_digits"]
    assert digits in result.problems[0].message
    assert result.nik is None and result.kode_kecamatan is None


def test_it_says_how_many_digits_it_found():
    message = parse("640901010190001").problems[0].message
    assert message == "NIK harus 16 digit angka; yang tertulis 15 digit."


@pytest.mark.parametrize(
    "raw",
    [
        "6.40901E+15",
        "6,40901E+15",
        "6.409010101900001e15",
        " 6.40901E+15 ",
        "'6.40901E+15",
        "640901010190000.0",  # a float written out after it lost a digit
        "6409010101900001.5",
        "6409010000000000.0",  # what 6.40901E+15 becomes when written out in full
        6.40901e15,
        9103010101900001.0,  # above 2**53: the float cannot hold the last digit
        1e16,
        1e300,
    ],
)
def test_it_reports_excel_damage_instead_of_fixing_it(raw):
    result = parse(raw)
    assert codes(result) == ["scientific_notation"]
    assert result.nik is None


def test_it_explains_excel_damage_in_indonesian():
    message = parse("6.40901E+15").problems[0].message
    assert message == "NIK tampaknya rusak oleh Excel (tertulis sebagai 6.40901E+15). Ketik ulang NIK sebagai teks."


@pytest.mark.parametrize(
    "raw",
    [
        "6409010101900001",
        " 6409010101900001 ",
        "'6409010101900001",
        "6409 0101 0190 0001",
        "64.09.01.010190.0001",
        "640901-010190-0001",
        "6409010101900001.0",
        "6409010101900001,0",
        6409010101900001,
        6409010101900001.0,
    ],
)
def test_it_accepts_the_ways_a_good_nik_arrives(raw):
    result = parse(raw)
    assert result.valid and result.nik == "6409010101900001", result.problems


@pytest.mark.parametrize(
    "raw, expected",
    [
        (" 6409 0101 0190 0001 ", "6409010101900001"),
        ("'6409010101900001", "6409010101900001"),
        ("\u20196409010101900001", "6409010101900001"),
        ("6409-0101-0190-0001", "6409010101900001"),
        ("6409.0101.0190.0001", "6409010101900001"),
        ("6409010101900001.0", "6409010101900001"),
        (6409010101900001, "6409010101900001"),
        (6409010101900001.0, "6409010101900001"),
        (None, ""),
        ("6.40901E+15", "640901E+15"),  # cleaning only; parse_nik is what notices the damage
    ],
)
def test_it_normalises(raw, expected):
    assert normalise_nik(raw) == expected


def test_it_keeps_the_input_as_text():
    assert parse(6409010101900001.0).raw == "6409010101900001.0"
    assert parse(None).raw == ""


@given(st.text())
def test_it_never_raises_on_text(raw):
    result = parse_nik(raw, today=TODAY)
    assert isinstance(result, NikResult)
    assert result.valid == (not any(p.severity == "error" for p in result.problems))
    if result.valid:
        assert len(result.nik) == 16 and result.tanggal_lahir is not None


@given(st.one_of(st.integers(), st.floats(), st.none()))
def test_it_never_raises_on_numbers_or_none(raw):
    assert isinstance(parse_nik(raw, today=TODAY), NikResult)


@given(st.from_regex(r"[0-9]{16}", fullmatch=True), st.dates())
def test_it_reads_any_16_digits_without_raising(digits, today):
    result = parse_nik(digits, today=today)
    assert result.nik == digits
    assert result.tanggal_lahir is None or result.tanggal_lahir <= today


def test_it_gives_every_code_a_message_and_the_right_severity():
    samples = ["000101321390000", "0001013213900000", "6.40901E+15", "6499010101900001",
               "6409990101900001", "9101990101900001"]
    problems = [p for raw in samples for p in parse(raw).problems]
    problems += compare_with_record(parse("6409010101900001"), tanggal_lahir=date(1991, 1, 1),
                                    jenis_kelamin="P")
    assert {p.code for p in problems} == set(MESSAGES)
    for p in problems:
        assert (p.severity == "warning") == (p.code in WARNING_CODES), p
        assert p.message.endswith(".")


# --- comparing with the recorded birth date and sex (R7) ---------------------------------------------


def test_it_finds_no_difference_when_the_record_agrees():
    result = parse(PENAJAM + "410190" + "0001")
    assert compare_with_record(result, tanggal_lahir=date(1990, 1, 1), jenis_kelamin="Perempuan") == []


def test_it_warns_when_the_birth_date_differs():
    result = parse(PENAJAM + "010190" + "0001")
    problems = compare_with_record(result, tanggal_lahir=date(1990, 1, 2), jenis_kelamin=None)
    assert [(p.code, p.severity) for p in problems] == [("birth_date_mismatch", "warning")]
    assert "1 Januari 1990" in problems[0].message and "2 Januari 1990" in problems[0].message
    assert result.nik == "6409010101900001"  # never corrected


def test_it_does_not_blame_the_nik_for_our_century_guess():
    result = parse(PENAJAM + "010125" + "0001")  # resolved to 1 Jan 2025
    assert compare_with_record(result, tanggal_lahir=date(1925, 1, 1), jenis_kelamin=None) == []


def test_it_accepts_a_datetime_as_the_recorded_birth_date():
    result = parse(PENAJAM + "010190" + "0001")
    assert compare_with_record(result, tanggal_lahir=datetime(1990, 1, 1, 8, 0), jenis_kelamin=None) == []


@pytest.mark.parametrize("recorded", ["P", "Perempuan", "PR", "Wanita", "perempuan "])
def test_it_warns_when_the_sex_differs(recorded):
    result = parse(PENAJAM + "010190" + "0001")
    problems = compare_with_record(result, tanggal_lahir=None, jenis_kelamin=recorded)
    assert [(p.code, p.severity) for p in problems] == [("sex_mismatch", "warning")]


def test_it_compares_nothing_it_cannot_read():
    assert compare_with_record(parse("123"), tanggal_lahir=date(1990, 1, 1), jenis_kelamin="L") == []
    result = parse(PENAJAM + "010190" + "0001")
    assert compare_with_record(result, tanggal_lahir=None, jenis_kelamin="tidak tahu") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("L", "L"), ("l", "L"), ("Laki-laki", "L"), ("LAKI-LAKI", "L"), ("Laki Laki", "L"), ("LK", "L"),
        ("Lk.", "L"), ("Pria", "L"), ("P", "P"), ("Perempuan", "P"), ("PR", "P"), ("Wanita", "P"),
        ("W", "P"), ("", None), (None, None), ("X", None), ("laki-laki/perempuan", None),
    ],
)
def test_it_parses_jenis_kelamin(text, expected):
    assert parse_jenis_kelamin(text) == expected


# --- masking (UU PDP) ------------------------------------------------------------------------------------


def test_it_masks_the_birth_date_and_serial_digits():
    # The serial is hidden too: with the birth date shown elsewhere, a small serial was guessed (issue 11).
    assert mask_nik("6409010101900001") == "6409 01•• •••• ••••"
    assert mask_nik("6409 0101 0190 0001") == "6409 01•• •••• ••••"


@pytest.mark.parametrize("raw", ["640901010190001", "", None, "6.40901E+15", "rahasia"])
def test_it_reveals_nothing_of_a_malformed_value(raw):
    assert mask_nik(raw) == "•••• •••• •••• ••••"


def test_a_masked_phone_keeps_only_its_last_three_digits_never_its_length():
    from lindung.domain.nik import mask_phone

    assert mask_phone("0812-7000-1111") == mask_phone("+62 81270001111") == "•••• •••• •111"
    assert mask_phone("0812345") == "•••• •••• •345"
    assert mask_phone("123") == mask_phone(None) == "•••• •••• ••••"  # too short to show any digit
