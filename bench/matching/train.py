"""Estimate the model's m and u probabilities from generated data with ground truth (several seeds).

    .venv/bin/python bench/matching/train.py --seeds 11 12 13 [--data /tmp/lindung-train]
    .venv/bin/python bench/matching/train.py --seeds 11 12 13 --variant no-nik   # lists without NIKs

The model is conditioned on the blocked pairs, not on all pairs: m is how often each level occurs among
true pairs that the blocking rules (model.BLOCKING_RULES, not the keys for duplicates) bring together, u
the same among the other blocked pairs. Those
non-matches are the hard ones (same kecamatan and birth date, neighbouring NIK serials, namesakes),
so u says how common a near-NIK or a shared name is among them, where random pairs would say "never".
At run time the prior is then P(match | blocked pair), estimated by EM over the run's pairs (em.py).
The counts are pooled over the seeds, kept apart per link type (a registry such as BPJS's differs
from a desa list in what it lacks and how it errs), and printed as the PARAMETERS dict of lindung/matching/model.py,
to paste there. Every level gets a floor (1e-4 for m, 0,01 for places, 1e-6 for u) so no level is ever impossible.
It also prints, per seed, the share of true pairs the blocking rules keep.

The seeds used for training must not be the benchmark's seeds (bench/matching_bench.py uses 1, 2, 3).
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from lindung.matching import model  # noqa: E402
from lindung.matching.run import prepare_tables  # noqa: E402

M_FLOOR, U_FLOOR = 1e-4, 1e-6
# People move: a worker listed in one kabupaten may be registered with BPJS in another, something the
# generator never does. One true pair in a hundred is the floor for the place comparisons.
M_FLOOR_BY_COMPARISON = {"wilayah": 0.01}


def generator_version() -> int:
    sys.path.insert(0, str(ROOT / "bench/matching"))
    import generate

    return generate.VERSION


def ensure_data(seed: int, data: Path, candidates: int, registry: int, variant: str | None = None) -> Path:
    out = data / (f"train-{seed}-{candidates}-{registry}" + (f"-{variant}" if variant else ""))
    meta = out / "meta.json"
    if not meta.exists() or json.loads(meta.read_text()).get("generator_version") != generator_version():
        subprocess.run([sys.executable, str(ROOT / "bench/matching/generate.py"), "--seed", str(seed),
                        "--candidates", str(candidates), "--registry", str(registry), "--out", str(out),
                        *(["--variant", variant] if variant else [])], check=True)
    return out


def scored_pairs(con, link_type: str, tables: list[str]) -> str:
    """Every blocked pair with its comparison levels (gammas): Splink's own predict, no threshold."""
    from splink import DuckDBAPI, Linker

    db_api = DuckDBAPI(connection=con)
    frames = [db_api.register(t, table_name=f"{t}_{link_type}") for t in tables]
    linker = Linker(frames if len(frames) > 1 else frames[0], model.settings(link_type, prior=1e-4),
                    log_level=logging.ERROR)
    return linker.inference.predict(warning_mode="never").physical_name


CORE = f"CAST(match_key AS INT) < {len(model.BLOCKING_RULES)}"  # a pair of model.BLOCKING_RULES


