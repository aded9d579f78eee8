"""Read the BPJS branch's monthly bill (*tagihan*) for one programme and month (R17).

**Assumed format.** BPJS's real layout is unconfirmed (as for the registration answer, domain.md §8
item 8), so the reader is lenient about the shape and strict about the content:

* xlsx/xls/ods or csv (`;`, `,` or tab), read by the import reader (`lindung.imports.reader`): the
  header row may sit under a title block (first 10 rows), found by its NIK column.
* Five columns, matched by name in any case, spacing or punctuation, in any order; others are
  ignored. NIK (No. NIK, Nomor NIK, NIK KTP, NIK Peserta…), No. KPJ (KPJ, Nomor KPJ, No. Peserta,
  Nomor Kartu…), Nama (Nama Peserta, Nama Lengkap…), Bulan (Periode, Bulan Iuran, Periode Iuran,
  Masa Iuran, Bulan Tagihan…), Iuran (Jumlah Iuran, Nominal, Nominal Iuran, Jumlah, Total Iuran,
  Tagihan, Iuran (Rp)…). The file `lindung tagihan --csv` writes (`NIK,KPJ,Nama,Bulan,Iuran`) is one.
* Iuran in whole rupiah: 16800, 16800.0, "16.800", "16,800", "Rp16.800", "Rp 16.800,00".
* Bulan: 2025-11, 2025-11-01, 11/2025, 11-2025, 01/11/2025, "November 2025", "Nov 2025", "Nopember
  2025", 202511, or a real Excel date (or its serial number); it must be the month being reconciled.
* Each line needs a NIK or a KPJ (a 16-digit NIK, an 11-digit KPJ as in `lindung.enrolment.bpjs_files`).
  A line with neither whose name cell is blank or starts with "Total"/"Jumlah" is the total line under
  the table and is skipped.

Everything is checked before anything is used: the caller stores the file only when
`TagihanResult.ok` (no problem at all); otherwise every problem is shown with its row and column.
A NIK or KPJ appearing twice is not a problem here: the reconciliation reports it as *ganda*.

Pure Python, no Django: the CLI, the service and the benchmark share it.
"""

from __future__ import annotations

import math
import re
from operator import itemgetter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from lindung.domain.periods import MONTH_NAMES_ID, Month
from lindung.domain.reconcile import BillLine
from lindung.enrolment.bpjs_files import KPJ_DIGITS
from lindung.imports.columns import cell_text, find_column, normalise_header
from lindung.imports.reader import ImportFileError, read_table

LABELS = {"nik": "NIK", "kpj": "No. KPJ", "nama": "Nama", "bulan": "Bulan", "iuran": "Iuran"}

# Headers as normalise_header leaves them ("No. KPJ" -> "nokpj", "Iuran (Rp)" -> "iuran"). NIK and Nama
# come from the import's declared columns, so every synonym a desa list may use works here too.
_HEADERS = {
    "kpj": frozenset({"kpj", "nokpj", "nomorkpj", "nomerkpj", "nopeserta", "nomorpeserta", "nokartu",
                      "nomorkartu", "nomorkartupeserta", "kartupesertajamsostek", "nomorkepesertaan"}),
    "bulan": frozenset({"bulan", "periode", "bulaniuran", "periodeiuran", "masaiuran", "bulantagihan",
                        "periodetagihan", "bulanperiode", "periodebulan", "blniuran", "bln", "masa"}),
    "iuran": frozenset({"iuran", "jumlahiuran", "nominal", "nominaliuran", "jumlah", "totaliuran", "total",
                        "tagihan", "jumlahtagihan", "nilaiiuran", "besaraniuran", "iuranrp", "rupiah"}),
}

PROBLEM_CODES = ("berkas_tidak_terbaca", "berkas_kosong", "kolom_tidak_ada", "nik_tidak_valid",
                 "kpj_tidak_valid", "nik_kpj_kosong", "bulan_tidak_terbaca", "bulan_beda",
                 "iuran_tidak_valid")


@dataclass(frozen=True, slots=True)
class TagihanProblem:
    row: int  # spreadsheet row; 0 for the file as a whole, the header row for a missing column
    column: str  # the header as written in the file, or our label when the column is missing
    code: str  # one of PROBLEM_CODES
    message: str  # Indonesian


