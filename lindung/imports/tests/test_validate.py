from dataclasses import replace
from datetime import date, datetime

import pytest

from lindung.imports.reader import read_table
from lindung.imports.tests.factories import (
    MORO_TIMUR,
    NIK_BUDI,
    NIK_SITI,
    PAUH,
    RULES,
    SEBELAT,
    budi,
    check,
    codes,
    problem,
    siti,
    table,
    xlsx_bytes,
)
from lindung.imports.validate import PROBLEM_CODES, ImportRulesError, validate_table

SHORT_HEADERS = ["NIK", "Nama", "Tgl Lahir", "Kode Desa", "Pekerjaan"]

# --- a good row -----------------------------------------------------------------------------------


def test_it_accepts_a_good_row_and_cleans_every_value():
    row = budi(**{
        "No. KK": "2102011234567890", "Tempat Lahir": " Tanjung  Balai ", "Alamat": "Jl. Melati 1", "RT": "1",
        "RW": "02", "No. HP": "0812-3456-7890", "Nama Ibu Kandung": "Aminah", "Keterangan": "baru",
    })
    result = check([row])
    [good] = result.rows
    assert good.ok and good.problems == []
    assert good.cleaned == {
        "nik": NIK_BUDI, "no_kk": "2102011234567890", "nama": "Budi Santoso", "tempat_lahir": "Tanjung Balai",
        "tanggal_lahir": date(1990, 8, 17), "jenis_kelamin": "L", "alamat": "Jl. Melati 1", "rt": "001",
        "rw": "002", "kode_desa": PAUH, "pekerjaan": "nelayan", "no_hp": "081234567890", "nama_ibu": "Aminah",
        "keterangan": "baru",
    }
    assert result.counts == {"rows": 1, "accepted": 1, "rejected": 0}
    assert result.accepted_file and result.file_problems == []


def test_it_leaves_blank_cells_none_never_empty_or_zero():
    row = budi(**{"No. KK": "", "Alamat": "   ", "RT": "-", "No. HP": None, "Keterangan": "–"})
    [result] = check([row]).rows
    assert result.ok
    for key in ("no_kk", "alamat", "rt", "no_hp", "keterangan", "rw", "nama_ibu", "tempat_lahir"):
        assert result.cleaned[key] is None, key  # "rw" etc.: columns absent from the file


def test_it_keeps_every_original_column_as_text_in_raw():
    data = xlsx_bytes([
        ["NIK", "Nama Lengkap", "Tanggal Lahir", "Jenis Kelamin", "Kode Desa/Kelurahan", "Pekerjaan", "Agama"],
        [2102011708900001.0, "Budi", datetime(1990, 8, 17), "L", 2102012004.0, "Nelayan", "Islam"],
    ])
    [row] = validate_table(read_table(data, "x.xlsx"), RULES).rows
    assert row.raw == {
        "NIK": "2102011708900001", "Nama Lengkap": "Budi", "Tanggal Lahir": "17/08/1990", "Jenis Kelamin": "L",
        "Kode Desa/Kelurahan": "2102012004", "Pekerjaan": "Nelayan", "Agama": "Islam",
    }
    assert row.cleaned["tanggal_lahir"] == date(1990, 8, 17) and row.cleaned["kode_desa"] == PAUH


@pytest.mark.parametrize(
    "cell", [datetime(1990, 8, 17), 33102, "17/08/1990", "17-08-1990", "17.08.1990", "1990-08-17"]
)
def test_it_reads_every_date_form_from_an_xlsx(cell):
    data = xlsx_bytes([["NIK", "Nama", "Tgl Lahir", "Kode Desa", "Pekerjaan"], [NIK_BUDI, "Budi", cell, PAUH, "Petani"]])
    [row] = validate_table(read_table(data, "x.xlsx"), RULES).rows
    assert row.cleaned["tanggal_lahir"] == date(1990, 8, 17) and row.ok


