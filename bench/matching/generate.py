"""Deterministic generator of messy Indonesian person records with ground truth (matching benchmark).

    .venv/bin/python bench/matching/generate.py --seed 1 --candidates 10000 --registry 100000 --out DIR

Writes to DIR:
    kandidat.parquet          candidate list (desa lists): id, nik, nama, tanggal_lahir, jenis_kelamin,
                              nama_ibu, desa, kecamatan, kabupaten, no_hp (all text, as written)
    registri.parquet          BPJS participants: the same columns and kpj
    truth_links.csv           candidate_id,registry_id: the same person in both files
    truth_duplicates.csv      id_a,id_b (id_a < id_b): every pair of candidate records of one person
    lookalikes.csv            id_a,id_b,kind: records of DIFFERENT people who look alike (twin or
                              namesake); candidate x candidate (id_a < id_b) and candidate x registry
                              (id_a = the candidate)
    meta.json                 parameters, counts and generation time

The world: a population of true persons in five kabupaten (Karimun, Natuna, Penajam Paser Utara,
Kotabaru, Paser), each with a NIK built like a real one (kecamatan of first registration, DDMMYY
with women's day + 40, serial from 0001), a birth date for ages 18-65, a name from ethnic-group
pools, parents, a desa and a phone. Every appearance of a person in a file is written on its own
with noise (see `render_*`). Same seed and sizes give byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import random
import sys
import time
from bisect import bisect
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pools  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
WILAYAH_CSV = ROOT / "lindung" / "domain" / "data" / "wilayah.csv"
VERSION = 2
REFERENCE_YEAR, REFERENCE_MONTH = 2025, 11  # ages 18-65 on 1 November 2025

CANDIDATE_COLUMNS = ("id", "nik", "nama", "tanggal_lahir", "jenis_kelamin", "nama_ibu",
                     "desa", "kecamatan", "kabupaten", "no_hp")
REGISTRY_COLUMNS = CANDIDATE_COLUMNS + ("kpj",)

# --- World parameters ----------------------------------------------------------------------------
LINK_SHARE = 0.35            # candidate persons also in the registry
DUPLICATE_SHARE = 0.065      # candidate persons written twice (or three times) in the candidate list
TRIPLE_SHARE = 0.15          # of the duplicated persons, those written three times
TWIN_SHARE = 0.015           # candidate persons with a twin who is also written somewhere
NAMESAKE_SHARE = 0.02        # candidate persons with a constructed namesake written somewhere
PARTNER_PLACEMENT = (("candidates", 0.45), ("registry", 0.35), ("both", 0.20))

# Per-appearance noise. Candidate lists (desa spreadsheets) are messier than the BPJS registry.
CANDIDATE_NOISE = {
    "nik": {"blank": 0.05, "typo": 0.03, "transpose": 0.02, "scientific": 0.02, "zero_tail": 0.02,
            "length": 0.015, "relative": 0.015, "format": 0.05},
    "dob": {"blank": 0.04, "swap": 0.025, "digit": 0.02, "year_only": 0.02},
    "sex_blank": 0.05, "sex_wrong": 0.004, "mother_blank": 0.5, "phone_blank": 0.3,
    "phone_changed": 0.15, "name_scale": 1.0, "title_keep": 0.55, "desa_prefix": 0.12,
    "kecamatan_prefix": 0.12, "old_desa": 0.0, "blank_tokens": (None, None, None, None, "", "-"),
    "relative_in_data": 0.6,
}
REGISTRY_NOISE = {
    "nik": {"blank": 0.02, "typo": 0.03, "transpose": 0.02, "scientific": 0.02,
            "zero_tail": 0.025, "length": 0.01, "relative": 0.005, "format": 0.01},
    "dob": {"blank": 0.01, "swap": 0.012, "digit": 0.012, "year_only": 0.01},
    "sex_blank": 0.01, "sex_wrong": 0.002, "mother_blank": 0.2, "phone_blank": 0.25,
    "phone_changed": 0.25, "name_scale": 0.7, "title_keep": 0.4, "desa_prefix": 0.05,
    "kecamatan_prefix": 0.05, "old_desa": 0.1, "blank_tokens": (None,),
    "relative_in_data": 0.3,
}
NAME_PREFIXES = {"Siti", "Sitti", "Nur", "Noor", "Muhammad", "Ahmad", "Abdul", "Andi", "I", "Ni",
                 "Wan", "Raja", "Tengku", "Gusti", "Antung", "Aji", "La", "Sri"}
NAME_NOISE = {  # probabilities at name_scale 1.0
    "variant": 0.14, "generic_spelling": 0.04, "typo": 0.06, "drop_middle": 0.06, "initial": 0.03,
    "swap": 0.02, "join_split": 0.04, "patronym": 0.05, "batak_boru": 0.35, "space": 0.03,
}


# --- Random helpers --------------------------------------------------------------------------------
def zipf(items, exponent=0.7):
    """A list with cumulative Zipf weights by rank, for `pick`."""
    cum = list(accumulate(1.0 / (rank + 1.5) ** exponent for rank in range(len(items))))
    return (list(items), cum)


def pick(rng, weighted, top=None):
    """A Zipf-weighted item; with `top`, only among the `top` most common."""
    items, cum = weighted
    total = cum[min(top, len(cum)) - 1] if top else cum[-1]
    return items[bisect(cum, rng.random() * total)]


def weights(pairs):
    """(item, weight) pairs -> (items, cumulative weights), for `pick`."""
    pairs = list(pairs.items()) if isinstance(pairs, dict) else list(pairs)
    return ([k for k, _ in pairs], list(accumulate(w for _, w in pairs)))


def pick_uniform(rng, items):
    return items[int(rng.random() * len(items))]


def pick_share(rng, shares):
    """One key of a {key: weight} dict or ((key, weight), ...) sequence."""
    pairs = shares.items() if isinstance(shares, dict) else shares
    r = rng.random() * sum(w for _, w in pairs)
    for key, weight in pairs:
        r -= weight
        if r < 0:
            return key
    return key


# --- Regions -------------------------------------------------------------------------------------
class Regions:
    """Kabupaten, kecamatan and desa of the study area, from lindung/domain/data/wilayah.csv."""

    def __init__(self, n_candidates):
        names, kecamatan_by_province = {}, {}
        with open(WILAYAH_CSV, encoding="utf-8") as handle:
            rows = csv.reader(handle)
            next(rows)  # kode,nama
            for code, name in rows:
                names[code] = name
                if len(code) == 8:
                    kecamatan_by_province.setdefault(code[:2], []).append(code)
        self.names = names
        self.kecamatan_by_province = kecamatan_by_province
        desa = {}
        for code in names:
            if len(code) == 13:
                desa.setdefault(code[:8], []).append(code)
        area = study_area(names, desa, n_candidates)
        self.kabupaten = list(area)
        self.kabupaten_weights = weights(area)
        self.kecamatan = {kab: [c for c in kecamatan_by_province[kab[:2]] if c.startswith(kab + ".") and c in desa]
                          for kab in self.kabupaten}
        self.desa = {kec: desa[kec] for kecs in self.kecamatan.values() for kec in kecs}
        self.kecamatan_weights = {kab: weights((k, len(self.desa[k]) + 1) for k in kecs)
                                  for kab, kecs in self.kecamatan.items()}

    def random_desa(self, rng, kab=None, kecamatan=None):
        kab = kab or pick(rng, self.kabupaten_weights)
        kecamatan = kecamatan or pick(rng, self.kecamatan_weights[kab])
        return pick_uniform(rng, self.desa[kecamatan])

    def nearby_desa(self, rng, desa):
        """Another desa, in the same kecamatan (70 %) or elsewhere in the same kabupaten."""
        same_kecamatan = self.desa[desa[:8]]
        if rng.random() < 0.7 and len(same_kecamatan) > 1:
            choice = pick_uniform(rng, same_kecamatan)
        else:
            choice = self.random_desa(rng, kab=desa[:5])
        return choice if choice != desa else self.random_desa(rng, kab=desa[:5])


def study_area(names, desa, n_candidates):
    """{kabupaten code: population weight}: the five core kabupaten, then more as the data grows."""
    area = dict(pools.CORE_KABUPATEN_WEIGHT)
    wanted = max(len(area), -(-n_candidates // pools.CANDIDATES_PER_KABUPATEN))
    desa_count = {}
    for kecamatan, codes in desa.items():
        desa_count[kecamatan[:5]] = desa_count.get(kecamatan[:5], 0) + len(codes)
    for code in sorted(names):
        if len(area) >= wanted:
            break
        if len(code) == 5 and code[:2] in pools.EXTRA_PROVINCES and code not in area and code in desa_count:
            is_kota = code[3] in "789"
            area[code] = desa_count[code] / (2 if is_kota else 7)
    return area


# --- Persons -------------------------------------------------------------------------------------
class Person:
    __slots__ = ("pid", "group", "sex", "name", "father", "mother", "haji", "prefix_degree",
                 "suffix_degree", "dob", "nik", "desa", "phone")

    def key(self):
        """Namesake key: the true name, birth year and domicile kecamatan."""
        return (" ".join(self.name).lower(), self.dob[0], self.desa[:8])


@dataclass(frozen=True)
class NameSpec:
    """One group's pools for one sex (see pools.GROUPS)."""

    single: tuple | None
    single_share: float
    prefixes: tuple
    first: tuple | None
    last: tuple | None
    third_share: float
    syllables: tuple | None


