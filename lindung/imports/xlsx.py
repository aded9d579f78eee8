"""The xlsx files we hand out: the Indonesian template for desa, and the file of rejected rows.

Both are written with xlsxwriter and returned as bytes. NIK-like columns are formatted as text for
the whole column, so Excel never turns a NIK into a number (and rounds away its last digit).

Pure Python: no Django.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

import xlsxwriter

from lindung.domain.eligibility import check_age
from lindung.domain.nik import BULAN
from lindung.imports.columns import COLUMNS, Column, find_column, normalise_header
from lindung.lib import sheets

DATA_SHEET = "Calon Peserta"
PETUNJUK_SHEET = "Petunjuk"
PEKERJAAN_SHEET = "Daftar Pekerjaan"
DESA_SHEET = "Kode Desa"
LAST_ROW = 1_048_575  # Excel's last row (0-based): validations and formats cover the whole column

ERROR_ROW_COLUMN = "Baris Asal"
ERROR_PROBLEM_COLUMN = "Masalah"

_TEXT_KINDS = frozenset({"nik", "kk", "kode_wilayah", "rt_rw", "phone"})  # digits whose zeros matter
_HEADER = {"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True, "valign": "top"}
_REQUIRED_HEADER = {**_HEADER, "bg_color": "#FCE4D6"}
_TEXT_CELL = {"num_format": "@", "valign": "top"}


def _workbook(buffer: io.BytesIO) -> xlsxwriter.Workbook:
    # in_memory: no temporary files on the web server. strings_to_formulas off: an uploaded cell or
    # header starting with "=" is written back as text, never as a formula that Excel would run.
    return sheets.workbook(buffer, {"in_memory": True})


# --- the template -----------------------------------------------------------------------------------


def build_template(
    *,
    program_name: str,
    desa: Sequence[tuple[str, str, str]],
    pekerjaan: Sequence[tuple[str, str]],
    coverage_start: date,
    min_age: int,
    max_age: int,
) -> bytes:
    """The candidate list template of one programme: data sheet with drop-downs, instructions, lists.

    desa: (kode, nama, tingkat) of the programme's (or the desa operator's) region;
    pekerjaan: (code, label) of the occupations the programme may pay for.
    """
    buffer = io.BytesIO()
    workbook = _workbook(buffer)
    earliest, latest = birth_date_bounds(coverage_start, min_age, max_age)
    petunjuk = workbook.add_worksheet(PETUNJUK_SHEET)
    data = workbook.add_worksheet(DATA_SHEET)
    _write_list_sheet(workbook, PEKERJAAN_SHEET, ("Pekerjaan", "Kode"), [(label, code) for code, label in pekerjaan])
    _write_list_sheet(workbook, DESA_SHEET, ("Kode Desa/Kelurahan", "Nama", "Desa/Kelurahan"), desa)
    _write_data_sheet(workbook, data, len(pekerjaan), len(desa), earliest, latest, coverage_start, min_age, max_age)
    _write_petunjuk(workbook, petunjuk, program_name, coverage_start, min_age, max_age, earliest, latest)
    data.activate()  # open on the sheet to fill in; the instructions are the first tab
    workbook.close()
    return buffer.getvalue()


def birth_date_bounds(coverage_start: date, min_age: int, max_age: int) -> tuple[date, date]:
    """Earliest and latest birth date that pass eligibility.check_age for this coverage start.

    Found by asking check_age itself, so the template's date check can never disagree with the import.
    """

    def ok(day: date) -> bool:
        return check_age(day, coverage_start, min_age=min_age, max_age=max_age) is None

    latest = _years_before(coverage_start, min_age)
    earliest = _years_before(coverage_start, max_age + 1)
    # The first guesses are within a day or two of the answer (29 February); walk to the exact edge.
    while not ok(latest):
        latest -= timedelta(days=1)
    while ok(latest + timedelta(days=1)):
        latest += timedelta(days=1)
    while not ok(earliest):
        earliest += timedelta(days=1)
    while ok(earliest - timedelta(days=1)):
        earliest -= timedelta(days=1)
    return earliest, latest


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def _write_list_sheet(workbook, name: str, headers: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    sheet = workbook.add_worksheet(name)
    header = workbook.add_format(_HEADER)
    text = workbook.add_format({"num_format": "@"})
    sheet.write_row(0, 0, headers, header)
    widths = [len(h) + 2 for h in headers]
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row):
            sheet.write_string(r, c, str(value), text)
            widths[c] = max(widths[c], len(str(value)) + 2)
    for c, width in enumerate(widths):
        sheet.set_column(c, c, min(width, 60), text)
    sheet.freeze_panes(1, 0)


def _write_data_sheet(workbook, sheet, n_pekerjaan, n_desa, earliest, latest, start, min_age, max_age) -> None:
    header = workbook.add_format(_HEADER)
    required = workbook.add_format(_REQUIRED_HEADER)
    text = workbook.add_format({"num_format": "@"})
    day = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for c, column in enumerate(COLUMNS):
        sheet.write_string(0, c, column.label, required if column.required else header)
        cell_format = day if column.kind == "date" else text if column.kind in _TEXT_KINDS else None
        sheet.set_column(c, c, column.width, cell_format)
        validation = _validation(column, n_pekerjaan, n_desa, earliest, latest, start, min_age, max_age)
        if validation is not None:
            sheet.data_validation(1, c, LAST_ROW, c, validation)
    sheet.set_row(0, 30)
    sheet.freeze_panes(1, 0)


def _validation(column: Column, n_pekerjaan, n_desa, earliest, latest, start, min_age, max_age) -> dict | None:
    if column.key in ("nik", "no_kk"):
        what = "NIK" if column.key == "nik" else "No. KK"
        return {
            "validate": "length", "criteria": "==", "value": 16,
            "input_title": what,
            "input_message": f"Ketik 16 digit {what}. Kolom ini berformat Teks; jangan diubah ke Angka.",
            "error_title": f"{what} harus 16 digit", "error_message": f"{what} harus tepat 16 digit angka.",
        }
    if column.key == "tanggal_lahir":
        return {
            "validate": "date", "criteria": "between", "minimum": earliest, "maximum": latest,
            "input_title": "Tanggal lahir", "input_message": "Tulis dd/mm/yyyy, contoh 17/08/1990.",
            "error_title": "Di luar batas usia program",
            "error_message": (
                f"Program ini untuk usia {min_age}–{max_age} tahun pada {_tanggal(start)}: lahir antara "
                f"{earliest:%d/%m/%Y} dan {latest:%d/%m/%Y}. Tulis tanggal sebagai dd/mm/yyyy."
            ),
        }
    if column.key == "jenis_kelamin":
        return _list_validation(["L", "P"], "Jenis kelamin", "Pilih L (laki-laki) atau P (perempuan).")
    if column.key == "pekerjaan" and n_pekerjaan:
        source = f"='{PEKERJAAN_SHEET}'!$A$2:$A${n_pekerjaan + 1}"
        return _list_validation(source, "Pekerjaan", "Pilih dari daftar; lihat lembar Daftar Pekerjaan.")
    if column.key == "kode_desa" and n_desa:
        source = f"='{DESA_SHEET}'!$A$2:$A${n_desa + 1}"
        return _list_validation(source, "Kode desa/kelurahan", "Pilih kode 10 digit; lihat lembar Kode Desa.")
    return None


def _list_validation(source, title: str, message: str) -> dict:
    # A list longer than 255 characters cannot be written inline, so long lists point at a sheet range.
    return {
        "validate": "list", "source": source, "input_title": title, "input_message": message,
        "error_title": "Pilihan tidak ada dalam daftar", "error_message": message,
    }


def _petunjuk_lines(start, min_age, max_age, earliest, latest) -> list[str]:
    return [
        f"Calon peserta adalah pekerja rentan berusia {min_age} sampai {max_age} tahun pada {_tanggal(start)}, "
        f"awal masa perlindungan: lahir antara {earliest:%d/%m/%Y} dan {latest:%d/%m/%Y}.",
        "Isi satu baris untuk satu orang pada lembar “Calon Peserta”. Jangan mengubah, menghapus atau "
        "memindahkan judul kolom pada baris 1.",
        "NIK dan No. KK sudah berformat Teks. Ketik atau tempel 16 digitnya apa adanya; jangan ubah "
        "formatnya ke Angka, karena Excel hanya menyimpan 15 digit dan mengganti digit terakhir dengan 0.",
        "Tanggal lahir ditulis dd/mm/yyyy (contoh 17/08/1990). Jenis kelamin, pekerjaan dan kode "
        "desa/kelurahan dipilih dari daftar pilihan pada selnya.",
        "Kolom berwarna jingga wajib diisi (Kode Desa/Kelurahan boleh kosong bila berkas diunggah oleh "
        "operator desa itu sendiri). Baris yang bermasalah tidak diambil; Disnaker mengirim kembali "
        "berkas berisi baris itu beserta penjelasan masalahnya untuk diperbaiki.",
        "Simpan sebagai Buku Kerja Excel (.xlsx) tanpa kata sandi, lalu unggah di aplikasi lindung atau "
        "kirim ke Disnaker. Berkas yang dilindungi kata sandi tidak dapat dibaca.",
    ]


def _write_petunjuk(workbook, sheet, program_name, start, min_age, max_age, earliest, latest) -> None:
    title = workbook.add_format({"bold": True, "font_size": 14})
    bold = workbook.add_format({"bold": True})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    header = workbook.add_format(_HEADER)
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 8)
    sheet.set_column(2, 2, 90, wrap)
    sheet.write_string(0, 0, f"Petunjuk pengisian daftar calon peserta — {program_name}", title)
    sheet.write_string(1, 0, f"Awal masa perlindungan: {_tanggal(start)}", bold)
    row = 3
    for number, line in enumerate(_petunjuk_lines(start, min_age, max_age, earliest, latest), 1):
        sheet.write_string(row, 0, f"{number}.")
        sheet.merge_range(row, 1, row, 2, line, wrap)
        sheet.set_row(row, 32)
        row += 1
    row += 1
    sheet.write_row(row, 0, ("Kolom", "Wajib", "Cara mengisi"), header)
    for column in COLUMNS:
        row += 1
        sheet.write_string(row, 0, column.label, bold)
        sheet.write_string(row, 1, _wajib(column))
        sheet.write_string(row, 2, column.hint, wrap)


def _wajib(column: Column) -> str:
    if column.key == "kode_desa":
        return "Ya*"  # an upload by a desa operator fills their own desa
    return "Ya" if column.required else ""


def _tanggal(day: date) -> str:
    return f"{day.day} {BULAN[day.month - 1]} {day.year}"


# --- the error file ---------------------------------------------------------------------------------

_OUR_COLUMNS = frozenset({normalise_header(ERROR_ROW_COLUMN), normalise_header(ERROR_PROBLEM_COLUMN)})


def build_error_file(*, headers: Sequence[str], rows: Iterable[tuple[int, dict, Sequence]]) -> bytes:
    """The rejected rows as uploaded, to send back to the desa for correction.

    rows: (spreadsheet row number, raw row {label: text}, problems) where each problem has `.column`
    (an uploaded label), `.message` and `.severity` (validate.RowProblem). Every value is written as
    text; cells with a problem are coloured (red for an error, yellow for a warning). The sheet is
    named and laid out like the template, so the corrected file can be uploaded as it is.
    """
    buffer = io.BytesIO()
    workbook = _workbook(buffer)
    sheet = workbook.add_worksheet(DATA_SHEET)
    formats = _error_formats(workbook)
    original = [h for h in headers if normalise_header(h) not in _OUR_COLUMNS]  # a second round trip
    all_headers = [ERROR_ROW_COLUMN, ERROR_PROBLEM_COLUMN, *original]
    sheet.write_row(0, 0, all_headers, formats["header"])
    count = 0
    for count, (row_number, raw, problems) in enumerate(rows, 1):
        _write_error_row(sheet, count, row_number, raw, problems, original, formats)
    _size_error_columns(sheet, original, formats["text"])
    sheet.freeze_panes(1, 2)
    sheet.autofilter(0, 0, max(count, 1), len(all_headers) - 1)
    _write_error_petunjuk(workbook)
    workbook.close()
    return buffer.getvalue()


def _error_formats(workbook) -> dict:
    return {
        "header": workbook.add_format(_HEADER),
        "text": workbook.add_format(_TEXT_CELL),
        "error": workbook.add_format({**_TEXT_CELL, "bg_color": "#FFC7CE", "font_color": "#9C0006"}),
        "warning": workbook.add_format({**_TEXT_CELL, "bg_color": "#FFEB9C"}),
        "problem": workbook.add_format({"text_wrap": True, "valign": "top", "font_color": "#9C0006"}),
    }


def _write_error_row(sheet, r: int, row_number: int, raw: dict, problems: Sequence, headers, formats) -> None:
    marks = _column_marks(problems)
    sheet.write_number(r, 0, row_number, formats["text"])
    lines = [_problem_line(p) for p in problems]
    sheet.write_string(r, 1, "\n".join(lines), formats["problem"])
    for c, header in enumerate(headers, 2):
        cell_format = formats[marks[header]] if header in marks else formats["text"]
        sheet.write_string(r, c, str(raw.get(header, "") or ""), cell_format)
    sheet.set_row(r, 15 * max(1, len(lines)))


def _column_marks(problems: Sequence) -> dict[str, str]:
    """label -> 'error' or 'warning': an error wins over a warning in the same cell."""
    marks: dict[str, str] = {}
    for p in problems:
        if p.severity == "error" or p.column not in marks:
            marks[p.column] = "error" if p.severity == "error" else "warning"
    return marks


def _problem_line(problem) -> str:
    prefix = "" if problem.severity == "error" else "Peringatan — "
    return f"• {prefix}{problem.column}: {problem.message}"


def _size_error_columns(sheet, headers: Sequence[str], text) -> None:
    sheet.set_column(0, 0, 10, text)
    sheet.set_column(1, 1, 70)
    for c, header in enumerate(headers, 2):
        column = find_column(header)
        width = column.width if column is not None else max(12, min(len(header) + 2, 40))
        sheet.set_column(c, c, width, text)  # text for the whole column: corrections stay text


def _write_error_petunjuk(workbook) -> None:
    sheet = workbook.add_worksheet("Petunjuk Perbaikan")
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    sheet.set_column(0, 0, 100, wrap)
    lines = (
        "Baris pada lembar “Calon Peserta” belum dapat diterima. Kolom “Masalah” menjelaskan setiap "
        "masalahnya; sel yang perlu diperbaiki berwarna merah (peringatan: kuning).",
        "Perbaiki selnya sesuai KTP/KK, tanpa mengubah judul kolom. Kolom “Baris Asal” dan “Masalah” "
        "boleh dibiarkan; keduanya diabaikan saat berkas diunggah lagi.",
        "Simpan sebagai .xlsx tanpa kata sandi, lalu unggah lagi atau kirim kembali ke Disnaker.",
    )
    for r, line in enumerate(lines):
        sheet.write_string(r, 0, line, wrap)
        sheet.set_row(r, 32)

