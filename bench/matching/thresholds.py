"""Link and duplicate figures of `lindung match` at every match threshold of a grid, from one run per set.

    .venv/bin/python bench/matching/thresholds.py --data /tmp/mb-final/small-seed11 [...] --json sweep.json

Each set (a generator output directory with truth) is matched once in process with every match
threshold at `--low` (so every pair scoring that much is banded a match); the pairs are then re-banded
at each threshold of `--grid` and put through the same steps a run takes after banding
(`run.one_registry_record` for links, `run.bounded_clusters` and `run.promoted_in_clusters` for
duplicates, with the NIKs the run read), so each threshold's figures are what a run at that threshold writes. Printed per set and
threshold: link P / R / F1, dedup P / R / F1, look-alikes matched (links and duplicates apart, and
their share of all look-alike pairs), and the precision of the pairs at or above Thresholds.auto.

For choosing thresholds on the training sets only (bench/matching/README.md says which those are).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "matching"))

import score as scoring  # noqa: E402

from lindung.matching import run  # noqa: E402
from lindung.matching.types import MATCH, POSSIBLE, Pair, Thresholds  # noqa: E402

GRID = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def matched_once(data: Path, low: float) -> tuple[list[Pair], list[Pair], dict[str, str], dict]:
    """Every pair a run bands as a match at threshold `low`, before its link and cluster steps; the
    valid NIKs of the duplicates' records; the run's stats."""
    captured: dict = {}
    real_bounded, real_one = run.bounded_clusters, run.one_registry_record

    def keep_links(links):
        captured["links"] = list(links)
        return links

    def keep_duplicates(pairs, niks, *args, **kwargs):
        captured["duplicates"], captured["niks"] = list(pairs), dict(niks)
        return pairs

    run.bounded_clusters, run.one_registry_record = keep_duplicates, keep_links
    try:
        low_thresholds = Thresholds(match=low, match_dedup=low, match_tanpa_nik=low, match_dedup_tanpa_nik=low,
                                    possible=min(low, Thresholds.possible))
        registry = data / "registri.parquet"
        result = run.match_files(data / "kandidat.parquet", registry if registry.exists() else None,
                                 thresholds=low_thresholds)
    finally:
        run.bounded_clusters, run.one_registry_record = real_bounded, real_one
    return captured.get("links", []), captured.get("duplicates", []), captured.get("niks", {}), result.stats


def banded(pairs: list[Pair], threshold: float) -> list[Pair]:
    return [p if p.band != MATCH or p.score >= threshold else replace(p, band=POSSIBLE) for p in pairs]


def figures(data: Path, links: list[Pair], duplicates: list[Pair], niks: dict, link_t: float, dedup_t: float,
            auto: float) -> dict:
    link_pairs = run.one_registry_record(banded(links, link_t))
    dup_pairs = run.promoted_in_clusters(run.bounded_clusters(banded(duplicates, dedup_t), niks))
    sure_links = {(p.left, p.right) for p in link_pairs if p.band == MATCH}
    sure_dups = {(min(p.left, p.right), max(p.left, p.right)) for p in dup_pairs if p.band == MATCH}
    truth_links = scoring.read_pairs(data / "truth_links.csv", ordered=True) if (data / "truth_links.csv").exists() else set()
    truth_dups = scoring.read_pairs(data / "truth_duplicates.csv")
    look = scoring.read_lookalikes(data / "lookalikes.csv") if (data / "lookalikes.csv").exists() else []
    look_links = sum(1 for a, b, _ in look if (a, b) in sure_links)
    look_dups = sum(1 for a, b, _ in look if (min(a, b), max(a, b)) in sure_dups)
    auto_links = {(p.left, p.right) for p in link_pairs if p.band == MATCH and p.score >= auto}
    auto_dups = {(min(p.left, p.right), max(p.left, p.right)) for p in dup_pairs if p.band == MATCH and p.score >= auto}
    return {
        "link_threshold": link_t, "dedup_threshold": dedup_t,
        "links": scoring.pair_metrics(sure_links, truth_links),
        "duplicates": scoring.pair_metrics(sure_dups, truth_dups),
        "lookalikes": {"pairs": len(look), "links": look_links, "duplicates": look_dups,
                       "pct": round(100 * (look_links + look_dups) / len(look), 2) if look else 0.0},
        "auto_precision": {"links": round(len(auto_links & truth_links) / len(auto_links), 4) if auto_links else None,
                           "duplicates": round(len(auto_dups & truth_dups) / len(auto_dups), 4) if auto_dups else None},
    }


def sweep(data: Path, grid=GRID, low: float = 0.3, auto: float = Thresholds.auto) -> dict:
    links, duplicates, niks, stats = matched_once(data, low)
    rows = [figures(data, links, duplicates, niks, t, t, auto) for t in grid]
    return {"data": str(data), "stats": stats, "rows": rows}


def describe(result: dict) -> str:
    lines = [result["data"]]
    for row in result["rows"]:
        lk, dp, la = row["links"], row["duplicates"], row["lookalikes"]
        lines.append(f"  t {row['link_threshold']:.2f}  link P {lk['precision']:.4f} R {lk['recall']:.4f} "
                     f"F1 {lk['f1']:.4f}  dedup P {dp['precision']:.4f} R {dp['recall']:.4f} F1 {dp['f1']:.4f}  "
                     f"look-alikes {la['links']}+{la['duplicates']}/{la['pairs']} ({la['pct']} %)  "
                     f"auto P {row['auto_precision']['links']} / {row['auto_precision']['duplicates']}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, nargs="+", required=True, help="generator output directories")
    parser.add_argument("--grid", type=float, nargs="+", default=list(GRID))
    parser.add_argument("--low", type=float, default=min(GRID))
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args(argv)
    results = []
    for data in args.data:
        result = sweep(data, tuple(args.grid), args.low)
        print(describe(result), flush=True)
        results.append(result)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()
