"""Deterministic, realistic lists of calon peserta, as a desa/kelurahan would send them.

Used by `lindung demo` (1.000 rows for karimun-2025), by the import benchmark (100.000 rows) and by
tests. Pure Python + xlsxwriter; no Django. The same arguments always give the same rows and a
byte-identical .xlsx.

A row is what a desa operator typed, not what the person is: `DemoRow.values` holds each cell as
it is written (a `date` is an Excel date cell, a `str` a text cell, an `int`/`float` a number cell,
`None` a blank cell), and `DemoRow.flaw` says which realistic problem was injected (see FLAWS), so a
test or a demo knows the truth without re-checking it.

Identity follows domain.md §6: the NIK is the kecamatan where it was FIRST issued (usually the
person's own kecamatan, ~10 % another kecamatan of the same kabupaten), DDMMYY of the birth date
(women +40 on the day), a serial from 0001. The No. KK uses the kecamatan of the current domicile
(the family card is re-issued when a family moves; its structure is [UNCONFIRMED] in domain.md).
"""

from __future__ import annotations

import csv
import io
import re
from bisect import bisect
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import accumulate
from random import Random

import xlsxwriter

from lindung.domain import pekerjaan as pekerjaan_mod
from lindung.domain import wilayah

COLUMNS: tuple[str, ...] = (
    "NIK",
    "No. KK",
    "Nama Lengkap",
    "Tempat Lahir",
    "Tanggal Lahir",
    "Jenis Kelamin",
    "Alamat",
    "RT",
    "RW",
    "Kode Desa/Kelurahan",
    "Pekerjaan",
    "No. HP",
    "Nama Ibu Kandung",
    "Keterangan",
)
(NIK, KK, NAMA, TEMPAT, TANGGAL, JK, ALAMAT, RT, RW, DESA, PEKERJAAN, HP, IBU, KETERANGAN) = COLUMNS

# Flaw -> relative frequency in a list. Excel-damaged NIKs and out-of-age people are what
# verification finds most; blank names and desa from another kabupaten are rarer.
FLAW_WEIGHTS: dict[str, int] = {
    "nik_excel": 14,  # NIK typed into a number cell: last digit 0, or the text "2.10203E+15"
    "usia_lebih": 12,  # aged 66-75 at coverage start
    "nik_15_digit": 10,  # one digit dropped
    "nik_ganda": 10,  # a second entry for a person already in the list (same NIK)
    "jk_beda": 8,  # recorded sex disagrees with the NIK: a warning, not a rejection (R7)
    "nik_tanggal": 8,  # the NIK's date part is impossible (month 13, day 32...)
    "pekerjaan_tidak_dikenal": 8,  # "PNS", "Wiraswasta besar": not in PEKERJAAN
    "tanggal_teks_rusak": 7,  # birth date "31/02/1985" or just "1985"
    "desa_kosong": 7,  # blank kode desa
    "usia_kurang": 6,  # aged 15-17 at coverage start
    "desa_luar": 5,  # kode desa of another kabupaten/kota of the same provinsi
    "nama_kosong": 5,  # blank name
}
FLAWS: tuple[str, ...] = tuple(FLAW_WEIGHTS)
# Flaws that should not stop a row: the person is eligible, an operator reviews the warning.
WARNING_FLAWS = frozenset({"jk_beda"})

MIN_AGE, MAX_AGE = 18, 65
DATE_FORMAT = "dd/mm/yyyy"
# Workbook metadata is fixed so the same rows give the same bytes.
XLSX_CREATED = datetime(2025, 10, 1, 8, 0, 0)
SHEET_NAME = "Calon Peserta"


@dataclass(frozen=True, slots=True)
class DemoRow:
    values: dict[str, object]  # header label -> cell as written (date, str, int, float or None)
    flaw: str | None  # which of FLAWS was injected, or None for a clean row


# --------------------------------------------------------------------------------------------
# Vocabulary. Riau/Malay first, then the migrants Karimun has (Minang, Batak, Jawa, Tionghoa;
# Bugis and Flores only as birthplaces).

