"""The declared columns of a calon peserta list: key, Indonesian label, header synonyms, clean function.

A column's `clean(cell, today)` turns one non-blank cell into a value and the problems found in that
cell alone (architecture.md rule 7). Checks that need another column or the programme (age at the
coverage start, region of the programme, funding source, duplicates) live in validate.py.

Pure Python: no Django, so the CLI, the services and the benchmark share it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from lindung.domain import wilayah
from lindung.domain.nik import normalise_nik, parse_jenis_kelamin, parse_nik
from lindung.domain.pekerjaan import PEKERJAAN, parse_pekerjaan
from lindung.domain.periods import MONTH_NAMES_ID
from lindung.domain.problems import Problem


class Cleaned(NamedTuple):
    value: object  # None when the cell cannot be used
    problems: tuple[Problem, ...] = ()
    detail: object = None  # what the cleaner learnt beyond the value: the NikResult, the desa's Wilayah


Clean = Callable[[object, date], Cleaned]


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str  # the header in our template
    kind: str  # nik | kk | text | date | choice | kode_wilayah | rt_rw | phone
    clean: Clean
    required: bool = False
    synonyms: tuple[str, ...] = ()
    # Values that repeat down a column (L/P, pekerjaan, desa, dates) are cleaned once per distinct value.
    repeats: bool = False
    width: int = 16  # characters, for the template and the error file
    hint: str = ""  # one sentence for the Petunjuk sheet


# --- cell helpers -------------------------------------------------------------------------------

def cell_text(cell: object) -> str:
    """A cell as the operator sees it: '6409010101900001' not '6.409e15', dates as dd/mm/yyyy."""
    if cell is None:
        return ""
    if cell.__class__ is str:
        return cell  # type: ignore[return-value]
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float):
        if math.isfinite(cell) and cell.is_integer():
            return str(int(cell))
        return repr(cell)
    if isinstance(cell, datetime):
        if (cell.hour, cell.minute, cell.second) == (0, 0, 0):
            return cell.strftime("%d/%m/%Y")
        return cell.strftime("%d/%m/%Y %H:%M:%S")
    if isinstance(cell, date):
        return cell.strftime("%d/%m/%Y")
    return str(cell)


def _is_number(cell: object) -> bool:
    return isinstance(cell, (int, float)) and not isinstance(cell, bool)


def _error(code: str, message: str) -> Problem:
    return Problem(code, message, "error")


def _warning(code: str, message: str) -> Problem:
    return Problem(code, message, "warning")


# --- clean functions ------------------------------------------------------------------------------


def clean_text(cell: object, today: date) -> Cleaned:
    # Runs of spaces and line breaks inside a name or address are typing noise, not data.
    return Cleaned(" ".join(cell_text(cell).split()))


def clean_nik(cell: object, today: date) -> Cleaned:
    result = parse_nik(cell, today=today)  # type: ignore[arg-type]
    problems = result.problems
    if _is_number(cell) and not any(p.code == "scientific_notation" for p in problems):
        problems = (*problems, _nik_angka(result.nik or cell_text(cell)))
    return Cleaned(result.nik, problems, result)


def _nik_angka(shown: str) -> Problem:
    if shown.endswith("0"):
        message = (
            "NIK tersimpan sebagai angka, bukan teks. Excel hanya menyimpan 15 digit angka, "
            "sehingga angka 0 di akhir bisa menggantikan digit terakhir yang asli. Cocokkan NIK ini "
            "dengan KTP, lalu format kolom NIK sebagai Teks dan ketik ulang."
        )
    else:
        message = (
            "NIK tersimpan sebagai angka, bukan teks. Format kolom NIK sebagai Teks agar "
            "Excel tidak mengubah digitnya."
        )
    return _warning("nik_angka", message)


def clean_kk(cell: object, today: date) -> Cleaned:
    if cell.__class__ is str and len(cell) == 16 and cell.isascii() and cell.isdigit():  # type: ignore[arg-type]
        return Cleaned(cell)  # the usual case, without the clean-up below
    digits = normalise_nik(cell)  # the same spreadsheet noise (spaces, dots, apostrophe, '.0') as a NIK
    problems = []
    if _is_number(cell):
        problems.append(
            _warning(
                "no_kk_angka",
                f"No. KK {digits} tersimpan sebagai angka, bukan teks; Excel bisa mengubah digit "
                "terakhirnya. Cocokkan dengan Kartu Keluarga dan format kolom No. KK sebagai Teks.",
            )
        )
    if not (len(digits) == 16 and digits.isascii() and digits.isdigit()):
        shown = cell_text(cell).strip()
        problems.append(
            _warning("no_kk_tidak_valid", f"No. KK “{shown}” bukan 16 digit angka; No. KK tidak disimpan.")
        )
        return Cleaned(None, tuple(problems))
    return Cleaned(digits, tuple(problems))


_JENIS_KELAMIN_HINT = "isi L (laki-laki) atau P (perempuan)"


def clean_jenis_kelamin(cell: object, today: date) -> Cleaned:
    text = cell_text(cell).strip()
    value = parse_jenis_kelamin(text)
    if value is None:
        message = f"Jenis kelamin “{text}” tidak dikenali; {_JENIS_KELAMIN_HINT}."
        return Cleaned(None, (_error("jenis_kelamin_tidak_dikenal", message),))
    return Cleaned(value)


def clean_pekerjaan(cell: object, today: date) -> Cleaned:
    text = " ".join(cell_text(cell).split())
    code = parse_pekerjaan(text)
    if code is None:
        examples = ", ".join(list(PEKERJAAN.values())[:6])
        message = (
            f"Pekerjaan “{text}” tidak ada dalam daftar pekerjaan. Pilih dari lembar Daftar Pekerjaan "
            f"pada templat, misalnya {examples}."
        )
        return Cleaned(None, (_error("pekerjaan_tidak_dikenal", message),))
    return Cleaned(code)


_RT_RW_RE = re.compile(r"[0-9]{1,3}")


def clean_rt_rw(cell: object, today: date) -> Cleaned:
    text = cell_text(cell).strip()
    if _RT_RW_RE.fullmatch(text):
        return Cleaned(text.zfill(3))  # one form, as on the KTP: RT 001 / RW 002
    message = f"RT/RW “{text}” bukan angka 1–3 digit (contoh 001); nilai ini tidak disimpan."
    return Cleaned(None, (_warning("rt_rw_tidak_valid", message),))


_PHONE_NOISE_RE = re.compile(r"[\s.\-()/]")
_PHONE_RE = re.compile(r"0[1-9][0-9]{7,11}")  # 08xx mobile (10-13 digits) or a landline with area code


def clean_phone(cell: object, today: date) -> Cleaned:
    if cell.__class__ is str and _PHONE_RE.fullmatch(cell):  # type: ignore[arg-type]
        return Cleaned(cell)  # already in the one form
    shown = cell_text(cell).strip()
    digits = _PHONE_NOISE_RE.sub("", shown.lstrip("'"))
    if digits.startswith("+62"):
        digits = "0" + digits[3:]
    elif digits.startswith("62"):
        digits = "0" + digits[2:]
    elif digits.startswith("8") and 9 <= len(digits) <= 12:
        digits = "0" + digits  # a number cell, or a hurried typist, drops the leading 0 of 0812...
    if _PHONE_RE.fullmatch(digits):
        return Cleaned(digits)
    message = f"Nomor HP “{shown}” tidak dikenali (contoh 081234567890); nomor ini tidak disimpan."
    return Cleaned(None, (_warning("no_hp_tidak_valid", message),))


def clean_kode_desa(cell: object, today: date) -> Cleaned:
    """A 10-digit Kemendagri desa/kelurahan code, dotted; the programme's region is checked later."""
    shown = cell_text(cell).strip()
    token = shown.split(maxsplit=1)[0] if shown else shown  # "2102012004 Pauh": the code comes first
    dotted = wilayah.normalise_kode(token)
    if dotted is None:
        message = (
            f"Kode desa/kelurahan harus 10 digit angka (contoh 2102012004 atau 21.02.01.2004); "
            f"yang tertulis “{shown}”."
        )
        return Cleaned(None, (_error("kode_desa_tidak_dikenal", message),))
    region = wilayah.get(dotted)
    if region is not None and region.level == 4:
        return Cleaned(dotted, (), region)
    return Cleaned(None, (_error("kode_desa_tidak_dikenal", _kode_desa_message(dotted, region)),))