def syllable_name(rng, start, middle, end):
    """A Javanese single name from syllables: Su + gi + yanto, Pa + r + iyem."""
    middle = pick(rng, middle) if rng.random() < 0.8 else ""
    end = pick(rng, end)
    if middle and middle[-1] in "aiueo" and end[0] in "aiueo":
        end = ("y" if middle[-1] in "ai" else "w") + end
    return pick(rng, start) + middle + end


class NameMaker:
    """Names by ethnic group and sex, from the Zipf-weighted pools in pools.py."""

    def __init__(self):
        self.pools, self.specs = {}, {}
        for group, spec in pools.GROUPS.items():
            weighted = {key: zipf(value) for key, value in spec.items()
                        if isinstance(value, list) and value and isinstance(value[0], str)}
            self.pools[group] = weighted
            syllables = {k: zipf(v, 0.5) for k, v in spec.get("syllables", {}).items()}
            for sex, s in (("L", "m_"), ("P", "f_")):
                self.specs[group, sex] = NameSpec(
                    single=weighted.get(s + "single"), single_share=spec.get("single_share", 0.0),
                    prefixes=tuple(spec.get(s + "prefix", ())), first=weighted.get(s + "first"),
                    last=weighted.get(s + "last"), third_share=spec.get("third_share", 0.0),
                    syllables=(syllables["start"], syllables["middle"], syllables[s + "end"]) if syllables else None)
        self.special = {"batak": self._batak, "chinese": self._chinese}

    def make(self, rng, group, sex, top=None):
        special = self.special.get(group)
        if special:
            return tuple(special(rng, group, sex, top))
        return tuple(self._generic(rng, self.specs[group, sex], top))

    def _pick(self, rng, group, key, top):
        return pick(rng, self.pools[group][key], top)

    @staticmethod
    def _generic(rng, spec, top):
        """[prefix] first [last]: "Muhammad Rizki", "Sri Wahyuni", "I Made Sudarma", "Suparmi"."""
        if spec.single and rng.random() < spec.single_share:
            if spec.syllables and not top and rng.random() < 0.5:
                return [syllable_name(rng, *spec.syllables)]
            return [pick(rng, spec.single, top)]
        parts = []
        r = rng.random()
        for prefix, share in spec.prefixes:
            r -= share
            if r < 0:
                parts.append(prefix)
                break
        parts.append(pick(rng, spec.first, top))
        if spec.single:
            last_share = 1.0
        elif len(parts) > 1:
            last_share = 0.35
        else:
            last_share = 1 - spec.single_share
        if rng.random() < last_share:
            last = pick(rng, spec.last, top)
            if not parts[-1].lower().endswith(last.lower()):
                parts.append(last)
        if rng.random() < spec.third_share and not top:
            extra = pick(rng, spec.last)
            if extra not in parts:
                parts.insert(-1, extra)
        return parts

    def _batak(self, rng, group, sex, top):
        first = self._pick(rng, group, "m_first" if sex == "L" else "f_first", top)
        return [first, self._pick(rng, group, "marga", top)]

    def _chinese(self, rng, group, sex, top):
        if rng.random() < 0.55:
            first = self._pick(rng, group, "m_first" if sex == "L" else "f_first", top)
            if rng.random() < 0.2:
                return [first]
            surname = self._pick(rng, group, "surname_id", top)
            return [first, surname] if surname != first else [first]
        return [self._pick(rng, group, "clan", top), self._pick(rng, group, "syllable", top),
                self._pick(rng, group, "syllable", top)]


