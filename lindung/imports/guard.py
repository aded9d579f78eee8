"""Limits an uploaded spreadsheet must stay within, checked on the zip before python-calamine reads it.

python-calamine builds each sheet as one dense rows × columns block of 32-byte cells, sized by the
furthest cell that holds something. A 5,7 KB xlsx with one cell at XFD1048576 asks for 550 GB and the
Rust allocator aborts the whole process (no Python exception). So before the read:

* the zip itself: at most MAX_ZIP_ENTRIES members, MAX_UNZIPPED_BYTES unpacked in all, and no big
  member packed more than MAX_RATIO times (a zip bomb);
* every XML member is streamed (never loaded whole) and each `r="…"` reference of a row or cell that
  holds something is checked against ReadLimits.max_rows / max_columns. The `<dimension ref>` element
  is not trusted either way: calamine ignores it, a lying one costs nothing, and a missing one hides
  nothing from this scan;
* the same pass notes whether any text could hold a control character (raw, `_x0000_` or `&#…;`), so
  the reader strips them only from files that may have some.

What this cheap scan cannot see (cells placed by position without `r`, xls/ods/xlsb internals) is left
to the second line: the read runs in a child process with a memory and CPU cap (sandbox.py).

Pure Python, stdlib only.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass

# Excel itself stops at 1.048.576 rows and 16.384 columns (XFD).
EXCEL_MAX_ROWS = 1_048_576


@dataclass(frozen=True, slots=True)
class ReadLimits:
    # 100.000 rows (the benchmark) preview in ~0,5 GB; 200.000 keeps a worker near 1 GB. A bigger list is
    # split per kecamatan, or IMPORT_MAX_ROWS is raised on a bigger server.
    max_rows: int = 200_000
    # Our template has 14 columns and desa add a few of their own; 200 (column GR) leaves room for any
    # real list while a stray far-right cell cannot multiply a sheet's size.
    max_columns: int = 200
    max_file_mb: int = 100  # the upload forms stop at 50 MB; the CLI reads local files
    memory_mb: int = 2048  # address space of the child process that parses the workbook
    cpu_seconds: int = 120  # a 100.000-row xlsx needs about 2 s

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_mb * 1024 * 1024


MAX_ZIP_ENTRIES = 2000  # a workbook of many sheets has a few hundred members
MAX_UNZIPPED_BYTES = 1 << 30  # a 100.000-row sheet unpacks to ~80 MB of XML
MAX_RATIO = 200  # real sheets pack 5-20 times, even rows of empty styled cells stay under 100
_RATIO_FROM = 1 << 20  # tiny members (rels, styles) pack oddly and cost nothing
_CHUNK = 1 << 22
_OVERLAP = 512  # bytes kept from one chunk to the next so no reference or element end is cut in two

# Bytes that cannot be in clean text: C0 controls except tab/newline/return, and DEL. Deleting every
# other byte from a chunk is a fast way to ask "is any of them here?".
_CLEAN_BYTES = bytes(b for b in range(256) if b >= 0x20 and b != 0x7F) + b"\t\n\r"
# C1 controls in UTF-8, Excel's _xHHHH_ escapes of a control character, and XML character references.
_C1_RE = re.compile(rb"\xc2[\x80-\x9f]")
_ESCAPE_RE = re.compile(rb"_x00(?:0[0-8bBcCeEfF]|1[0-9a-fA-F]|7[fF]|[89][0-9a-fA-F])_")


@dataclass(frozen=True, slots=True)
class ZipScan:
    problem: str | None  # Indonesian: the first limit the file is over, or None
    controls: bool  # some text may hold a control character


def column_number(letters: str) -> int:
    """'A' -> 1, 'Z' -> 26, 'AA' -> 27, 'XFD' -> 16384."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _reference_pattern(limits: ReadLimits) -> re.Pattern[bytes]:
    """`r="…"` values that may be over the limits: a longer column or row, or one that starts higher.

    The literal `r="` keeps the regex engine fast; the few matches are checked exactly afterwards.
    """
    letters, digits = column_letters(limits.max_columns), str(limits.max_rows)
    first_letter, first_digit = letters[0], digits[0]
    wide = rf"[A-Za-z]{{{len(letters) + 1},}}|[{first_letter}-Z{first_letter.lower()}-z][A-Za-z]{{{len(letters) - 1}}}"
    tall = rf"[0-9]{{{len(digits) + 1},}}|[{first_digit}-9][0-9]{{{len(digits) - 1}}}"
    return re.compile(
        rf"""r=["'](?:(?P<wide>{wide})[0-9]*|(?P<tall>[A-Za-z]*(?:{tall})))["']""".encode()
    )