def _kode_desa_message(dotted: str, region: wilayah.Wilayah | None) -> str:
    if region is not None:
        return (
            f"Kode {dotted} adalah kode {region.tingkat} {region.nama}, bukan kode desa/kelurahan. "
            "Isi kode desa/kelurahan 10 digit dari lembar Kode Desa."
        )
    if dotted.count(".") != 3:
        return f"Kode {dotted} bukan kode desa/kelurahan; isi kode 10 digit dari lembar Kode Desa."
    # resolve_legacy explains codes from before the 2022 Papua split and names the new kecamatan.
    _, problems = wilayah.resolve_legacy(dotted)
    return problems[0].message if problems else f"Kode desa/kelurahan {dotted} tidak dikenal."


# --- dates ----------------------------------------------------------------------------------------

_EXCEL_EPOCH = date(1899, 12, 30)  # serial 0 in Excel's 1900 system, after its 29-Feb-1900 bug
_TIME_PART = r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?"
_DMY_RE = re.compile(r"([0-9]{1,2})([/.\-])([0-9]{1,2})\2([0-9]{4})" + _TIME_PART)
_YMD_RE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})" + _TIME_PART)
_NAMED_RE = re.compile(r"([0-9]{1,2})[ \-]([A-Za-z]+)\.?[ \-]([0-9]{4})")
_MONTHS = {name.lower(): n for n, name in enumerate(MONTH_NAMES_ID, 1)}
_MONTHS.update({name[:3].lower(): n for name, n in zip(MONTH_NAMES_ID, range(1, 13))})
_MONTHS.update({"agt": 8, "ags": 8, "okt": 10, "des": 12, "nop": 11, "pebruari": 2, "nopember": 11})
_MONTHS.update({"may": 5, "aug": 8, "oct": 10, "dec": 12})  # "17-Aug-1990", Excel's English dd-mmm-yyyy
_DATE_HINT = "tulis sebagai dd/mm/yyyy, misalnya 17/08/1990"


