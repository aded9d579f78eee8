"""Read an uploaded candidate list (xlsx, xlsm, xls, ods or csv) into a plain Table.

Cells keep their types (str, float, int, date, datetime); a blank cell is "". Row numbers are the
ones the operator sees in Excel, so every problem can point at a row they can find. A file we cannot
read raises ImportFileError with a code and an Indonesian sentence; nothing else is raised for
bad input.

Workbooks (xlsx, xls, ods) are parsed by python-calamine in a child process with memory and CPU caps
(sandbox.py), after the zip has been checked against ReadLimits (guard.py): a hostile file ends as
ImportFileError("berkas_terlalu_besar"), never as a dead worker. csv is read here by Python's csv
module within the same row limit. Control characters (NUL and the like) are removed from every cell
and each removal is listed in `Table.stripped`, so validation can warn about it.

Pure Python: no Django (the CLI and the benchmark use it too).
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

import python_calamine

from lindung.imports import sandbox
from lindung.imports.columns import cell_text, find_column, normalise_header
from lindung.imports.guard import ReadLimits, inspect_zip

__all__ = ["ImportFileError", "ReadLimits", "StreamedTable", "Table", "read_first_sheet", "read_table", "stream_table",
           "strip_controls"]

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
    "berkas_terlalu_besar": (
        "Berkas {filename} terlalu besar atau rusak: {detail}. Hapus baris dan kolom kosong di bawah dan di "
        "kanan tabel (atau salin tabelnya saja ke berkas baru), simpan sebagai .xlsx, lalu unggah lagi."
    ),
    "berkas_rusak": (
        "Berkas {filename} rusak sehingga tidak dapat dibaca ({detail}). Buka di Excel, simpan ulang "
        "sebagai .xlsx, lalu unggah lagi."
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
    stripped: list[tuple[int, int]] = field(default_factory=list)  # (row, column index) that lost control characters


@dataclass(frozen=True, slots=True)
class KeyHeader:
    """Another table than a candidate list: the column titles (normalised) that mark its header row, and
    what to say when none is found ({rows}, {sheet}). Plain values: it crosses to the sandbox as JSON."""
    headers: tuple[str, ...]
    code: str
    message: str

    def as_json(self) -> list:
        return [list(self.headers), self.code, self.message]


def read_table(data: bytes, filename: str, *, limits: ReadLimits = ReadLimits(), key: KeyHeader | None = None) -> Table:
    """The candidate table in `data` (or the table whose header has a `key` column); raises ImportFileError
    for a file we cannot use."""
    if not data or not data.strip():
        raise _fail("berkas_kosong", filename=filename)
    if len(data) > limits.max_file_bytes:
        raise _too_large(filename, f"ukurannya {len(data) // (1 << 20)} MB; paling besar {limits.max_file_mb} MB")
    if data.startswith(OLE2_SIGNATURE) and _ENCRYPTED_PACKAGE in data:
        raise _fail("dilindungi_kata_sandi", filename=filename)
    if _looks_like_text(data, filename):
        try:
            return _read_csv(data, filename, limits, key)
        except csv.Error as exc:  # e.g. a field longer than csv's limit
            raise _fail("csv_rusak", filename=filename, reason=str(exc)) from None
        except ImportFileError as exc:
            # A text file named .xlsx without a NIK header is not a csv in disguise: say what it is
            # ("bukan berkas Excel"), not "no NIK column" (issue 16).
            if (exc.code == "tidak_ada_kolom_nik" and not filename.lower().endswith(_TEXT_EXTENSIONS)
                    and not _has_columns(data)):
                raise _fail("bukan_spreadsheet", filename=filename, what=" (isinya teks biasa)") from None
            raise
    payload, controls = _in_child("workbook", data, filename, limits, key.as_json() if key else None)
    if payload[0] != "ok":
        raise _error_from(payload, filename)
    _, headers, rows, sheet_name, header_row, notes = payload
    table = Table(headers, rows, sheet_name, header_row, notes)
    if controls:
        _strip_controls(table, filename)
    return table


@dataclass(slots=True)
class StreamedTable:
    """A table whose rows are read as they are asked for (`stream_table`): numbered like Table.rows, wholly
    blank rows left out, short csv lines padded, control characters removed. The row iterator raises
    ImportFileError for a file that breaks a limit or has no data row."""
    headers: list[str]
    rows: Iterator[tuple[int, list]]
    header_row: int = 1


def stream_table(handle: BinaryIO, filename: str, *, limits: ReadLimits = ReadLimits()) -> StreamedTable:
    """The table in an open binary file, a csv read line by line (a province's 600.000-row answer is never
    held whole); a workbook is read by `read_table` (calamine reads a sheet whole) and iterated. A file
    whose head cannot be read is handed to `read_table` whole, for the same error as any upload."""
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    handle.seek(0)
    start = handle.read(4096)
    handle.seek(0)
    if size > limits.max_file_bytes:
        raise _too_large(filename, f"ukurannya {size // (1 << 20)} MB; paling besar {limits.max_file_mb} MB")
    if start.strip() and _looks_like_text(start, filename):
        streamed = _stream_csv(handle, filename, limits, _stream_encoding(handle, start))
        if streamed is not None:
            return streamed
        handle.seek(0)
    table = read_table(handle.read(), filename, limits=limits)
    return StreamedTable(table.headers, iter(table.rows), table.header_row)


def _stream_encoding(handle: BinaryIO, start: bytes) -> str:
    """What `_decode` would decode the whole file as, found by decoding it once in 1 MB parts."""
    if start.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if start.startswith(_UTF16_BOMS):
        return "utf-16"
    for encoding in ("utf-8", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        handle.seek(0)
        try:
            while part := handle.read(1 << 20):
                decoder.decode(part)
            decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
        finally:
            handle.seek(0)
    return "latin-1"


def _stream_csv(handle: BinaryIO, filename: str, limits: ReadLimits, encoding: str) -> StreamedTable | None:
    text = io.TextIOWrapper(handle, encoding=encoding, errors="replace", newline="")
    delimiter = _sniff_delimiter(text.read(65536))
    text.seek(0)
    rows = csv.reader(text, delimiter=delimiter)
    try:
        head = _take_head(rows)
    except csv.Error:
        head = []
    header_index = _find_header(head) if head else None
    if header_index is None:
        text.detach()
        return None  # read_table says why: empty, no NIK column, not a table
    headers = [strip_controls(h) for h in _unique_headers(head[header_index])]
    if len(headers) > limits.max_columns:
        raise _too_large(filename, f"tabelnya {len(headers)} kolom; paling banyak {limits.max_columns}")
    return StreamedTable(headers, _csv_rows(head, rows, header_index, len(headers), filename, limits),
                         header_index + 1)


def _csv_rows(head: list[list], rest, header_index: int, width: int, filename: str,
              limits: ReadLimits) -> Iterator[tuple[int, list]]:
    """_build_table's and _read_csv's rules, row by row."""
    number, count = header_index + 1, 0
    try:
        for cells in itertools.chain(head[header_index + 1:], rest):
            number += 1
            if any(cell.__class__ is str and not cell.isprintable() for cell in cells):
                cells = [_CONTROL_RE.sub("", cell) for cell in cells]
            if _is_blank_row(cells):
                continue
            count += 1
            if count > limits.max_rows:
                raise _too_large(filename, f"lebih dari {limits.max_rows:,} baris data".replace(",", "."))
            if len(cells) < width:
                cells.extend([""] * (width - len(cells)))
            yield number, cells
    except csv.Error as exc:
        raise _fail("csv_rusak", filename=filename, reason=str(exc)) from None
    if not count:
        raise _fail("tidak_ada_data", filename=filename)


def read_first_sheet(data: bytes, filename: str, *, limits: ReadLimits = ReadLimits()) -> list[list]:
    """Every row of the first sheet as calamine gives it (for `lindung match`), read as safely as a table."""
    if len(data) > limits.max_file_bytes:
        raise _too_large(filename, f"ukurannya {len(data) // (1 << 20)} MB; paling besar {limits.max_file_mb} MB")
    payload, _ = _in_child("first_sheet", data, filename, limits)
    if payload[0] != "rows":
        raise _error_from(payload, filename)
    return payload[1]


def _in_child(target: str, data: bytes, filename: str, limits: ReadLimits, *extra) -> tuple[tuple, bool]:
    """Run the workbook read in the sandbox while this process checks the zip against the limits (on
    another core when one is free); a limit broken wins over whatever the child says."""
    args = (filename, limits.max_rows, limits.max_columns, *extra)
    with sandbox.Child(target, data, args, memory_mb=limits.memory_mb, cpu_seconds=limits.cpu_seconds) as child:
        controls = True  # xls and ods: no cheap look inside, so every cell is checked
        if data.startswith(_ZIP_SIGNATURE):
            scan = inspect_zip(data, limits)
            if scan.problem:
                raise _too_large(filename, scan.problem)
            controls = scan.controls
        try:
            return child.result(), controls
        except sandbox.ChildFailed as failed:
            raise _too_large(filename, failed.reason) from None


def _error_from(payload: tuple, filename: str) -> ImportFileError:
    if payload[0] == "error":
        return ImportFileError(payload[1], payload[2])
    if payload[0] == "crash" and payload[1] == "MemoryError":
        return _too_large(filename, "pembacaannya kehabisan memori")
    return _fail("berkas_rusak", filename=filename, detail=f"pembaca lembar kerja berhenti: {payload[1]}")


def _too_large(filename: str, detail: str) -> ImportFileError:
    return _fail("berkas_terlalu_besar", filename=filename, detail=detail)


def _has_columns(data: bytes) -> bool:
    """Whether text looks like a table at all: its first filled line has a `;`, `,` or tab between cells."""
    first = next((line for line in _decode(data).splitlines() if line.strip()), "")
    return any(mark in first for mark in (";", ",", "\t"))


def _looks_like_text(data: bytes, filename: str) -> bool:
    if data.startswith((OLE2_SIGNATURE, _ZIP_SIGNATURE, b"%PDF")):
        return False
    if data.startswith(_UTF16_BOMS):
        return True
    if filename.lower().endswith(_TEXT_EXTENSIONS):
        return True
    # A csv saved under an .xlsx name still reads; a binary file has NUL bytes early on.
    return b"\x00" not in data[:4096]


# --- control characters ---------------------------------------------------------------------------

# C0 controls except tab, newline and return (whitespace that cleaning folds), DEL, and C1 controls.
# They are invisible, PostgreSQL refuses NUL in text and JSON, and they come from copying out of other
# systems, not from anything the desa meant to write: removed, with a warning on the row.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def strip_controls(text: str) -> str:
    return _CONTROL_RE.sub("", text)


def _strip_controls(table: Table, filename: str) -> None:
    table.headers = [strip_controls(h) for h in table.headers]
    kept = []
    for number, cells in table.rows:
        touched = False
        for index, cell in enumerate(cells):
            if cell.__class__ is str and not cell.isprintable():
                clean = _CONTROL_RE.sub("", cell)
                if clean != cell:
                    cells[index] = clean
                    table.stripped.append((number, index))
                    touched = True
        if not (touched and _is_blank_row(cells)):
            kept.append((number, cells))
    table.rows = kept
    if not kept:
        raise _fail("tidak_ada_data", filename=filename)


# --- workbooks (in the sandbox's child process) -------------------------------------------------------

# What python-calamine raises for a damaged file (its own errors, and the stdlib ones its conversions
# raise); a PanicException or an abort is caught one level up, by the sandbox.
_CALAMINE_ERRORS = (python_calamine.CalamineError, OSError, ValueError, NotImplementedError, OverflowError,
                    EOFError, UnicodeError)


def workbook_payload(data: bytes, filename: str, max_rows: int, max_columns: int, key: list | None = None) -> tuple:
    """Runs in the child: the table as plain values, or the reason it cannot be read."""
    limits = ReadLimits(max_rows=max_rows, max_columns=max_columns)
    try:
        table = _read_workbook(data, filename, limits, KeyHeader(tuple(key[0]), key[1], key[2]) if key else None)
    except ImportFileError as exc:
        return ("error", exc.code, exc.message)
    return ("ok", table.headers, table.rows, table.sheet_name, table.header_row, table.notes)


def first_sheet_payload(data: bytes, filename: str, max_rows: int, max_columns: int) -> tuple:
    try:
        workbook = _open_workbook(data, filename)
        with workbook:
            return ("rows", workbook.get_sheet_by_index(0).to_python())
    except ImportFileError as exc:
        return ("error", exc.code, exc.message)
    except _CALAMINE_ERRORS as exc:
        return ("error", "berkas_rusak", MESSAGES["berkas_rusak"].format(filename=filename, detail=_damage(exc)))


def _open_workbook(data: bytes, filename: str) -> python_calamine.CalamineWorkbook:
    try:
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError:
        raise _fail("dilindungi_kata_sandi", filename=filename) from None
    except _CALAMINE_ERRORS:
        raise _fail("bukan_spreadsheet", filename=filename, what=_what_it_is(data)) from None


def _read_workbook(data: bytes, filename: str, limits: ReadLimits, key: KeyHeader | None = None) -> Table:
    workbook = _open_workbook(data, filename)
    try:
        with workbook:
            return _read_sheets(workbook, filename, limits, key)
    except ImportFileError:
        raise
    except _CALAMINE_ERRORS as exc:
        raise _fail("berkas_rusak", filename=filename, detail=_damage(exc)) from None


def _damage(exc: BaseException) -> str:
    """What broke, in words an operator can pass on."""
    if isinstance(exc, python_calamine.XmlError):
        return "isi XML di dalamnya rusak"
    if isinstance(exc, python_calamine.ZipError):
        return "arsip zip-nya rusak atau terpotong"
    if isinstance(exc, python_calamine.WorksheetNotFound):
        return "lembar yang disebut di daftar lembarnya tidak ada"
    if isinstance(exc, NotImplementedError):
        return "memakai cara penyimpanan yang tidak didukung"
    return "isinya tidak wajar"


def _what_it_is(data: bytes) -> str:
    """A hint for the operator when they sent the wrong kind of document."""
    if data.startswith(b"%PDF"):
        return " (berkas ini PDF)"
    if data.startswith(_ZIP_SIGNATURE):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError, EOFError, OverflowError):
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


def _read_sheets(workbook: python_calamine.CalamineWorkbook, filename: str, limits: ReadLimits,
                 key: KeyHeader | None) -> Table:
    first_with_data = None
    for name in _candidate_sheets(workbook):
        sheet = workbook.get_sheet_by_name(name)
        if sheet.height == 0:
            continue
        rows = sheet.iter_rows()
        head = _take_head(rows)
        header_index = _find_header(head, key)
        if header_index is not None:
            table = _build_table(head, rows, header_index, name, filename, limits)
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


def _find_header(head: list[list], key: KeyHeader | None = None) -> int | None:
    def matches(cell: object) -> bool:
        return normalise_header(cell) in key.headers if key else _is_nik_header(cell)
    for index, row in enumerate(head):
        if any(cell != "" and matches(cell) for cell in row):
            return index
    return None


def _no_key(key: KeyHeader | None, sheet: str) -> ImportFileError:
    if key is None:
        return _fail("tidak_ada_kolom_nik", rows=HEADER_SEARCH_ROWS, sheet=sheet)
    return ImportFileError(key.code, key.message.format(rows=HEADER_SEARCH_ROWS, sheet=sheet))


def _is_nik_header(cell: object) -> bool:
    column = find_column(cell)
    return column is not None and column.key == "nik"


def _build_table(head: list[list], rest, header_index: int, sheet_name: str | None, filename: str,
                 limits: ReadLimits) -> Table:
    """Rows after the header, numbered as the spreadsheet numbers them (header included)."""
    headers = _unique_headers(head[header_index])
    if len(headers) > limits.max_columns:
        raise _too_large(filename, f"tabelnya {len(headers)} kolom; paling banyak {limits.max_columns}")
    rows = []
    # calamine (iter_rows) and csv.reader both start at the sheet's first row, so position = row - 1.
    number = header_index + 1
    for cells in itertools.chain(head[header_index + 1 :], rest):
        number += 1
        if not _is_blank_row(cells):
            rows.append((number, cells))
            if len(rows) > limits.max_rows:
                raise _too_large(filename, f"lebih dari {limits.max_rows:,} baris data".replace(",", "."))
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


def _read_csv(data: bytes, filename: str, limits: ReadLimits, key: KeyHeader | None = None) -> Table:
    text = _decode(data)
    controls = _CONTROL_RE.search(text) is not None
    delimiter = _sniff_delimiter(text)
    rows = iter(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    head = _take_head(rows)
    header_index = _find_header(head, key)
    if header_index is None:
        raise _no_key(key, filename)
    table = _build_table(head, rows, header_index, None, filename, limits)
    width = len(table.headers)
    for _, cells in table.rows:
        if len(cells) < width:
            cells.extend([""] * (width - len(cells)))  # short csv lines: missing cells are blank
    table.notes.append(f"CSV dengan pemisah “{delimiter}”.")
    if controls:
        _strip_controls(table, filename)
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