class SerialAllocator:
    """NIK serials per (kecamatan, DDMMYY): start at 0001 (often) or a small number, small gaps."""

    def __init__(self, rng):
        self.rng, self.next = rng, {}

    def take(self, prefix):
        rng = self.rng
        serial = self.next.get(prefix)
        if serial is None:
            serial = 1 if rng.random() < 0.55 else 1 + int(rng.random() ** 2 * 80)
        self.next[prefix] = serial + 1 + (int(rng.random() * 6) + 1 if rng.random() < 0.25 else 0)
        return serial


DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def valid_date(year, month, day):
    if not 1 <= month <= 12 or day < 1:
        return False
    leap = month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return day <= DAYS_IN_MONTH[month - 1] + leap


def random_dob(rng):
    """A birth date for an age of 18-65 on 1 November 2025; some 'unknown' dates (31-12, 01-01)."""
    age = 18 + int(48 * rng.random() ** 1.2)
    year = REFERENCE_YEAR - age  # born on or before 1 November of this year
    r = rng.random()
    if r < 0.025:
        month, day = 12, 31
    elif r < 0.04:
        month, day = 1, 1
    elif r < 0.05:
        month, day = 7, 1
    else:
        month = 1 + int(rng.random() * 12)
        day = 1 + int(rng.random() * (DAYS_IN_MONTH[month - 1] + (month == 2 and year % 4 == 0)))
    if (month, day) > (REFERENCE_MONTH, 1):  # birthday still to come: born a year earlier
        year -= 1
    return (year, month, day) if valid_date(year, month, day) else (year, month, 28)


class World:
    """Creates persons: names, parents, dates, NIKs, domicile, phone, titles."""

    def __init__(self, rng, regions):
        self.rng, self.regions = rng, regions
        self.names = NameMaker()
        self.serials = SerialAllocator(rng)
        self.mix = {kab: weights(pools.KABUPATEN_MIX.get(kab) or pools.PROVINCE_MIX[kab[:2]])
                    for kab in regions.kabupaten}
        self.household_niks = {}  # desa -> NIKs of persons living there (for "relative's NIK")
        self.count = 0

    def person(self, desa=None, group=None, sex=None, dob=None, name=None, mother=None,
               father=None, nik=None):
        rng = self.rng
        p = Person()
        p.pid, self.count = self.count, self.count + 1
        p.desa = desa or self.regions.random_desa(rng)
        p.group = group or pick(rng, self.mix[p.desa[:5]])
        p.sex = sex or ("L" if rng.random() < 0.5 else "P")
        p.name = name or self.names.make(rng, p.group, p.sex)
        p.father = father  # made when first needed (bin/binti): most records never show it
        p.mother = mother or self.mother_name(p.group)
        p.dob = dob or random_dob(rng)
        self.give_titles(p)
        p.nik = nik or self.make_nik(p)
        p.phone = self.make_phone() if rng.random() < 0.85 else None
        self.household_niks.setdefault(p.desa, []).append(p.nik)
        return p

    def father_of(self, p):
        if p.father is None:
            p.father = self.names.make(self.rng, p.group, "L")[:2]
        return p.father

    def mother_name(self, group):
        parts = self.names.make(self.rng, group, "P")
        return " ".join(parts[:2] if self.rng.random() < 0.7 else parts)

    def give_titles(self, p):
        rng, age = self.rng, REFERENCE_YEAR - p.dob[0]
        p.haji = age >= 35 and rng.random() < 0.07
        p.suffix_degree = pick_uniform(rng, pools.SUFFIX_DEGREES) if rng.random() < 0.05 else ""
        p.prefix_degree = ""
        if age >= 50 and rng.random() < 0.012:
            p.prefix_degree = pick_uniform(rng, pools.PREFIX_DEGREES[p.sex])

    def nik_kecamatan(self, p):
        """Where the NIK was first issued: usually the domicile kecamatan, sometimes not (moved)."""
        rng, r = self.rng, self.rng.random()
        if r < 0.85:
            return p.desa[:8]
        if r < 0.94:
            return pick_uniform(rng, self.regions.kecamatan[p.desa[:5]])
        province = pick_uniform(rng, pools.GROUPS[p.group]["origin"])
        return pick_uniform(rng, self.regions.kecamatan_by_province[province])

    def make_nik(self, p):
        rng = self.rng
        year, month, day = p.dob
        if rng.random() < 0.03:  # the NIK's date is not the birth date recorded elsewhere
            month = 1 + int(rng.random() * 12)
            day = 1 + int(rng.random() * 28)
        prefix = self.nik_kecamatan(p).replace(".", "") + \
            f"{day + (40 if p.sex == 'P' else 0):02d}{month:02d}{year % 100:02d}"
        return f"{prefix}{self.serials.take(prefix):04d}"

    def make_phone(self):
        rng = self.rng
        digits = 7 + (rng.random() < 0.6)
        return "0" + pick_uniform(rng, pools.PHONE_PREFIXES) + str(10 ** (digits - 1) + int(rng.random() * 9 * 10 ** (digits - 1)))

    def relative_nik(self, p, in_data_share):
        """A family member's NIK: someone else living in the same desa, or a spouse or parent who
        is in neither file (same NIK kecamatan, another date, a small serial)."""
        rng, pool = self.rng, self.household_niks.get(p.desa, ())
        if pool and rng.random() < in_data_share:
            for _ in range(3):
                nik = pick_uniform(rng, pool)
                if nik != p.nik:
                    return nik
        year = 1950 + int(rng.random() * 50)
        female = rng.random() < 0.5
        return p.nik[:6] + f"{1 + int(rng.random() * 28) + 40 * female:02d}{1 + int(rng.random() * 12):02d}" \
            f"{year % 100:02d}{1 + int(rng.random() * 9):04d}"

    # --- look-alikes ---
    def twin(self, p):
        """A twin: same parents, birth date, desa and NIK kecamatan; NIK serial next to p's."""
        rng = self.rng
        sex = p.sex if rng.random() < 0.7 else ("P" if p.sex == "L" else "L")
        q = self.person(desa=p.desa, group=p.group, sex=sex, dob=p.dob, name=self.twin_names(p, sex),
                        mother=p.mother, father=self.father_of(p), nik=self.twin_nik(p, sex))
        q.phone = p.phone if rng.random() < 0.3 else q.phone
        return q

    def twin_nik(self, p, sex):
        """Registered together: the sibling's NIK prefix (day + 40 for a girl) and the next serial."""
        prefix = p.nik[:12]
        if sex != p.sex:
            day = int(p.nik[6:8]) + (40 if sex == "P" else -40)
            prefix = f"{p.nik[:6]}{day:02d}{p.nik[8:12]}"
            return f"{prefix}{self.serials.take(prefix):04d}"
        serial = int(p.nik[12:]) + 1
        self.serials.next[prefix] = max(self.serials.next.get(prefix, 0), serial + 1)
        return f"{prefix}{serial:04d}"

    def twin_names(self, p, sex):
        """The twin's name: a twin pair (Hasan/Husein; p renamed too), a shared first part, or new."""
        rng, r = self.rng, self.rng.random()
        same_sex = sex == p.sex
        if r < 0.25:
            sexes = p.sex + sex
            a, b = pick_uniform(rng, pools.TWIN_NAMES[sexes if sexes != "PL" else "LP"])
            if sexes == "PL":
                a, b = b, a
            p.name = tuple(p.name[:-1]) + (a,)
            prefix = p.name[:-1] if same_sex else self.names.make(rng, p.group, sex)[:-1]
            return tuple(prefix) + (b,)
        if r < 0.65 and same_sex and len(p.name) > 1:
            for _ in range(5):
                other = self.names.make(rng, p.group, sex)
                if other[-1] != p.name[-1]:
                    return tuple(p.name[:-1]) + (other[-1],)
        for _ in range(5):
            other = self.names.make(rng, p.group, sex)
            if other != p.name:
                return other
        return other + ("Kedua",)

    def namesake(self, p):
        """Same (common) name, same kecamatan, same birth date or year; different parents and NIK."""
        rng = self.rng
        p.name = self.names.make(rng, p.group, p.sex, top=4)
        if rng.random() < 0.4:
            dob = p.dob
        else:
            dob = random_dob(rng)
            dob = (p.dob[0], dob[1], dob[2]) if valid_date(p.dob[0], dob[1], dob[2]) else p.dob
        desa = p.desa if rng.random() < 0.4 else pick_uniform(rng, self.regions.desa[p.desa[:8]])
        return self.person(desa=desa, group=p.group, sex=p.sex, dob=dob, name=p.name)