def inspect_zip(data: bytes, limits: ReadLimits) -> ZipScan:
    """Check an xlsx/ods-like zip against the limits. A zip Python cannot read is not a problem here:
    calamine will say it is broken (in the child process)."""
    if data.count(b"PK\x01\x02") > MAX_ZIP_ENTRIES:  # counted before zipfile parses a huge directory
        return ZipScan(f"berisi lebih dari {MAX_ZIP_ENTRIES} bagian", True)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError,
            OverflowError, struct.error, OSError, KeyError, UnicodeDecodeError):
        return ZipScan(None, True)
    problem = _check_members(members)
    if problem:
        return ZipScan(problem, True)
    pattern = _reference_pattern(limits)
    controls = False
    for member in members:
        try:
            found, dirty = _scan_member(archive, member, pattern, limits)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError,
                OverflowError, struct.error, OSError, KeyError):
            found, dirty = None, True  # calamine will meet the same damage and say so
        if found:
            return ZipScan(found, True)
        controls = controls or dirty
    return ZipScan(None, controls)


def _check_members(members: list[zipfile.ZipInfo]) -> str | None:
    if len(members) > MAX_ZIP_ENTRIES:
        return f"berisi {len(members)} bagian; paling banyak {MAX_ZIP_ENTRIES}"
    total = sum(m.file_size for m in members)
    if total > MAX_UNZIPPED_BYTES:
        return f"isinya setelah dibuka {_mb(total)}; paling besar {_mb(MAX_UNZIPPED_BYTES)}"
    for m in members:
        if m.file_size >= _RATIO_FROM and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            ratio = m.file_size // max(m.compress_size, 1)
            return f"bagian {m.filename} dimampatkan {ratio:,} kali (bom zip)".replace(",", ".")
    return None


def _mb(size: int) -> str:
    return f"{size / (1 << 20):,.0f} MB".replace(",", ".")


def _scan_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, pattern, limits: ReadLimits):
    """(problem or None, whether it may hold control characters), reading the member in chunks."""
    dirty = False
    with archive.open(member) as stream:
        head = stream.read(_CHUNK)
        is_text = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<"  # sheets and shared strings are XML
        tail = b""
        chunk = head
        while chunk:
            buffer = tail + chunk
            chunk = stream.read(_CHUNK)
            end = len(buffer) if not chunk else max(len(buffer) - _OVERLAP, 0)
            problem = _over_limits(buffer, end, pattern, limits)
            if problem:
                return problem, True
            if is_text and not dirty:
                dirty = _may_hold_controls(buffer)
            tail = buffer[end:]
    return None, dirty


def _over_limits(buffer: bytes, end: int, pattern, limits: ReadLimits) -> str | None:
    for match in pattern.finditer(buffer, 0, end):
        start = match.start()
        if start and buffer[start - 1] not in b" \t\r\n":
            continue  # another attribute ending in r ("spr=")
        if _is_empty_element(buffer, match.end()):
            continue  # a styled but empty cell or row: calamine skips it
        reference = (match["wide"] or match["tall"]).decode("ascii")
        letters = reference.rstrip("0123456789")
        if not letters and not _row_places_cells(buffer, match.end()):
            continue  # a row whose cells carry their own references, checked one by one
        row = int(reference[len(letters):] or 0)
        if letters and column_number(letters) > limits.max_columns:
            return (f"ada sel terisi di kolom {letters.upper()} (kolom ke-{_id(column_number(letters))}); "
                    f"paling banyak {_id(limits.max_columns)} kolom")
        if row > limits.max_rows:
            return f"ada sel terisi di baris {_id(row)}; paling banyak {_id(limits.max_rows)} baris"
    return None


def _is_empty_element(buffer: bytes, position: int) -> bool:
    close = buffer.find(b">", position)
    return close > 0 and buffer[close - 1 : close] == b"/"


# The start tag of a cell without an r="…" reference that holds something: placed by counting.
_UNREFERENCED_CELL_RE = re.compile(rb"<c(?=[\s>])(?![^>]*\sr=)[^>]*(?<!/)>")


def _row_places_cells(buffer: bytes, position: int) -> bool:
    end = buffer.find(b"</row>", position)
    if end == -1:
        return True  # cut by the chunk: assume the worst
    return _UNREFERENCED_CELL_RE.search(buffer, position, end) is not None


def _may_hold_controls(buffer: bytes) -> bool:
    # One-byte searches first (memchr, ~10x faster than looking for "&#" or "_x00" outright); the
    # longer patterns are looked for only in the rare chunk that has the byte they start with.
    if buffer.translate(None, _CLEAN_BYTES):
        return True
    if b"\xc2" in buffer and _C1_RE.search(buffer):
        return True
    if b"#" in buffer and b"&#" in buffer:
        return True
    return b"_" in buffer and _ESCAPE_RE.search(buffer) is not None


def _id(number: int) -> str:
    """1048576 -> '1.048.576', as Indonesian writes it."""
    return f"{number:,}".replace(",", ".")
