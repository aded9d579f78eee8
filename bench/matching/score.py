"""Scores a matcher's output against the generator's truth.

    .venv/bin/python bench/matching/score.py --out OUT_DIR --data DATA_DIR [--threshold 0.95] [--json]

OUT_DIR holds the matcher's links.csv (candidate_id,registry_id,score) and duplicates.csv
(id_a,id_b,score); DATA_DIR the generator's truth_links.csv, truth_duplicates.csv and lookalikes.csv.

Reported:
  links            pairwise precision / recall / F1
  duplicates       pairwise, and by clusters: the predicted pairs' transitive closure (every pair
                   inside a predicted cluster counts as predicted; the truth is already closed)
  lookalikes       look-alike pairs of different people (twins, namesakes) that were predicted as
                   matches: candidate x registry pairs found in links, candidate x candidate pairs
                   found in duplicates (pairwise) or in one predicted cluster

Every row of a matcher's file counts as a prediction unless --threshold is given (then rows with a
score below it are ignored). Used as a module: `score(out_dir, data_dir)` returns the same dict.
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path


def read_pairs(path: Path, threshold: float | None = None, ordered: bool = False) -> set[tuple[str, str]]:
    """Pairs from a CSV whose first two columns are ids; `ordered` keeps (a, b) as is (links)."""
    pairs = set()
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        score_at = header.index("score") if header and "score" in header else None
        for row in reader:
            if not row:
                continue
            if threshold is not None and score_at is not None and row[score_at] != "" \
                    and float(row[score_at]) < threshold:
                continue
            a, b = row[0], row[1]
            pairs.add((a, b) if ordered or a < b else (b, a))
    return pairs


def read_lookalikes(path: Path) -> list[tuple[str, str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return [(row["id_a"], row["id_b"], row["kind"]) for row in csv.DictReader(handle)]


def metrics(true_positives: int, predicted: int, actual: int) -> dict:
    precision = true_positives / predicted if predicted else 0.0
    recall = true_positives / actual if actual else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": true_positives, "fp": predicted - true_positives, "fn": actual - true_positives,
            "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def pair_metrics(predicted: set, truth: set) -> dict:
    return metrics(len(predicted & truth), len(predicted), len(truth))


class Clusters:
    """Union-find over record ids: the transitive closure of predicted duplicate pairs."""

    def __init__(self, pairs):
        self.parent = {}
        for a, b in pairs:
            self.union(a, b)

    def find(self, x):
        parent = self.parent
        root = parent.setdefault(x, x)
        while root != parent[root]:
            root = parent[root]
        while x != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def same(self, a, b):
        return a in self.parent and b in self.parent and self.find(a) == self.find(b)

    def pair_count(self):
        sizes = {}
        for x in self.parent:
            root = self.find(x)
            sizes[root] = sizes.get(root, 0) + 1
        return sum(n * (n - 1) // 2 for n in sizes.values()), max(sizes.values(), default=0)


def cluster_metrics(predicted: set, truth: set) -> dict:
    clusters = Clusters(predicted)
    predicted_count, largest = clusters.pair_count()
    true_positives = sum(1 for a, b in truth if clusters.same(a, b))
    result = metrics(true_positives, predicted_count, len(truth))
    result["largest_cluster"] = largest
    return result


def lookalike_metrics(lookalikes, links: set, duplicates: set, clusters: Clusters) -> dict:
    result = {"pairs": len(lookalikes), "matched": 0, "matched_clustered": 0, "by_kind": {}}
    for a, b, kind in lookalikes:
        # Candidate x registry pairs are (candidate, registry) as in links; candidate x candidate
        # pairs are ordered like duplicates. Ids of the two files never meet in one set.
        in_links = (a, b) in links
        hit = in_links or (min(a, b), max(a, b)) in duplicates
        hit_clustered = in_links or clusters.same(a, b)
        counts = result["by_kind"].setdefault(kind, {"pairs": 0, "matched": 0})
        counts["pairs"] += 1
        counts["matched"] += hit
        result["matched"] += hit
        result["matched_clustered"] += hit_clustered
    result["matched_pct"] = round(100 * result["matched"] / len(lookalikes), 2) if lookalikes else 0.0
    return result


def score(out_dir, data_dir, threshold: float | None = None) -> dict:
    """Precision/recall/F1 for links and duplicates (pairs and clusters) and look-alikes matched."""
    out_dir, data_dir = Path(out_dir), Path(data_dir)
    links = read_pairs(out_dir / "links.csv", threshold, ordered=True)
    duplicates = read_pairs(out_dir / "duplicates.csv", threshold)
    truth_links = read_pairs(data_dir / "truth_links.csv", ordered=True)
    truth_duplicates = read_pairs(data_dir / "truth_duplicates.csv")
    clusters = Clusters(duplicates)
    return {
        "links": pair_metrics(links, truth_links),
        "duplicates": pair_metrics(duplicates, truth_duplicates),
        "duplicate_clusters": cluster_metrics(duplicates, truth_duplicates),
        "lookalikes": lookalike_metrics(read_lookalikes(data_dir / "lookalikes.csv"), links,
                                        duplicates, clusters),
    }


def describe(result: dict) -> str:
    lines = []
    for key in ("links", "duplicates", "duplicate_clusters"):
        m = result[key]
        lines.append(f"{key:<19} P {m['precision']:.4f}  R {m['recall']:.4f}  F1 {m['f1']:.4f}  "
                     f"(tp {m['tp']}, fp {m['fp']}, fn {m['fn']})")
    look = result["lookalikes"]
    kinds = ", ".join(f"{k} {v['matched']}/{v['pairs']}" for k, v in sorted(look["by_kind"].items()))
    lines.append(f"{'lookalikes matched':<19} {look['matched']}/{look['pairs']} ({look['matched_pct']} %); "
                 f"{kinds}; with duplicate clusters {look['matched_clustered']}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="the matcher's output directory")
    parser.add_argument("--data", type=Path, required=True, help="the generator's output directory")
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    result = score(args.out, args.data, args.threshold)
    print(json.dumps(result, indent=2) if args.json else describe(result))
    return result


if __name__ == "__main__":
    main()