# --- Rendering: one appearance of a person, written with noise -------------------------------------
class Writer:
    """Writes a person as one list would: the noise of every field is decided here."""

    def __init__(self, rng, regions, world):
        self.rng, self.regions, self.world = rng, regions, world
        self.styles = {}

    # styles of a desa list (candidates) or of the registry
    def list_style(self, desa):
        style = self.styles.get(desa)
        if style is None:
            rng = self.rng
            style = {
                "date": pick_share(rng, {0: 0.25, 1: 0.4, 2: 0.35}),
                "case": pick_share(rng, {"upper": 0.55, "title": 0.35, "mixed": 0.1}),
                "sex_words": rng.random() < 0.2,
                "codes": rng.random() < 0.05,
                "phone": int(rng.random() * 6),
                "kab": int(rng.random() * 4),
                "place_case": "upper" if rng.random() < 0.5 else "title",
            }
            self.styles[desa] = style
        return style

    def registry_style(self):
        """The registry is one system: ISO or DD-MM-YYYY dates, mostly upper case, 08/62 phones."""
        rng = self.rng
        key = (0 if rng.random() < 0.6 else 1, "upper" if rng.random() < 0.85 else "title",
               0 if rng.random() < 0.7 else 2)
        style = self.styles.get(key)
        if style is None:
            style = self.styles[key] = {"date": key[0], "case": key[1], "sex_words": False, "codes": False,
                                        "phone": key[2], "kab": 0, "place_case": "upper"}
        return style

    def row(self, p, noise, style, desa=None):
        desa = desa or p.desa
        if noise["old_desa"] and self.rng.random() < noise["old_desa"]:
            desa = self.regions.nearby_desa(self.rng, desa)
        desa_text, kecamatan_text, kabupaten_text = self.places(desa, noise, style)
        return (self.nik(p, noise), self.name(p, noise, style), self.dob(p, noise, style),
                self.sex(p, noise, style), self.mother(p, noise, style), desa_text, kecamatan_text,
                kabupaten_text, self.phone(p, noise, style))

    def blank(self, noise):
        return pick_uniform(self.rng, noise["blank_tokens"])

    # NIK
    def nik(self, p, noise):
        rng, probs = self.rng, noise["nik"]
        r = rng.random()
        for problem in ("blank", "typo", "transpose", "scientific", "zero_tail", "length", "relative"):
            r -= probs[problem]
            if r < 0:
                return getattr(self, "nik_" + problem)(p, noise)
        if rng.random() < probs["format"]:
            return self.nik_format(p.nik)
        return p.nik

    def nik_blank(self, p, noise):
        return self.blank(noise)

    def nik_typo(self, p, noise):
        rng, nik = self.rng, p.nik
        i = int(rng.random() * 16)
        digit = str((int(nik[i]) + 1 + int(rng.random() * 9)) % 10)
        return nik[:i] + digit + nik[i + 1:]

    def nik_transpose(self, p, noise):
        nik = p.nik
        for _ in range(4):
            i = int(self.rng.random() * 15)
            if nik[i] != nik[i + 1]:
                return nik[:i] + nik[i + 1] + nik[i] + nik[i + 2:]
        return self.nik_typo(p, noise)

    def nik_scientific(self, p, noise):
        text = f"{int(p.nik):.5E}"  # Excel's General format: 3.20101E+15
        return text if self.rng.random() < 0.8 else text.replace(".", ",")

    def nik_zero_tail(self, p, noise):
        k = pick_share(self.rng, ((1, 0.6), (2, 0.15), (3, 0.15), (4, 0.1)))
        return p.nik[:-k] + "0" * k

    def nik_length(self, p, noise):
        rng, nik = self.rng, p.nik
        i = int(rng.random() * 16)
        if rng.random() < 0.5:
            return nik[:i] + nik[i + 1:]
        return nik[:i] + nik[i] + nik[i:]

    def nik_relative(self, p, noise):
        return self.world.relative_nik(p, noise["relative_in_data"])

    def nik_format(self, nik):
        r = self.rng.random()
        if r < 0.5:
            return "'" + nik
        if r < 0.75:
            return f"{nik[:6]} {nik[6:12]} {nik[12:]}"
        return f" {nik} "

    # name
    def name(self, p, noise, style):
        rng, scale = self.rng, noise["name_scale"]
        words = self.spelled_words(p.name, scale)
        words = self.structure(words, scale)
        if rng.random() < NAME_NOISE["typo"] * scale:
            words = self.typo(words)
        words = self.patronym(p, words, scale)
        words = self.titles(p, words, noise)
        text = " ".join(words)
        if rng.random() < NAME_NOISE["space"] * scale:
            text = text.replace(" ", "  ", 1) if rng.random() < 0.5 else " " + text + " "
        return self.case(text, style["case"])

    def spelled_words(self, parts, scale):
        rng, variant, generic = self.rng, NAME_NOISE["variant"] * scale, NAME_NOISE["generic_spelling"] * scale
        spelling, words = pools.SPELLING, []
        for part in parts:
            if " " in part:
                variants = spelling.get(part)
                if variants and rng.random() < variant:
                    part = pick_uniform(rng, variants)
                part_words = part.split(" ")
            else:
                part_words = (part,)
            for word in part_words:
                variants = spelling.get(word)
                if variants and rng.random() < variant:
                    words.extend(pick_uniform(rng, variants).split(" "))
                elif len(word) >= 4 and rng.random() < generic:
                    words.append(generic_spelling(rng, word))
                else:
                    words.append(word)
        return words

    def structure(self, words, scale):
        rng = self.rng
        n = len(words)
        if n >= 3 and rng.random() < NAME_NOISE["drop_middle"] * scale:
            del words[1 + int(rng.random() * (n - 2))]
        elif n >= 3 and rng.random() < NAME_NOISE["initial"] * scale:
            i = 1 + int(rng.random() * (n - 2))
            words[i] = words[i][0] + "."
        if len(words) >= 2 and rng.random() < NAME_NOISE["swap"] * scale:
            words = words[1:] + words[:1]
        if rng.random() < NAME_NOISE["join_split"] * scale:
            words = self.join_or_split(words)
        return words

    def join_or_split(self, words):
        rng = self.rng
        for i, word in enumerate(words):
            for prefix in ("Nur", "Noor", "Sri", "Abdul", "Nurul", "Siti"):
                if word.startswith(prefix) and len(word) > len(prefix) + 2:
                    return words[:i] + [prefix, word[len(prefix):].capitalize()] + words[i + 1:]
        if len(words) >= 2:
            i = int(rng.random() * (len(words) - 1))
            joined = words[i] + words[i + 1].lower()
            return words[:i] + [joined] + words[i + 2:]
        return words

    def typo(self, words):
        rng = self.rng
        long_words = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
        if not long_words:
            return words
        i = pick_uniform(rng, long_words)
        words = list(words)
        words[i] = one_letter_typo(rng, words[i])
        return words

    def patronym(self, p, words, scale):
        rng = self.rng
        share = NAME_NOISE["patronym"] if p.group == "muslim" else pools.GROUPS[p.group].get("patronym_share", 0.01)
        if rng.random() < share * scale:
            marker = pick_uniform(rng, ("bin", "Bin", "B.", "bin.")) if p.sex == "L" else \
                pick_uniform(rng, ("binti", "Binti", "bt.", "Bt", "binti."))
            return words + [marker] + " ".join(self.world.father_of(p)).split(" ")
        if p.group == "batak" and p.sex == "P" and len(words) >= 2 and rng.random() < NAME_NOISE["batak_boru"]:
            return words[:-1] + [pick_uniform(rng, ("Br", "Br.", "br.", "Boru"))] + words[-1:]
        return words

    def titles(self, p, words, noise):
        rng, keep = self.rng, noise["title_keep"]
        if p.haji and rng.random() < keep:
            words = [pools.HAJI[p.sex]] + words
        if p.prefix_degree and rng.random() < keep:
            words = [title_style(rng, p.prefix_degree)] + words
        if p.suffix_degree and rng.random() < keep:
            title = title_style(rng, p.suffix_degree)
            words = words[:-1] + [words[-1] + ","] + [title] if rng.random() < 0.6 else words + [title]
        return words

    def case(self, text, case):
        if case == "upper":
            return text.upper()
        if case == "mixed":
            r = self.rng.random()
            return text.lower() if r < 0.15 else (text.upper() if r < 0.5 else text)
        return text

    # dates, sex, mother, places, phone
    def dob(self, p, noise, style):
        rng, probs = self.rng, noise["dob"]
        year, month, day = p.dob
        r = rng.random()
        if r < probs["blank"]:
            return self.blank(noise)
        r -= probs["blank"]
        if r < probs["swap"] and day <= 12 and day != month:
            month, day = day, month
        elif r < probs["swap"] + probs["digit"]:
            year, month, day = one_digit_date(rng, year, month, day)
        elif r < probs["swap"] + probs["digit"] + probs["year_only"]:
            month, day = (1, 1) if rng.random() < 0.4 else (1 + int(rng.random() * 12), 1 + int(rng.random() * 28))
        fmt = style["date"] if rng.random() > 0.08 else int(rng.random() * 3)
        if fmt == 0:
            return f"{year:04d}-{month:02d}-{day:02d}"
        return f"{day:02d}{'-' if fmt == 1 else '/'}{month:02d}{'-' if fmt == 1 else '/'}{year:04d}"

    def sex(self, p, noise, style):
        rng = self.rng
        if rng.random() < noise["sex_blank"]:
            return self.blank(noise)
        sex = p.sex if rng.random() >= noise["sex_wrong"] else ("P" if p.sex == "L" else "L")
        if style["sex_words"]:
            word = "Laki-laki" if sex == "L" else "Perempuan"
            return word.upper() if style["case"] == "upper" else word
        return sex

    def mother(self, p, noise, style):
        rng = self.rng
        if rng.random() < noise["mother_blank"]:
            return self.blank(noise)
        words = self.spelled_words(p.mother.split(" "), noise["name_scale"] * 0.7)
        if rng.random() < NAME_NOISE["typo"] * noise["name_scale"]:
            words = self.typo(words)
        if len(words) >= 2 and rng.random() < 0.1:  # only the given name: "Aminah" for "Siti Aminah"
            words = words[1:] if words[0] in NAME_PREFIXES else words[:1]
        if rng.random() < 0.03:
            words = [pick_uniform(rng, ("Hj.", "Alm.", "Almh."))] + words
        return self.case(" ".join(words), style["case"])

    def places(self, desa, noise, style):
        regions, rng = self.regions, self.rng
        kecamatan, kab = desa[:8], desa[:5]
        if style["codes"]:
            dotted = rng.random() < 0.5
            strip = (lambda c: c) if dotted else (lambda c: c.replace(".", ""))
            return strip(desa), strip(kecamatan), strip(kab)
        desa_name, kecamatan_name = regions.names[desa], regions.names[kecamatan]
        if rng.random() < noise["desa_prefix"]:
            is_kelurahan = desa[9] == "1"
            desa_name = pick_uniform(rng, ("Kel. ", "Kelurahan ") if is_kelurahan else ("Desa ", "Ds. ")) + desa_name
        if rng.random() < noise["kecamatan_prefix"]:
            kecamatan_name = pick_uniform(rng, ("Kec. ", "Kecamatan ", "Kec ")) + kecamatan_name
        kab_name = regions.names[kab]
        kind, short = kab_name.split(" ", 1)
        abbreviated = ("Kab. " if kind == "Kabupaten" else "Kota ") + short
        bare = ("Kab " if kind == "Kabupaten" else "") + short
        kab_name = (kab_name, abbreviated, short, bare)[style["kab"]]
        if style["place_case"] == "upper":
            return desa_name.upper(), kecamatan_name.upper(), kab_name.upper()
        return desa_name, kecamatan_name, kab_name

    def phone(self, p, noise, style):
        rng = self.rng
        phone = p.phone
        if rng.random() < noise["phone_changed"]:
            phone = self.world.make_phone()
        if phone is None or rng.random() < noise["phone_blank"]:
            return self.blank(noise)
        return phone_style(phone, style["phone"] if rng.random() > 0.1 else int(rng.random() * 6))


