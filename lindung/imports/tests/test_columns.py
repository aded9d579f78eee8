from datetime import date, datetime, time

import pytest

from lindung.imports.columns import (
    BY_KEY,
    COLUMNS,
    clean_date,
    clean_jenis_kelamin,
    clean_kk,
    clean_kode_desa,
    clean_nik,
    clean_pekerjaan,
    clean_phone,
    clean_rt_rw,
    clean_text,
    find_column,
    is_ignored_header,
    normalise_header,
)
from lindung.imports.tests.factories import NIK_BUDI, TODAY


def clean(column_clean, cell):
    return column_clean(cell, TODAY)


def codes(cleaned) -> list[str]:
    return [p.code for p in cleaned.problems]


# --- headers ----------------------------------------------------------------------------------------


SYNONYMS = {
    "nik": ["NIK", "nik", " N I K ", "No. NIK", "No NIK", "NIK KTP", "Nomor Induk Kependudukan", "NOMOR NIK"],
    "no_kk": ["No. KK", "No KK", "Nomor KK", "NO.KK", "Nomor Kartu Keluarga"],
    "nama": ["Nama Lengkap", "Nama", "Nama Peserta", "NAMA LENGKAP", "Nama Calon Peserta"],
    "tempat_lahir": ["Tempat Lahir", "Tmp Lahir", "TEMPAT_LAHIR"],
    "tanggal_lahir": ["Tanggal Lahir", "Tgl Lahir", "Tgl. Lahir", "Tanggal Lahir (dd/mm/yyyy)", "TGL LAHIR\n(DD-MM-YYYY)"],
    "jenis_kelamin": ["Jenis Kelamin", "JK", "L/P", "Jenis Kelamin (L/P)", "J.K."],
    "alamat": ["Alamat", "Alamat Lengkap", "ALAMAT DOMISILI"],
    "rt": ["RT", "rt"],
    "rw": ["RW", "R.W."],
    "kode_desa": ["Kode Desa/Kelurahan", "Kode Desa", "Kode Kelurahan", "Kode Wilayah", "KODE DESA / KELURAHAN"],
    "pekerjaan": ["Pekerjaan", "Pekerjaan Utama", "Jenis Pekerjaan", "PEKERJAAN"],
    "no_hp": ["No. HP", "No HP", "No. Telp", "Nomor HP/WA", "Nomor HP", "No. HP/WA", "Telepon"],
    "nama_ibu": ["Nama Ibu Kandung", "Ibu Kandung", "Nama Ibu", "NAMA IBU KANDUNG"],
    "keterangan": ["Keterangan", "Ket", "Catatan"],
}


@pytest.mark.parametrize(("key", "header"), [(k, h) for k, headers in SYNONYMS.items() for h in headers])
def test_it_reads_every_header_synonym(key, header):
    column = find_column(header)
    assert column is not None and column.key == key


def test_it_knows_every_declared_synonym_and_label():
    for column in COLUMNS:
        for header in (column.label, *column.synonyms):
            assert find_column(header) is column


def test_it_strips_a_parenthesised_hint_and_punctuation():
    assert normalise_header("Tanggal Lahir (dd/mm/yyyy)") == "tanggallahir"
    assert normalise_header("No. NIK") == "nonik"
    assert normalise_header("(L/P)") == "lp"  # a header that is only a hint keeps it


def test_it_does_not_guess_unknown_headers():
    assert find_column("Agama") is None
    assert find_column("Daftar NIK calon peserta") is None  # a title row is not a header


def test_it_ignores_row_numbers_and_its_own_error_columns():
    assert all(is_ignored_header(h) for h in ("No", "No.", "No Urut", "Baris Asal", "Masalah"))
    assert not is_ignored_header("Agama")


def test_it_declares_the_required_columns():
    assert {c.key for c in COLUMNS if c.required} == {"nik", "nama", "tanggal_lahir", "kode_desa", "pekerjaan"}
    assert BY_KEY["kode_desa"].label == "Kode Desa/Kelurahan"


