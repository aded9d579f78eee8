"""Hostile and broken workbooks (issue 11, items 3 and 4): refused with an Indonesian message, never a
dead worker, never an exception other than ImportFileError."""

import io
import zipfile

import pytest

from lindung.imports import sandbox
from lindung.imports.guard import ReadLimits
from lindung.imports.reader import ImportFileError, read_table
from lindung.imports.tests.factories import csv_bytes, xlsx_bytes
from lindung.imports.tests.rawxlsx import GOOD_ROWS, NIK, SHEET_PATH, cell, parts, sheet_xml, xlsx, zip_parts

# One filled cell at the last cell Excel has: python-calamine sizes the sheet by it, asks for 550 GB
# and aborts the process it runs in.
XFD1048576 = xlsx({**GOOD_ROWS, 1048576: cell("XFD1048576", "x")})


def refused(data: bytes, filename: str = "daftar.xlsx", **limits) -> ImportFileError:
    with pytest.raises(ImportFileError) as caught:
        read_table(data, filename, limits=ReadLimits(**limits))
    return caught.value


def test_a_tiny_file_with_a_cell_at_xfd1048576_is_refused_and_the_process_lives():
    assert len(XFD1048576) < 6000
    error = refused(XFD1048576)
    assert error.code == "berkas_terlalu_besar"
    assert error.message.startswith("Berkas daftar.xlsx terlalu besar atau rusak: ada sel terisi di ")
    assert "1.048.576" in error.message or "XFD" in error.message
    assert read_table(xlsx(GOOD_ROWS), "lagi.xlsx").rows == [(2, [NIK, "Siti"])]  # and we are still here


def test_the_hostile_file_aborts_only_the_child_process():
    with sandbox.Child("workbook", XFD1048576, ("x.xlsx", 10**7, 20000), memory_mb=1024, cpu_seconds=30) as child:
        with pytest.raises(sandbox.ChildFailed, match="memori lebih dari 1024 MB"):
            child.result()


def test_a_sheet_the_scan_cannot_see_through_still_ends_as_a_clean_error():
    # Cells without an r="…" reference are placed by counting: 16.384 of them in row 1 and one cell in
    # row 150.000 make a 78 GB sheet that no reference gives away. The child's memory cap stops it.
    wide = "".join("<c><v>1</v></c>" for _ in range(16384))
    data = xlsx({1: wide, 2: cell("A2", "NIK"), 150000: cell("A150000", NIK)})
    error = refused(data)
    assert error.code == "berkas_terlalu_besar" and "memori" in error.message


@pytest.mark.parametrize(
    "rows, limits, words",
    [
        ({**GOOD_ROWS, 3: cell("GS3", "x")}, {}, "kolom GS (kolom ke-201); paling banyak 200 kolom"),
        ({**GOOD_ROWS, 200001: cell("A200001", "x")}, {}, "baris 200.001; paling banyak 200.000 baris"),
        ({**GOOD_ROWS, 5: cell("A5", NIK)}, {"max_rows": 4}, "baris 5; paling banyak 4 baris"),
        ({**GOOD_ROWS, 2: GOOD_ROWS[2] + cell("K2", "x")}, {"max_columns": 10}, "kolom K (kolom ke-11)"),
    ],
)
def test_cells_beyond_the_row_and_column_limits_are_refused(rows, limits, words):
    error = refused(xlsx(rows), **limits)
    assert error.code == "berkas_terlalu_besar" and words in error.message


def test_the_row_limit_holds_for_csv_too():
    rows = [["NIK", "Nama"]] + [[NIK, f"Orang {i}"] for i in range(5)]
    error = refused(csv_bytes(rows), "daftar.csv", max_rows=4)
    assert error.code == "berkas_terlalu_besar" and "lebih dari 4 baris data" in error.message


def test_a_lying_dimension_and_empty_styled_cells_far_away_are_harmless():
    # calamine ignores <dimension> and skips cells without a value, so neither can blow a sheet up.
    rows = {**GOOD_ROWS, 2: GOOD_ROWS[2] + '<c r="XFD2" s="0"/>', 1048576: '<c r="XFD1048576" s="0"/>'}
    table = read_table(xlsx(rows, dimension="A1:XFD1048576"), "daftar.xlsx")
    assert table.rows == [(2, [NIK, "Siti"])]


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    members = {**parts(sheet_xml(GOOD_ROWS)), "xl/padding.xml": b" " * (8 << 20)}
    error = refused(zip_parts(members))
    assert error.code == "berkas_terlalu_besar" and "bom zip" in error.message


def test_a_zip_of_thousands_of_members_is_refused():
    members = {**parts(sheet_xml(GOOD_ROWS)), **{f"xl/media/{i}.xml": "<a/>" for i in range(2001)}}
    error = refused(zip_parts(members, method=zipfile.ZIP_STORED))
    assert error.code == "berkas_terlalu_besar" and "bagian" in error.message


def test_a_file_over_the_size_limit_is_refused_unread():
    error = refused(xlsx_bytes([["NIK"], [NIK]]) + b"\0" * (2 << 20), max_file_mb=1)
    assert error.code == "berkas_terlalu_besar" and "paling besar 1 MB" in error.message


# --- item 4: broken workbooks ---------------------------------------------------------------------