def phone_style(phone, style):
    rest = phone[1:]
    if style == 0:
        return phone
    if style == 1:
        return f"{phone[:4]}-{phone[4:8]}-{phone[8:]}"
    if style == 2:
        return "62" + rest
    if style == 3:
        return f"+62 {rest[:3]}-{rest[3:7]}-{rest[7:]}"
    if style == 4:
        return f"{phone[:4]} {phone[4:8]} {phone[8:]}"
    return "+62" + rest


def title_style(rng, title):
    r = rng.random()
    if r < 0.6:
        return title
    if r < 0.75:
        return title.rstrip(".")
    if r < 0.9:
        return title.replace(".", "")
    return title.replace(".", ". ").strip()


def generic_spelling(rng, word):
    """An old-spelling or common spelling change in one word (Suparmi -> Soeparmi, Yanti -> Janti)."""
    lower = word.lower()
    rules = [("u", "oe"), ("y", "j"), ("j", "dj"), ("c", "tj"), ("kh", "ch"), ("sy", "sj"),
             ("dd", "d"), ("mm", "m"), ("f", "p"), ("i", "y"), ("ah", "a")]
    for _ in range(3):
        old, new = rules[int(rng.random() * len(rules))]
        if old in lower:
            at = lower.rfind(old) if old in ("i", "ah") else lower.find(old)
            if old in ("i", "ah") and at != len(lower) - len(old):
                continue
            changed = lower[:at] + new + lower[at + len(old):]
            return changed.capitalize()
    return word


