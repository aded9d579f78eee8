"""The pengajuan file written for the BPJS branch and its answer read back (enrolment/bpjs_files.py).

Plain pytest, no database: `pytest -p no:django lindung/enrolment/tests/test_bpjs_files.py`.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import subprocess
import sys
import zipfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import xlsxwriter

from lindung.enrolment.bpjs_files import (
    MAX_ALASAN,
    KPJ_DIGITS,
    PROBLEM_CODES,
    REASON_CODES,
    SUBMISSION_HEADERS,
    ResponseResult,
    SubmissionPerson,
    build_submission_csv,
    build_submission_xlsx,
    read_response,
    reason_code,
)
from lindung.imports.reader import read_table

NIK_BUDI = "2102011708900001"  # Kecamatan Moro (Karimun), born 17-08-1990, man
NIK_SITI = "2102015708900002"  # the same, woman (17 + 40)
NIK_ANI = "2102014101850003"  # born 01-01-1985, woman
NIK_LAIN = "2102011708900009"  # a valid NIK that was not submitted
SUBMITTED = frozenset({NIK_BUDI, NIK_SITI, NIK_ANI})
KPJ_BUDI = "25012345678"
KPJ_SITI = "25012345679"
CREATED = datetime(2025, 11, 20, 9, 30)

BUDI = SubmissionPerson(
    nik=NIK_BUDI, nama="Budi Santoso", tempat_lahir="Karimun", tanggal_lahir=date(1990, 8, 17),
    jenis_kelamin="L", alamat="Jl. Pelabuhan No. 3, RT 001/RW 002", kode_desa="21.02.01.2004",
    pekerjaan="Nelayan", no_hp="081234567890", nama_ibu="Aminah",
)
SITI = SubmissionPerson(
    nik=NIK_SITI, nama="Siti Nurhaliza", tempat_lahir="Tanjung Balai", tanggal_lahir=date(1990, 8, 17),
    jenis_kelamin="P", alamat="Kampung Baru", kode_desa="21.02.01.1010", pekerjaan="Pedagang kecil",
    no_hp="081300000002", nama_ibu="Fatimah",
)
TANPA_TANGGAL = SubmissionPerson(
    nik=NIK_ANI, nama="Ani", tempat_lahir="", tanggal_lahir=None, jenis_kelamin="P", alamat="",
    kode_desa="21.02.01.2004", pekerjaan="Petani", no_hp="", nama_ibu="",
)
PROGRAM = dict(
    program="Karimun 2025 — Pekerja Rentan", pks_nomor="PKS/123/KC-BTM/XI/2025", kode_kepesertaan="SG"
)

RESPONSE_HEADERS = ["NIK", "Nama", "Status", "No. KPJ", "Keterangan"]


# --- helpers: the branch's answer as the branch might send it ---------------------------------------


def xlsx_bytes(rows: list[list], *, before: tuple[str, ...] = ()) -> bytes:
    """A workbook; strings stay text, numbers stay numbers, `before` puts title lines above the table."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    sheet = workbook.add_worksheet("Hasil")
    for r, line in enumerate(before):
        sheet.write_string(r, 0, line)
    for r, row in enumerate(rows, len(before)):
        for c, value in enumerate(row):
            if isinstance(value, str):
                sheet.write_string(r, c, value)
            elif value is not None:
                sheet.write_number(r, c, value)
    workbook.close()
    return buffer.getvalue()


def csv_bytes(rows: list[list], *, delimiter: str = ";") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def good_rows() -> list[list]:
    return [
        RESPONSE_HEADERS,
        [NIK_BUDI, "Budi Santoso", "Terdaftar", KPJ_BUDI, ""],
        [NIK_SITI, "Siti Nurhaliza", "Ditolak", "", "Peserta sudah terdaftar di wadah lain"],
        [NIK_ANI, "Ani", "terdaftar", KPJ_SITI, ""],
    ]