@dataclass(slots=True)
class TagihanResult:
    lines: list[BillLine]
    problems: list[TagihanProblem]
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def read_tagihan(data: bytes, filename: str, *, bulan: Month, max_problems: int = 1000) -> TagihanResult:
    """The bill's lines, every one checked; never raises for bad input. `max_problems` caps the list
    (a wrong file can have a million bad rows); the first ones are enough to see what is wrong."""
    try:
        table = read_table(data, filename)
    except ImportFileError as error:
        return TagihanResult([], [_unreadable(error, filename)])
    index = _locate(table.headers)
    missing = [key for key in LABELS if key not in index]
    if missing:
        names = ", ".join(f"“{LABELS[k]}”" for k in missing)
        message = (f"Kolom {names} tidak ada pada judul kolom (baris {table.header_row}). Tagihan BPJS harus memuat "
                   "kolom NIK, No. KPJ, Nama, Bulan dan Iuran.")
        return TagihanResult([], [TagihanProblem(table.header_row, LABELS[missing[0]], "kolom_tidak_ada", message)])
    reader = _RowReader(index, table.headers, bulan, max_problems)
    for number, cells in table.rows:
        reader.read(number, cells)
        if len(reader.problems) >= max_problems:
            reader.notes.append(f"Pemeriksaan berhenti setelah {max_problems} masalah pertama.")
            break
    notes = table.notes + reader.notes
    return TagihanResult(reader.lines, reader.problems, notes)


def _unreadable(error: ImportFileError, filename: str) -> TagihanProblem:
    if error.code == "tidak_ada_kolom_nik":
        message = (f"Berkas {filename} tidak memiliki kolom NIK pada 10 baris pertamanya. Tagihan BPJS harus memuat "
                   "kolom NIK, No. KPJ, Nama, Bulan dan Iuran.")
        return TagihanProblem(0, "NIK", "kolom_tidak_ada", message)
    if error.code in ("berkas_kosong", "tidak_ada_data"):
        message = (f"Berkas {filename} kosong." if error.code == "berkas_kosong"
                   else f"Berkas {filename} hanya berisi judul kolom; tidak ada satu pun baris tagihan.")
        return TagihanProblem(0, "", "berkas_kosong", message)
    return TagihanProblem(0, "", "berkas_tidak_terbaca", f"Berkas tagihan BPJS tidak dapat dibaca. {error.message}")


def _locate(headers: list[str]) -> dict[str, int]:
    index: dict[str, int] = {}
    for position, header in enumerate(headers):
        key = _column_key(header)
        if key is not None and key not in index:
            index[key] = position
    return index


def _column_key(header: str) -> str | None:
    column = find_column(header)
    if column is not None and column.key in ("nik", "nama"):
        return column.key
    name = normalise_header(header)
    for key, names in _HEADERS.items():
        if name in names:
            return key
    return "kpj" if "kpj" in name else None


# --- rows ---------------------------------------------------------------------------------------------

_DIGITS16 = re.compile(r"[0-9]{16}")
_KPJ_RE = re.compile(rf"[0-9]{{{KPJ_DIGITS}}}")
_NOISE = re.compile(r"[\s.\-']")
_TOTAL_RE = re.compile(r"(grand\s*)?(total|jumlah|sub\s*total)\b", re.IGNORECASE)


