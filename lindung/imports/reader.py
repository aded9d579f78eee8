"""Read an uploaded candidate list (xlsx, xlsm, xls, ods or csv) into a plain Table.

Cells keep their types (str, float, int, date, datetime); a blank cell is "". Row numbers are the
ones the operator sees in Excel, so every problem can point at a row they can find. A file we cannot
read raises ImportFileError with a code and an Indonesian sentence; nothing else is raised for
bad input.

Pure Python: no Django (the CLI and the benchmark use it too).
"""

from __future__ import annotations

import csv
import io
import itertools
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import python_calamine

from lindung.imports.columns import cell_text, find_column, normalise_header

HEADER_SEARCH_ROWS = 10  # desa often put a title and a date above the table

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .doc, and encrypted Office files
# An encrypted xlsx/docx is not a zip but an OLE2 compound file holding an "EncryptedPackage" stream
# (MS-OFFCRYPTO 2.3.4.4); directory entry names are UTF-16LE.
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_ZIP_SIGNATURE = b"PK\x03\x04"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # Excel's "Unicode Text" export: UTF-16, tab-separated
_TEXT_EXTENSIONS = (".csv", ".txt", ".tsv")

# Sheet names, normalised, that hold the list, best first; and the sheets our template adds around it.
_PREFERRED_SHEETS = ("calonpeserta", "data", "datacalonpeserta", "peserta", "daftarcalonpeserta")
_HELPER_SHEETS = frozenset({"petunjuk", "daftarpekerjaan", "kodedesa", "kodedesakelurahan"})

MESSAGES = {
    "berkas_kosong": "Berkas {filename} kosong. Isi daftar calon peserta lalu unggah lagi.",
    "tidak_ada_data": (
        "Berkas {filename} hanya berisi judul kolom; belum ada baris calon peserta. "
        "Isi daftar di bawah judul kolom lalu unggah lagi."
    ),
    "dilindungi_kata_sandi": (
        "Berkas {filename} dilindungi kata sandi; buka di Excel, hapus kata sandinya, simpan ulang, "
        "lalu unggah lagi."
    ),
    "tidak_ada_kolom_nik": (
        "Tidak ada kolom NIK pada {rows} baris pertama lembar “{sheet}”. Beri judul kolom “NIK” di atas "
        "kolom nomor induk kependudukan (sebaiknya pakai templat dari lindung), lalu unggah lagi."
    ),
    "bukan_spreadsheet": (
        "Berkas {filename} bukan lembar kerja Excel atau CSV{what}. Simpan daftar sebagai .xlsx "
        "(Excel) atau .csv, lalu unggah lagi."
    ),
    "csv_rusak": (
        "Berkas CSV {filename} tidak dapat dibaca ({reason}). Buka di Excel, simpan ulang sebagai "
        "CSV atau .xlsx, lalu unggah lagi."
    ),
}