def read(rows: list[list], submitted: frozenset[str] = SUBMITTED) -> ResponseResult:
    return read_response(xlsx_bytes(rows), "jawaban.xlsx", submitted_niks=submitted)


def answer(*rows: list) -> ResponseResult:
    return read([RESPONSE_HEADERS, *rows])


def codes_at(result: ResponseResult, row: int) -> list[str]:
    return [p.code for p in result.problems if p.row == row]


def the_problem(result: ResponseResult, row: int, code: str):
    found = [p for p in result.problems if p.row == row and p.code == code]
    assert found, f"no {code} on row {row}: {result.problems}"
    return found[0]


# --- the pengajuan ------------------------------------------------------------------------------------


def test_it_writes_the_submission_xlsx_with_text_niks_and_real_dates():
    data = build_submission_xlsx([BUDI, SITI, TANPA_TANGGAL], created=CREATED, **PROGRAM)
    table = read_table(data, "pengajuan.xlsx")
    assert tuple(table.headers) == SUBMISSION_HEADERS
    assert [number for number, _ in table.rows] == [2, 3, 4]
    budi = dict(zip(table.headers, table.rows[0][1]))
    assert budi["NIK"] == NIK_BUDI  # text, all 16 digits
    assert budi["Tanggal Lahir"] == date(1990, 8, 17)  # a real date cell, not text
    assert budi["No. HP"] == "081234567890"  # the leading 0 kept
    assert budi["Kode Desa/Kelurahan"] == "21.02.01.2004"
    assert (budi["Kode Jenis Kepesertaan"], budi["Program"], budi["Nomor PKS"]) == (
        "SG", "Karimun 2025 — Pekerja Rentan", "PKS/123/KC-BTM/XI/2025"
    )
    assert dict(zip(table.headers, table.rows[2][1]))["Tanggal Lahir"] == ""  # no date: a blank cell


def test_it_formats_the_submission_dates_as_dd_mm_yyyy_and_niks_as_text():
    data = build_submission_xlsx([BUDI], created=CREATED, **PROGRAM)
    styles = zipfile.ZipFile(io.BytesIO(data)).read("xl/styles.xml").decode()
    assert 'formatCode="dd/mm/yyyy"' in styles
    strings = zipfile.ZipFile(io.BytesIO(data)).read("xl/sharedStrings.xml").decode()
    assert f"<t>{NIK_BUDI}</t>" in strings  # a string cell, never a number


def test_it_writes_the_same_xlsx_bytes_for_the_same_input():
    first = build_submission_xlsx([BUDI, SITI], created=CREATED, **PROGRAM)
    again = build_submission_xlsx([BUDI, SITI], created=CREATED, **PROGRAM)
    later = build_submission_xlsx([BUDI, SITI], created=CREATED + timedelta(days=1), **PROGRAM)
    assert first == again
    assert first != later
    core = zipfile.ZipFile(io.BytesIO(first)).read("docProps/core.xml").decode()
    assert "2025-11-20T09:30:00Z" in core


def test_it_stores_an_aware_created_time_as_utc():
    wib = timezone(timedelta(hours=7))
    data = build_submission_xlsx([BUDI], created=datetime(2025, 11, 20, 16, 30, tzinfo=wib), **PROGRAM)
    core = zipfile.ZipFile(io.BytesIO(data)).read("docProps/core.xml").decode()
    assert "2025-11-20T09:30:00Z" in core


def test_it_refuses_an_unknown_kode_jenis_kepesertaan():
    with pytest.raises(ValueError):
        build_submission_csv([BUDI], **{**PROGRAM, "kode_kepesertaan": "XX"})


