"""Kemendagri region codes: a bundled snapshot, lookups, and the map for codes removed by pemekaran.

The table is `data/wilayah.csv` (Kepmendagri 300.2.2-2138/2025; see data/README.md for its source).
It is read on first use, once per process, and kept as plain dicts: `Wilayah` values are made on
demand, so loading all 83.762 desa costs one CSV parse, not 91.000 objects.

Codes are dotted everywhere ("21.02.01.2001"); `normalise_kode` accepts the undotted form people type.
"""

from __future__ import annotations

import csv
import re
import threading
from dataclasses import dataclass
from importlib import resources
from typing import NamedTuple

from lindung.domain.problems import Problem

# Stored next to every region field (R20): a code only means something together with its table.
SNAPSHOT = "Kepmendagri 300.2.2-2138/2025"

TINGKAT_BY_LEVEL = {1: "provinsi", 2: "kabupaten/kota", 3: "kecamatan", 4: "desa/kelurahan"}
# re.ASCII: a bare \d would also accept Arabic-Indic or full-width digits, which no table contains.
_DOTTED_RE = re.compile(r"\d\d(?:\.\d\d(?:\.\d\d(?:\.\d{4})?)?)?", re.ASCII)
_DIGITS_RE = re.compile(r"\d{2}|\d{4}|\d{6}|\d{10}", re.ASCII)


@dataclass(frozen=True, slots=True)
class Wilayah:
    kode: str  # dotted: "21", "21.03", "21.03.01", "21.03.01.2001"
    nama: str  # "Kepulauan Riau", "Kabupaten Natuna", "Kota Batam"; kecamatan/desa names as given
    tingkat: str  # provinsi | kabupaten | kota | kecamatan | desa | kelurahan
    induk: str | None  # parent's dotted code; None for a provinsi

    @property
    def level(self) -> int:
        return self.kode.count(".") + 1


class _Table(NamedTuple):
    names: dict[str, str]  # kode -> nama, every current code
    children: dict[str, list[str]]  # kode -> direct children's codes, sorted
    by_level: dict[int, list[str]]  # 1..4 -> codes, sorted
    legacy: dict[str, str]  # code removed by pemekaran -> current code


_table: _Table | None = None
_lock = threading.Lock()