class ImportFileError(ValueError):
    """The file cannot be read as a candidate list; `message` says why in Indonesian."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _fail(code: str, **values: object) -> ImportFileError:
    return ImportFileError(code, MESSAGES[code].format(**values))


@dataclass(slots=True)
class Table:
    headers: list[str]  # as written in the file, made unique ("Keterangan", "Keterangan (2)")
    rows: list[tuple[int, list]]  # (spreadsheet row number, cells); wholly blank rows are left out
    sheet_name: str | None  # None for csv
    header_row: int = 1  # spreadsheet row number of the headers
    notes: list[str] = field(default_factory=list)  # how the file was read, for the preview page


@dataclass(frozen=True, slots=True)
class KeyHeader:
    """The column whose title marks the header row, and what to say when no row has it."""
    matches: Callable[[object], bool]
    code: str = "tidak_ada_kolom_nik"
    message: str = ""  # with {rows} and {sheet}; blank: the NIK message


def read_table(data: bytes, filename: str, *, key: KeyHeader | None = None) -> Table:
    """The candidate table in `data` (or another table, found by its `key` column's title); raises
    ImportFileError for a file we cannot use."""
    key = key or NIK_KEY
    if not data or not data.strip():
        raise _fail("berkas_kosong", filename=filename)
    if data.startswith(OLE2_SIGNATURE) and _ENCRYPTED_PACKAGE in data:
        raise _fail("dilindungi_kata_sandi", filename=filename)
    if _looks_like_text(data, filename):
        try:
            return _read_csv(data, filename, key)
        except csv.Error as exc:  # e.g. a field longer than csv's limit, a NUL byte in a cell
            raise _fail("csv_rusak", filename=filename, reason=str(exc)) from None
    return _read_workbook(data, filename, key)


def _looks_like_text(data: bytes, filename: str) -> bool:
    if data.startswith((OLE2_SIGNATURE, _ZIP_SIGNATURE, b"%PDF")):
        return False
    if data.startswith(_UTF16_BOMS):
        return True
    if filename.lower().endswith(_TEXT_EXTENSIONS):
        return True
    # A csv saved under an .xlsx name still reads; a binary file has NUL bytes early on.
    return b"\x00" not in data[:4096]


# --- workbooks --------------------------------------------------------------------------------------


def _read_workbook(data: bytes, filename: str, key: KeyHeader) -> Table:
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError:
        raise _fail("dilindungi_kata_sandi", filename=filename) from None
    except (python_calamine.CalamineError, OSError):
        raise _fail("bukan_spreadsheet", filename=filename, what=_what_it_is(data)) from None
    with workbook:
        return _read_sheets(workbook, filename, key)


def _what_it_is(data: bytes) -> str:
    """A hint for the operator when they sent the wrong kind of document."""
    if data.startswith(b"%PDF"):
        return " (berkas ini PDF)"
    if data.startswith(_ZIP_SIGNATURE):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return " (berkas rusak atau belum selesai terunduh)"
        if any(n.startswith("word/") for n in names):
            return " (berkas ini dokumen Word)"
        if any(n.startswith("ppt/") for n in names):
            return " (berkas ini presentasi PowerPoint)"
        return " (berkas ZIP, atau berkas Excel yang rusak)"
    if data.startswith(OLE2_SIGNATURE):
        return " (berkas Office lama yang bukan Excel, atau Excel yang rusak)"
    return ""


def _candidate_sheets(workbook: python_calamine.CalamineWorkbook) -> list[str]:
    """Worksheets worth looking at, the ones named like the list first; template helpers last."""
    worksheet, visible = python_calamine.SheetTypeEnum.WorkSheet, python_calamine.SheetVisibleEnum.Visible
    sheets = [m.name for m in workbook.sheets_metadata if m.typ == worksheet and m.visible == visible]
    sheets = sheets or list(workbook.sheet_names)

    def rank(name: str) -> tuple[int, int]:
        key = normalise_header(name)
        if key in _PREFERRED_SHEETS:
            return (0, _PREFERRED_SHEETS.index(key))
        return (2, 0) if key in _HELPER_SHEETS else (1, 0)

    return sorted(sheets, key=rank)  # sorted() is stable: workbook order within a rank


def _read_sheets(workbook: python_calamine.CalamineWorkbook, filename: str, key: KeyHeader) -> Table:
    first_with_data = None
    for name in _candidate_sheets(workbook):
        sheet = workbook.get_sheet_by_name(name)
        if sheet.height == 0:
            continue
        rows = sheet.iter_rows()
        head = _take_head(rows)
        header_index = _find_header(head, key)
        if header_index is not None:
            table = _build_table(head, rows, header_index, name, filename)
            table.notes.append(f"Lembar “{name}”, judul kolom pada baris {table.header_row}.")
            return table
        first_with_data = first_with_data or name
    if first_with_data is None:
        raise _fail("berkas_kosong", filename=filename)
    raise _no_key(key, first_with_data)


def _take_head(rows) -> list[list]:
    head = []
    for row in rows:
        head.append(row)
        if len(head) == HEADER_SEARCH_ROWS:
            break
    return head


def _no_key(key: KeyHeader, sheet: str) -> ImportFileError:
    if not key.message:
        return _fail("tidak_ada_kolom_nik", rows=HEADER_SEARCH_ROWS, sheet=sheet)
    return ImportFileError(key.code, key.message.format(rows=HEADER_SEARCH_ROWS, sheet=sheet))


def _find_header(head: list[list], key: KeyHeader) -> int | None:
    for index, row in enumerate(head):
        if any(cell != "" and key.matches(cell) for cell in row):
            return index
    return None


def _is_nik_header(cell: object) -> bool:
    column = find_column(cell)
    return column is not None and column.key == "nik"


NIK_KEY = KeyHeader(_is_nik_header)


def _build_table(head: list[list], rest, header_index: int, sheet_name: str | None, filename: str) -> Table:
    """Rows after the header, numbered as the spreadsheet numbers them (header included)."""
    headers = _unique_headers(head[header_index])
    rows = []
    # calamine (iter_rows) and csv.reader both start at the sheet's first row, so position = row - 1.
    number = header_index + 1
    for cells in itertools.chain(head[header_index + 1 :], rest):
        number += 1
        if not _is_blank_row(cells):
            rows.append((number, cells))
    if not rows:
        raise _fail("tidak_ada_data", filename=filename)
    return Table(headers=headers, rows=rows, sheet_name=sheet_name, header_row=header_index + 1)


def _is_blank_row(cells: list) -> bool:
    # Most rows answer at their first cell. A number or a date, even 0, is data; spaces are not.
    for cell in cells:
        if cell.__class__ is str:
            if cell and not cell.isspace():
                return False
        elif cell is not None:
            return False
    return True


def _unique_headers(cells: list) -> list[str]:
    """Headers as text; trailing blank ones dropped, inner blank ones named by their position."""
    texts = [" ".join(cell_text(cell).split()) for cell in cells]
    while texts and not texts[-1]:
        texts.pop()
    seen: Counter[str] = Counter()
    headers = []
    for position, text in enumerate(texts, 1):
        text = text or f"Kolom {position}"
        seen[text] += 1
        headers.append(text if seen[text] == 1 else f"{text} ({seen[text]})")
    return headers


# --- csv --------------------------------------------------------------------------------------------


def _read_csv(data: bytes, filename: str, key: KeyHeader) -> Table:
    text = _decode(data)
    delimiter = _sniff_delimiter(text)
    rows = iter(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    head = _take_head(rows)
    header_index = _find_header(head, key)
    if header_index is None:
        raise _no_key(key, filename)
    table = _build_table(head, rows, header_index, None, filename)
    width = len(table.headers)
    for _, cells in table.rows:
        if len(cells) < width:
            cells.extend([""] * (width - len(cells)))  # short csv lines: missing cells are blank
    table.notes.append(f"CSV dengan pemisah “{delimiter}”.")
    return table


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with a BOM; otherwise Windows-1252, what Excel on Windows
    saves as 'CSV'."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith(_UTF16_BOMS):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; latin-1 maps those instead of failing the file.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


def _sniff_delimiter(text: str) -> str:
    """';' (Excel with Indonesian regional settings), ',' or tab: the one that splits the first
    lines into the most columns, most consistently."""
    sample = text[:65536].splitlines()[:20]
    best, best_score = ";", (0, 0)
    for delimiter in (";", ",", "\t"):
        widths = [len(r) for r in csv.reader(sample, delimiter=delimiter) if any(r)]
        if not widths:
            continue
        width, count = Counter(widths).most_common(1)[0]
        score = (count, width) if width > 1 else (0, 0)
        if score > best_score:
            best, best_score = delimiter, score
    return best