def test_it_writes_the_submission_csv_utf8_with_bom_and_semicolons():
    data = build_submission_csv([BUDI, SITI, TANPA_TANGGAL], **PROGRAM)
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data[3:].decode("utf-8").split("\r\n")
    assert lines[0] == ";".join(SUBMISSION_HEADERS)
    assert lines[1].startswith(f"{NIK_BUDI};Budi Santoso;Karimun;17/08/1990;L;")
    table = read_table(data, "pengajuan.csv")
    assert tuple(table.headers) == SUBMISSION_HEADERS
    budi = dict(zip(table.headers, table.rows[0][1]))
    assert budi["NIK"] == NIK_BUDI and budi["Tanggal Lahir"] == "17/08/1990"
    assert budi["Program"] == "Karimun 2025 — Pekerja Rentan"  # the dash survives the BOM'd UTF-8
    assert dict(zip(table.headers, table.rows[2][1]))["Tanggal Lahir"] == ""


def test_it_writes_a_comma_csv_when_asked():
    data = build_submission_csv([BUDI], delimiter=",", **PROGRAM)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == SUBMISSION_HEADERS
    assert rows[1][0] == NIK_BUDI and rows[1][5] == "Jl. Pelabuhan No. 3, RT 001/RW 002"  # quoted, not split


def test_it_keeps_a_formula_looking_name_from_running_when_the_csv_is_opened():
    evil = dataclasses.replace(BUDI, nama='=HYPERLINK("http://x","klik")', alamat="-", tempat_lahir="-2+3+cmd|' /C calc'!A0",
                               nama_ibu="+SUM(1)", no_hp="@x")
    text = build_submission_csv([evil], **PROGRAM).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1][1].startswith("'=")
    assert rows[1][2] == "'-2+3+cmd|' /C calc'!A0" and rows[1][9] == "'+SUM(1)" and rows[1][8] == "'@x"  # issue 11.6
    assert rows[1][5] == "-"  # a placeholder dash is left alone
    assert rows[1][0] == NIK_BUDI
    xlsx = build_submission_xlsx([evil], created=CREATED, **PROGRAM)
    sheet = zipfile.ZipFile(io.BytesIO(xlsx)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet  # written as text, never as a formula


# --- a good answer ----------------------------------------------------------------------------------


def _assert_good(result: ResponseResult) -> None:
    assert result.ok, result.problems
    assert result.problems == ()
    by_nik = {r.nik: r for r in result.rows}
    assert by_nik[NIK_BUDI].status == "terdaftar" and by_nik[NIK_BUDI].kpj == KPJ_BUDI
    assert by_nik[NIK_BUDI].alasan is None and by_nik[NIK_BUDI].reason_code is None
    siti = by_nik[NIK_SITI]
    assert (siti.status, siti.kpj, siti.alasan) == ("ditolak", None, "Peserta sudah terdaftar di wadah lain")
    assert siti.reason_code == "sudah_terdaftar"
    assert by_nik[NIK_ANI].kpj == KPJ_SITI
    assert [r.row for r in result.rows] == [2, 3, 4]
    assert result.belum_dijawab == frozenset()


def test_it_reads_a_good_answer_in_xlsx():
    _assert_good(read(good_rows()))


@pytest.mark.parametrize("delimiter", [";", ","])
def test_it_reads_a_good_answer_in_csv(delimiter):
    data = csv_bytes(good_rows(), delimiter=delimiter)
    _assert_good(read_response(data, "jawaban.csv", submitted_niks=SUBMITTED))


def test_it_reads_an_answer_under_a_title_with_other_header_names():
    rows = [
        ["No", "NIK Peserta", "Nama", "STATUS PENDAFTARAN", "Nomor KPJ", "Alasan Penolakan"],
        [1, NIK_BUDI, "Budi", "Berhasil", KPJ_BUDI, ""],
        [2, NIK_SITI, "Siti", "GAGAL", "", "NIK tidak ditemukan di Dukcapil"],
    ]
    data = xlsx_bytes(rows, before=("BPJS Ketenagakerjaan Kantor Cabang Batam Sekupang", "Hasil pendaftaran"))
    result = read_response(data, "hasil.xlsx", submitted_niks=SUBMITTED)
    assert result.ok, result.problems
    assert [(r.row, r.status, r.kpj) for r in result.rows] == [
        (4, "terdaftar", KPJ_BUDI), (5, "ditolak", None)
    ]
    assert result.rows[1].reason_code == "nik_tidak_ditemukan"
    assert result.belum_dijawab == {NIK_ANI}


def test_it_reads_niks_and_kpjs_written_with_spaces_and_apostrophes():
    result = answer(
        ["'2102 0117 0890 0001", "Budi", " terdaftar ", "250 1234 5678", ""],
        [NIK_SITI, "Siti", "Ditolak", "", ""],
    )
    assert result.ok, result.problems
    assert (result.rows[0].nik, result.rows[0].kpj) == (NIK_BUDI, KPJ_BUDI)


def test_it_restores_the_leading_zero_a_number_cell_took_from_a_kpj():
    result = answer([NIK_BUDI, "Budi", "Terdaftar", 1912345678.0, ""])
    assert result.ok, result.problems
    assert result.rows[0].kpj == "01912345678"


def test_it_skips_signature_lines_under_the_table():
    result = answer([NIK_BUDI, "Budi", "Terdaftar", KPJ_BUDI, ""], ["", "Kepala Kantor Cabang", "", "", ""])
    assert result.ok, result.problems
    assert len(result.rows) == 1


# --- status synonyms and reasons ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "written, status",
    [
        ("Terdaftar", "terdaftar"), ("TERDAFTAR", "terdaftar"), ("Berhasil", "terdaftar"),
        ("sukses", "terdaftar"), ("Aktif", "terdaftar"), (" ter daftar ", "terdaftar"),
        ("Ditolak", "ditolak"), ("GAGAL", "ditolak"), ("tolak", "ditolak"), ("Di-tolak", "ditolak"),
        ("Tidak Berhasil", "ditolak"),
    ],
)
def test_it_reads_status_synonyms(written, status):
    result = answer([NIK_BUDI, "Budi", written, KPJ_BUDI, "alasan"])
    assert result.ok, result.problems
    assert result.rows[0].status == status