def one_letter_typo(rng, word):
    i = 1 + int(rng.random() * (len(word) - 1))
    kind = rng.random()
    letter = word[i].lower()
    if kind < 0.35:
        near = pools.KEY_NEIGHBOURS.get(letter, "aeiou")
        return word[:i] + near[int(rng.random() * len(near))] + word[i + 1:]
    if kind < 0.6:
        return word[:i] + word[i + 1:]
    if kind < 0.8:
        return word[:i] + word[i] + word[i:]
    if i < len(word) - 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return word[:i] + word[i] + word[i:]


def one_digit_date(rng, year, month, day):
    """The date with one digit of DDMMYYYY (not the century) changed, still a valid date."""
    text = f"{day:02d}{month:02d}{year:04d}"
    for _ in range(10):
        i = pick_uniform(rng, (0, 1, 2, 3, 6, 7))
        digit = str((int(text[i]) + 1 + int(rng.random() * 9)) % 10)
        changed = text[:i] + digit + text[i + 1:]
        d, m, y = int(changed[:2]), int(changed[2:4]), int(changed[4:])
        if valid_date(y, m, d) and 1955 <= y <= 2010:
            return y, m, d
    return year, month, day


# --- Scenario: who appears where ---------------------------------------------------------------------
class Scenario:
    """The candidate persons, their duplicates, links and look-alikes."""

    def __init__(self, rng, world, n_candidates, n_registry):
        self.rng, self.world = rng, world
        self.n_candidates, self.n_registry = n_candidates, n_registry
        self.candidate_people = []   # persons written in the candidate list (maybe several times)
        self.registry_people = []    # stored persons written in the registry
        self.lookalike_kind = {}     # (pid_a, pid_b) with pid_a < pid_b -> "twin" / "namesake"

    def build(self):
        rng, world = self.rng, self.world
        partners = (TWIN_SHARE + NAMESAKE_SHARE) * sum(w for k, w in PARTNER_PLACEMENT if k != "registry")
        n_persons = round(self.n_candidates / (1 + partners) / (1 + DUPLICATE_SHARE * (1 + TRIPLE_SHARE)))
        base = [world.person() for _ in range(n_persons)]
        extra_candidates, extra_registry = self.add_lookalikes(base)
        self.candidate_people = base + extra_candidates
        self.registry_people = [p for p in base if rng.random() < LINK_SHARE] + extra_registry
        return self

    def add_lookalikes(self, base):
        rng, world = self.rng, self.world
        in_candidates, in_registry = [], []
        for p in base:
            r = rng.random()
            if r < TWIN_SHARE:
                q, kind = world.twin(p), "twin"
            elif r < TWIN_SHARE + NAMESAKE_SHARE:
                q, kind = world.namesake(p), "namesake"
            else:
                continue
            self.lookalike_kind[(p.pid, q.pid)] = kind
            place = pick_share(rng, PARTNER_PLACEMENT)
            if place in ("candidates", "both"):
                in_candidates.append(q)
            if place in ("registry", "both"):
                in_registry.append(q)
        return in_candidates, in_registry

    def candidate_appearances(self):
        """(person, desa of the list, copy_of) per candidate record; some persons appear 2-3 times."""
        rng, regions = self.rng, self.world.regions
        rows = [(p, p.desa, False) for p in self.candidate_people]
        extra_needed = self.n_candidates - len(rows)
        people = self.candidate_people
        while extra_needed > 0:
            p = pick_uniform(rng, people)
            times = 2 if rng.random() < TRIPLE_SHARE and extra_needed >= 2 else 1
            for _ in range(times):
                same_list = rng.random() < 0.5
                desa = p.desa if same_list else regions.nearby_desa(rng, p.desa)
                rows.append((p, desa, same_list and rng.random() < 0.25))
            extra_needed -= times
        return rows[: self.n_candidates]


