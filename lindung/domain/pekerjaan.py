"""Occupations (pekerjaan) and funding sources (sumber dana).

The codes feed the Excel drop-downs and the rules: which occupations are transport-sector (PP 50/2025
discount) and which occupations a funding source may pay for (DBHCHT, domain.md R19). Labels are what
operators see; codes are what the database and the rules store.
"""

from __future__ import annotations

import re

# Ordered as the drop-down shows them: the occupations regional programmes report most come first
# (domain.md §0 and §4.3: Karimun, PPU, Natuna, Batam, DBHCHT programmes).
PEKERJAAN: dict[str, str] = {
    "petani": "Petani",
    "buruh_tani": "Buruh tani",
    "nelayan": "Nelayan",
    "ojek_pangkalan": "Ojek pangkalan",
    "ojol": "Ojek online (ojol)",
    "sopir": "Sopir / pengemudi angkutan",
    "kurir": "Kurir paket / logistik",
    "pedagang_kecil": "Pedagang kecil",
    "buruh_harian_lepas": "Buruh harian lepas",
    "buruh_bongkar_muat": "Buruh bongkar muat",
    "marbot": "Marbot masjid",
    "guru_ngaji": "Guru ngaji",
    "kader_posyandu": "Kader posyandu",
    "perangkat_desa": "Perangkat desa",
    "rt_rw_lpm": "Pengurus RT/RW/LPM",
    "tukang_parkir": "Tukang parkir",
    "pekerja_rumah_tangga": "Pekerja rumah tangga",
    "serabutan": "Pekerja serabutan",
    "atlet": "Atlet",
    "penggali_kubur": "Penggali kubur",
    "petani_tembakau": "Petani tembakau",
    "buruh_tani_tembakau": "Buruh tani tembakau",
    "buruh_pabrik_rokok": "Buruh pabrik rokok",
}

SEKTOR_TRANSPORTASI = "transportasi"

# PP 50/2025 names "pengemudi ojek daring dan pangkalan, sopir, serta kurir paket dan logistik"
# (ntvnews / Kompas TV, domain.md §2).
TRANSPORT_PEKERJAAN = frozenset({"ojek_pangkalan", "ojol", "sopir", "kurir"})

# Funding sources a programme can draw on (domain.md §4, funding sources).
SUMBER_DANA: dict[str, str] = {
    "apbd_kabkota": "APBD Kabupaten/Kota",
    "apbd_provinsi": "APBD Provinsi",
    "dbhcht": "DBHCHT",
    "apbdes": "APBDes",
    "dana_desa": "Dana Desa",
}

_ALL_PEKERJAAN = frozenset(PEKERJAAN)

# DBHCHT may only pay for tobacco farmers, tobacco farm labourers and cigarette factory workers
# (PMK 215/PMK.07/2021; domain.md R19). Every other source may pay for any occupation; a programme
# can still narrow this with its own list (eligibility.check_pekerjaan's `allowed`).
ALLOWED_PEKERJAAN_BY_SUMBER: dict[str, frozenset[str]] = {
    "apbd_kabkota": _ALL_PEKERJAAN,
    "apbd_provinsi": _ALL_PEKERJAAN,
    "dbhcht": frozenset({"petani_tembakau", "buruh_tani_tembakau", "buruh_pabrik_rokok"}),
    "apbdes": _ALL_PEKERJAAN,
    "dana_desa": _ALL_PEKERJAAN,
}


class PekerjaanError(ValueError):
    """An occupation code that is not in PEKERJAAN."""


# What people type in the pekerjaan column, normalised (see _normalise), mapped to a code.
# A bare "ojek" is read as ojek pangkalan: online drivers almost always say "online"/"ojol"/"daring".
_SYNONYMS: dict[str, str] = {
    "tani": "petani",
    "bertani": "petani",
    "pekebun": "petani",
    "buruh tani": "buruh_tani",
    "nelayan tradisional": "nelayan",
    "ojek": "ojek_pangkalan",
    "tukang ojek": "ojek_pangkalan",
    "ojek konvensional": "ojek_pangkalan",
    "ojek online": "ojol",
    "ojek daring": "ojol",
    "driver ojol": "ojol",
    "driver online": "ojol",
    "pengemudi ojol": "ojol",
    "pengemudi ojek online": "ojol",
    "supir": "sopir",
    "sopir angkot": "sopir",
    "supir angkot": "sopir",
    "pengemudi": "sopir",
    "kurir paket": "kurir",
    "kurir logistik": "kurir",
    "pedagang": "pedagang_kecil",
    "pedagang kaki lima": "pedagang_kecil",
    "pkl": "pedagang_kecil",
    "pedagang keliling": "pedagang_kecil",
    "buruh harian": "buruh_harian_lepas",
    "harian lepas": "buruh_harian_lepas",
    "bhl": "buruh_harian_lepas",
    "tkbm": "buruh_bongkar_muat",
    "kuli angkut": "buruh_bongkar_muat",
    "buruh pelabuhan": "buruh_bongkar_muat",
    "marbut": "marbot",
    "marbot masjid": "marbot",
    "penjaga masjid": "marbot",
    "guru mengaji": "guru_ngaji",
    "posyandu": "kader_posyandu",
    "aparat desa": "perangkat_desa",
    "rt": "rt_rw_lpm",
    "rw": "rt_rw_lpm",
    "lpm": "rt_rw_lpm",
    "rt rw": "rt_rw_lpm",
    "rt rw lpm": "rt_rw_lpm",
    "ketua rt": "rt_rw_lpm",
    "ketua rw": "rt_rw_lpm",
    "pengurus rt rw lpm": "rt_rw_lpm",
    "juru parkir": "tukang_parkir",
    "jukir": "tukang_parkir",
    "prt": "pekerja_rumah_tangga",
    "asisten rumah tangga": "pekerja_rumah_tangga",
    "art": "pekerja_rumah_tangga",
    "pekerja serabutan": "serabutan",
    "olahragawan": "atlet",
    "penggali makam": "penggali_kubur",
    "buruh rokok": "buruh_pabrik_rokok",
    "pekerja pabrik rokok": "buruh_pabrik_rokok",
    "buruh linting": "buruh_pabrik_rokok",
    "buruh linting rokok": "buruh_pabrik_rokok",
}


def _normalise(text: str) -> str:
    # Case, punctuation (RT/RW, buruh-harian, ojek_online) and runs of spaces are noise in a spreadsheet.
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


def _build_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for code, label in PEKERJAAN.items():
        lookup[_normalise(code)] = code
        lookup[_normalise(label)] = code
    lookup.update(_SYNONYMS)
    return lookup


_LOOKUP = _build_lookup()


def parse_pekerjaan(text: str | None) -> str | None:
    """Free text from a spreadsheet -> occupation code, or None when it is blank or not recognised.

    Matching is exact after normalisation, never fuzzy: a wrong guess would put someone under the
    wrong funding rules, while None sends the row to a person for review.
    """
    if not isinstance(text, str):
        return None
    return _LOOKUP.get(_normalise(text))


def label_of(pekerjaan: str) -> str:
    try:
        return PEKERJAAN[pekerjaan]
    except KeyError:
        raise PekerjaanError(f"Kode pekerjaan tidak dikenal: {pekerjaan!r}.") from None


def sektor_of(pekerjaan: str | None) -> str | None:
    """'transportasi' for drivers and couriers (PP 50/2025 discount), else None."""
    if pekerjaan is None:
        return None
    label_of(pekerjaan)  # unknown codes are a programming error, not "no sector"
    return SEKTOR_TRANSPORTASI if pekerjaan in TRANSPORT_PEKERJAAN else None