def test_it_reports_problems_under_the_header_as_uploaded():
    row = {
        "No. NIK": NIK_BUDI, "Nama": "Budi", "Tgl Lahir": "31/02/1990", "L/P": "L", "Kode Desa": PAUH,
        "Pekerjaan": "Petani",
    }
    found = problem(check([row]), 2, "tanggal_tidak_valid")
    assert found.column == "Tgl Lahir"
    assert "31/02/1990" in found.message


def test_it_collects_every_problem_of_a_row():
    row = budi(**{
        "NIK": "123", "Tanggal Lahir": "kemarin", "Jenis Kelamin": "X", "Pekerjaan": "Astronot", "Nama Lengkap": "",
    })
    result = check([row])
    assert codes(result, 2) == {
        "not_16_digits", "tanggal_tidak_valid", "jenis_kelamin_tidak_dikenal", "pekerjaan_tidak_dikenal", "wajib_diisi",
    }
    assert problem(result, 2, "wajib_diisi").column == "Nama Lengkap"


def test_it_checks_every_row_and_numbers_problems_by_spreadsheet_row():
    result = check([budi(), siti(Pekerjaan="Astronot"), budi(NIK="2102011708900003", Pekerjaan="Astronot")])
    assert problem(result, 3, "pekerjaan_tidak_dikenal").column == "Pekerjaan"
    assert problem(result, 4, "pekerjaan_tidak_dikenal").row == 4  # same value, cleaned once, reported twice
    assert [r.ok for r in result.rows] == [True, False, False]
    assert result.counts == {"rows": 3, "accepted": 1, "rejected": 2}


# --- NIK ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nik", "code", "severity"),
    [
        ("21020117089", "not_16_digits", "error"),
        ("2.10201E+15", "scientific_notation", "error"),
        ("9902011708900001", "province_unknown", "error"),
        ("2102013102900001", "birth_date_invalid", "error"),
        ("2102011708900000", "serial_zero", "error"),
        ("2199011708900001", "regency_unknown", "warning"),
        ("2102991708900001", "district_unknown", "warning"),
        ("9101011708900001", "kode_wilayah_lama", "warning"),
    ],
)
def test_it_reports_parse_nik_codes_as_they_are(nik, code, severity):
    found = problem(check([budi(NIK=nik)]), 2, code)
    assert (found.column, found.severity) == ("NIK", severity)


def test_it_warns_when_the_nik_birth_date_differs_from_the_recorded_one():
    result = check([budi(**{"Tanggal Lahir": "18/08/1990"})])
    found = problem(result, 2, "birth_date_mismatch")
    assert (found.column, found.severity) == ("Tanggal Lahir", "warning")
    assert result.rows[0].ok and result.rows[0].cleaned["nik"] == NIK_BUDI  # the NIK is never "corrected"


def test_it_warns_when_the_nik_sex_differs_from_the_recorded_one():
    found = problem(check([budi(**{"Jenis Kelamin": "P"})]), 2, "sex_mismatch")
    assert (found.column, found.severity) == ("Jenis Kelamin", "warning")


def test_it_warns_about_a_numeric_nik_cell_from_an_xlsx():
    data = xlsx_bytes([SHORT_HEADERS, [2102011708900010, "Budi", "17/08/1990", PAUH, "Petani"]])
    result = validate_table(read_table(data, "x.xlsx"), RULES)
    found = problem(result, 2, "nik_angka")
    assert (found.column, found.severity) == ("NIK", "warning")
    assert result.rows[0].ok and result.rows[0].cleaned["nik"] == "2102011708900010"


def test_it_keeps_excels_rounded_nik_an_error():
    data = xlsx_bytes([SHORT_HEADERS, [2102010000000000, "Budi", "17/08/1990", PAUH, "Petani"]])
    result = validate_table(read_table(data, "x.xlsx"), RULES)
    assert codes(result, 2) == {"scientific_notation"}