def level_counts(con, predictions: str, truth: str) -> tuple[dict, dict, tuple[int, int, int]]:
    """Per comparison: Counter of levels among true pairs (m) and among other pairs (u), of the pairs of
    model.BLOCKING_RULES alone (a run fits its m, u and prior on those; the pairs of the keys for
    duplicates, model.DEDUPE_BLOCKING_RULES, get a prior of their own); and (true pairs blocked by any
    rule, true pairs in all, pairs blocked by model.BLOCKING_RULES)."""
    labelled = f"""SELECT p.*, t.a IS NOT NULL AS is_match FROM {predictions} p LEFT JOIN {truth} t
                   ON (t.a = p.unique_id_l AND t.b = p.unique_id_r) OR (t.a = p.unique_id_r AND t.b = p.unique_id_l)"""
    con.execute(f"CREATE OR REPLACE TEMP TABLE labelled AS {labelled}")
    m, u = {}, {}
    for comparison in model.COMPARISONS:
        name = comparison["output_column_name"]
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        label = {len(levels) - 1 - i: lv["label_for_charts"] for i, lv in enumerate(levels)}
        rows = con.execute(f"SELECT gamma_{name}, is_match, count(*) FROM labelled WHERE gamma_{name} >= 0 "
                           f"AND {CORE} GROUP BY ALL").fetchall()
        m[name] = Counter({label[g]: n for g, is_match, n in rows if is_match})
        u[name] = Counter({label[g]: n for g, is_match, n in rows if not is_match})
    found, blocked = con.execute(f"SELECT count(*) FILTER (WHERE is_match), count(*) FILTER (WHERE {CORE}) "
                                 "FROM labelled").fetchall()[0]
    total = con.execute(f"SELECT count(*) FROM {truth}").fetchall()[0][0]
    return m, u, (found, total, blocked)


SAMPLE_SIDE = 1200  # random pairs: SAMPLE_SIDE x SAMPLE_SIDE records


def level_case(comparison: dict) -> str:
    """The comparison as one CASE giving its gamma (null level -1), as Splink computes it."""
    levels = comparison["comparison_levels"]
    non_null = [lv for lv in levels if not lv.get("is_null_level")]
    whens = []
    for lv in levels:
        gamma = -1 if lv.get("is_null_level") else len(non_null) - 1 - non_null.index(lv)
        whens.append(f"ELSE {gamma}" if lv["sql_condition"] == "ELSE" else f"WHEN {lv['sql_condition']} THEN {gamma}")
    return "CASE " + " ".join(whens) + " END"


