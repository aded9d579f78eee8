"""Small files and tables for the import tests, made in code (no binary fixtures in the repository)."""

from __future__ import annotations

import csv
import io
import struct
import zipfile
from datetime import date, datetime
from xml.sax.saxutils import escape

import xlsxwriter

from lindung.imports.reader import Table
from lindung.imports.validate import ImportRules, RowProblem, ValidationResult, validate_table

TODAY = date(2025, 11, 13)
START = date(2026, 1, 1)
RULES = ImportRules(region_prefix="21.02", coverage_start=START, sumber_dana="apbd_kabkota", today=TODAY)

NIK_BUDI = "2102011708900001"  # Kecamatan Moro, born 17-08-1990, man
NIK_SITI = "2102015708900002"  # Kecamatan Moro, born 17-08-1990, woman (17 + 40)
PAUH = "21.02.01.2004"  # a desa in Kecamatan Moro, Kabupaten Karimun
MORO_TIMUR = "21.02.01.1010"  # a kelurahan in the same kecamatan
SEBELAT = "21.03.04.2001"  # a desa in Kabupaten Natuna: outside Karimun

HEADERS = ["NIK", "Nama Lengkap", "Tanggal Lahir", "Jenis Kelamin", "Kode Desa/Kelurahan", "Pekerjaan"]


def budi(**changes) -> dict:
    """A row that passes every check; keyword arguments replace or add cells by header."""
    row = {
        "NIK": NIK_BUDI,
        "Nama Lengkap": "Budi Santoso",
        "Tanggal Lahir": "17/08/1990",
        "Jenis Kelamin": "L",
        "Kode Desa/Kelurahan": "2102012004",
        "Pekerjaan": "Nelayan",
    }
    row.update(changes)
    return row


def siti(**changes) -> dict:
    return budi(**{"NIK": NIK_SITI, "Nama Lengkap": "Siti Aminah", "Jenis Kelamin": "P", **changes})


def table(rows: list[dict], headers: list[str] | None = None, first_row: int = 2) -> Table:
    """A Table as the reader would return it, without a file: rows numbered from first_row."""
    headers = headers or list(dict.fromkeys(h for row in rows for h in row))
    cells = [(first_row + i, [row.get(h, "") for h in headers]) for i, row in enumerate(rows)]
    return Table(headers=headers, rows=cells, sheet_name="Calon Peserta", header_row=first_row - 1)


def check(rows: list[dict], rules: ImportRules = RULES, headers: list[str] | None = None) -> ValidationResult:
    return validate_table(table(rows, headers), rules)


def problem(result: ValidationResult, row: int, code: str) -> RowProblem:
    """The problem with this code on this spreadsheet row; fails the test when there is none."""
    found = [p for r in result.rows for p in r.problems if p.row == row and p.code == code]
    assert found, f"no {code} on row {row}: {[(p.row, p.code) for p in result.problems()]}"
    return found[0]


def codes(result: ValidationResult, row: int) -> set[str]:
    return {p.code for r in result.rows if r.row_number == row for p in r.problems}


# --- files ------------------------------------------------------------------------------------------


def xlsx_bytes(rows: list[list], *, sheet: str = "Calon Peserta", first_row: int = 0, before: tuple[str, ...] = ()) -> bytes:
    """An xlsx with one sheet of rows written by type: str as text, int/float as numbers (the way
    Excel stores a NIK typed into a General cell), date/datetime as real dates. `before` adds sheets
    (with one line of text) in front of the data sheet."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    day = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for name in before:
        workbook.add_worksheet(name).write_string(0, 0, "Baca petunjuk ini dulu. NIK ditulis sebagai teks.")
    worksheet = workbook.add_worksheet(sheet)
    for r, row in enumerate(rows, first_row):
        for c, value in enumerate(row):
            _write(worksheet, r, c, value, day)
    workbook.close()
    return buffer.getvalue()


def _write(worksheet, r: int, c: int, value, day) -> None:
    if value is None:
        return
    if isinstance(value, str):
        worksheet.write_string(r, c, value)
    elif isinstance(value, bool):
        worksheet.write_boolean(r, c, value)
    elif isinstance(value, (int, float)):
        worksheet.write_number(r, c, value)
    elif isinstance(value, (date, datetime)):
        worksheet.write_datetime(r, c, value, day)
    else:
        raise TypeError(value)


def rows_of(dicts: list[dict], headers: list[str] = HEADERS) -> list[list]:
    return [list(headers), *([d.get(h) for h in headers] for d in dicts)]


def csv_bytes(rows: list[list], *, delimiter: str = ";", encoding: str = "utf-8", bom: bool = False) -> bytes:
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    data = text.getvalue().encode(encoding)
    return b"\xef\xbb\xbf" + data if bom else data


def docx_bytes() -> bytes:
    """A Word document's zip layout, as when someone renames report.docx to daftar.xlsx."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return buffer.getvalue()