def test_it_rejects_the_second_row_of_a_nik_and_names_the_first():
    result = check([budi(), siti(), budi(**{"NIK": "2102 0117 0890 0001"})])
    found = problem(result, 4, "nik_ganda_dalam_berkas")
    assert found.column == "NIK" and "baris 2" in found.message
    assert "nik_ganda_dalam_berkas" not in codes(result, 2)


# --- required fields -----------------------------------------------------------------------------


@pytest.mark.parametrize("header", ["NIK", "Nama Lengkap", "Tanggal Lahir", "Kode Desa/Kelurahan", "Pekerjaan"])
def test_it_requires_each_required_field(header):
    found = problem(check([budi(**{header: "  "})]), 2, "wajib_diisi")
    assert found.column == header and header in found.message


def test_it_does_not_call_a_filled_but_unreadable_cell_empty():
    assert codes(check([budi(**{"Tanggal Lahir": "besok"})]), 2) == {"tanggal_tidak_valid"}


def test_it_reports_a_missing_required_column_once_for_the_file():
    row = budi()
    del row["Pekerjaan"]
    result = check([row])
    [found] = [p for p in result.file_problems if p.code == "kolom_wajib_tidak_ada"]
    assert (found.row, found.column, found.severity) == (1, "Pekerjaan", "error")
    assert not result.accepted_file and result.accepted == [] and result.counts["accepted"] == 0


def test_it_reports_an_unknown_column_as_a_notice_and_keeps_it():
    result = check([budi(Agama="Islam")])
    [found] = result.file_problems
    assert (found.code, found.column, found.severity) == ("kolom_tidak_dikenal", "Agama", "warning")
    assert result.accepted_file and result.rows[0].raw["Agama"] == "Islam"


def test_it_reads_only_the_first_of_two_columns_for_the_same_field():
    result = check([budi(**{"NIK KTP": NIK_SITI})])
    [found] = result.file_problems
    assert (found.code, found.column) == ("kolom_ganda", "NIK KTP")
    assert result.rows[0].cleaned["nik"] == NIK_BUDI


def test_it_says_nothing_about_a_row_number_column():
    assert check([{"No": "1", **budi()}]).file_problems == []


# --- dates and age ---------------------------------------------------------------------------------


def test_it_names_an_impossible_date():
    found = problem(check([budi(**{"Tanggal Lahir": "30/02/1990"})]), 2, "tanggal_tidak_valid")
    assert (found.column, found.severity) == ("Tanggal Lahir", "error") and "30/02/1990" in found.message


def test_it_rejects_someone_too_young_at_the_coverage_start():
    # 17 years old on 1 January 2026, turning 18 the next day.
    row = budi(NIK="2102010201080001", **{"Tanggal Lahir": "02/01/2008"})
    found = problem(check([row]), 2, "usia_kurang")
    assert found.column == "Tanggal Lahir" and "17 tahun" in found.message and "1 Januari 2026" in found.message


def test_it_accepts_someone_turning_18_on_the_coverage_start():
    assert check([budi(NIK="2102010101080001", **{"Tanggal Lahir": "01/01/2008"})]).rows[0].ok


def test_it_rejects_someone_too_old_at_the_coverage_start():
    row = budi(NIK="2102010101600001", **{"Tanggal Lahir": "01/01/1960"})
    found = problem(check([row]), 2, "usia_lebih")
    assert "66 tahun" in found.message


def test_it_rejects_a_birth_date_after_the_coverage_start():
    found = problem(check([budi(**{"Tanggal Lahir": "01/02/2026"})]), 2, "usia_kurang")
    assert "sesudah awal masa perlindungan" in found.message


def test_it_applies_the_programmes_own_age_bounds():
    rules = replace(RULES, min_age=40)
    assert "usia_kurang" in codes(check([budi()], rules), 2)


# --- desa ---------------------------------------------------------------------------------------------


