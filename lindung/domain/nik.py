"""NIK (Nomor Induk Kependudukan): normalise, parse and check, compare with a record, mask.

A NIK is 16 digits: 2 provinsi + 2 kab/kota + 2 kecamatan where it was FIRST issued, DDMMYY birth
date (women DD + 40), and a 4-digit serial from 0001 (domain.md §6). It is never changed when a
person moves or when its date disagrees with the recorded one, so a region that no longer exists or
a differing birth date is a warning for review, never a rejection and never a "correction" (R6, R7).

`parse_nik` never raises: imports call it on whatever a spreadsheet cell holds.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime

from lindung.domain import wilayah
from lindung.domain.problems import Problem

# Every code parse_nik and compare_with_record can report, with what it means for a person.
MESSAGES: dict[str, str] = {
    "not_16_digits": "NIK harus terdiri dari tepat 16 digit angka.",
    "scientific_notation": (
        "NIK pernah tersimpan sebagai angka (misalnya oleh Excel), sehingga digitnya berubah atau "
        "hilang. Ketik ulang NIK sebagai teks."
    ),
    "province_unknown": "Dua digit pertama NIK bukan kode provinsi.",
    "birth_date_invalid": "Digit ke-7 sampai ke-12 NIK (tanggal lahir) bukan tanggal yang ada.",
    "serial_zero": "Empat digit terakhir NIK (nomor urut) tidak boleh 0000.",
    "regency_unknown": "Digit ke-3 dan ke-4 NIK bukan kode kabupaten/kota yang dikenal.",
    "district_unknown": "Digit ke-5 dan ke-6 NIK bukan kode kecamatan yang dikenal.",
    "kode_wilayah_lama": "NIK memakai kode wilayah lama dari sebelum pemekaran; kode barunya diketahui.",
    "birth_date_mismatch": "Tanggal lahir menurut NIK berbeda dengan tanggal lahir yang tercatat.",
    "sex_mismatch": "Jenis kelamin menurut NIK berbeda dengan jenis kelamin yang tercatat.",
}
# Everything else in MESSAGES is an error: the NIK cannot be used until it is fixed.
WARNING_CODES = frozenset(
    {"regency_unknown", "district_unknown", "kode_wilayah_lama", "birth_date_mismatch", "sex_mismatch"}
)

MASK = "•"
BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
         "Oktober", "November", "Desember")

_NIK_RE = re.compile(r"[0-9]{16}")
_SEPARATORS_RE = re.compile(r"[\s.\-\u2010-\u2015]")  # spaces, dots, hyphens and dashes
_FLOAT_TEXT_RE = re.compile(r"([0-9]+)[.,]0+")  # "6409010101900001.0": a float written out
_SCIENTIFIC_RE = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]*)?[eE][+-]?[0-9]+")  # "6.40901E+15"
_DECIMAL_RE = re.compile(r"([0-9]+)[.,][0-9]+")
_APOSTROPHES = "'\u2018\u2019`"  # Excel's text marker, also as typed on phones
_EXACT_FLOAT_LIMIT = 2**53  # above this a float cannot hold every integer: digits are guesses
_MAX_INT_BITS = 10_000  # ~3000 digits; str() refuses ints over 4300 digits


@dataclass(frozen=True, slots=True)
class NikResult:
    raw: str  # the input as text
    nik: str | None  # the normalised 16 digits, or None when the input has no 16 digits
    problems: tuple[Problem, ...]
    kode_kecamatan: str | None  # dotted "64.09.01": known kecamatan, or its current code if legacy
    tanggal_lahir: date | None
    jenis_kelamin: str | None  # "L" / "P"

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not p.is_error)


def normalise_nik(raw: str | int | float | None) -> str:
    """Remove what spreadsheets and people add: spaces, dots, dashes, a leading apostrophe, '.0'.

    Only cleans; it does not check. A damaged value (6.40901E+15) comes out damaged.
    """
    if raw is None:
        return ""
    if isinstance(raw, int):  # also bool, which is an int; "True" is simply not a NIK
        return _int_text(raw)
    if isinstance(raw, float):
        return _int_text(int(raw)) if math.isfinite(raw) and raw.is_integer() else repr(raw)
    text = str(raw).strip().lstrip(_APOSTROPHES).strip()
    float_text = _FLOAT_TEXT_RE.fullmatch(text)
    if float_text:
        text = float_text[1]
    return _SEPARATORS_RE.sub("", text)


def _int_text(number: int) -> str:
    if isinstance(number, bool) or number.bit_length() <= _MAX_INT_BITS:
        return str(number)
    return "(bilangan lebih dari 3000 digit)"


def _as_text(raw: object) -> str:
    if raw is None:
        return ""
    if isinstance(raw, int):
        return _int_text(raw)
    return repr(raw) if isinstance(raw, float) else str(raw)


def parse_nik(raw: str | int | float | None, *, today: date | None = None) -> NikResult:
    """Check a NIK and read what it encodes. Collects every problem; never raises."""
    text = _as_text(raw)
    damaged = _excel_damage(raw, text)
    if damaged is not None:
        return _unreadable(text, damaged)
    nik = normalise_nik(raw)
    if not _NIK_RE.fullmatch(nik):
        return _unreadable(text, _problem_not_16(nik))
    kode_kecamatan, problems = _check_region(nik)
    if isinstance(today, datetime):
        today = today.date()  # a datetime cannot be compared with a date
    born, sex, birth_problems = _birth_date(nik, today or date.today())
    problems += birth_problems
    if nik[12:] == "0000":
        problems.append(_error("serial_zero", "Nomor urut NIK (4 digit terakhir) tidak boleh 0000."))
    return NikResult(text, nik, tuple(problems), kode_kecamatan, born, sex)


def _unreadable(text: str, problem: Problem) -> NikResult:
    # Without 16 trustworthy digits nothing else can be checked.
    return NikResult(text, None, (problem,), None, None, None)


def _excel_damage(raw: object, text: str) -> Problem | None:
    """A NIK that passed through a number lost digits; say so instead of guessing them back."""
    if isinstance(raw, float):
        if math.isfinite(raw) and abs(raw) >= 1e15 and _float_lost_digits(int(raw)):
            return _problem_scientific(None)
        return None
    if raw is None or isinstance(raw, int):
        return None
    text = text.strip().lstrip(_APOSTROPHES).strip()  # str, or a Decimal's text
    if _SCIENTIFIC_RE.fullmatch(text):
        return _problem_scientific(text)
    decimal = _DECIMAL_RE.fullmatch(text)
    if decimal is None or len(decimal[1]) < 15:
        return None  # not a long number with a fraction: a dotted NIK, or plain text
    # "6409010101900001.0" is a float written out with all 16 digits: normalise_nik drops the ".0".
    # A long number with any other fraction, or with another digit count, is what a float left.
    float_text = _FLOAT_TEXT_RE.fullmatch(text)
    if float_text and len(float_text[1]) == 16 and not _float_lost_digits(int(float_text[1])):
        return None
    return _problem_scientific(text)


def _float_lost_digits(number: int) -> bool:
    # Above 2**53 a float cannot hold every integer. Below it, a NIK-sized float ending in 0000 is
    # what Excel leaves after rounding (6.40901E+15 = 6409010000000000): a serial is never 0000, so
    # "damaged" is the likelier story than "serial zero". A single trailing 0 (Excel's 15-digit
    # limit) cannot be told from a real serial such as 0010 and is let through.
    return abs(number) >= _EXACT_FLOAT_LIMIT or str(number).endswith("0000")


def _problem_scientific(shown: str | None) -> Problem:
    if shown is None:
        message = (
            "NIK tersimpan sebagai angka, bukan teks, sehingga digitnya berubah. "
            "Ketik ulang NIK sebagai teks."
        )
    else:
        message = f"NIK tampaknya rusak oleh Excel (tertulis sebagai {shown}). Ketik ulang NIK sebagai teks."
    return _error("scientific_notation", message)


def _problem_not_16(nik: str) -> Problem:
    if nik == "":
        message = "NIK kosong; isi 16 digit angka."
    elif nik.isascii() and nik.isdigit():
        message = f"NIK harus 16 digit angka; yang tertulis {len(nik)} digit."
    else:
        message = "NIK harus 16 digit angka; yang tertulis berisi huruf atau tanda lain."
    return _error("not_16_digits", message)


def _check_region(nik: str) -> tuple[str | None, list[Problem]]:
    """The kecamatan the NIK was issued in, following the pemekaran map for old codes."""
    provinsi, kabupaten = nik[:2], f"{nik[:2]}.{nik[2:4]}"
    kecamatan = f"{kabupaten}.{nik[4:6]}"
    region, problems = wilayah.resolve_legacy(kecamatan)
    if region is not None:
        return region.kode, problems  # current, or old with its kode_wilayah_lama warning
    if wilayah.get(provinsi) is None:
        return None, [_error("province_unknown", f"Dua digit pertama NIK ({provinsi}) bukan kode provinsi.")]
    region, problems = wilayah.resolve_legacy(kabupaten)
    if region is None:
        return None, [_warning("regency_unknown", _unknown_region_message("kabupaten/kota", kabupaten))]
    return None, [*problems, _warning("district_unknown", _unknown_region_message("kecamatan", kecamatan))]


def _unknown_region_message(tingkat: str, kode: str) -> str:
    return (
        f"Kode {tingkat} {kode} dalam NIK tidak ada dalam tabel {wilayah.SNAPSHOT}. "
        "NIK lama bisa memakai kode yang sudah berubah, jadi NIK tetap diterima; "
        "periksa apakah NIK diketik dengan benar."
    )


def _birth_date(nik: str, today: date) -> tuple[date | None, str | None, list[Problem]]:
    """Birth date and sex from digits 7-12; both None when those digits are not a real date."""
    dd, mm, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex, day = ("P", dd - 40) if dd > 40 else ("L", dd)
    born = _resolve_century(day, mm, yy, today)
    if born is not None:
        return born, sex, []
    if not 1 <= mm <= 12:
        reason = f"bulan {mm:02d} tidak ada"
    elif not (1 <= dd <= 31 or 41 <= dd <= 71):
        reason = f"angka hari {dd:02d} harus 01–31 (laki-laki) atau 41–71 (perempuan)"
    elif (mm, day) == (2, 29):
        reason = f"29 Februari {_year_text(yy, today)} tidak ada (bukan tahun kabisat)"
    else:
        reason = f"tanggal {day} {BULAN[mm - 1]} tidak ada"
    return None, None, [_error("birth_date_invalid", f"Tanggal lahir dalam NIK tidak valid: {reason}.")]


def _resolve_century(day: int, month: int, yy: int, today: date) -> date | None:
    # A NIK has no century: take the most recent one that does not put the birth in the future.
    # Only yy=00 can differ between centuries for 29 February (2000 is a leap year, 1900 is not).
    for year in (2000 + yy, 1900 + yy):
        try:
            born = date(year, month, day)
        except ValueError:
            continue
        if born <= today:
            return born
    return None


def _year_text(yy: int, today: date) -> str:
    return str(2000 + yy) if 2000 + yy <= today.year else str(1900 + yy)


def compare_with_record(
    result: NikResult, *, tanggal_lahir: date | None, jenis_kelamin: str | None
) -> list[Problem]:
    """Warnings when the NIK's birth date or sex differ from the recorded ones (R7).

    Never an error and never a correction: the NIK stays as issued even when its date is wrong.
    """
    problems = []
    born = result.tanggal_lahir
    # Compare the two-digit year only: the century in `born` is our guess, not the NIK's.
    if born is not None and tanggal_lahir is not None and _ddmmyy(born) != _ddmmyy(tanggal_lahir):
        message = (
            f"Tanggal lahir menurut NIK ({_tanggal(born)}) berbeda dengan yang tercatat "
            f"({_tanggal(tanggal_lahir)}). Periksa dokumennya; NIK tidak diubah."
        )
        problems.append(_warning("birth_date_mismatch", message))
    recorded = parse_jenis_kelamin(jenis_kelamin)
    if result.jenis_kelamin is not None and recorded is not None and recorded != result.jenis_kelamin:
        message = (
            f"Jenis kelamin menurut NIK ({_sex_text(result.jenis_kelamin)}) berbeda dengan yang "
            f"tercatat ({_sex_text(recorded)}). Periksa dokumennya; NIK tidak diubah."
        )
        problems.append(_warning("sex_mismatch", message))
    return problems


def _ddmmyy(day: date) -> tuple[int, int, int]:
    return day.day, day.month, day.year % 100


def _tanggal(day: date) -> str:
    return f"{day.day} {BULAN[day.month - 1]} {day.year}"


def _sex_text(sex: str) -> str:
    return "laki-laki" if sex == "L" else "perempuan"


_JENIS_KELAMIN = {
    **dict.fromkeys(("l", "lk", "laki", "lakilaki", "lelaki", "pria", "male"), "L"),
    **dict.fromkeys(("p", "pr", "prp", "perempuan", "wanita", "w", "female"), "P"),
}


def parse_jenis_kelamin(text: str | None) -> str | None:
    """'L' or 'P' from the ways forms write it ('Laki-laki', 'LK', 'Pria', 'PR', 'Wanita'...); else None."""
    if not isinstance(text, str):
        return None
    key = re.sub(r"[\s.\-/]", "", text).lower()
    return _JENIS_KELAMIN.get(key)


def mask_nik(nik: str | int | None) -> str:
    """'6409 01•• •••• ••••': only the region stays readable; birth date and serial are hidden (UU PDP).

    Hiding the birth date alone is not enough: the page beside the NIK shows the birth date and sex, and
    serials are small (0001-0010), so the rest was guessed back (issue 11). Without the serial there are
    thousands of NIKs for each region and birth date. A No. KK has the same shape (region, date of
    issue, serial) and is masked the same way (`mask_kk`).
    """
    digits = normalise_nik(nik)
    if not _NIK_RE.fullmatch(digits):
        return " ".join([MASK * 4] * 4)  # reveal nothing, not even the length, of a malformed value
    masked = digits[:6] + MASK * 10
    return " ".join(masked[i : i + 4] for i in range(0, 16, 4))


mask_kk = mask_nik


def mask_phone(phone: str | int | None) -> str:
    """'•••• •••• •678': a phone number is personal data (UU PDP) as a NIK is; only its last three digits
    stay, never its length, so two numbers can still be told apart on a page."""
    digits = "".join(ch for ch in str(phone or "") if ch.isdigit())
    tail = digits[-3:] if len(digits) >= 7 else MASK * 3
    return f"{MASK * 4} {MASK * 4} {MASK}{tail}"


def _error(code: str, message: str) -> Problem:
    return Problem(code, message, "error")


def _warning(code: str, message: str) -> Problem:
    return Problem(code, message, "warning")