_MALE = (
    "Ahmad", "Abdul Rahman", "Abdul Karim", "Abdullah", "Azhar", "Azman", "Amran", "Bahrun",
    "Darwis", "Fadli", "Firdaus", "Hamdan", "Harun", "Hasan", "Husin", "Idris", "Ilham", "Irwan",
    "Iskandar", "Ismail", "Jamaludin", "Kamarudin", "Khairul Anwar", "Lukman", "Mahmud", "Marzuki",
    "Nasrul", "Rahmat", "Ramli", "Razali", "Rosli", "Safri", "Saiful", "Sulaiman", "Syahrul",
    "Syamsul Bahri", "Taufik", "Usman", "Yusuf", "Zainal Abidin", "Zulkifli", "Zulkarnain",
    "Rizky", "Hendra", "Hendri", "Arif", "Budi", "Dedi", "Rudi", "Agus", "Andi", "Herman",
    "Junaidi", "Masrul", "Nazaruddin", "Rusli", "Syafrizal", "Afrizal", "Jefri", "Rian", "Fauzi",
)
_MALE_SECOND = (
    "Rizal", "Syahputra", "Saputra", "Hidayat", "Fadillah", "Ramadhan", "Hakim", "Firmansyah",
    "Kurniawan", "Pratama", "Setiawan", "Nasution", "Hasibuan", "Efendi", "Iskandar", "Arifin",
)
_FEMALE = (
    "Siti Aminah", "Siti Rahmah", "Siti Zubaidah", "Nurhayati", "Rosmawati", "Zubaidah",
    "Fatimah", "Aisyah", "Halimah", "Rohani", "Salmah", "Mariam", "Norma", "Yusnita", "Juliana",
    "Hasnah", "Khadijah", "Latifah", "Nurul Huda", "Rahmawati", "Suriani", "Syarifah Aini",
    "Rosnah", "Zaleha", "Ani", "Yanti", "Fitri", "Nurlela", "Rosidah", "Kartini", "Sumarni",
    "Dahlia", "Erlina", "Hamidah", "Jamilah", "Maimunah", "Nurbaiti", "Rahimah", "Sapiah",
    "Wirda", "Yuliana", "Dewi", "Rina", "Ernawati", "Lestari", "Masnah", "Asmah", "Nurjanah",
)
_FEMALE_SECOND = (
    "Sari", "Wati", "Yanti", "Ningsih", "Handayani", "Purnama", "Lestari", "Novita", "Rahayu",
    "Puspita", "Safitri", "Anggraini", "Melati", "Susanti",
)
# Fathers' names after bin/binti: older-generation Malay names.
_FATHER = (
    "Abdullah", "Ahmad", "Hasan", "Husin", "Ismail", "Yusuf", "Mahmud", "Daud", "Osman", "Salleh",
    "Hamid", "Jaafar", "Kassim", "Latif", "Majid", "Rahman", "Sulaiman", "Umar", "Zakaria",
    "Ali", "Bakar", "Talib", "Said", "Yahya", "Harun",
)
_JAWA_MALE = ("Slamet", "Sutrisno", "Suparman", "Joko Susilo", "Bambang", "Eko Prasetyo", "Sugeng",
              "Wahyudi", "Supriyadi", "Teguh Santoso")
_JAWA_FEMALE = ("Sri Wahyuni", "Sri Rahayu", "Suwarni", "Tri Astuti", "Sulastri", "Endang",
                "Sumiati", "Ngatini", "Wulandari")
_BATAK_FIRST_M = ("Hotman", "Binsar", "Tumpal", "Parlindungan", "Robert", "Marihot", "Jonni")
_BATAK_FIRST_F = ("Rosdiana", "Tiurma", "Lasmaria", "Nurmala", "Rosmida", "Melva")
_BATAK_MARGA = ("Simanjuntak", "Sitorus", "Siregar", "Harahap", "Sinaga", "Simatupang",
                "Pasaribu", "Hutapea", "Lubis")
_TIONGHOA_M = ("Tan Kim Hock", "Lim Ah Kiat", "Ng Chun Seng", "Lie Ah Huat", "Goh Teck Seng",
               "Acong", "Apeng", "Ahua")
_TIONGHOA_F = ("Tan Siew Lan", "Lim Mei Ling", "Ng Siew Eng", "Lie Lian Hoa", "Goh Ah Moi", "Amoi")
_MOTHER = _FEMALE + _JAWA_FEMALE + ("Saodah", "Habibah", "Tijah", "Minah", "Esah",
                                   "Kalsum", "Bedah", "Rabiah", "Sa'diah", "Zainab", "Maznah")

_MIGRANT_PLACES = (
    ("Batam", 9), ("Tanjungpinang", 6), ("Pekanbaru", 6), ("Medan", 6), ("Padang", 4),
    ("Bengkalis", 3), ("Selatpanjang", 3), ("Dumai", 2), ("Tembilahan", 3), ("Palembang", 2),
    ("Jakarta", 2), ("Semarang", 1), ("Surabaya", 1), ("Pematangsiantar", 2), ("Bukittinggi", 2),
    ("Makassar", 1), ("Bone", 1), ("Larantuka", 1), ("Lingga", 2), ("Natuna", 1),
)
# Where Karimun people are born, by the kecamatan they live in (the kecamatan name otherwise).
_LOCAL_PLACE = {
    "21.02.01": "Moro", "21.02.02": "Tanjung Batu", "21.02.07": "Tanjung Batu",
    "21.02.08": "Tanjung Batu", "21.02.11": "Tanjung Batu", "21.02.12": "Tanjung Batu",
    "21.02.03": "Tanjung Balai Karimun", "21.02.04": "Tanjung Balai Karimun",
    "21.02.05": "Tanjung Balai Karimun", "21.02.10": "Tanjung Balai Karimun",
}
_TOWN_SPELLINGS = {
    "Tanjung Balai Karimun": ("Tanjung Balai Karimun", "Tanjung Balai Karimun", "Tg. Balai Karimun",
                              "Tanjungbalai Karimun", "Karimun"),
    "Tanjung Batu": ("Tanjung Batu", "Tanjung Batu", "Tg. Batu", "Tanjung Batu Kundur"),
}
_STREETS = (
    "Nusantara", "Jenderal Sudirman", "A. Yani", "Teuku Umar", "Hang Tuah", "Hang Jebat",
    "Raja Usman", "Pramuka", "Trikora", "Canggai Putri", "Poros", "Pertambangan", "Kapling",
    "Pelipur", "Telaga Tujuh", "Baran", "Kolong", "Sungai Raya", "Datuk Laksemana", "Pelabuhan",
    "Pasar", "Masjid Agung", "Merdeka", "Diponegoro", "Gajah Mada", "Bukit Tiung",
)
_KAMPUNG = ("Tengah", "Baru", "Bugis", "Melayu", "Hilir", "Hulu", "Harapan", "Sidomulyo", "Bukit",
            "Tanjung", "Jawa", "Padang", "Sungai", "Pantai", "Lama")