def test_it_rejects_an_unknown_desa_code():
    found = problem(check([budi(**{"Kode Desa/Kelurahan": "2102019999"})]), 2, "kode_desa_tidak_dikenal")
    assert found.column == "Kode Desa/Kelurahan" and "21.02.01.9999" in found.message


def test_it_explains_an_old_papua_desa_code():
    found = problem(check([budi(**{"Kode Desa/Kelurahan": "9101012001"})]), 2, "kode_desa_tidak_dikenal")
    assert "pemekaran" in found.message


def test_it_rejects_a_desa_outside_the_programmes_region():
    found = problem(check([budi(**{"Kode Desa/Kelurahan": SEBELAT})]), 2, "desa_di_luar_wilayah")
    assert "Sebelat" in found.message and "Kabupaten Natuna" in found.message and "Kabupaten Karimun" in found.message


def test_it_accepts_any_desa_of_a_provincial_programme():
    assert check([budi(**{"Kode Desa/Kelurahan": SEBELAT})], replace(RULES, region_prefix="21")).rows[0].ok


def test_it_fills_a_blank_desa_with_the_uploaders_desa():
    rules = replace(RULES, default_kode_desa="2102012004")
    row = budi(**{"Kode Desa/Kelurahan": ""})
    [result] = check([row], rules).rows
    assert result.ok and result.cleaned["kode_desa"] == PAUH


def test_it_needs_no_desa_column_when_the_uploader_is_a_desa():
    row = budi()
    del row["Kode Desa/Kelurahan"]
    result = check([row], replace(RULES, default_kode_desa=PAUH))
    assert result.accepted_file and result.rows[0].cleaned["kode_desa"] == PAUH


def test_it_rejects_another_desa_in_a_desa_operators_upload():
    rules = replace(RULES, default_kode_desa=PAUH)
    found = problem(check([budi(**{"Kode Desa/Kelurahan": MORO_TIMUR})], rules), 2, "desa_berbeda")
    assert "Moro Timur" in found.message and "Pauh" in found.message


# --- pekerjaan ----------------------------------------------------------------------------------------


def test_it_rejects_an_unknown_pekerjaan_listing_accepted_ones():
    found = problem(check([budi(Pekerjaan="Astronot")]), 2, "pekerjaan_tidak_dikenal")
    assert found.column == "Pekerjaan" and "Astronot" in found.message and "Petani" in found.message


def test_it_rejects_a_pekerjaan_dbhcht_cannot_pay_for():
    rules = replace(RULES, sumber_dana="dbhcht")
    result = check([budi(Pekerjaan="Nelayan"), siti(Pekerjaan="Petani tembakau")], rules)
    found = problem(result, 2, "pekerjaan_tidak_sesuai")
    assert "Nelayan" in found.message and "DBHCHT" in found.message and "Petani tembakau" in found.message
    assert result.rows[1].ok


def test_it_applies_the_programmes_own_pekerjaan_list():
    rules = replace(RULES, allowed_pekerjaan=frozenset({"petani"}))
    assert "pekerjaan_tidak_sesuai" in codes(check([budi(Pekerjaan="Nelayan")], rules), 2)


def test_an_empty_pekerjaan_list_means_the_funding_sources_list():
    assert check([budi()], replace(RULES, allowed_pekerjaan=frozenset())).rows[0].ok


# --- the other columns ------------------------------------------------------------------------------


def test_it_rejects_an_unknown_jenis_kelamin():
    found = problem(check([budi(**{"Jenis Kelamin": "Pria/Wanita"})]), 2, "jenis_kelamin_tidak_dikenal")
    assert (found.column, found.severity) == ("Jenis Kelamin", "error")


def test_it_warns_about_a_malformed_phone_and_keeps_the_row():
    result = check([budi(**{"No. HP": "12345"})])
    found = problem(result, 2, "no_hp_tidak_valid")
    assert (found.column, found.severity) == ("No. HP", "warning")
    assert result.rows[0].ok and result.rows[0].cleaned["no_hp"] is None