# --- NIK ----------------------------------------------------------------------------------------------


def test_it_keeps_a_text_nik_as_16_digits():
    cleaned = clean(clean_nik, "2102 0117 0890 0001")
    assert cleaned.value == NIK_BUDI and cleaned.problems == ()
    assert cleaned.detail.tanggal_lahir == date(1990, 8, 17)


def test_it_passes_parse_nik_codes_through_unchanged():
    assert codes(clean(clean_nik, "21020117089")) == ["not_16_digits"]
    assert codes(clean(clean_nik, "2102013108900001")) == []  # 31 August exists
    assert codes(clean(clean_nik, "2102013102900001")) == ["birth_date_invalid"]


def test_it_warns_about_a_numeric_nik_cell():
    cleaned = clean(clean_nik, 2102011708900001.0)
    assert cleaned.value == NIK_BUDI
    assert codes(cleaned) == ["nik_angka"]
    assert "Teks" in cleaned.problems[0].message


def test_it_says_the_last_digit_may_be_lost_when_a_numeric_nik_ends_in_zero():
    cleaned = clean(clean_nik, 2102011708900010.0)
    assert codes(cleaned) == ["nik_angka"]
    assert cleaned.problems[0].severity == "warning"
    # the NIK itself is left out of the message: messages are shown to roles that see NIKs masked
    assert "15 digit" in cleaned.problems[0].message and "2102011708900010" not in cleaned.problems[0].message


def test_it_leaves_a_scientific_notation_nik_an_error_without_the_warning():
    assert codes(clean(clean_nik, "2.10201E+15")) == ["scientific_notation"]
    assert codes(clean(clean_nik, 2102010000000000.0)) == ["scientific_notation"]


# --- text, KK, RT/RW, phone -----------------------------------------------------------------------


def test_it_collapses_spaces_in_text():
    assert clean(clean_text, "  Budi \n  Santoso ").value == "Budi Santoso"
    assert clean(clean_text, 123.0).value == "123"


def test_it_reads_a_kk_and_warns_about_a_numeric_or_short_one():
    assert clean(clean_kk, "2102 0112 3456 7890").value == "2102011234567890"
    assert codes(clean(clean_kk, 2102011234567890.0)) == ["no_kk_angka"]
    short = clean(clean_kk, "12345")
    assert short.value is None and codes(short) == ["no_kk_tidak_valid"]
    assert "12345" in short.problems[0].message


@pytest.mark.parametrize(("cell", "value"), [("1", "001"), ("01", "001"), ("012", "012"), (3.0, "003")])
def test_it_writes_rt_rw_as_three_digits(cell, value):
    assert clean(clean_rt_rw, cell).value == value


def test_it_warns_about_an_rt_that_is_not_a_number():
    cleaned = clean(clean_rt_rw, "RT satu")
    assert cleaned.value is None and codes(cleaned) == ["rt_rw_tidak_valid"]


@pytest.mark.parametrize(
    "cell",
    [
        "081234567890", "0812-3456-7890", "0812 3456 7890", "+6281234567890", "6281234567890", 81234567890.0,
        "'081234567890", "81234567890",
    ],
)
def test_it_writes_a_phone_number_in_one_form(cell):
    assert clean(clean_phone, cell).value == "081234567890"


@pytest.mark.parametrize("cell", ["12345", "0812", "telp rumah", "08123456789012345"])
def test_it_warns_about_a_malformed_phone_number(cell):
    cleaned = clean(clean_phone, cell)
    assert cleaned.value is None and codes(cleaned) == ["no_hp_tidak_valid"]
    assert cleaned.problems[0].severity == "warning"


# --- choices ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("cell", "value"), [("L", "L"), ("p", "P"), ("Laki-laki", "L"), ("PEREMPUAN", "P"), ("Lk", "L")])
def test_it_reads_jenis_kelamin(cell, value):
    assert clean(clean_jenis_kelamin, cell).value == value


