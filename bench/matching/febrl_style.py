"""A deduplication list damaged the way FEBRL's data set generator damages records, with Indonesian persons.

    .venv/bin/python bench/matching/febrl_style.py --seed 21 --style few --out /tmp/fs-21-few
    .venv/bin/python bench/matching/febrl_style.py --seed 22 --style many --out /tmp/fs-22-many

Written for the fifth round's open gap (FEBRL 2-3 dedup recall lost in blocking) **after** FEBRL's
blocking recall was seen as a number (93,0 / 91,2 %); FEBRL's records and missed pairs were not looked at.
It follows FEBRL's *published* error process in general terms (the generator's documentation, Christen
2005: originals and duplicates made from them, a number of duplicates per original from a uniform,
Poisson or Zipf distribution up to a maximum, a maximum of modifications per field and per record,
fields chosen for modification by a weight, and per field a mix of typing errors - a letter inserted,
deleted, substituted or two transposed - a spelling variant, another value of the field, words swapped,
a space inserted or deleted, the value left out), on the persons, names and places of generate.py. The
column mapping is FEBRL's (bench/matching/febrl.py): a name, a birth date, desa, kecamatan, kabupaten;
no NIK, sex, mother or phone. Two styles, from the generator's documented settings for its example
sets: `few` (4.000 originals, 1.000 duplicates, at most 5 per original, Poisson, at most 2 modifications
per field and per record) and `many` (2.000 originals, 3.000 duplicates, at most 5, Zipf, at most 4 per
field and 6 per record). A training set (seeds 21 and up): blocking keys may be chosen on it; it
is no evidence about FEBRL itself.

Output as generate.py: kandidat.parquet, truth_duplicates.csv, truth_links.csv (empty), lookalikes.csv
(empty), meta.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # noqa: E402
import pools  # noqa: E402

STYLES = {  # originals, duplicates, most duplicates of one original, distribution, per field, per record
    "few": (4000, 1000, 5, "poisson", 2, 2),
    "many": (2000, 3000, 5, "zipf", 4, 6),
}
# How often each field is chosen for a modification (FEBRL's documented weights: given name 10, surname
# 15, date of birth 10, suburb 10, postcode 5, state 5 for the fields the contract has, and 45 for those
# it has not - street number, address lines, age, phone, social security number -, whose modifications
# the written list does not show). A first version without the 45 left 66 % of the `many` style's true
# pairs to the blocking keys (FEBRL 3: 91,2 %): every modification fell on a field the list shows.
FIELD_WEIGHTS = (("given", 10), ("surname", 15), ("dob", 10), ("desa", 10), ("kecamatan", 5), ("kabupaten", 5),
                 ("unseen", 45))
# The kind of modification, per field kind (FEBRL's documented mixes, in general terms).
TEXT_MODS = (("misspell", 0.30), ("insert", 0.07), ("delete", 0.12), ("substitute", 0.35), ("transpose", 0.05),
             ("other_value", 0.02), ("swap_words", 0.02), ("space_in", 0.01), ("space_out", 0.02), ("missing", 0.04))
DATE_MODS = (("substitute", 0.50), ("transpose", 0.30), ("other_value", 0.05), ("missing", 0.15))
SWAP_NAMES = 0.05  # the given name and the surname swapped (fields swapped), per duplicate
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def duplicate_counts(rng, n_originals, n_duplicates, most, distribution):
    """How many duplicates each original gets: drawn from `distribution` (1..most) until n_duplicates."""
    if distribution == "uniform":
        weights = [1.0] * most
    elif distribution == "poisson":
        weights = [math.exp(-2) * 2 ** k / math.factorial(k) for k in range(1, most + 1)]
    else:
        weights = [1.0 / k for k in range(1, most + 1)]
    counts, left = [0] * n_originals, n_duplicates
    order = list(range(n_originals))
    rng.shuffle(order)
    for i in order:
        if left <= 0:
            break
        k = min(generate.pick_share(rng, list(zip(range(1, most + 1), weights))), left)
        counts[i], left = k, left - k
    return counts


def typo(rng, text, kind, alphabet):
    if not text:
        return text
    i = int(rng.random() * len(text))
    if kind == "insert":
        return text[:i] + alphabet[int(rng.random() * len(alphabet))] + text[i:]
    if kind == "delete" and len(text) > 1:
        return text[:i] + text[i + 1:]
    if kind == "transpose" and len(text) > 1:
        i = min(i, len(text) - 2)
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    return text[:i] + alphabet[int(rng.random() * len(alphabet))] + text[i + 1:]


def modify_text(rng, value, kind, others):
    if kind == "missing":
        return ""
    if not value:
        return pick_other(rng, others) if rng.random() < 0.5 else value
    if kind == "misspell":
        words = value.split(" ")
        j = int(rng.random() * len(words))
        variants = pools.SPELLING.get(words[j].capitalize())
        words[j] = generate.pick_uniform(rng, variants) if variants else generate.generic_spelling(rng, words[j])
        return " ".join(words).lower()
    if kind == "other_value":
        return pick_other(rng, others)
    if kind == "swap_words":
        words = value.split(" ")
        if len(words) > 1:
            j = int(rng.random() * (len(words) - 1))
            words[j], words[j + 1] = words[j + 1], words[j]
        return " ".join(words)
    if kind == "space_in" and len(value) > 3:
        i = 2 + int(rng.random() * (len(value) - 3))
        return value[:i] + " " + value[i:]
    if kind == "space_out":
        return value.replace(" ", "", 1)
    return typo(rng, value, kind, LETTERS)


def pick_other(rng, others):
    return generate.pick_uniform(rng, others)


def modify_date(rng, value, kind):
    if kind == "missing":
        return ""
    if not value:
        return value
    if kind == "other_value":
        year, month, day = generate.random_dob(rng)
        return f"{year:04d}{month:02d}{day:02d}"
    return typo(rng, value, "transpose" if kind == "transpose" else "substitute", "0123456789")


def original_record(person, names):
    given, *rest = person.name
    return {"given": given.lower(), "surname": " ".join(rest).lower(),
            "dob": "{:04d}{:02d}{:02d}".format(*person.dob),
            "desa": names[person.desa].lower(), "kecamatan": names[person.desa[:8]].lower(),
            "kabupaten": names[person.desa[:5]].lower()}


def duplicate_of(rng, record, per_field, per_record, others):
    record = dict(record)
    if rng.random() < SWAP_NAMES:
        record["given"], record["surname"] = record["surname"], record["given"]
    done: dict[str, int] = {}
    for _ in range(1 + int(rng.random() * per_record)):
        field = generate.pick_share(rng, FIELD_WEIGHTS)
        if field == "unseen" or done.get(field, 0) >= per_field:
            continue
        done[field] = done.get(field, 0) + 1
        if field == "dob":
            record["dob"] = modify_date(rng, record["dob"], generate.pick_share(rng, DATE_MODS))
        else:
            record[field] = modify_text(rng, record[field], generate.pick_share(rng, TEXT_MODS), others[field])
    return record


def written(record, record_id):
    dob = record["dob"]
    name = " ".join(p for p in (record["given"], record["surname"]) if p) or None
    return {"id": record_id, "nik": None, "nama": name,
            "tanggal_lahir": f"{dob[:4]}-{dob[4:6]}-{dob[6:]}" if len(dob) == 8 else (dob or None),
            "jenis_kelamin": None, "nama_ibu": None, "desa": record["desa"] or None,
            "kecamatan": record["kecamatan"] or None, "kabupaten": record["kabupaten"] or None, "no_hp": None}


def build(seed: int, style: str, out: Path) -> dict:
    n_originals, n_duplicates, most, distribution, per_field, per_record = STYLES[style]
    rng = random.Random(seed)
    regions = generate.Regions(n_originals + n_duplicates)
    world = generate.World(rng, regions)
    originals = [original_record(world.person(), regions.names) for _ in range(n_originals)]
    others = {f: sorted({r[f] for r in originals if r[f]}) for f, _ in FIELD_WEIGHTS if f not in ("dob", "unseen")}
    records = []  # (person index, record)
    for i, (record, count) in enumerate(zip(originals, duplicate_counts(rng, n_originals, n_duplicates, most,
                                                                         distribution))):
        records.append((i, record))
        records.extend((i, duplicate_of(rng, record, per_field, per_record, others)) for _ in range(count))
    ids = generate.record_ids("K", len(records), rng)
    out.mkdir(parents=True, exist_ok=True)
    rows = sorted((written(r, ids[k]) for k, (_, r) in enumerate(records)), key=lambda row: row["id"])
    pq.write_table(pa.table({c: pa.array([r[c] for r in rows], pa.string()) for c in generate.CANDIDATE_COLUMNS}),
                   out / "kandidat.parquet")
    by_person: dict[int, list[str]] = {}
    for k, (person, _) in enumerate(records):
        by_person.setdefault(person, []).append(ids[k])
    duplicates = sorted((a, b) for group in by_person.values() for i, a in enumerate(sorted(group))
                        for b in sorted(group)[i + 1:])
    write_csv(out / "truth_duplicates.csv", ("id_a", "id_b"), duplicates)
    write_csv(out / "truth_links.csv", ("candidate_id", "registry_id"), [])
    write_csv(out / "lookalikes.csv", ("id_a", "id_b", "kind"), [])
    meta = {"febrl_style": style, "seed": seed, "records": len(records), "truth_duplicate_pairs": len(duplicates),
            "lookalike_pairs": 0, "generator_version": generate.VERSION}
    (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    return meta


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, required=True, help="21 and up: training seeds")
    parser.add_argument("--style", choices=tuple(STYLES), required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    print(json.dumps(build(args.seed, args.style, args.out), indent=2))


if __name__ == "__main__":
    main()