def clean_date(cell: object, today: date) -> Cleaned:
    if isinstance(cell, datetime):
        return Cleaned(cell.date())
    if isinstance(cell, date):
        return Cleaned(cell)
    if _is_number(cell):
        return _from_serial(cell, today)  # type: ignore[arg-type]
    if isinstance(cell, str):
        return _from_text(cell.strip())
    return _bad_date(cell_text(cell), f"bukan tanggal; {_DATE_HINT}")


def _from_serial(serial: float, today: date) -> Cleaned:
    """Excel's 1900 date system: serial 1 = 1 January 1900; 60 is the 29 February 1900 that never was."""
    latest = (today - _EXCEL_EPOCH).days
    if not math.isfinite(serial) or not 1 <= serial <= latest or int(serial) == 60:
        return _bad_date(cell_text(serial), f"bukan tanggal; {_DATE_HINT}")
    days = int(serial)
    # Before March 1900 Excel counts the missing 29 February, so its epoch is one day later.
    return Cleaned(_EXCEL_EPOCH + timedelta(days=days + (1 if days < 60 else 0)))


def _from_text(text: str) -> Cleaned:
    match = _DMY_RE.fullmatch(text)
    if match:
        return _make_date(text, int(match[4]), int(match[3]), int(match[1]))
    match = _YMD_RE.fullmatch(text)
    if match:
        return _make_date(text, int(match[1]), int(match[2]), int(match[3]))
    match = _NAMED_RE.fullmatch(text)
    if match and match[2].lower() in _MONTHS:
        return _make_date(text, int(match[3]), _MONTHS[match[2].lower()], int(match[1]))
    return _bad_date(text, f"tidak terbaca sebagai tanggal; {_DATE_HINT}")


def _make_date(text: str, year: int, month: int, day: int) -> Cleaned:
    try:
        return Cleaned(date(year, month, day))
    except ValueError:
        pass
    if month > 12 and day <= 12:  # 08/17/1990: written month first, as American Excel does
        return _bad_date(text, "tidak ada di kalender; urutannya hari/bulan/tahun (dd/mm/yyyy)")
    return _bad_date(text, "tidak ada di kalender")


def _bad_date(shown: str, reason: str) -> Cleaned:
    return Cleaned(None, (_error("tanggal_tidak_valid", f"Tanggal “{shown}” {reason}."),))


# --- the declared columns ---------------------------------------------------------------------------