def test_it_warns_about_a_kk_and_an_rt():
    result = check([budi(**{"No. KK": "123", "RT": "satu"})])
    assert problem(result, 2, "no_kk_tidak_valid").column == "No. KK"
    assert problem(result, 2, "rt_rw_tidak_valid").column == "RT"
    assert result.rows[0].ok


def test_it_warns_about_a_numeric_kk():
    data = xlsx_bytes([["NIK", "No KK", "Nama", "Tgl Lahir", "Kode Desa", "Pekerjaan"],
                       [NIK_BUDI, 2102011234567890, "Budi", "17/08/1990", PAUH, "Petani"]])
    found = problem(validate_table(read_table(data, "x.xlsx"), RULES), 2, "no_kk_angka")
    assert (found.column, found.severity) == ("No KK", "warning")


# --- the run ------------------------------------------------------------------------------------------


def test_it_describes_every_code_it_can_report():
    emitted = {
        "not_16_digits", "scientific_notation", "province_unknown", "birth_date_invalid", "serial_zero",
        "regency_unknown", "district_unknown", "kode_wilayah_lama", "birth_date_mismatch", "sex_mismatch",
        "nik_angka", "nik_ganda_dalam_berkas", "wajib_diisi", "tanggal_tidak_valid", "usia_kurang", "usia_lebih",
        "kode_desa_tidak_dikenal", "desa_di_luar_wilayah", "desa_berbeda", "pekerjaan_tidak_dikenal",
        "pekerjaan_tidak_sesuai", "jenis_kelamin_tidak_dikenal", "no_hp_tidak_valid", "no_kk_tidak_valid",
        "no_kk_angka", "rt_rw_tidak_valid", "kolom_wajib_tidak_ada", "kolom_tidak_dikenal", "kolom_ganda",
    }
    assert emitted <= set(PROBLEM_CODES)


def test_it_reports_progress():
    calls = []
    rows = [budi(NIK=f"21020117089{n:05d}") for n in range(1, 2501)]
    validate_table(table(rows), RULES, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1000, 2500), (2000, 2500), (2500, 2500)]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"sumber_dana": "bansos"}, "Sumber dana"),
        ({"region_prefix": "99"}, "Wilayah program"),
        ({"region_prefix": "21.02.01"}, "Wilayah program"),
        ({"default_kode_desa": SEBELAT}, "Desa pengunggah"),
        ({"min_age": 70}, "Batas usia"),
    ],
)
def test_it_refuses_rules_that_cannot_be_right(change, message):
    with pytest.raises(ImportRulesError, match=message):
        check([budi()], replace(RULES, **change))


# --- speed-ups that must not change results ---------------------------------------------------------


@pytest.mark.parametrize("text", ["  Budi \t Santoso\n", "Budi", "Jl.  Melati  No. 1", "\u00a0Siti\u00a0"])
def test_the_free_text_fast_path_gives_clean_texts_result(text):
    from lindung.imports.columns import clean_text

    [row] = check([budi(**{"Nama Lengkap": text})]).rows
    assert row.cleaned["nama"] == clean_text(text.strip(), RULES.today).value


def test_the_value_cache_tells_true_from_1():
    # True == 1 in Python; a cache keyed on the bare value would give the serial 1 the answer for TRUE.
    result = check([budi(**{"Tanggal Lahir": True}), siti(**{"Tanggal Lahir": 1})])
    assert "tanggal_tidak_valid" in codes(result, 2)
    assert result.rows[1].cleaned["tanggal_lahir"] == date(1900, 1, 1)


def test_a_dash_is_a_blank_cell_and_a_required_one_is_reported():
    assert problem(check([budi(Pekerjaan="-")]), 2, "wajib_diisi").column == "Pekerjaan"


def test_the_import_modules_do_not_import_django():
    import subprocess
    import sys

    code = (
        "import sys; import lindung.imports.columns, lindung.imports.reader, lindung.imports.validate, "
        "lindung.imports.xlsx; assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