@pytest.mark.parametrize(
    "text, code",
    [
        ("Sudah terdaftar", "sudah_terdaftar"),
        ("Peserta terdaftar di wadah lain", "sudah_terdaftar"),
        ("Masih peserta aktif PU PT Maju", "sudah_terdaftar"),
        ("sudah menjadi peserta mandiri (BPU)", "sudah_terdaftar"),
        ("NIK tidak ditemukan", "nik_tidak_ditemukan"),
        ("Tidak terdaftar di Dukcapil", "nik_tidak_ditemukan"),
        ("NIK tidak terdaftar di database kependudukan", "nik_tidak_ditemukan"),
        ("Gagal validasi NIK ke Dukcapil", "nik_tidak_ditemukan"),
        ("Data tidak lengkap", "data_tidak_lengkap"),
        ("Nama ibu kandung kosong", "data_tidak_lengkap"),
        ("Tanggal lahir belum diisi", "data_tidak_lengkap"),
        ("Usia melebihi batas", "lainnya"),
        ("", "lainnya"),
        (None, "lainnya"),
    ],
)
def test_it_maps_reasons_to_codes(text, code):
    assert reason_code(text) == code
    assert code in REASON_CODES


def test_it_keeps_the_branch_words_and_gives_a_reasonless_rejection_lainnya():
    result = answer(
        [NIK_BUDI, "Budi", "Ditolak", "", "  Data   tidak lengkap "],
        [NIK_SITI, "Siti", "Ditolak", "-", ""],  # no reason: not a problem
    )
    assert result.ok, result.problems
    first, second = result.rows
    assert (first.alasan, first.reason_code) == ("Data tidak lengkap", "data_tidak_lengkap")
    assert (second.alasan, second.reason_code) == (None, "lainnya")


def test_it_ignores_the_kpj_cell_of_a_rejected_row():
    result = answer([NIK_BUDI, "Budi", "Ditolak", "bukan nomor", "Sudah terdaftar"])
    assert result.ok, result.problems
    assert result.rows[0].kpj is None