# --- Output ------------------------------------------------------------------------------------------
class TableWriter:
    """Rows in id order into a parquet file, in chunks (keeps memory low at a million rows)."""

    CHUNK = 100_000

    def __init__(self, path, columns):
        self.columns = columns
        self.schema = pa.schema([(c, pa.string()) for c in columns])
        self.writer = pq.ParquetWriter(path, self.schema, compression="zstd")
        self.rows = []

    def add(self, row):
        self.rows.append(row)
        if len(self.rows) >= self.CHUNK:
            self.flush()

    def flush(self):
        if self.rows:
            arrays = [pa.array(list(col), type=pa.string()) for col in zip(*self.rows)]
            self.writer.write_table(pa.Table.from_arrays(arrays, schema=self.schema))
            self.rows = []

    def close(self):
        self.flush()
        self.writer.close()


def record_ids(prefix, n, rng):
    """Ids K0000001... in random order of persons, so that id order says nothing about the truth."""
    width = max(7, len(str(n)))
    order = list(range(1, n + 1))
    rng.shuffle(order)
    return [f"{prefix}{i:0{width}d}" for i in order]


def write_candidates(out, scenario, writer, rng):
    appearances = scenario.candidate_appearances()
    ids = record_ids("K", len(appearances), rng)
    slots = sorted(range(len(appearances)), key=ids.__getitem__)
    candidate_ids = {}  # pid -> [candidate ids]
    table = TableWriter(out / "kandidat.parquet", CANDIDATE_COLUMNS)
    first_rows = {}
    for slot in slots:
        p, desa, copy = appearances[slot]
        if copy and p.pid in first_rows:
            row = first_rows[p.pid]
        else:
            row = writer.row(p, CANDIDATE_NOISE, writer.list_style(desa), desa)
            first_rows.setdefault(p.pid, row)
        table.add((ids[slot],) + row)
        candidate_ids.setdefault(p.pid, []).append(ids[slot])
    table.close()
    return candidate_ids


def write_registry(out, scenario, writer, rng, candidate_keys):
    """Stored persons (links, look-alikes) plus fresh registry-only persons, in random id order."""
    world, n = scenario.world, scenario.n_registry
    stored = scenario.registry_people[:n]
    slots = stored + [None] * (n - len(stored))
    rng.shuffle(slots)
    width = max(8, len(str(n)))
    registry_ids, accidental = {}, []
    kpjs = set()
    table = TableWriter(out / "registri.parquet", REGISTRY_COLUMNS)
    for i, p in enumerate(slots, start=1):
        p = p or world.person()
        rid = f"R{i:0{width}d}"
        for other in candidate_keys.get(p.key(), ()):
            if other.pid != p.pid:
                accidental.append((other, p))
                registry_ids[p.pid] = rid
        if p.pid < scenario.stored_limit:  # a stored person: link truth and look-alikes need its id
            registry_ids[p.pid] = rid
        row = writer.row(p, REGISTRY_NOISE, writer.registry_style())
        table.add((rid,) + row + (new_kpj(rng, kpjs),))
    table.close()
    return registry_ids, accidental