def ods_bytes(rows: list[list], sheet: str = "Calon Peserta") -> bytes:
    """A minimal OpenDocument spreadsheet (LibreOffice), cells typed as string, float or date."""
    body = "".join("<table:table-row>" + "".join(map(_ods_cell, row)) + "</table:table-row>" for row in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{escape(sheet)}">{body}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        # The mimetype entry comes first and uncompressed: that is how readers recognise an ODS.
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _ods_cell(value) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, date):
        return f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}"/>'
    if isinstance(value, (int, float)):
        return f'<table:table-cell office:value-type="float" office:value="{value}"/>'
    return f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>'


# --- an encrypted Office file -------------------------------------------------------------------------

_FREESECT, _ENDOFCHAIN, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def encrypted_xlsx_bytes() -> bytes:
    """The container Excel writes when a workbook gets a password ("Encrypt with Password").

    msoffcrypto-tool is not installed here, so this builds the container by hand: an OLE2 compound
    file (MS-CFB, version 3, 512-byte sectors) whose directory holds the two streams every encrypted
    OOXML file has, "EncryptionInfo" and "EncryptedPackage" (MS-OFFCRYPTO 2.3.4.4). Both streams are
    empty here: the reader only needs the container and the stream name to recognise the file, and
    must refuse it before trying to decrypt anything.
    Layout: header, sector 0 = the FAT, sector 1 = the directory (4 entries of 128 bytes).
    """
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # signature
        b"\x00" * 16,  # clsid
        0x003E, 0x0003,  # minor, major version (3: 512-byte sectors)
        0xFFFE,  # byte order: little-endian
        9, 6,  # sector shift (2**9 = 512), mini sector shift (2**6 = 64)
        b"\x00" * 6,  # reserved
        0,  # directory sectors (always 0 in version 3)
        1,  # FAT sectors
        1,  # first directory sector
        0,  # transaction signature
        0x1000,  # mini stream cutoff
        _ENDOFCHAIN, 0,  # first mini FAT sector, number of mini FAT sectors
        _ENDOFCHAIN, 0,  # first DIFAT sector, number of DIFAT sectors
    )
    difat = struct.pack("<I", 0) + struct.pack("<I", _FREESECT) * 108  # the FAT lives in sector 0
    fat = struct.pack("<II", _FATSECT, _ENDOFCHAIN) + struct.pack("<I", _FREESECT) * 126
    directory = (
        _dir_entry("Root Entry", 5, child=1)
        + _dir_entry("EncryptedPackage", 2, left=2)
        + _dir_entry("EncryptionInfo", 2)
        + _dir_entry("", 0)
    )
    return header + difat + fat + directory


def _dir_entry(name: str, kind: int, *, left: int = _NOSTREAM, child: int = _NOSTREAM) -> bytes:
    encoded = name.encode("utf-16-le") + b"\x00\x00" if name else b""
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        encoded,
        len(encoded),
        kind,  # 0 unused, 2 stream, 5 root storage
        1,  # colour: black
        left, _NOSTREAM, child,  # left sibling, right sibling, child
        b"\x00" * 16, 0, 0, 0,  # clsid, state bits, created, modified
        _ENDOFCHAIN, 0,  # first sector, size: empty streams
    )