# --- every problem code -------------------------------------------------------------------------------


def test_it_reports_an_unreadable_file_as_one_problem_at_row_0():
    result = read_response(b"%PDF-1.4 not a spreadsheet", "jawaban.pdf", submitted_niks=SUBMITTED)
    assert not result.ok and result.rows == ()
    [problem] = result.problems
    assert (problem.row, problem.code) == (0, "berkas_tidak_terbaca")
    assert "PDF" in problem.message
    assert result.belum_dijawab == SUBMITTED


def test_it_reports_an_empty_answer():
    result = read_response(csv_bytes([RESPONSE_HEADERS]), "jawaban.csv", submitted_niks=SUBMITTED)
    assert [(p.row, p.code) for p in result.problems] == [(0, "berkas_kosong")]


def test_it_reports_a_missing_nik_column():
    data = xlsx_bytes([["Nomor", "Status", "No. KPJ"], ["1", "Terdaftar", KPJ_BUDI]])
    result = read_response(data, "jawaban.xlsx", submitted_niks=SUBMITTED)
    assert [(p.row, p.column, p.code) for p in result.problems] == [(0, "NIK", "kolom_tidak_ada")]


def test_it_reports_a_missing_status_column_and_still_checks_the_niks():
    result = read([["NIK", "No. KPJ"], [NIK_BUDI, KPJ_BUDI], [NIK_LAIN, KPJ_SITI]])
    assert not result.ok
    first = result.problems[0]
    assert (first.row, first.column, first.code) == (1, "Status", "kolom_tidak_ada")
    assert codes_at(result, 3) == ["nik_tidak_diajukan"]
    assert result.rows == ()


def test_it_reports_a_missing_kpj_column_only_when_someone_is_terdaftar():
    rejected_only = read([["NIK", "Status", "Keterangan"], [NIK_BUDI, "Ditolak", "Sudah terdaftar"]])
    assert rejected_only.ok, rejected_only.problems
    result = read([["NIK", "Status"], [NIK_BUDI, "Terdaftar"], [NIK_SITI, "Terdaftar"]])
    assert [(p.row, p.column, p.code) for p in result.problems] == [(1, "No. KPJ", "kolom_tidak_ada")]


@pytest.mark.parametrize(
    "cell, words",
    [
        ("21020117089", "16 digit"),
        ("2.10201E+15", "Excel"),
        (2.10201e15, "angka"),  # a NIK Excel turned into a number that lost its digits
        ("", "kosong"),
    ],
)
def test_it_reports_an_invalid_nik(cell, words):
    result = answer([cell, "Budi", "Terdaftar", KPJ_BUDI, ""])
    problem = the_problem(result, 2, "nik_tidak_valid")
    assert problem.column == "NIK"
    assert words in problem.message
    assert result.rows == ()


def test_it_accepts_a_number_nik_only_when_it_cannot_be_another_submitted_person():
    nik_ending_0 = "2102011708900010"
    row = [float(nik_ending_0), "Budi", "Terdaftar", KPJ_BUDI, ""]
    alone = read([RESPONSE_HEADERS, row], frozenset({nik_ending_0}))
    assert alone.ok, alone.problems
    assert alone.rows[0].nik == nik_ending_0
    exact = answer([float(NIK_BUDI), "Budi", "Terdaftar", KPJ_BUDI, ""])  # ends in 1: written by software
    assert exact.ok, exact.problems
    # 2102011708900011 typed into a number cell becomes ...0010 in Excel: the KPJ could go to the wrong one.
    both = frozenset({nik_ending_0, "2102011708900011"})
    result = read([RESPONSE_HEADERS, row], both)
    assert codes_at(result, 2) == ["nik_tidak_valid"]
    assert "angka" in result.problems[0].message