def test_it_names_an_unknown_jenis_kelamin():
    cleaned = clean(clean_jenis_kelamin, "X")
    assert codes(cleaned) == ["jenis_kelamin_tidak_dikenal"] and "“X”" in cleaned.problems[0].message


@pytest.mark.parametrize(("cell", "code"), [("Nelayan", "nelayan"), ("ojek online", "ojol"), ("buruh_tani", "buruh_tani")])
def test_it_reads_pekerjaan_with_the_domain_parser(cell, code):
    assert clean(clean_pekerjaan, cell).value == code


def test_it_lists_accepted_names_for_an_unknown_pekerjaan():
    cleaned = clean(clean_pekerjaan, "Astronot")
    assert codes(cleaned) == ["pekerjaan_tidak_dikenal"]
    assert "Astronot" in cleaned.problems[0].message and "Petani" in cleaned.problems[0].message


# --- kode desa ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["2102012004", "21.02.01.2004", 2102012004.0, "2102012004 Pauh"])
def test_it_reads_a_desa_code_in_any_form(cell):
    cleaned = clean(clean_kode_desa, cell)
    assert cleaned.value == "21.02.01.2004" and cleaned.problems == ()


def test_it_refuses_a_kecamatan_code_as_a_desa_code():
    cleaned = clean(clean_kode_desa, "210201")
    assert codes(cleaned) == ["kode_desa_tidak_dikenal"]
    assert "kecamatan Moro" in cleaned.problems[0].message


def test_it_explains_a_desa_code_from_before_the_papua_split():
    cleaned = clean(clean_kode_desa, "9101012001")
    assert codes(cleaned) == ["kode_desa_tidak_dikenal"]
    assert "93.01.01" in cleaned.problems[0].message  # the kecamatan's current code


def test_it_names_a_malformed_desa_code():
    cleaned = clean(clean_kode_desa, "Pauh")
    assert codes(cleaned) == ["kode_desa_tidak_dikenal"] and "“Pauh”" in cleaned.problems[0].message


# --- dates ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell",
    [
        date(1990, 8, 17),
        datetime(1990, 8, 17),
        datetime(1990, 8, 17, 12, 30),
        33102.0,  # Excel serial number
        33102,
        33102.75,  # a serial with a time of day
        "17/08/1990",
        "17-08-1990",
        "17.08.1990",
        "1990-08-17",
        "1990-08-17 00:00:00",
        "17/8/1990",
        "17 Agustus 1990",
        "17 Agu 1990",
        "17-Aug-1990",
    ],
)
def test_it_reads_every_date_form(cell):
    cleaned = clean(clean_date, cell)
    assert cleaned.value == date(1990, 8, 17) and cleaned.problems == ()


def test_it_follows_excels_1900_leap_year_bug():
    assert clean(clean_date, 59).value == date(1900, 2, 28)
    assert clean(clean_date, 61).value == date(1900, 3, 1)
    assert codes(clean(clean_date, 60)) == ["tanggal_tidak_valid"]  # "29 February 1900"


@pytest.mark.parametrize(
    "cell",
    [
        "31/02/1990", "29/02/1991", "17/13/1990", "1990-02-30", "17/08/90", "kemarin", "17/08-1990",
        0, -5.0, 99999999.0, time(12, 0), True,
    ],
)
def test_it_names_a_date_it_cannot_read(cell):
    cleaned = clean(clean_date, cell)
    assert cleaned.value is None and codes(cleaned) == ["tanggal_tidak_valid"]
    assert cleaned.problems[0].message.startswith("Tanggal “")


def test_it_points_out_a_month_first_date():
    cleaned = clean(clean_date, "08/17/1990")
    assert codes(cleaned) == ["tanggal_tidak_valid"] and "dd/mm/yyyy" in cleaned.problems[0].message


def test_it_refuses_a_serial_number_after_today():
    tomorrow = (TODAY - date(1899, 12, 30)).days + 1
    assert codes(clean(clean_date, float(tomorrow))) == ["tanggal_tidak_valid"]