class _RowReader:
    def __init__(self, index: dict[str, int], headers: list[str], bulan: Month, max_problems: int):
        self.positions = tuple(index[key] for key in LABELS)
        self.columns = {key: headers[index[key]] for key in LABELS}
        self.bulan = bulan
        self.max_problems = max_problems
        self.lines: list[BillLine] = []
        self.problems: list[TagihanProblem] = []
        self.notes: list[str] = []
        self.month_cache: dict[object, Month | str] = {}  # a month column repeats one value
        self.widest = max(self.positions)
        self.getter = itemgetter(*self.positions)
        self.first_day = bulan.first_day
        self.skipped = 0

    def add(self, row: int, key: str, code: str, message: str) -> None:
        self.problems.append(TagihanProblem(row, self.columns[key], code, message))

    def read(self, number: int, cells: list) -> None:
        if len(cells) > self.widest:
            nik_cell, kpj_cell, nama_cell, bulan_cell, iuran_cell = self.getter(cells)
        else:
            nik_cell, kpj_cell, nama_cell, bulan_cell, iuran_cell = (
                cells[p] if p < len(cells) else "" for p in self.positions)
        if (nik_cell.__class__ is str and len(nik_cell) == 16 and kpj_cell.__class__ is str
                and len(kpj_cell) == KPJ_DIGITS and iuran_cell.__class__ is str and nik_cell.isdigit()
                and kpj_cell.isdigit() and iuran_cell.isdigit() and nama_cell.__class__ is str and nik_cell.isascii()
                and kpj_cell.isascii() and iuran_cell.isascii()):
            # The usual line, as `lindung tagihan --csv` and most csv files have it: no cleaning needed.
            month = self.month_cache.get(bulan_cell) if bulan_cell.__class__ is str else None
            if month:
                if month == self.bulan:
                    nama = nama_cell if "  " not in nama_cell and nama_cell == nama_cell.strip() else " ".join(nama_cell.split())
                    self.lines.append(BillLine(number, kpj_cell, nik_cell, nama, self.first_day, int(iuran_cell)))
                    return
        nik, kpj = self._nik(number, nik_cell), self._kpj(number, kpj_cell)
        nama = nama_cell if nama_cell.__class__ is str else cell_text(nama_cell)
        if nik == "" and kpj == "":
            if not nama.strip() or _TOTAL_RE.match(nama.strip()):
                self.skipped += 1
                if self.skipped == 1:
                    self.notes.append(f"Baris {number} tanpa NIK dan KPJ dianggap baris total dan dilewati.")
                return
            self.add(number, "nik", "nik_kpj_kosong", f"NIK dan No. KPJ “{nama.strip()}” kosong; salah satunya wajib diisi.")
            return
        month = self._month(number, bulan_cell)
        iuran = self._iuran(number, iuran_cell)
        if nik is None or kpj is None or month is None or iuran is None:
            return
        self.lines.append(BillLine(number, kpj, nik, " ".join(nama.split()), month.first_day, iuran))

    def _nik(self, number: int, cell: object) -> str | None:
        if cell.__class__ is str and len(cell) == 16 and _DIGITS16.fullmatch(cell):
            return cell  # the usual case
        if isinstance(cell, float) and math.isfinite(cell) and cell.is_integer():
            text = str(int(cell))
        else:
            text = _NOISE.sub("", cell_text(cell))
        if text == "":
            return ""
        if _DIGITS16.fullmatch(text):
            return text
        shown = cell_text(cell).strip()
        self.add(number, "nik", "nik_tidak_valid", f"NIK “{shown}” bukan 16 digit angka.")
        return None

    def _kpj(self, number: int, cell: object) -> str | None:
        if cell.__class__ is str and _KPJ_RE.fullmatch(cell):
            return cell  # the usual case
        text = str(int(cell)) if isinstance(cell, float) and math.isfinite(cell) and cell.is_integer() \
            else _NOISE.sub("", cell_text(cell))
        if text in ("", "0"):
            return ""
        if isinstance(cell, (int, float)) and len(text) == KPJ_DIGITS - 1:
            text = "0" + text  # a number cell drops the leading zero
        if _KPJ_RE.fullmatch(text):
            return text
        self.add(number, "kpj", "kpj_tidak_valid", f"No. KPJ “{cell_text(cell).strip()}” bukan {KPJ_DIGITS} digit angka.")
        return None

    def _month(self, number: int, cell: object) -> Month | None:
        # Text cells are cached by their text (the fast path in read() looks them up so); others by type and value.
        key = cell if cell.__class__ is str else (cell.__class__, cell)
        found = self.month_cache.get(key)
        if found is None:
            found = parse_month(cell)
            self.month_cache[key] = found if found is not None else ""
        if not found:
            shown = cell_text(cell).strip()
            if not shown:
                message = f"Bulan kosong; isi bulan tagihan, misalnya {self.bulan} atau {self.bulan.name_id}."
            else:
                message = (f"Bulan “{shown}” tidak terbaca; tulis misalnya {self.bulan} atau {self.bulan.name_id}.")
            self.add(number, "bulan", "bulan_tidak_terbaca", message)
            return None
        if found != self.bulan:
            message = (f"Baris ini untuk bulan {found.name_id}, padahal yang direkonsiliasi bulan {self.bulan.name_id}; "
                       "satu berkas tagihan hanya untuk satu bulan.")
            self.add(number, "bulan", "bulan_beda", message)
            return None
        return found

    def _iuran(self, number: int, cell: object) -> int | None:
        amount = parse_rupiah(cell)
        if amount is None:
            shown = cell_text(cell).strip()
            message = (f"Iuran “{shown}” bukan jumlah rupiah bulat (contoh 16800 atau Rp16.800)." if shown
                       else "Iuran kosong; isi jumlah rupiah, misalnya 16800.")
            self.add(number, "iuran", "iuran_tidak_valid", message)
        return amount