def new_kpj(rng, seen):
    while True:
        kpj = f"{10 + int(rng.random() * 16)}{int(rng.random() * 10 ** 9):09d}"
        if kpj not in seen:
            seen.add(kpj)
            return kpj


def lookalike_pairs(scenario, candidate_ids, registry_ids, accidental):
    """Person pairs (constructed twins/namesakes and accidental namesakes) -> record pairs."""
    kinds = dict(scenario.lookalike_kind)
    by_key = {}
    for p in scenario.candidate_people:
        by_key.setdefault(p.key(), []).append(p)
    for group in by_key.values():
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                kinds.setdefault((a.pid, b.pid), "namesake")
    for a, b in accidental:
        kinds.setdefault((a.pid, b.pid), "namesake")
    rows = set()
    for (x, y), kind in kinds.items():
        for a in candidate_ids.get(x, ()):
            for b in candidate_ids.get(y, ()):
                rows.add((min(a, b), max(a, b), kind))
            if y in registry_ids:
                rows.add((a, registry_ids[y], kind))
        for b in candidate_ids.get(y, ()):
            if x in registry_ids:
                rows.add((b, registry_ids[x], kind))
    return sorted(rows)


def truth_rows(candidate_ids, registry_ids):
    links, duplicates = [], []
    for pid, ids in candidate_ids.items():
        if pid in registry_ids:
            links.extend((c, registry_ids[pid]) for c in ids)
        ids = sorted(ids)
        duplicates.extend((a, b) for i, a in enumerate(ids) for b in ids[i + 1:])
    return sorted(links), sorted(duplicates)


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


# Variants that break one assumption of the generator; measured, never tuned on (bench/matching/README.md).
#   placeholder  every blank NIK is written as a placeholder (0000000000000000, 0, -, BELUM ADA, 9999999999999999)
#   no-nik       the candidate list has no NIK column at all (workers without e-KTP, desa lists without it)
#   dense        the study area stays the five core kabupaten at every size: density grows with size
VARIANTS = ("placeholder", "no-nik", "dense")
PLACEHOLDERS = ("0000000000000000", "0", "-", "BELUM ADA", "9999999999999999", "1111111111111111", "00")


def generate(seed: int, n_candidates: int, n_registry: int, out: Path, variant: str | None = None) -> dict:
    """Writes the files of the module docstring into `out`; returns the counts in meta.json."""
    if variant not in (None, *VARIANTS):
        raise ValueError(f"variant {variant!r}: one of {', '.join(VARIANTS)}")
    gc.disable()  # a million small objects: the cyclic collector would cost a quarter of the time
    try:
        meta = _generate(seed, n_candidates, n_registry, Path(out), variant)
    finally:
        gc.enable()
    if variant in ("placeholder", "no-nik"):
        _break_niks(Path(out), variant, random.Random(seed * 7919))
    meta["variant"] = variant
    (Path(out) / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    return meta


def _break_niks(out: Path, variant: str, rng) -> None:
    """Rewrites the NIK column after generation, so persons and truth stay those of the plain seed."""
    import pyarrow as pa

    files = ("kandidat.parquet",) if variant == "no-nik" else ("kandidat.parquet", "registri.parquet")
    for name in files:
        table = pq.read_table(out / name)
        if variant == "no-nik":
            table = table.drop_columns(["nik"])
        else:
            niks = [n if n not in (None, "", "-") else rng.choice(PLACEHOLDERS) for n in table.column("nik").to_pylist()]
            table = table.set_column(table.schema.get_field_index("nik"), "nik", pa.array(niks, pa.string()))
        pq.write_table(table, out / name)


def _generate(seed, n_candidates, n_registry, out, variant=None):
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    regions = Regions(min(n_candidates, 10_000) if variant == "dense" else n_candidates)
    world = World(rng, regions)
    scenario = Scenario(rng, world, n_candidates, n_registry).build()
    scenario.stored_limit = world.count
    writer = Writer(rng, regions, world)
    candidate_ids = write_candidates(out, scenario, writer, rng)
    candidate_keys = {}
    for p in {p.pid: p for p in scenario.candidate_people}.values():
        candidate_keys.setdefault(p.key(), []).append(p)
    registry_ids, accidental = write_registry(out, scenario, writer, rng, candidate_keys)
    links, duplicates = truth_rows(candidate_ids, registry_ids)
    lookalikes = lookalike_pairs(scenario, candidate_ids, registry_ids, accidental)
    write_csv(out / "truth_links.csv", ("candidate_id", "registry_id"), links)
    write_csv(out / "truth_duplicates.csv", ("id_a", "id_b"), duplicates)
    write_csv(out / "lookalikes.csv", ("id_a", "id_b", "kind"), lookalikes)
    meta = summary(seed, n_candidates, n_registry, scenario, candidate_ids, links, duplicates,
                   lookalikes, time.perf_counter() - started)
    (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    return meta


def summary(seed, n_candidates, n_registry, scenario, candidate_ids, links, duplicates, lookalikes, seconds):
    kinds = {}
    for a, b, kind in lookalikes:
        side = "candidate_registry" if b.startswith("R") else "candidate_candidate"
        kinds[f"{kind}_{side}"] = kinds.get(f"{kind}_{side}", 0) + 1
    return {
        "generator_version": VERSION, "seed": seed, "candidates": n_candidates, "registry": n_registry,
        "candidate_persons": len(candidate_ids),
        "duplicated_persons": sum(1 for ids in candidate_ids.values() if len(ids) > 1),
        "truth_links": len(links), "truth_duplicate_pairs": len(duplicates),
        "lookalike_pairs": len(lookalikes), "lookalike_pairs_by_kind": dict(sorted(kinds.items())),
        "persons_created": scenario.world.count, "seconds": round(seconds, 2),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--candidates", type=int, default=10_000)
    parser.add_argument("--registry", type=int, default=100_000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--variant", choices=VARIANTS, help="break one assumption (measured only, never tuned on)")
    args = parser.parse_args(argv)
    meta = generate(args.seed, args.candidates, args.registry, args.out, args.variant)
    print(json.dumps(meta, indent=2))


if __name__ == "__main__":
    main()