COLUMNS: tuple[Column, ...] = (
    Column(
        "nik", "NIK", "nik", clean_nik, required=True, width=20,
        synonyms=("No. NIK", "Nomor NIK", "NIK KTP", "No. KTP", "Nomor KTP", "Nomor Induk Kependudukan",
                  "NIK Peserta", "NIK Calon Peserta"),
        hint="16 digit angka sesuai KTP, diketik sebagai teks (kolom ini sudah berformat Teks).",
    ),
    Column(
        "no_kk", "No. KK", "kk", clean_kk, width=20,
        synonyms=("Nomor KK", "KK", "NKK", "Nomor Kartu Keluarga", "No. Kartu Keluarga"),
        hint="16 digit nomor Kartu Keluarga, diketik sebagai teks.",
    ),
    Column(
        "nama", "Nama Lengkap", "text", clean_text, required=True, width=28,
        synonyms=("Nama", "Nama Peserta", "Nama Calon Peserta", "Nama Sesuai KTP", "Nama Pekerja"),
        hint="Nama sesuai KTP, tanpa singkatan.",
    ),
    Column(
        "tempat_lahir", "Tempat Lahir", "text", clean_text, repeats=True, width=16,
        synonyms=("Tmp Lahir", "Tmpt Lahir", "Tempat Lhr"),
        hint="Kota/kabupaten tempat lahir sesuai KTP.",
    ),
    Column(
        "tanggal_lahir", "Tanggal Lahir", "date", clean_date, required=True, repeats=True, width=14,
        synonyms=("Tgl Lahir", "Tgl. Lahir", "Tanggal Lahir (dd/mm/yyyy)", "Tgl Lhr", "Tanggal Lhr"),
        hint="Tanggal lahir sesuai KTP, dd/mm/yyyy (contoh 17/08/1990).",
    ),
    Column(
        "jenis_kelamin", "Jenis Kelamin", "choice", clean_jenis_kelamin, repeats=True, width=14,
        synonyms=("JK", "L/P", "Jenis Kelamin (L/P)", "Kelamin", "Gender"),
        hint="L (laki-laki) atau P (perempuan).",
    ),
    Column(
        "alamat", "Alamat", "text", clean_text, width=30,
        synonyms=("Alamat Lengkap", "Alamat Domisili", "Alamat KTP", "Alamat Rumah"),
        hint="Jalan, dusun atau kampung tempat tinggal.",
    ),
    Column("rt", "RT", "rt_rw", clean_rt_rw, repeats=True, width=6, hint="Nomor RT, contoh 001."),
    Column("rw", "RW", "rt_rw", clean_rt_rw, repeats=True, width=6, hint="Nomor RW, contoh 002."),
    # Required unless the upload names the desa (a desa operator's own list): validate.py decides.
    Column(
        "kode_desa", "Kode Desa/Kelurahan", "kode_wilayah", clean_kode_desa, required=True, repeats=True,
        width=22,
        synonyms=("Kode Desa", "Kode Kelurahan", "Kode Wilayah", "Kode Desa Kelurahan", "Kode Kemendagri"),
        hint="Kode Kemendagri 10 digit desa/kelurahan tempat tinggal; pilih dari lembar Kode Desa.",
    ),
    Column(
        "pekerjaan", "Pekerjaan", "choice", clean_pekerjaan, required=True, repeats=True, width=26,
        synonyms=("Pekerjaan Utama", "Jenis Pekerjaan", "Profesi", "Mata Pencaharian"),
        hint="Pilih dari daftar (lembar Daftar Pekerjaan).",
    ),
    Column(
        "no_hp", "No. HP", "phone", clean_phone, width=16,
        synonyms=("No HP", "Nomor HP", "No. Telp", "No Telp", "Nomor Telepon", "Telepon", "Nomor HP/WA",
                  "No. HP/WA", "No WA", "HP", "WA"),
        hint="Nomor HP/WhatsApp aktif, contoh 081234567890 (diketik sebagai teks).",
    ),
    Column(
        "nama_ibu", "Nama Ibu Kandung", "text", clean_text, width=24,
        synonyms=("Ibu Kandung", "Nama Ibu"),
        hint="Nama ibu kandung sesuai KK; dipakai BPJS untuk memastikan identitas.",
    ),
    Column(
        "keterangan", "Keterangan", "text", clean_text, width=24, synonyms=("Ket", "Catatan"),
        hint="Catatan bebas untuk Disnaker (tidak wajib).",
    ),
)

BY_KEY: dict[str, Column] = {column.key: column for column in COLUMNS}

# Headers that carry no data of ours and are not worth a notice: row numbers, and the two columns
# our own error file adds (so a corrected error file can be uploaded as it is).
IGNORED_HEADERS = ("No", "No.", "No Urut", "Nomor", "Nomor Urut", "Baris Asal", "Masalah")

_HINT_RE = re.compile(r"\([^)]*\)")
_NON_ALNUM_RE = re.compile(r"[^0-9a-z]+")


def normalise_header(header: object) -> str:
    """'Tanggal Lahir (dd/mm/yyyy)' -> 'tanggallahir'; 'No. NIK' -> 'nonik'; 'L/P' -> 'lp'."""
    text = cell_text(header).lower()
    without_hint = _HINT_RE.sub("", text)
    # A header that is only a hint, "(L/P)", keeps its text.
    return _NON_ALNUM_RE.sub("", without_hint) or _NON_ALNUM_RE.sub("", text)


def _build_header_lookup() -> dict[str, Column]:
    lookup: dict[str, Column] = {}
    for column in COLUMNS:
        for name in (column.label, column.key, *column.synonyms):
            key = normalise_header(name)
            assert lookup.get(key, column) is column, f"header {name!r} is claimed twice"
            lookup[key] = column
    return lookup


_HEADER_LOOKUP = _build_header_lookup()
_IGNORED = frozenset(normalise_header(h) for h in IGNORED_HEADERS)


def find_column(header: object) -> Column | None:
    """The declared column a header names, in any case, spacing or punctuation; None if unknown."""
    return _HEADER_LOOKUP.get(normalise_header(header))


def is_ignored_header(header: object) -> bool:
    return normalise_header(header) in _IGNORED