def test_it_reports_a_nik_that_was_not_submitted():
    result = answer([NIK_LAIN, "Orang lain", "Terdaftar", KPJ_BUDI, ""])
    problem = the_problem(result, 2, "nik_tidak_diajukan")
    assert NIK_LAIN in problem.message and "tidak ada dalam pengajuan" in problem.message


def test_it_reports_a_nik_answered_twice_naming_the_first_row():
    result = answer(
        [NIK_BUDI, "Budi", "Terdaftar", KPJ_BUDI, ""],
        [NIK_SITI, "Siti", "Ditolak", "", "x"],
        [NIK_BUDI, "Budi", "Terdaftar", KPJ_BUDI, ""],
    )
    problem = the_problem(result, 4, "nik_ganda")
    assert "baris 2" in problem.message
    # The repeated KPJ belongs to the same NIK: nik_ganda alone, not kpj_ganda as well.
    assert codes_at(result, 2) == [] and codes_at(result, 4) == ["nik_ganda"]


@pytest.mark.parametrize("status", ["Sudah Terdaftar", "Proses", ""])
def test_it_reports_an_unknown_status(status):
    # "Sudah terdaftar" as a status is ambiguous: registered by us, or already a participant elsewhere.
    result = answer([NIK_BUDI, "Budi", status, KPJ_BUDI, ""])
    problem = the_problem(result, 2, "status_tidak_dikenal")
    assert problem.column == "Status"
    assert (status and f"“{status}”" in problem.message) or "kosong" in problem.message


def test_it_reports_a_registered_row_without_kpj():
    result = answer([NIK_BUDI, "Budi", "Terdaftar", "", ""])
    problem = the_problem(result, 2, "kpj_kosong")
    assert problem.column == "No. KPJ" and NIK_BUDI in problem.message


@pytest.mark.parametrize("kpj", ["2501234567", "250123456789", "25O12345678", "2.50123E+10"])
def test_it_reports_a_kpj_that_is_not_11_digits(kpj):
    assert KPJ_DIGITS == 11
    result = answer([NIK_BUDI, "Budi", "Terdaftar", kpj, ""])
    problem = the_problem(result, 2, "kpj_tidak_valid")
    assert kpj in problem.message and "11 digit" in problem.message


def test_it_reports_one_kpj_given_to_two_niks():
    result = answer(
        [NIK_BUDI, "Budi", "Terdaftar", KPJ_BUDI, ""],
        [NIK_ANI, "Ani", "Terdaftar", KPJ_BUDI, ""],
    )
    problem = the_problem(result, 3, "kpj_ganda")
    assert KPJ_BUDI in problem.message and NIK_BUDI in problem.message and "baris 2" in problem.message


def test_it_lists_every_problem_of_a_bad_file_and_is_not_ok():
    result = answer(
        [NIK_BUDI, "Budi", "Terdaftar", KPJ_BUDI, ""],  # row 2: fine
        ["12345", "?", "Terdaftar", KPJ_SITI, ""],  # row 3: nik_tidak_valid
        [NIK_LAIN, "Lain", "Terdaftar", "25099999999", ""],  # row 4: nik_tidak_diajukan
        [NIK_BUDI, "Budi", "Terdaftar", KPJ_BUDI, ""],  # row 5: nik_ganda
        [NIK_SITI, "Siti", "Menunggu", "", ""],  # row 6: status_tidak_dikenal
        [NIK_ANI, "Ani", "Terdaftar", "", ""],  # row 7: kpj_kosong
    )
    assert not result.ok
    assert [(p.row, p.code) for p in result.problems] == [
        (3, "nik_tidak_valid"), (4, "nik_tidak_diajukan"), (5, "nik_ganda"), (6, "status_tidak_dikenal"),
        (7, "kpj_kosong"),
    ]
    assert [r.row for r in result.rows] == [2]  # rows with a problem are not offered for applying
    assert all(p.message and p.column for p in result.problems)


def test_it_collects_several_problems_on_one_row():
    result = answer([NIK_LAIN, "Lain", "Terdaftar", "123", ""])
    assert codes_at(result, 2) == ["nik_tidak_diajukan", "kpj_tidak_valid"]