_GANG = ("Melati", "Mawar", "Kenanga", "Cempaka", "Seroja", "Dahlia", "Anggrek", "Damai",
         "Rukun", "Sepakat", "Bahagia", "Mufakat")
_PHONE_PREFIXES = ("0811", "0812", "0813", "0821", "0822", "0823", "0852", "0853", "0814",
                   "0815", "0856", "0857", "0858", "0817", "0818", "0819", "0859", "0877",
                   "0878", "0895", "0896", "0897", "0881", "0882")
_KETERANGAN = (
    ("Usulan RT", 3), ("Usulan kelurahan", 3), ("Verifikasi RT/RW", 3), ("Belum punya BPJS TK", 3),
    ("KTP-el", 2), ("Pindahan dari Batam", 1), ("Kepala keluarga", 2), ("Janda", 1),
    ("No HP milik anak", 1), ("Data Dinas Sosial", 2), ("Kartu KIS ada", 1),
)

# Occupation code -> (weight for men, weight for women): Karimun's mix (domain.md §0 S1).
_PEKERJAAN_MIX: dict[str, tuple[int, int]] = {
    "ojek_pangkalan": (24, 1),
    "pedagang_kecil": (14, 38),
    "buruh_bongkar_muat": (16, 0),
    "marbot": (6, 0),
    "tukang_parkir": (8, 1),
    "pekerja_rumah_tangga": (1, 34),
    "serabutan": (17, 22),
    "nelayan": (14, 4),
}
# How desa write each occupation: the label first (most common), then common variants.
_PEKERJAAN_VARIANTS: dict[str, tuple[tuple[str, int], ...]] = {
    "ojek_pangkalan": (("Ojek pangkalan", 5), ("Ojek", 5), ("OJEK", 2), ("Tukang ojek", 2)),
    "pedagang_kecil": (("Pedagang kecil", 6), ("Pedagang", 3), ("PEDAGANG KECIL", 1),
                       ("Pedagang kaki lima", 1), ("pedagang keliling", 1)),
    "buruh_bongkar_muat": (("Buruh bongkar muat", 6), ("Buruh pelabuhan", 2), ("TKBM", 1),
                           ("Kuli angkut", 1)),
    "marbot": (("Marbot masjid", 5), ("Marbot", 3), ("Marbut", 1), ("Penjaga masjid", 1)),
    "tukang_parkir": (("Tukang parkir", 6), ("Juru parkir", 2), ("Jukir", 1)),
    "pekerja_rumah_tangga": (("Pekerja rumah tangga", 5), ("PRT", 3),
                             ("Asisten rumah tangga", 2)),
    "serabutan": (("Pekerja serabutan", 5), ("Serabutan", 4), ("SERABUTAN", 1)),
    "nelayan": (("Nelayan", 5), ("nelayan", 3), ("NELAYAN", 1), ("Nelayan tradisional", 1)),
}
_PEKERJAAN_TIDAK_DIKENAL = (
    "PNS", "Wiraswasta besar", "Wiraswasta", "Karyawan swasta", "TNI/Polri", "Pensiunan",
    "Mengurus rumah tangga", "Pelajar/Mahasiswa", "Belum/tidak bekerja", "Pengusaha", "Honorer",
)

# Ages at coverage start: informal workers are mostly 25-55.
_AGE_BANDS = ((18, 24, 10), (25, 34, 24), (35, 44, 27), (45, 55, 26), (56, 65, 13))


class _Rng(Random):
    """Random with choice/randint/randrange drawn from one random() call each: about three times
    faster than the rejection sampling of the standard ones, and just as deterministic."""

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def randrange(self, start: int, stop: int | None = None) -> int:
        if stop is None:
            start, stop = 0, start
        return start + int(self.random() * (stop - start))


def _weighted(pairs: Sequence[tuple[object, float]]) -> tuple[tuple, list[float]]:
    items = tuple(p[0] for p in pairs)
    return items, list(accumulate(p[1] for p in pairs))


def _pick(rng: Random, table: tuple[tuple, list[float]]):
    items, cum = table
    return items[bisect(cum, rng.random() * cum[-1])]


_MIGRANT_TABLE = _weighted(_MIGRANT_PLACES)
_KETERANGAN_TABLE = _weighted(_KETERANGAN)
_AGE_TABLE = _weighted([((lo, hi), w) for lo, hi, w in _AGE_BANDS])
_PEKERJAAN_BY_SEX = {
    "L": _weighted([(code, w[0]) for code, w in _PEKERJAAN_MIX.items() if w[0]]),
    "P": _weighted([(code, w[1]) for code, w in _PEKERJAAN_MIX.items() if w[1]]),
}
_VARIANT_TABLES = {code: _weighted(v) for code, v in _PEKERJAAN_VARIANTS.items()}