def population_u(con, tables: list[str], m_unused, u_blocked: dict, blocked: int, seed: int) -> dict:
    """u over ALL pairs: blocked non-matches counted exactly, the unblocked rest estimated from a
    random sample of pairs that no blocking rule would bring together; counts in units of pairs."""
    left, right = tables[0], tables[-1]
    n_left = con.execute(f"SELECT count(*) FROM {left}").fetchall()[0][0]
    n_right = con.execute(f"SELECT count(*) FROM {right}").fetchall()[0][0]
    total = n_left * n_right if left != right else n_left * (n_left - 1) // 2
    cols = [c for (c,) in con.execute(f"SELECT column_name FROM (DESCRIBE {left})").fetchall()]
    select = ", ".join(f"l.{c} AS {c}_l, r.{c} AS {c}_r" for c in cols)
    rules = " OR ".join(f"coalesce({rule.replace('l.', 'LL.').replace('r.', 'RR.')}, false)"
                        for rule in model.BLOCKING_RULES).replace("LL.", "l.").replace("RR.", "r.")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE sample_pairs AS SELECT {select} FROM
        (SELECT * FROM {left} USING SAMPLE {SAMPLE_SIDE} ROWS (reservoir, {seed})) l,
        (SELECT * FROM {right} USING SAMPLE {SAMPLE_SIDE} ROWS (reservoir, {seed + 1})) r
        WHERE l.unique_id <> r.unique_id AND NOT ({rules})""")
    n_sample = con.execute("SELECT count(*) FROM sample_pairs").fetchall()[0][0]
    scale = (total - blocked) / max(n_sample, 1)
    u = {}
    for comparison in model.COMPARISONS:
        name = comparison["output_column_name"]
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        label = {len(levels) - 1 - i: lv["label_for_charts"] for i, lv in enumerate(levels)}
        rows = con.execute(f"SELECT {level_case(comparison)} AS g, count(*) FROM sample_pairs GROUP BY g").fetchall()
        counts = Counter({label[g]: n * scale for g, n in rows if g >= 0})
        counts.update(u_blocked[name])
        u[name] = counts
    return u


def counts_for_seed(out: Path, basis: str = "blocked") -> dict[str, tuple[dict, dict]]:
    """Per link type ("link_only", "dedupe_only"): (m counts, u counts) per comparison."""
    con = duckdb.connect()
    prepare_tables(con, {"kandidat": out / "kandidat.parquet", "registri": out / "registri.parquet"},
                   ref_date=date(2025, 11, 1))
    con.execute(f"""CREATE TABLE true_links AS SELECT candidate_id AS a, registry_id AS b
                    FROM read_csv('{out}/truth_links.csv', all_varchar=true)""")
    con.execute(f"""CREATE TABLE true_dups AS SELECT id_a AS a, id_b AS b
                    FROM read_csv('{out}/truth_duplicates.csv', all_varchar=true)""")
    jobs = (("link_only", ["prep_kandidat", "prep_registri"], "true_links"),
            ("dedupe_only", ["prep_kandidat"], "true_dups"))
    counts = {}
    for link_type, tables, truth in jobs:
        m, u, (found, total, blocked) = level_counts(con, scored_pairs(con, link_type, tables), truth)
        if basis == "population":
            u = population_u(con, tables, m, u, blocked, seed=len(out.name))
        print(f"{out.name} {link_type}: blocking keeps {found}/{total} true pairs "
              f"({found / max(total, 1):.2%}); {blocked} pairs compared; P(match | compared) = {found / blocked:.4f}",
              file=sys.stderr)
        counts[link_type] = (m, u)
    return counts


def probabilities(counts: Counter, labels: list[str], floor: float) -> list[float]:
    total = sum(counts[label] for label in labels) or 1
    return [max(counts[label] / total, floor) for label in labels]


U_FLOOR_POPULATION = 1e-9


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[11, 12, 13])
    parser.add_argument("--data", type=Path, default=Path("/tmp/lindung-train"))
    parser.add_argument("--candidates", type=int, default=10_000)
    parser.add_argument("--registry", type=int, default=100_000)
    parser.add_argument("--basis", choices=("blocked", "population"), default=model.PARAMETER_BASIS)
    parser.add_argument("--variant", choices=("no-nik",),
                        help="train on the training seeds' variant: no-nik gives the *_tanpa_nik parameter sets")
    args = parser.parse_args(argv)
    link_types = ("link_only", "dedupe_only")
    m_all = {lt: {c["output_column_name"]: Counter() for c in model.COMPARISONS} for lt in link_types}
    u_all = {lt: {c["output_column_name"]: Counter() for c in model.COMPARISONS} for lt in link_types}
    for seed in args.seeds:
        counts = counts_for_seed(ensure_data(seed, args.data, args.candidates, args.registry, args.variant), args.basis)
        for link_type, (m, u) in counts.items():
            for name in m:
                m_all[link_type][name].update(m[name])
                u_all[link_type][name].update(u[name])
    for link_type in link_types:  # levels a parameter set reads as another (model.folded_levels) count as that one
        for name, folds in model.folded_levels(link_type + (model.NO_NIK_SUFFIX if args.variant else "")).items():
            for counts in (m_all[link_type][name], u_all[link_type][name]):
                for code, read_as in folds.items():
                    counts[read_as] += counts.pop(code, 0)
    u_floor = U_FLOOR if args.basis == "blocked" else U_FLOOR_POPULATION
    print("PARAMETERS: dict[str, dict[str, list[tuple[float, float]]]] = {")
    for link_type in link_types:
        print(f'    "{link_type}{model.NO_NIK_SUFFIX if args.variant else ""}": {{')
        for comparison in model.COMPARISONS:
            name = comparison["output_column_name"]
            labels = [lv["label_for_charts"] for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
            ms = probabilities(m_all[link_type][name], labels, M_FLOOR_BY_COMPARISON.get(name, M_FLOOR))
            us = probabilities(u_all[link_type][name], labels, u_floor)
            # "saudara", "dinilai_dengan_nik" step aside: m = u, a Bayes factor of 1, whatever the counts say.
            ms = [uv if label in model.STEP_ASIDE else mv for label, mv, uv in zip(labels, ms, us)]
            pairs = ", ".join(f"({mv:.4g}, {uv:.4g})" for mv, uv in zip(ms, us))
            print(f'        "{name}": [{pairs}],  # {", ".join(labels)}')
        print("    },")
    print("}")

if __name__ == "__main__":
    main()