# --- values ---------------------------------------------------------------------------------------------

_PLAIN = re.compile(r"[0-9]+")
_DOT_THOUSANDS = re.compile(r"([0-9]{1,3}(?:\.[0-9]{3})+)(?:,([0-9]{1,2}))?")  # 16.800 / 1.016.800,00
_COMMA_THOUSANDS = re.compile(r"([0-9]{1,3}(?:,[0-9]{3})+)(?:\.([0-9]{1,2}))?")  # 16,800 / 16,800.00
_DECIMAL = re.compile(r"([0-9]+)[.,]([0-9]{1,2})")  # 16800,00 / 16800.00


def parse_rupiah(cell: object) -> int | None:
    """Whole non-negative rupiah from a cell, or None. A non-zero sen part is refused, never rounded."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int):
        return cell if cell >= 0 else None
    if isinstance(cell, float):
        return int(cell) if math.isfinite(cell) and cell.is_integer() and cell >= 0 else None
    if cell.__class__ is not str:
        return None
    text = cell.strip()
    if _PLAIN.fullmatch(text):
        return int(text)
    if text[:2].lower() == "rp":
        text = text[2:].lstrip(" .")
    text = text.replace(" ", "").replace("\u00a0", "")
    for pattern in (_PLAIN, _DOT_THOUSANDS, _COMMA_THOUSANDS, _DECIMAL):
        match = pattern.fullmatch(text)
        if match:
            whole = match[1] if pattern is not _PLAIN else match[0]
            sen = match[2] if pattern is not _PLAIN else None
            if sen and int(sen):
                return None
            return int(re.sub(r"[.,]", "", whole))
    return None


_MONTHS = {name.lower(): n for n, name in enumerate(MONTH_NAMES_ID, 1)}
_MONTHS.update({name[:3].lower(): n for n, name in enumerate(MONTH_NAMES_ID, 1)})
_MONTHS.update({"agt": 8, "ags": 8, "okt": 10, "des": 12, "nop": 11, "pebruari": 2, "nopember": 11,
                "may": 5, "aug": 8, "oct": 10, "dec": 12, "january": 1, "february": 2, "march": 3,
                "june": 6, "july": 7, "august": 8, "october": 10, "december": 12})
_YM = re.compile(r"([0-9]{4})[-/.]([0-9]{1,2})")  # 2025-11
_YMD = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[ T].*)?")  # 2025-11-01
_MY = re.compile(r"([0-9]{1,2})[-/.]([0-9]{4})")  # 11/2025
_DMY = re.compile(r"([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})(?: .*)?")  # 01/11/2025
_COMPACT = re.compile(r"([0-9]{4})([0-9]{2})")  # 202511
_NAMED = re.compile(r"(?:[0-9]{1,2}[ \-])?([A-Za-z]+)\.?[ \-']+([0-9]{4}|[0-9]{2})")  # November 2025, Nov-25
_EXCEL_EPOCH = date(1899, 12, 30)


def parse_month(cell: object) -> Month | None:
    """The month a cell names, in the forms the module docstring lists; None when it names none."""
    if isinstance(cell, datetime):
        return Month(cell.year, cell.month)
    if isinstance(cell, date):
        return Month(cell.year, cell.month)
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        if isinstance(cell, float) and not (math.isfinite(cell) and cell.is_integer()):
            return None
        number = int(cell)
        if 190001 <= number <= 299912 and 1 <= number % 100 <= 12:
            return Month(number // 100, number % 100)  # 202511 typed as a number
        if 367 <= number <= 2_958_465:  # an Excel date serial (1901 to 9999)
            day = _EXCEL_EPOCH + timedelta(days=number)
            return Month(day.year, day.month)
        return None
    return _month_from_text(cell_text(cell).strip())


def _month_from_text(text: str) -> Month | None:
    for pattern, year, month in ((_YM, 1, 2), (_YMD, 1, 2), (_MY, 2, 1), (_DMY, 3, 2), (_COMPACT, 1, 2)):
        match = pattern.fullmatch(text)
        if match:
            return _month(int(match[year]), int(match[month]))
    match = _NAMED.fullmatch(text)
    if match and match[1].lower() in _MONTHS:
        year = int(match[2])
        return _month(year + 2000 if year < 100 else year, _MONTHS[match[1].lower()])
    return None


def _month(year: int, month: int) -> Month | None:
    return Month(year, month) if 1 <= month <= 12 and 1900 <= year <= 9999 else None
