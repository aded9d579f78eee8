from datetime import date, datetime

import pytest

from lindung.imports.reader import ImportFileError, read_table
from lindung.imports.tests.factories import (
    HEADERS,
    NIK_BUDI,
    csv_bytes,
    docx_bytes,
    encrypted_xlsx_bytes,
    ods_bytes,
    rows_of,
    xlsx_bytes,
)


def refused(data: bytes, filename: str = "daftar.xlsx") -> ImportFileError:
    with pytest.raises(ImportFileError) as caught:
        read_table(data, filename)
    return caught.value


# --- xlsx ------------------------------------------------------------------------------------------


def test_it_reads_an_xlsx_keeping_cell_types_and_excel_row_numbers():
    data = xlsx_bytes(
        [
            ["NIK", "Nama", "Tgl Lahir", "RT"],
            [NIK_BUDI, "Budi", datetime(1990, 8, 17), 3],
            [2102015708900002.0, "Siti", 33102, "004"],
        ]
    )
    table = read_table(data, "daftar.xlsx")
    assert table.headers == ["NIK", "Nama", "Tgl Lahir", "RT"]
    assert table.sheet_name == "Calon Peserta" and table.header_row == 1
    assert [number for number, _ in table.rows] == [2, 3]
    assert table.rows[0][1] == [NIK_BUDI, "Budi", date(1990, 8, 17), 3.0]
    assert table.rows[1][1] == [2102015708900002.0, "Siti", 33102.0, "004"]  # numbers stay numbers


def test_it_finds_the_header_below_a_title_and_numbers_rows_as_excel_does():
    rows = [
        ["DAFTAR CALON PESERTA BPJS KETENAGAKERJAAN"],
        ["Desa Pauh, 2025"],
        [],
        ["No", "NIK", "Nama"],
        [1, NIK_BUDI, "Budi"],
    ]
    table = read_table(xlsx_bytes(rows), "pauh.xlsx")
    assert table.header_row == 4
    assert table.headers == ["No", "NIK", "Nama"]
    assert table.rows == [(5, [1.0, NIK_BUDI, "Budi"])]


def test_it_finds_a_table_that_does_not_start_in_column_a():
    table = read_table(xlsx_bytes([["NIK", "Nama"], [NIK_BUDI, "Budi"]], first_row=2), "x.xlsx")
    assert table.header_row == 3 and table.rows == [(4, [NIK_BUDI, "Budi"])]


def test_it_skips_blank_rows_but_keeps_the_numbering():
    rows = [["NIK", "Nama"], [NIK_BUDI, "Budi"], [None, None], ["", "   "], ["2102015708900002", "Siti"]]
    table = read_table(xlsx_bytes(rows), "x.xlsx")
    assert [number for number, _ in table.rows] == [2, 5]


def test_it_skips_the_template_instruction_sheets():
    data = xlsx_bytes(rows_of([{"NIK": NIK_BUDI}]), before=("Petunjuk",))
    assert read_table(data, "x.xlsx").sheet_name == "Calon Peserta"


def test_it_prefers_a_sheet_named_data():
    data = xlsx_bytes([["NIK"], [NIK_BUDI]], sheet="Data", before=("Rekap",))
    assert read_table(data, "x.xlsx").sheet_name == "Data"


def test_it_takes_the_first_sheet_with_a_nik_column_whatever_its_name():
    data = xlsx_bytes([["NIK"], [NIK_BUDI]], sheet="Sheet2", before=("Sheet1",))
    assert read_table(data, "x.xlsx").sheet_name == "Sheet2"


def test_it_names_blank_and_repeated_headers():
    table = read_table(xlsx_bytes([["NIK", None, "Ket", "Ket"], [NIK_BUDI, "x", "a", "b"]]), "x.xlsx")
    assert table.headers == ["NIK", "Kolom 2", "Ket", "Ket (2)"]


def test_it_reads_an_ods():
    table = read_table(ods_bytes([["NIK", "Tgl Lahir"], [NIK_BUDI, date(1990, 8, 17)]]), "daftar.ods")
    assert table.rows == [(2, [NIK_BUDI, date(1990, 8, 17)])]


# --- csv ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_it_reads_a_csv_with_any_usual_delimiter(delimiter):
    rows = [["NIK", "Nama", "Alamat"], [NIK_BUDI, "Budi", "Jl. Melati, RT 1"], ["2102015708900002", "Siti", "Pauh"]]
    table = read_table(csv_bytes(rows, delimiter=delimiter), "daftar.csv")
    assert table.headers == ["NIK", "Nama", "Alamat"]
    assert table.rows == [(2, [NIK_BUDI, "Budi", "Jl. Melati, RT 1"]), (3, ["2102015708900002", "Siti", "Pauh"])]