def _corrupt_cases():
    good = xlsx(GOOD_ROWS)
    no_sheet = {k: v for k, v in parts(sheet_xml(GOOD_ROWS)).items() if k != SHEET_PATH}
    yield "xml rusak", zip_parts(parts(sheet_xml(GOOD_ROWS).replace("</sheetData>", "<row"))), "berkas_rusak"
    yield "lembar hilang", zip_parts(no_sheet), "berkas_rusak"
    yield "terpotong", good[: len(good) // 2], "bukan_spreadsheet"
    yield "lzma", zip_parts(parts(sheet_xml(GOOD_ROWS)), method=zipfile.ZIP_LZMA), "bukan_spreadsheet"
    yield "versi zip", _needs_zip_version(good, 99), None
    yield "metode 99", _compression_method(good, 99), None
    yield "bukan zip", b"PK\x03\x04" + bytes(range(256)) * 4, "bukan_spreadsheet"


def _needs_zip_version(data: bytes, version: int) -> bytes:
    return data.replace(b"PK\x03\x04\x14\x00", b"PK\x03\x04" + bytes([version, 0]))


def _compression_method(data: bytes, method: int) -> bytes:
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        start = out.find(signature)
        while start != -1:
            out[start + offset : start + offset + 2] = method.to_bytes(2, "little")
            start = out.find(signature, start + 4)
    return bytes(out)


@pytest.mark.parametrize("name, data, code", list(_corrupt_cases()), ids=[c[0] for c in _corrupt_cases()])
def test_a_broken_workbook_is_one_named_error_in_indonesian(name, data, code):
    if code is None:  # damage calamine may read past: rows or the named error, nothing else
        try:
            assert read_table(data, "daftar.xlsx").rows == [(2, [NIK, "Siti"])]
            return
        except ImportFileError:
            pass
    error = refused(data)
    assert error.code in {"berkas_rusak", "bukan_spreadsheet", "berkas_terlalu_besar"}
    if code:
        assert error.code == code
    assert error.message.startswith("Berkas daftar.xlsx ") and "unggah lagi" in error.message


# --- item 5: control characters --------------------------------------------------------------------


def test_control_characters_are_removed_and_listed_from_xlsx():
    rows = {1: cell("A1", "NIK") + cell("B1", "Nama"), 2: cell("A2", NIK) + cell("B2", "Si_x0000_ti&#1;")}
    table = read_table(xlsx(rows), "daftar.xlsx")
    assert table.rows == [(2, [NIK, "Siti"])] and table.stripped == [(2, 1)]


def test_control_characters_are_removed_and_listed_from_csv():
    table = read_table(f"NIK;Nama\n{NIK};Bu\x00di\x1b\n".encode(), "daftar.csv")
    assert table.rows == [(2, [NIK, "Budi"])] and table.stripped == [(2, 1)]


def test_clean_files_take_no_control_character_pass():
    table = read_table(xlsx_bytes([["NIK", "Nama"], [NIK, "Siti\nAminah"]]), "daftar.xlsx")
    assert table.stripped == [] and table.rows[0][1][1] == "Siti\nAminah"


# --- through the app: the batch fails with the message, the CLI prints it ---------------------------


def test_a_hostile_upload_fails_its_batch_with_the_message(people):
    from lindung.imports.models import ImportBatch
    from lindung.imports.tests.test_flow import upload

    batch = upload(people.program_a, people.desa_a, XFD1048576, desa=people.desa_a.membership.wilayah)
    assert batch.status == ImportBatch.Status.FAILED and batch.progress == 100
    assert "terlalu besar atau rusak" in batch.error


@pytest.mark.parametrize("data", [XFD1048576, next(c[1] for c in _corrupt_cases() if c[0] == "xml rusak")])
def test_the_cli_reports_a_hostile_or_broken_file_as_a_command_error(people, tmp_path, data):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    path = tmp_path / "daftar.xlsx"
    path.write_bytes(data)
    with pytest.raises(CommandError, match="^Berkas daftar.xlsx (terlalu besar atau rusak|rusak)"):
        call_command("import", str(path), "--program", "prog-a")


def test_the_roster_and_the_bpjs_answer_refuse_a_hostile_file(people):
    from datetime import date

    from lindung.enrolment.bpjs_files import read_response
    from lindung.imports.roster import read_roster

    with pytest.raises(ImportFileError, match="terlalu besar atau rusak"):
        read_roster(XFD1048576, "peserta.xlsx", today=date(2025, 11, 1))
    answer = read_response(XFD1048576, "jawaban.xlsx", submitted_niks=frozenset({NIK}))
    assert not answer.ok and answer.problems[0].code == "berkas_tidak_terbaca"
    assert "terlalu besar atau rusak" in answer.problems[0].message


def test_lindung_match_reads_workbooks_through_the_same_guard(tmp_path):
    import duckdb

    from lindung.matching.columns import ColumnError, load

    path = tmp_path / "calon.xlsx"
    path.write_bytes(XFD1048576)
    with pytest.raises(ColumnError, match="terlalu besar atau rusak"):
        load(duckdb.connect(), "calon", path, label="kandidat")


def test_the_child_gets_no_secrets_from_the_environment(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "rahasia-sekali")
    monkeypatch.setenv("DATABASE_URL", "postgres://lindung:sandi@db/lindung")
    environment = sandbox._child_environment()
    assert "SECRET_KEY" not in environment and "DATABASE_URL" not in environment
    assert read_table(xlsx(GOOD_ROWS), "daftar.xlsx").rows == [(2, [NIK, "Siti"])]  # and it still runs


@pytest.mark.parametrize("case", ["hostile", "broken"])
def test_the_installed_cli_prints_one_indonesian_line_and_no_traceback(tmp_path, case):
    import subprocess
    import sys
    from pathlib import Path

    data = XFD1048576 if case == "hostile" else next(c[1] for c in _corrupt_cases() if c[0] == "xml rusak")
    path = tmp_path / "calon.xlsx"
    path.write_bytes(data)
    lindung = str(Path(sys.executable).with_name("lindung"))
    done = subprocess.run([lindung, "match", "--kandidat", str(path), "--out", str(tmp_path / "hasil")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("Galat: Berkas kandidat: Berkas calon.xlsx ")
