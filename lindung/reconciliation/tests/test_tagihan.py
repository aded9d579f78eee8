import io
from datetime import date, datetime

import pytest
import xlsxwriter

from lindung.domain.periods import Month
from lindung.reconciliation.tagihan import parse_month, parse_rupiah, read_tagihan

NOV = Month(2025, 11)
NIK1, NIK2 = "2102014101900001", "2102014101900002"


def xlsx(rows) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("Tagihan")
    day = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, datetime):
                sheet.write_datetime(r, c, value, day)
            elif isinstance(value, str):
                sheet.write_string(r, c, value)
            else:
                sheet.write(r, c, value)
    workbook.close()
    return buffer.getvalue()


def codes(result):
    return [(p.row, p.column, p.code) for p in result.problems]


def test_it_reads_the_csv_lindung_tagihan_writes():
    data = f"NIK,KPJ,Nama,Bulan,Iuran\n{NIK1},21020000001,Siti Aminah,2025-11,16800\n{NIK2},,Budi,2025-11,16800\n"
    result = read_tagihan(data.encode(), "tagihan.csv", bulan=NOV)
    assert result.ok, result.problems
    assert [(l.row, l.nik, l.kpj, l.nama, l.bulan, l.iuran) for l in result.lines] == [
        (2, NIK1, "21020000001", "Siti Aminah", date(2025, 11, 1), 16800),
        (3, NIK2, "", "Budi", date(2025, 11, 1), 16800),
    ]


def test_it_reads_a_branch_workbook_with_synonyms_a_title_and_a_total_line():
    rows = [
        ["TAGIHAN IURAN BPU KANTOR CABANG BATAM SEKUPANG"],
        [],
        ["No.", "Nomor KPJ", "NIK KTP", "Nama Peserta", "Periode", "Jumlah Iuran (Rp)", "Segmen"],
        [1, "21020000001", NIK1, "SITI AMINAH", datetime(2025, 11, 1), 16800, "BPU"],
        [2, 2102000002.0, NIK2, "BUDI", "November 2025", "Rp16.800", "BPU"],
        [3, "21020000003", "2102014101900003", "ANI", "11/2025", "16.800,00", "BPU"],
        ["", "", "", "TOTAL", "", "50.400", ""],
    ]
    result = read_tagihan(xlsx(rows), "tagihan.xlsx", bulan=NOV)
    assert result.ok, result.problems
    assert [(l.row, l.kpj, l.iuran) for l in result.lines] == [
        (4, "21020000001", 16800), (5, "02102000002", 16800), (6, "21020000003", 16800)]
    assert any("baris total" in note for note in result.notes)


def test_it_refuses_missing_columns_naming_them():
    data = f"NIK;Nama;Iuran\n{NIK1};Siti;16800\n".encode()
    result = read_tagihan(data, "tagihan.csv", bulan=NOV)
    assert codes(result) == [(1, "No. KPJ", "kolom_tidak_ada")]
    assert "“No. KPJ”, “Bulan”" in result.problems[0].message
    assert result.lines == []


def test_it_refuses_a_file_without_a_nik_column():
    result = read_tagihan(b"KPJ;Nama;Bulan;Iuran\n21020000001;Siti;2025-11;16800\n", "t.csv", bulan=NOV)
    assert codes(result) == [(0, "NIK", "kolom_tidak_ada")]


def test_it_collects_every_bad_cell_with_its_row_and_column():
    data = "\n".join([
        "NIK;No. KPJ;Nama;Bulan Iuran;Nominal",
        f"{NIK1};21020000001;Siti;2025-11;enam belas ribu",
        f"{NIK2};21020000002;Budi;2025-10;16800",
        "21020141019;21020000003;Ani;2025-11;16800,50",
        f"{NIK1};123;Ana;bulan lalu;16800",
        ";;Tanpa Kunci;2025-11;16800",
    ]).encode()
    result = read_tagihan(data, "tagihan.csv", bulan=NOV)
    assert codes(result) == [
        (2, "Nominal", "iuran_tidak_valid"),
        (3, "Bulan Iuran", "bulan_beda"),
        (4, "NIK", "nik_tidak_valid"),
        (4, "Nominal", "iuran_tidak_valid"),
        (5, "No. KPJ", "kpj_tidak_valid"),
        (5, "Bulan Iuran", "bulan_tidak_terbaca"),
        (6, "NIK", "nik_kpj_kosong"),
    ]
    assert result.problems[1].message == ("Baris ini untuk bulan Oktober 2025, padahal yang direkonsiliasi bulan "
                                          "November 2025; satu berkas tagihan hanya untuk satu bulan.")
    assert not result.ok


def test_a_duplicated_line_is_not_a_reading_problem():
    data = f"NIK,KPJ,Nama,Bulan,Iuran\n{NIK1},21020000001,A,2025-11,16800\n{NIK1},21020000001,A,2025-11,16800\n"
    assert len(read_tagihan(data.encode(), "t.csv", bulan=NOV).lines) == 2


def test_an_unreadable_file_is_one_problem():
    result = read_tagihan(b"%PDF-1.4 not a sheet", "tagihan.pdf", bulan=NOV)
    assert codes(result) == [(0, "", "berkas_tidak_terbaca")]
    assert "PDF" in result.problems[0].message


@pytest.mark.parametrize("cell, amount", [
    (16800, 16800), (16800.0, 16800), ("16800", 16800), ("16.800", 16800), ("Rp16.800", 16800),
    ("Rp 16.800,00", 16800), ("16,800", 16800), ("16,800.00", 16800), ("1.016.800", 1016800), ("0", 0),
    ("16800.5", None), ("-16800", None), (-1, None), ("enam", None), ("", None), (True, None), ("16.80", None),
])
def test_parse_rupiah(cell, amount):
    assert parse_rupiah(cell) == amount


@pytest.mark.parametrize("cell", [
    "2025-11", "2025-11-01", "11/2025", "11-2025", "01/11/2025", "November 2025", "Nov 2025", "Nopember 2025",
    "NOVEMBER 2025", "Nov-25", "202511", 202511, datetime(2025, 11, 1), date(2025, 11, 30), 45962.0,
])
def test_parse_month(cell):
    assert parse_month(cell) == NOV


@pytest.mark.parametrize("cell", ["", "2025-13", "bulan lalu", 12.5, "Movember 2025"])
def test_parse_month_refuses(cell):
    assert parse_month(cell) is None