def _check_vocabulary() -> None:
    # Every occupation variant written for a clean row must be read back as the intended code,
    # and every "unknown" one must not be recognised. Fails at import if pekerjaan.py changes.
    for code, variants in _PEKERJAAN_VARIANTS.items():
        for text, _ in variants:
            if pekerjaan_mod.parse_pekerjaan(text) != code:
                raise AssertionError(f"demo_data: {text!r} is not read as {code!r}")
    for text in _PEKERJAAN_TIDAK_DIKENAL:
        if pekerjaan_mod.parse_pekerjaan(text) is not None:
            raise AssertionError(f"demo_data: {text!r} is a known occupation")


_check_vocabulary()


# --------------------------------------------------------------------------------------------
# Regions


@dataclass(frozen=True, slots=True)
class _Regions:
    desa_table: tuple[tuple, list[float]]  # dotted desa/kelurahan codes the list draws from, weighted
    kecamatan: tuple[str, ...]  # dotted kecamatan codes of the kabupaten
    names: dict[str, str]  # dotted code -> name (desa and kecamatan)
    outside_kabupaten: tuple[str, ...]  # other kab/kota of the same provinsi, for desa_luar


def _regions(kabupaten: str, desa_codes: list[str] | None, rng: Random) -> _Regions:
    kab = wilayah.get(kabupaten)
    if kab is None or kab.level != 2:
        raise ValueError(f"{kabupaten!r} bukan kode kabupaten/kota yang dikenal.")
    kecamatan = wilayah.children(kab.kode)
    names = {k.kode: k.nama for k in kecamatan}
    all_desa = [d for k in kecamatan for d in wilayah.children(k.kode)]
    names.update((d.kode, d.nama) for d in all_desa)
    if desa_codes is None:
        chosen = all_desa
    else:
        chosen = []
        for kode in desa_codes:
            region = wilayah.get(kode)
            if region is None or region.level != 4 or region.induk[:5] != kab.kode:
                raise ValueError(f"{kode!r} bukan kode desa/kelurahan di {kab.nama}.")
            chosen.append(region)
    if not chosen:
        raise ValueError(f"{kab.nama} tidak punya desa/kelurahan dalam tabel wilayah.")
    # Kelurahan (towns) send many more candidates than rural desa; each code gets its own weight.
    weights = [(6.0 if d.tingkat == "kelurahan" else 1.5) * rng.uniform(0.5, 2.0) for d in chosen]
    outside = tuple(k.kode for k in wilayah.children(kab.kode[:2]) if k.kode != kab.kode)
    return _Regions(
        desa_table=(tuple(d.kode for d in chosen), list(accumulate(weights))),
        kecamatan=tuple(k.kode for k in kecamatan),
        names=names,
        outside_kabupaten=outside,
    )


# --------------------------------------------------------------------------------------------
# People


class _Person:
    """The truth about one candidate; a row is how a desa wrote it down."""

    __slots__ = ("sex", "birth", "nik", "kk", "name", "mother", "birthplace", "address", "rt",
                 "rw", "desa", "pekerjaan", "phone")

    def copy(self) -> _Person:
        other = _Person()
        for slot in self.__slots__:
            setattr(other, slot, getattr(self, slot))
        return other


def _undotted(kode: str) -> str:
    return kode.replace(".", "")


def _ddmmyy(birth: date, sex: str) -> str:
    return f"{birth.day + (40 if sex == 'P' else 0):02d}{birth.month:02d}{birth.year % 100:02d}"


def _birth_for_age(rng: Random, age: int, on: date) -> date:
    """A uniformly random birth date giving exactly `age` completed years on `on`."""
    latest = _years_before(on, age)  # birthday on `on` itself: exactly `age`
    earliest = _years_before(on, age + 1) + timedelta(days=1)
    return earliest + timedelta(days=rng.randrange((latest - earliest).days + 1))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a non-leap year: age_on counts the birthday on 1 March
        return date(day.year - years, 3, 1) - timedelta(days=1)