def test_it_declares_every_problem_code():
    assert set(PROBLEM_CODES) == {
        "berkas_tidak_terbaca", "berkas_kosong", "kolom_tidak_ada", "nik_tidak_valid", "nik_tidak_diajukan",
        "nik_sudah_terdaftar", "nik_ganda", "status_tidak_dikenal", "kpj_kosong", "kpj_tidak_valid", "kpj_ganda",
        "keterangan_terlalu_panjang",
    }


# --- belum dijawab ------------------------------------------------------------------------------------


def test_it_lists_submitted_niks_the_branch_has_not_answered_without_a_problem():
    result = answer([NIK_BUDI, "Budi", "Terdaftar", KPJ_BUDI, ""])
    assert result.ok
    assert result.belum_dijawab == {NIK_SITI, NIK_ANI}


def test_it_counts_a_row_with_a_problem_as_answered():
    result = answer([NIK_BUDI, "Budi", "Terdaftar", "", ""])
    assert result.belum_dijawab == {NIK_SITI, NIK_ANI}


# --- purity -------------------------------------------------------------------------------------------


def test_it_loads_no_django():
    script = (
        "import json, sys\n"
        "import lindung.enrolment.bpjs_files\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('django'))))\n"
    )
    repo = Path(__file__).resolve().parents[3]
    completed = subprocess.run(
        [sys.executable, "-c", script], cwd=repo, capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout) == []


# --- issue 11 item 5: lengths and control characters ---------------------------------------------------


def test_a_keterangan_longer_than_the_status_log_keeps_is_a_problem_not_cut_short():
    rows = good_rows()
    rows[2][4] = "Ditolak karena " + "x" * 300
    result = read(rows)
    assert not result.ok
    [problem] = result.problems
    assert (problem.row, problem.column, problem.code) == (3, "Keterangan", "keterangan_terlalu_panjang")
    assert f"paling banyak {MAX_ALASAN} karakter" in problem.message


def test_max_alasan_is_what_the_status_log_has_room_for():
    from lindung.enrolment.bpjs import _REJECTED, _max_alasan
    from lindung.imports.models import StatusChange

    assert _max_alasan() == MAX_ALASAN == StatusChange._meta.get_field("reason").max_length - len(_REJECTED)


def test_control_characters_in_an_answer_are_removed():
    rows = good_rows()
    rows[2][4] = "Peserta sudah\x00 terdaftar\x1b di wadah lain"
    result = read(rows)
    assert result.ok and result.rows[1].alasan == "Peserta sudah terdaftar di wadah lain"


def test_the_streamed_files_hold_what_the_in_memory_ones_hold(tmp_path):
    """The background job writes the pengajuan row by row (xlsx in constant-memory mode, csv to a file):
    the same cells as the file built in memory, read back the same way."""
    from lindung.enrolment.bpjs_files import write_submission_csv, write_submission_xlsx

    people = [BUDI, SITI, TANPA_TANGGAL, dataclasses.replace(BUDI, nama="=HYPERLINK(\"x\")")]
    streamed = tmp_path / "pengajuan.xlsx"
    write_submission_xlsx(str(streamed), iter(people), created=CREATED, **PROGRAM)
    in_memory = read_table(build_submission_xlsx(people, created=CREATED, **PROGRAM), "a.xlsx")
    from_file = read_table(streamed.read_bytes(), "b.xlsx")
    assert (from_file.headers, from_file.rows) == (in_memory.headers, in_memory.rows)
    assert dict(zip(from_file.headers, from_file.rows[3][1]))["Nama Lengkap"] == "=HYPERLINK(\"x\")"  # a string cell
    with open(tmp_path / "pengajuan.csv", "wb") as handle:
        write_submission_csv(handle, iter(people), **PROGRAM)
    assert (tmp_path / "pengajuan.csv").read_bytes() == build_submission_csv(people, **PROGRAM)