def _rows(filename: str) -> list[list[str]]:
    source = resources.files("lindung.domain") / "data" / filename
    with source.open("r", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return rows[1:]  # drop the header


def _load() -> _Table:
    names: dict[str, str] = {}
    children: dict[str, list[str]] = {}
    by_level: dict[int, list[str]] = {1: [], 2: [], 3: [], 4: []}
    # The CSV is sorted, so every list below comes out sorted without sorting it again.
    for kode, nama in _rows("wilayah.csv"):
        names[kode] = nama
        by_level[kode.count(".") + 1].append(kode)
        if "." in kode:
            children.setdefault(kode.rsplit(".", 1)[0], []).append(kode)
    legacy = {old: new for old, _nama_lama, new in _rows("wilayah_lama.csv")}
    return _Table(names, children, by_level, legacy)


def _data() -> _Table:
    global _table
    table = _table
    if table is None:
        # Double-checked: threads that arrive during the first load wait for it instead of
        # parsing the CSV a second time.
        with _lock:
            if _table is None:
                _table = _load()
            table = _table
    return table


def normalise_kode(kode: str) -> str | None:
    """'2103', '21.03', ' 21.03.01.2001 ', '2103012001' -> dotted code; None if not 2/4/6/10 digits."""
    if not isinstance(kode, str):
        return None
    text = kode.strip()
    if _DOTTED_RE.fullmatch(text):
        return text
    if not _DIGITS_RE.fullmatch(text):
        return None
    parts = [text[:2], text[2:4], text[4:6], text[6:10]]
    return ".".join(p for p in parts if p)


def _tingkat(kode: str) -> str:
    level = kode.count(".") + 1
    if level == 1:
        return "provinsi"
    if level == 2:
        return "kota" if int(kode[3:5]) >= 71 else "kabupaten"
    if level == 3:
        return "kecamatan"
    # First digit of the 4th segment: 1 kelurahan, 2 desa, 3 desa adat. A desa adat is a desa
    # (UU 6/2014), so it counts as "desa"; the name says "Desa Adat ...".
    return "kelurahan" if kode[9] == "1" else "desa"


def _make(kode: str, nama: str) -> Wilayah:
    induk = kode.rsplit(".", 1)[0] if "." in kode else None
    return Wilayah(kode=kode, nama=nama, tingkat=_tingkat(kode), induk=induk)


def get(kode: str) -> Wilayah | None:
    """The current region with this code (dotted or not), or None."""
    dotted = normalise_kode(kode)
    if dotted is None:
        return None
    nama = _data().names.get(dotted)
    return None if nama is None else _make(dotted, nama)


def children(kode: str) -> list[Wilayah]:
    """Direct children sorted by code; [] for a desa/kelurahan or an unknown code."""
    dotted = normalise_kode(kode)
    table = _data()
    return [_make(k, table.names[k]) for k in table.children.get(dotted or "", [])]


def all_at(tingkat_level: int) -> list[Wilayah]:
    """Every region at one level: 1 provinsi, 2 kab/kota, 3 kecamatan, 4 desa/kelurahan."""
    if tingkat_level not in TINGKAT_BY_LEVEL:
        raise ValueError(f"tingkat_level must be 1, 2, 3 or 4, not {tingkat_level!r}")
    table = _data()
    return [_make(k, table.names[k]) for k in table.by_level[tingkat_level]]


def is_kota(kode: str) -> bool:
    """True for a kab/kota-level code numbered 71-99 (the numbering rule, no table lookup)."""
    dotted = normalise_kode(kode)
    return dotted is not None and dotted.count(".") == 1 and int(dotted[3:5]) >= 71


def is_kelurahan(kode: str) -> bool:
    """True for a desa/kelurahan-level code whose 4th segment starts with 1 (no table lookup)."""
    dotted = normalise_kode(kode)
    return dotted is not None and dotted.count(".") == 3 and dotted[9] == "1"


def legacy_codes() -> dict[str, str]:
    """A copy of the map: code removed by pemekaran -> current code (kab/kota and kecamatan)."""
    return dict(_data().legacy)


def resolve_legacy(kode: str) -> tuple[Wilayah | None, list[Problem]]:
    """The current region for `kode`, following the pemekaran map when the code is an old one.

    A current code gives (region, []). An old kab/kota or kecamatan code gives the new region and a
    warning `kode_wilayah_lama`. Anything else gives (None, [error `kode_wilayah_tidak_dikenal`]).
    """
    dotted = normalise_kode(kode)
    if dotted is None:
        return None, [_problem_not_a_code(kode)]
    current = get(dotted)
    if current is not None:
        return current, []
    new = _data().legacy.get(dotted)
    if new is not None:
        region = get(new)
        return region, [_problem_old_code(dotted, region)]
    return None, [_problem_unknown(dotted)]


def _describe(kode: str) -> str:
    """'Merauke, Kabupaten Merauke, Provinsi Papua Selatan': a code's name with its ancestors'."""
    names = _data().names
    parts = [names[kode[:n]] for n in (8, 5, 2) if len(kode) >= n]
    parts[-1] = f"Provinsi {parts[-1]}"
    return ", ".join(parts)


def _problem_old_code(old: str, region: Wilayah) -> Problem:
    message = (
        f"Kode wilayah {old} adalah kode lama dari sebelum pemekaran Papua tahun 2022; "
        f"kode yang berlaku sekarang {region.kode} ({_describe(region.kode)})."
    )
    return Problem("kode_wilayah_lama", message, "warning")


def _problem_unknown(dotted: str) -> Problem:
    message = f"Kode wilayah {dotted} tidak ada dalam tabel {SNAPSHOT}."
    # An old desa code: the split renumbered desa too, and we do not map desa (see data/README.md),
    # but we can at least point to the kecamatan it now belongs to.
    kecamatan = _data().legacy.get(dotted[:8]) if dotted.count(".") == 3 else None
    if kecamatan is not None:
        message += (
            f" Kode ini berasal dari sebelum pemekaran Papua tahun 2022; kecamatannya sekarang "
            f"{kecamatan} ({_describe(kecamatan)}). Pilih kode desa yang baru."
        )
    return Problem("kode_wilayah_tidak_dikenal", message, "error")


def _problem_not_a_code(kode: object) -> Problem:
    message = f'Kode wilayah harus 2, 4, 6 atau 10 digit angka; yang tertulis "{kode}".'
    return Problem("kode_wilayah_tidak_dikenal", message, "error")