class _Generator:
    def __init__(self, *, kabupaten: str, coverage_start: date, seed: int,
                 desa_codes: list[str] | None) -> None:
        self.rng = _Rng(seed)
        self.start = coverage_start
        self.regions = _regions(kabupaten, desa_codes, _Rng(seed * 7919 + 17))
        self.used_nik: set[str] = set()
        self.used_kk: set[str] = set()
        self.reservoir: list[_Person] = []  # clean people a nik_ganda row can repeat
        self.clean_seen = 0
        self.previous: _Person | None = None
        self._outside_desa: list[str] | None = None

    # -- the people -------------------------------------------------------------------------

    def person(self, age_range: tuple[int, int] | None) -> _Person:
        rng = self.rng
        previous = self.previous
        p = _Person()
        if previous is not None and rng.random() < 0.08:
            # Husband and wife (or parent and grown child) from one household, both on the list.
            p.sex = "P" if previous.sex == "L" else "L"
            p.kk, p.address, p.rt, p.rw, p.desa = (previous.kk, previous.address, previous.rt,
                                                    previous.rw, previous.desa)
            if age_range is None:
                partner_age = _age(previous.birth, self.start)
                age = min(MAX_AGE, max(MIN_AGE, partner_age + rng.randint(-9, 6)))
                age_range = (age, age)
        else:
            p.sex = "L" if rng.random() < 0.62 else "P"
            p.desa = _pick(rng, self.regions.desa_table)
            p.kk = self._kk(p.desa)
            p.address = self._address(p.desa)
            p.rt = rng.randint(1, 15)
            p.rw = rng.randint(1, min(15, 1 + (p.rt + 2) // 3 + rng.randint(0, 3)))
        if age_range is None:
            age_range = _pick(rng, _AGE_TABLE)
        age = rng.randint(*age_range)
        p.birth = _birth_for_age(rng, age, self.start)
        p.nik = self._nik(p.desa, p.birth, p.sex)
        p.name, muslim = self._name(p.sex, age)
        p.mother = self._mother()
        p.birthplace = self._birthplace(p.desa)
        p.pekerjaan = _pick(rng, _PEKERJAAN_BY_SEX[p.sex])
        while p.pekerjaan == "marbot" and not muslim:  # a mosque keeper is a Muslim
            p.pekerjaan = _pick(rng, _PEKERJAAN_BY_SEX[p.sex])
        p.phone = self._phone()
        self.previous = p
        return p

    def _nik(self, desa: str, birth: date, sex: str) -> str:
        rng = self.rng
        kecamatan = desa[:8]
        if rng.random() < 0.10 and len(self.regions.kecamatan) > 1:
            # First issued elsewhere in the kabupaten; the NIK never changes when people move.
            others = [k for k in self.regions.kecamatan if k != kecamatan]
            kecamatan = rng.choice(others)
        head = _undotted(kecamatan) + _ddmmyy(birth, sex)
        serial = 1 + min(int(rng.expovariate(1 / 8)), 9000)
        nik = f"{head}{serial:04d}"
        while nik in self.used_nik:
            serial = serial % 9999 + 1
            nik = f"{head}{serial:04d}"
        self.used_nik.add(nik)
        return nik

    def _kk(self, desa: str) -> str:
        # Kecamatan of the domicile, the DDMMYY the card was (re)issued, a serial.
        rng = self.rng
        first = date(2008, 1, 1).toordinal()
        issued = date.fromordinal(rng.randint(first, max(first, self.start.toordinal() - 1)))
        head = _undotted(desa[:8]) + f"{issued.day:02d}{issued.month:02d}{issued.year % 100:02d}"
        serial = rng.randint(1, 300)
        kk = f"{head}{serial:04d}"
        while kk in self.used_kk:
            serial = serial % 9999 + 1
            kk = f"{head}{serial:04d}"
        self.used_kk.add(kk)
        return kk

    def _name(self, sex: str, age: int) -> tuple[str, bool]:
        """A name, and whether it is (almost certainly) a Muslim's: Batak and Tionghoa names are not."""
        rng = self.rng
        male = sex == "L"
        r = rng.random()
        muslim = True
        if r < 0.065:
            first = _BATAK_FIRST_M if male else _BATAK_FIRST_F
            name, muslim = f"{rng.choice(first)} {rng.choice(_BATAK_MARGA)}", False
        elif r < 0.155:
            name = rng.choice(_JAWA_MALE if male else _JAWA_FEMALE)
        elif r < 0.185:
            name, muslim = rng.choice(_TIONGHOA_M if male else _TIONGHOA_F), False
        else:
            first = rng.choice(_MALE if male else _FEMALE)
            r2 = rng.random()
            if male and r2 < 0.22:
                first = f"{rng.choice(('Muhammad', 'Muhammad', 'Muhamad', 'Mohammad', 'M.'))} {first}"
            elif not male and r2 < 0.12 and not first.startswith("Siti"):
                first = f"{rng.choice(('Siti', 'Siti', 'Sitti', 'St.'))} {first}"
            if r2 > 0.72:  # Malay patronymic
                name = f"{first} {'bin' if male else 'binti'} {rng.choice(_FATHER)}"
            elif r2 > 0.48:
                name = f"{first} {rng.choice(_MALE_SECOND if male else _FEMALE_SECOND)}"
            else:
                name = first
            if age >= 40 and rng.random() < 0.10:  # has made the hajj
                name = f"{'H.' if male else 'Hj.'} {name}"
        # Many lists copy the KTP, which prints names in capitals.
        return (name.upper() if rng.random() < 0.45 else name), muslim

    def _mother(self) -> str:
        rng = self.rng
        name = rng.choice(_MOTHER)
        return name.upper() if rng.random() < 0.45 else name

    def _birthplace(self, desa: str) -> str:
        rng = self.rng
        r = rng.random()
        if r < 0.58:
            town = _LOCAL_PLACE.get(desa[:8]) or self.regions.names[desa[:8]]
        elif r < 0.70:
            town = "Tanjung Balai Karimun" if desa.startswith("21.02") else self.regions.names[desa[:8]]
        else:
            town = _pick(rng, _MIGRANT_TABLE)
        spellings = _TOWN_SPELLINGS.get(town)
        place = rng.choice(spellings) if spellings else town
        return place.upper() if rng.random() < 0.25 else place

    def _address(self, desa: str) -> str:
        rng = self.rng
        r = rng.random()
        if r < 0.50:
            address = f"Jl. {rng.choice(_STREETS)}"
            if rng.random() < 0.35:
                address += f" Gg. {rng.choice(_GANG)}"
            if rng.random() < 0.7:
                address += f" No. {rng.randint(1, 120)}"
        elif r < 0.80:
            address = f"Kp. {rng.choice(_KAMPUNG)}"
            if rng.random() < 0.3:
                address += f" {self.regions.names[desa]}"
        elif r < 0.92:
            address = f"Gg. {rng.choice(_GANG)} No. {rng.randint(1, 60)}"
        else:
            estate = f"{rng.choice(('Griya', 'Villa', 'Bukit'))} {rng.choice(_GANG)}"
            address = f"Perum {estate} Blok {rng.choice('ABCDE')} No. {rng.randint(1, 40)}"
        return address.upper() if rng.random() < 0.2 else address

    def _phone(self) -> str | None:
        rng = self.rng
        if rng.random() < 0.04:
            return None  # no HP, or the desa did not ask
        prefix = rng.choice(_PHONE_PREFIXES)
        digits = rng.choice((7, 8, 8, 8, 9))
        rest = f"{rng.randrange(10**digits):0{digits}d}"
        local = prefix + rest  # 08xx...
        form = rng.random()
        if form < 0.55:
            return local
        if form < 0.68:
            return f"{local[:4]}-{local[4:8]}-{local[8:]}"
        if form < 0.78:
            return f"{local[:4]} {local[4:8]} {local[8:]}"
        if form < 0.90:
            return f"+62{local[1:]}" if rng.random() < 0.6 else f"+62 {local[1:4]}-{local[4:8]}-{local[8:]}"
        return f"62{local[1:]}"

    # -- how the desa writes it -------------------------------------------------------------

    def values(self, p: _Person) -> dict[str, object]:
        rng = self.rng
        r = rng.random()
        if r < 0.78:
            birth: object = p.birth
        elif r < 0.92:
            birth = f"{p.birth.day:02d}/{p.birth.month:02d}/{p.birth.year}"
        else:
            birth = f"{p.birth.day:02d}-{p.birth.month:02d}-{p.birth.year}"
        r = rng.random()
        if r < 0.70:
            jk = p.sex
        elif r < 0.90:
            jk = "Laki-laki" if p.sex == "L" else "Perempuan"
        else:
            jk = "LK" if p.sex == "L" else "PR"
        return {
            NIK: p.nik,
            KK: p.kk,
            NAMA: p.name,
            TEMPAT: p.birthplace,
            TANGGAL: birth,
            JK: jk,
            ALAMAT: p.address,
            RT: self._rt_rw(p.rt),
            RW: self._rt_rw(p.rw),
            DESA: self._kode_desa(p.desa),
            PEKERJAAN: _pick(rng, _VARIANT_TABLES[p.pekerjaan]),
            HP: p.phone,
            IBU: p.mother,
            KETERANGAN: _pick(rng, _KETERANGAN_TABLE) if rng.random() < 0.15 else None,
        }

    def _rt_rw(self, number: int) -> object:
        r = self.rng.random()
        if r < 0.75:
            return f"{number:03d}"
        if r < 0.85:
            return f"{number:02d}"
        if r < 0.95:
            return str(number)
        return number  # a number cell

    def _kode_desa(self, kode: str) -> str:
        return kode if self.rng.random() < 0.88 else _undotted(kode)

    # -- flaws ------------------------------------------------------------------------------

    def outside_desa(self) -> list[str]:
        if self._outside_desa is None:
            self._outside_desa = [
                d.kode
                for kab in self.regions.outside_kabupaten
                for k in wilayah.children(kab)
                for d in wilayah.children(k.kode)
            ] or [d.kode for d in wilayah.all_at(4) if d.kode[:5] != self.regions.kecamatan[0][:5]]
        return self._outside_desa

    def row(self, flaw: str | None) -> DemoRow:
        rng = self.rng
        if flaw == "nik_ganda":
            if not self.reservoir:
                raise AssertionError("nik_ganda planned before any clean row")  # _plan prevents it
            p = rng.choice(self.reservoir).copy()
            p.name = _respell(rng, p.name)
            if rng.random() < 0.3:
                p.phone = self._phone()
            if rng.random() < 0.2:
                p.pekerjaan = _pick(rng, _PEKERJAAN_BY_SEX[p.sex])
            return DemoRow(self.values(p), flaw)
        age_range = {"usia_lebih": (66, 75), "usia_kurang": (15, 17)}.get(flaw)
        p = self.person(age_range)
        values = self.values(p)
        if flaw is None:
            self._remember(p)
        elif flaw == "nik_15_digit":
            i = rng.randrange(2, 16)
            values[NIK] = p.nik[:i] + p.nik[i + 1:]
        elif flaw == "nik_excel":
            if rng.random() < 0.5:
                values[NIK] = float(int(p.nik[:15] + "0"))  # Excel keeps 15 significant digits
            else:
                values[NIK] = _excel_general(float(p.nik))  # "2.10203E+15", copied as shown
        elif flaw == "nik_tanggal":
            values[NIK] = _impossible_date_nik(rng, p.nik)
        elif flaw == "desa_luar":
            values[DESA] = self._kode_desa(rng.choice(self.outside_desa()))
        elif flaw == "desa_kosong":
            values[DESA] = None
        elif flaw == "pekerjaan_tidak_dikenal":
            values[PEKERJAAN] = rng.choice(_PEKERJAAN_TIDAK_DIKENAL)
        elif flaw == "nama_kosong":
            values[NAMA] = None if rng.random() < 0.8 else " "
        elif flaw == "jk_beda":
            wrong = "P" if p.sex == "L" else "L"
            values[JK] = {"L": "Laki-laki", "P": "Perempuan"}[wrong] if rng.random() < 0.3 else wrong
        elif flaw == "tanggal_teks_rusak":
            year = p.birth.year
            values[TANGGAL] = str(year) if rng.random() < 0.4 else f"{rng.choice((30, 31))}/02/{year}"
        # usia_lebih / usia_kurang: the person was generated at that age; nothing else differs.
        return DemoRow(values, flaw)

    def _remember(self, p: _Person) -> None:
        # Reservoir sample of clean people: a duplicate can repeat anyone seen so far, in bounded memory.
        self.clean_seen += 1
        if len(self.reservoir) < 512:
            self.reservoir.append(p)
        else:
            j = self.rng.randrange(self.clean_seen)
            if j < 512:
                self.reservoir[j] = p


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - int((on.month, on.day) < (birth.month, birth.day))


_RESPELLINGS = (
    (r"\bMuhammad\b", "M."), (r"\bMuhammad\b", "Muhamad"), (r"\bM\.\s", "Muhammad "),
    (r"\bMuhamad\b", "Muhammad"), (r"\bMohammad\b", "Muhammad"), (r"\bSiti\b", "Sitti"),
    (r"\bSitti\b", "Siti"), (r"\bSt\.\s", "Siti "), (r"\s+bin\s+\S+$", ""), (r"\s+binti\s+\S+$", ""),
    (r"^H\.\s+", ""), (r"^Hj\.\s+", ""), (r"hmad\b", "chmad"), (r"ahmat\b", "achmat"),
    (r"\bYusuf\b", "Jusuf"), (r"\bYu", "Ju"), (r"i$", "y"), (r"u", "oe"), (r"sy", "sh"),
    (r"\bAbdul\s", "Abd. "), (r"ah\b", "a"), (r"din\b", "ddin"), (r"ddin\b", "din"),
)


def _respell(rng: Random, name: str) -> str:
    """The same person written by another RT: usually a plausible different spelling."""
    if rng.random() < 0.25:
        return name  # entered twice with exactly the same name
    was_upper = name.isupper()
    base = name.title() if was_upper else name
    for i in rng.sample(range(len(_RESPELLINGS)), len(_RESPELLINGS)):
        pattern, replacement = _RESPELLINGS[i]
        changed = re.sub(pattern, replacement, base, count=1, flags=re.IGNORECASE)
        if changed != base and changed.strip():
            base = changed
            break
    upper = was_upper != (rng.random() < 0.3)  # one list copied the KTP in capitals, one did not
    result = base.upper() if upper else base
    if result == name:
        result = name.title() if was_upper else name.upper()
    return result


def _impossible_date_nik(rng: Random, nik: str) -> str:
    dd, mm = int(nik[6:8]), nik[8:10]
    choice = rng.randrange(4)
    if choice == 0:
        date_part = f"{dd:02d}13"  # month 13
    elif choice == 1:
        date_part = f"{dd:02d}00"  # month 00
    elif choice == 2:
        date_part = f"{72 if dd > 40 else 32}{mm}"  # day 32 (or 72 for a woman)
    else:
        date_part = f"{40 if dd > 40 else 0:02d}{mm}"  # day 00 (40 for a woman)
    return nik[:6] + date_part + nik[10:]


def _excel_general(number: float) -> str:
    """A number as Excel's General format shows it in a normal-width column: 2.10203E+15."""
    if number.is_integer() and abs(number) < 1e11:
        return str(int(number))
    mantissa, exponent = f"{number:.5E}".split("E")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}E{exponent}"


# --------------------------------------------------------------------------------------------
# The plan: which rows carry which flaw.


def _plan(n: int, flaw_rate: float, rng: Random) -> dict[int, str]:
    """Exactly round(n × flaw_rate) flawed rows, the mix apportioned by FLAW_WEIGHTS."""
    k = round(n * flaw_rate)
    if k == 0:
        return {}
    total = sum(FLAW_WEIGHTS.values())
    quotas = {f: k * w / total for f, w in FLAW_WEIGHTS.items()}
    counts = {f: int(q) for f, q in quotas.items()}
    # Largest remainder; ties go to the more frequent flaw (FLAWS is ordered by weight).
    for f in sorted(FLAWS, key=lambda f: -(quotas[f] - counts[f]))[: k - sum(counts.values())]:
        counts[f] += 1
    flaws = [f for f in FLAWS for _ in range(counts[f])]
    rng.shuffle(flaws)
    rows = sorted(rng.sample(range(n), k))
    # A duplicate needs an earlier clean row. Clean rows exist before row r unless every row
    # up to r is flawed; move such duplicates later by swapping with a later non-duplicate flaw.
    first_clean = next((i for i in range(n) if i >= len(rows) or rows[i] != i), n)
    for i, row in enumerate(rows):
        if flaws[i] == "nik_ganda" and row < first_clean:
            j = next((j for j in range(len(rows) - 1, i, -1)
                      if flaws[j] != "nik_ganda" and rows[j] > first_clean), None)
            if j is None:
                flaws[i] = "jk_beda"  # no clean row at all before it: nothing to duplicate
            else:
                flaws[i], flaws[j] = flaws[j], flaws[i]
    return dict(zip(rows, flaws))


# --------------------------------------------------------------------------------------------
# Public API


def iter_rows(*, n: int, kabupaten: str = "21.02", coverage_start: date = date(2025, 11, 1),
              seed: int = 2025, flaw_rate: float = 0.06,
              desa_codes: list[str] | None = None) -> Iterator[DemoRow]:
    """The rows of generate_rows one at a time, for lists too big to hold (the benchmark)."""
    if n < 0:
        raise ValueError("n tidak boleh negatif.")
    if not 0.0 <= flaw_rate <= 1.0:
        raise ValueError("flaw_rate harus antara 0 dan 1.")
    generator = _Generator(kabupaten=kabupaten, coverage_start=coverage_start, seed=seed,
                           desa_codes=desa_codes)
    plan = _plan(n, flaw_rate, _Rng(seed * 104729 + 3))
    for i in range(n):
        yield generator.row(plan.get(i))


def generate_rows(*, n: int, kabupaten: str = "21.02", coverage_start: date = date(2025, 11, 1),
                  seed: int = 2025, flaw_rate: float = 0.06,
                  desa_codes: list[str] | None = None) -> list[DemoRow]:
    """n candidate rows for a kabupaten; exactly round(n × flaw_rate) of them carry one flaw."""
    return list(iter_rows(n=n, kabupaten=kabupaten, coverage_start=coverage_start, seed=seed,
                          flaw_rate=flaw_rate, desa_codes=desa_codes))


_WIDTHS = (20, 20, 30, 22, 13, 12, 36, 5, 5, 20, 22, 18, 26, 22)


def build_xlsx(rows: Iterable[DemoRow], *, title: str | None = None) -> bytes:
    """An .xlsx as a desa sends it: one sheet "Calon Peserta", the header on row 1 (or, with a
    `title`, the title on row 1, a blank row 2 and the header on row 3), then one row per DemoRow.

    Cells are written as the values say: str -> text (NIK and No. KK with the "@" text format, as
    the template does), date -> an Excel date shown dd/mm/yyyy, int/float -> a number cell with
    the General format (a damaged NIK shows as 2.10205E+15), None -> blank. Rows are written one
    by one in constant-memory mode, so `rows` may be a generator (iter_rows) of any length.
    """
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"constant_memory": True, "strings_to_numbers": False,
                                            "strings_to_formulas": False, "strings_to_urls": False})
    workbook.set_properties({"title": title or "Daftar calon peserta", "author": "lindung demo",
                             "created": XLSX_CREATED})
    sheet = workbook.add_worksheet(SHEET_NAME)
    header_format = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1,
                                         "text_wrap": True, "valign": "top"})
    text = workbook.add_format({"num_format": "@"})
    date_format = workbook.add_format({"num_format": DATE_FORMAT})
    for col, width in enumerate(_WIDTHS):
        sheet.set_column(col, col, width)
    row_index = 0
    if title:
        sheet.write_string(0, 0, title, workbook.add_format({"bold": True, "font_size": 12}))
        row_index = 2  # a blank line between the title and the header, as desa lists have
    for col, label in enumerate(COLUMNS):
        sheet.write_string(row_index, col, label, header_format)
    sheet.freeze_panes(row_index + 1, 0)
    write_string, write_number, write_datetime = sheet.write_string, sheet.write_number, sheet.write_datetime
    text_cols = {0, 1}
    for demo_row in rows:
        row_index += 1
        values = demo_row.values
        for col, key in enumerate(COLUMNS):
            value = values.get(key)
            if value is None:
                continue
            kind = type(value)
            if kind is str:
                if col in text_cols:
                    write_string(row_index, col, value, text)
                else:
                    write_string(row_index, col, value)
            elif kind is date:
                write_datetime(row_index, col, value, date_format)
            else:
                write_number(row_index, col, value)
    workbook.close()
    return output.getvalue()


def build_csv(rows: Iterable[DemoRow], *, delimiter: str = ";", encoding: str = "utf-8") -> bytes:
    """The same list saved as CSV: dates as dd/mm/yyyy, number cells as Excel's General shows them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows([_csv_text(demo_row.values.get(key)) for key in COLUMNS] for demo_row in rows)
    return buffer.getvalue().encode(encoding)


def _csv_text(value: object) -> str:
    if value is None:
        return ""
    if type(value) is date:
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    if type(value) is float:
        return _excel_general(value)
    return str(value)