def test_it_prefers_semicolons_when_addresses_contain_commas():
    rows = [["NIK", "Nama", "Alamat"], [NIK_BUDI, "Budi", "Jl. A, No. 1, RT 2"], ["2102015708900002", "Siti", "Jl. B, 3"]]
    data = "\r\n".join(";".join(r) for r in rows).encode()  # unquoted commas, as Excel writes them
    assert read_table(data, "daftar.csv").rows[0][1] == [NIK_BUDI, "Budi", "Jl. A, No. 1, RT 2"]


def test_it_reads_utf8_with_a_bom():
    table = read_table(csv_bytes([["NIK", "Nama"], [NIK_BUDI, "José Ñuñez"]], bom=True), "daftar.csv")
    assert table.headers[0] == "NIK"  # not "\ufeffNIK"
    assert table.rows[0][1][1] == "José Ñuñez"


def test_it_reads_windows_1252():
    table = read_table(csv_bytes([["NIK", "Nama"], [NIK_BUDI, "José Ñuñez – Pauh"]], encoding="cp1252"), "daftar.csv")
    assert table.rows[0][1][1] == "José Ñuñez – Pauh"


def test_it_reads_excels_unicode_text_export():
    text = "NIK\tNama\r\n" + NIK_BUDI + "\tJosé Ñuñez\r\n"
    table = read_table(text.encode("utf-16"), "daftar.txt")  # UTF-16 with a BOM, tab-separated
    assert table.rows == [(2, [NIK_BUDI, "José Ñuñez"])]


def test_it_pads_short_csv_lines_and_finds_a_header_under_a_title():
    data = b"Daftar calon peserta\r\n\r\nNIK;Nama;Pekerjaan\r\n" + NIK_BUDI.encode() + b";Budi\r\n"
    table = read_table(data, "daftar.csv")
    assert table.header_row == 3
    assert table.rows == [(4, [NIK_BUDI, "Budi", ""])]


def test_it_reads_a_csv_saved_with_an_xlsx_name():
    assert read_table(csv_bytes([["NIK"], [NIK_BUDI]]), "daftar.xlsx").rows == [(2, [NIK_BUDI])]


# --- files it refuses -----------------------------------------------------------------------------


def test_it_refuses_a_pdf():
    error = refused(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" + b"\x00" * 50, "daftar.xlsx")
    assert error.code == "bukan_spreadsheet" and "PDF" in error.message


def test_it_refuses_a_word_document_renamed_xlsx():
    error = refused(docx_bytes(), "daftar.xlsx")
    assert error.code == "bukan_spreadsheet" and "Word" in error.message


def test_it_refuses_binary_garbage():
    assert refused(bytes(range(256)) * 20, "daftar.xlsx").code == "bukan_spreadsheet"


@pytest.mark.parametrize("data", [b"", b"   \r\n  "])
def test_it_refuses_an_empty_file(data):
    assert refused(data).code == "berkas_kosong"


def test_it_refuses_an_xlsx_without_any_cell():
    assert refused(xlsx_bytes([])).code == "berkas_kosong"


@pytest.mark.parametrize("data", [xlsx_bytes([HEADERS]), csv_bytes([HEADERS]), xlsx_bytes([HEADERS, [None] * 6])])
def test_it_refuses_a_file_with_headers_only(data):
    error = refused(data, "daftar.csv" if data.startswith(b"NIK") else "daftar.xlsx")
    assert error.code == "tidak_ada_data"


def test_it_refuses_a_password_protected_xlsx():
    error = refused(encrypted_xlsx_bytes(), "daftar.xlsx")
    assert error.code == "dilindungi_kata_sandi"
    assert "kata sandi; buka di Excel, hapus kata sandinya, simpan ulang" in error.message


@pytest.mark.parametrize("make", [xlsx_bytes, lambda rows: csv_bytes(rows)])
def test_it_refuses_a_file_without_a_nik_column(make):
    error = refused(make([["Nama", "Alamat"], ["Budi", "Pauh"]]), "daftar.xlsx")
    assert error.code == "tidak_ada_kolom_nik"
    assert "Tidak ada kolom NIK" in error.message


def test_it_looks_for_the_nik_header_only_in_the_first_ten_rows():
    rows = [[f"judul {i}"] for i in range(10)] + [["NIK"], [NIK_BUDI]]
    assert refused(xlsx_bytes(rows)).code == "tidak_ada_kolom_nik"


def test_the_error_is_a_value_error_with_an_indonesian_message():
    error = refused(b"")
    assert isinstance(error, ValueError) and str(error) == error.message


def test_a_text_file_renamed_xlsx_is_not_an_excel_file():
    with pytest.raises(ImportFileError) as refused:
        read_table("Surat pengantar daftar calon\nDesa Moro, 2025\n".encode(), "daftar.xlsx")
    assert refused.value.code == "bukan_spreadsheet" and "bukan lembar kerja Excel" in refused.value.message
    assert "isinya teks biasa" in refused.value.message


def test_a_csv_renamed_xlsx_still_reads():
    table = read_table(b"NIK;Nama\n2102034101900001;Siti\n", "daftar.xlsx")
    assert table.headers[:2] == ["NIK", "Nama"]
