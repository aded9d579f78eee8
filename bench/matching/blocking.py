"""Pair recall and size of the blocking rules, rule by rule, on generated data with ground truth.

    .venv/bin/python bench/matching/blocking.py --data /tmp/lindung-train/train-11-10000-100000 [--extra RULE ...]
    .venv/bin/python bench/matching/blocking.py --data DIR --missed 20      # print missed true pairs

For each link type (link: kandidat x registri, dedup: kandidat x kandidat) and each rule of
model.blocking_rules (and any --extra rule, in the same SQL), prints the pairs the rule brings
together, the true pairs among them, and the true pairs only that rule finds; then the union's
pair count and recall. Rules are run as DuckDB joins of the prepared tables (the same features as
the engine), so a candidate rule is measured before it goes into the model. Use it on training
seeds only (11-13) when choosing rules; bench/matching/README.md records what was chosen on what.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from lindung.matching import model  # noqa: E402
from lindung.matching.run import prepare_tables  # noqa: E402


def load(data: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    tables = {"kandidat": data / "kandidat.parquet"}
    if (data / "registri.parquet").exists():
        tables["registri"] = data / "registri.parquet"
    prepare_tables(con, tables, ref_date=date(2025, 11, 1))
    con.execute(f"CREATE TABLE true_links AS SELECT candidate_id AS a, registry_id AS b "
                f"FROM read_csv('{data}/truth_links.csv', all_varchar=true)")
    con.execute(f"CREATE TABLE true_dups AS SELECT least(id_a, id_b) AS a, greatest(id_a, id_b) AS b "
                f"FROM read_csv('{data}/truth_duplicates.csv', all_varchar=true)")
    return con


def rule_pairs(con, rule: str, dedupe: bool, name: str) -> None:
    right = "prep_kandidat" if dedupe else "prep_registri"
    order = " AND l.unique_id < r.unique_id" if dedupe else ""
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT DISTINCT l.unique_id AS a, r.unique_id AS b "
                f"FROM prep_kandidat l JOIN {right} r ON ({rule}){order}")


def study(con, rules: list[str], extra: list[str], dedupe: bool, missed: int) -> None:
    truth = "true_dups" if dedupe else "true_links"
    total = con.execute(f"SELECT count(*) FROM {truth}").fetchone()[0]
    names = []
    for i, rule in enumerate(rules + extra):
        name = f"rule_{i}"
        rule_pairs(con, rule, dedupe, name)
        names.append(name)
    base = " UNION ".join(f"SELECT * FROM {n}" for n in names[:len(rules)])
    con.execute(f"CREATE OR REPLACE TEMP TABLE base_union AS {base}")
    everything = " UNION ".join(f"SELECT * FROM {n}" for n in names)
    con.execute(f"CREATE OR REPLACE TEMP TABLE all_union AS {everything}")
    print(f"\n{'dedup' if dedupe else 'link'}: {total} true pairs")
    for i, (name, rule) in enumerate(zip(names, rules + extra)):
        others = " UNION ".join(f"SELECT * FROM {n}" for n in names if n != name) or "SELECT NULL a, NULL b"
        pairs, true, only = con.execute(f"""SELECT count(*), count(t.a),
            count(t.a) FILTER (WHERE (p.a, p.b) NOT IN (SELECT (a, b) FROM ({others})))
            FROM {name} p LEFT JOIN {truth} t USING (a, b)""").fetchone()
        tag = "+" if i >= len(rules) else " "
        print(f"{tag} {pairs:>10} pairs {true:>6} true {only:>5} only  {rule}")
    for label, table in (("rules", "base_union"), ("rules + extra", "all_union")):
        pairs, true = con.execute(f"SELECT count(*), count(t.a) FROM {table} p LEFT JOIN {truth} t USING (a, b)").fetchone()
        print(f"  {label}: {pairs} pairs, {true}/{total} true ({true / max(total, 1):.2%})")
    if missed:
        right = "prep_kandidat" if dedupe else "prep_registri"
        cols = "nik, dob, sex, nama, ibu, desa, kecamatan, kabupaten, hp"
        rows = con.execute(f"""SELECT t.a, t.b FROM {truth} t WHERE (t.a, t.b) NOT IN (SELECT (a, b) FROM all_union)
                               ORDER BY hash(t.a) LIMIT {missed}""").fetchall()
        for a, b in rows:
            for side, table, uid in (("l", "prep_kandidat", a), ("r", right, b)):
                print(side, con.execute(f"SELECT {cols} FROM {table} WHERE unique_id = ?", [uid]).fetchone())
            print()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--extra", nargs="*", default=[], help="candidate rules, SQL on l. and r.")
    parser.add_argument("--missed", type=int, default=0, help="print this many true pairs no rule finds")
    parser.add_argument("--only", choices=("link", "dedup"))
    args = parser.parse_args(argv)
    con = load(args.data)
    kinds = [False, True] if args.only is None else [args.only == "dedup"]
    for dedupe in kinds:
        if not dedupe and not (args.data / "registri.parquet").exists():
            continue
        study(con, list(model.blocking_rules("dedupe_only" if dedupe else "link_only")), args.extra, dedupe, args.missed)


if __name__ == "__main__":
    main()
