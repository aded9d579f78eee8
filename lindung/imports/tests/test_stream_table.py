"""reader.stream_table: a csv read line by line gives what read_table gives for the whole file."""

import io

import pytest

from lindung.imports.guard import ReadLimits
from lindung.imports.reader import ImportFileError, read_table, stream_table
from lindung.imports.tests.factories import xlsx_bytes

NIK = "3201011505900001"
TEXT = (
    "Jawaban BPJS Kantor Cabang\n"  # a title above the header
    "\n"
    "NIK;Status;No. KPJ;Keterangan\n"
    f"{NIK};Terdaftar;21012345678;\n"
    ";;;\n"  # blank: left out, but counted in the row numbers
    f"3201011505900002;Ditolak\n"  # short line: padded
    f"3201011505900003;Ditolak;;Nama ber\x07beda\n"  # a control character: removed
    "\x01;;;\n"  # only a control character: left out
    "3201011505900004;Ditolak;;Café\n"
)


def streamed(data: bytes, filename: str, limits: ReadLimits = ReadLimits()):
    table = stream_table(io.BytesIO(data), filename, limits=limits)
    return table.headers, table.header_row, list(table.rows)


@pytest.mark.parametrize("encoding, delimiter", [("utf-8", ";"), ("utf-8-sig", ";"), ("cp1252", ","),
                                                 ("utf-16", "\t")])
def test_a_csv_streams_into_the_rows_read_table_reads(encoding, delimiter):
    data = TEXT.replace(";", delimiter).encode(encoding)
    whole = read_table(data, "jawaban.csv")
    assert streamed(data, "jawaban.csv") == (whole.headers, whole.header_row, whole.rows)
    headers, header_row, rows = streamed(data, "jawaban.csv")
    assert header_row == 3 and [n for n, _ in rows] == [4, 6, 7, 9]
    assert rows[1][1] == ["3201011505900002", "Ditolak", "", ""] and rows[2][1][3] == "Nama berbeda"
    assert rows[3][1][3] == "Café"


def test_a_workbook_is_read_whole_and_iterated():
    data = xlsx_bytes([["NIK", "Status", "No. KPJ"], [NIK, "Terdaftar", "21012345678"]])
    whole = read_table(data, "jawaban.xlsx")
    assert streamed(data, "jawaban.xlsx") == (whole.headers, whole.header_row, whole.rows)


@pytest.mark.parametrize("data, code", [(b"", "berkas_kosong"), (b"Nama;Status\nBudi;Terdaftar\n", "tidak_ada_kolom_nik"),
                                        (b"NIK;Status\n", "tidak_ada_data")])
def test_a_file_that_cannot_be_used_fails_as_read_table_fails(data, code):
    with pytest.raises(ImportFileError) as caught:
        headers, _, rows = streamed(data, "jawaban.csv")
    assert caught.value.code == code


def test_the_row_limit_is_told_when_the_row_past_it_is_read():
    data = ("NIK;Status\n" + "".join(f"32010115059000{n:02d};Ditolak\n" for n in range(1, 5))).encode()
    table = stream_table(io.BytesIO(data), "jawaban.csv", limits=ReadLimits(max_rows=3))
    assert [next(table.rows)[0] for _ in range(3)] == [2, 3, 4]
    with pytest.raises(ImportFileError) as caught:
        next(table.rows)
    assert caught.value.code == "berkas_terlalu_besar" and "lebih dari 3 baris data" in caught.value.message
