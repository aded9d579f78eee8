"""Matching benchmark (issue 5): `lindung match` against an exact-NIK and a generic Splink baseline.

    .venv/bin/python bench/matching_bench.py                          # small, seed 1, all matchers
    .venv/bin/python bench/matching_bench.py --sizes small medium --seeds 1 2 3 --json results.json
    .venv/bin/python bench/matching_bench.py --matchers exact splink --data /tmp/lindung-bench
    .venv/bin/python bench/matching_bench.py --sets plain placeholder no-nik dense febrl1 febrl2 febrl3 febrl4

Sizes: small = 10.000 candidates x 100.000 registry rows, medium = 100.000 x 1.000.000.
For each size and seed the data is generated once by bench/matching/generate.py into
DATA/<size>-seed<seed>/ (default DATA /tmp/lindung-bench; reused while its meta.json says the same
generator version, seed and sizes). Then every matcher runs as a child process, one at a time,
timed by wall clock and measured for peak RSS (os.wait4 of that child, children included):

    lindung   .venv/bin/lindung match --kandidat K --registri R --out DIR   (a non-zero exit prints
              the tail of its stderr and the run goes on)
    exact     bench/matching/baselines.py exact ...    (same 16-digit NIK)
    splink    bench/matching/baselines.py splink ...   (generic Splink 5 model, tutorial style)

Each output (DIR/links.csv, DIR/duplicates.csv) is scored by bench/matching/score.py and one table
is printed: link and duplicate P/R/F1 (pairs; duplicate F1 also by clusters), the precision of the
pairs that act without a person in the app (lindung only, score >= AUTO) and the look-alikes among
them, look-alike pairs predicted as matches, wall seconds, CPU seconds, peak MB and the time ratios
(wall and CPU) to the generic Splink run of the same data. On a machine others share, the CPU ratio is
the steadier figure: wall time follows the load of the moment. lindung's modules are compiled to
bytecode first (byte_compile), as an installed package's are.
Sets: "plain" (the generator; seeds other than the training seeds 11-13), the generator variants
placeholder / no-nik / dense and FEBRL 1-4 (bench/matching/febrl.py), none of which was tuned on.
Not a test: it asserts nothing and prints figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KIT = ROOT / "bench" / "matching"
sys.path.insert(0, str(KIT))
import febrl  # noqa: E402
import generate  # noqa: E402
import score  # noqa: E402

SIZES = {"small": (10_000, 100_000), "medium": (100_000, 1_000_000)}
# "plain" is the generator as trained on (other seeds); the rest were never tuned on (README.md).
SETS = ("plain", *generate.VARIANTS, "febrl1", "febrl2", "febrl3", "febrl4")
AUTO = 0.99  # lindung.matching.types.Thresholds.auto: the pairs that act without a person in the app
MATCHERS = ("lindung", "exact", "splink")
LINDUNG = ROOT / ".venv" / "bin" / "lindung"


def matcher_command(matcher: str, kandidat: Path, registri: Path | None, out: Path) -> list[str]:
    files = ["--kandidat", str(kandidat), *(["--registri", str(registri)] if registri else []), "--out", str(out)]
    if matcher == "lindung":
        return [str(LINDUNG), "match", *files]
    return [sys.executable, str(KIT / "baselines.py"), matcher, *files]


def run_child(command: list[str], log: Path, timeout: float | None) -> dict:
    """Runs one command with stdout+stderr to `log`; returns exit code, wall seconds, CPU seconds (user +
    system, all threads and waited-for children: on a shared machine the comparable figure) and peak MB."""
    started = time.perf_counter()
    with open(log, "wb") as handle:
        try:
            process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, cwd=ROOT,
                                       start_new_session=True)
        except OSError as exc:
            handle.write(f"could not start: {exc}\n".encode())
            return {"rc": 127, "wall_s": 0.0, "cpu_s": 0.0, "peak_mb": 0.0}
        status, usage = wait_for(process, timeout)
    wall = time.perf_counter() - started
    rc = os.waitstatus_to_exitcode(status) if status is not None else f"timeout {timeout:g} s"
    return {"rc": rc, "wall_s": round(wall, 2), "cpu_s": round(usage.ru_utime + usage.ru_stime, 2) if usage else 0.0,
            "peak_mb": round(usage.ru_maxrss / 1024, 1) if usage else 0.0}


def wait_for(process: subprocess.Popen, timeout: float | None):
    """os.wait4 gives this child's own rusage (its peak RSS includes its waited-for children)."""
    deadline = time.monotonic() + timeout if timeout else None
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)
            return status, usage
        if deadline and time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGKILL)  # the child's own process group only
            _, status, usage = os.wait4(process.pid, 0)
            process.returncode = -signal.SIGKILL
            return None, usage
        time.sleep(0.1)


def tail(path: Path, lines: int = 15) -> str:
    text = path.read_text(errors="replace").rstrip().splitlines()
    return "\n".join("      | " + line for line in text[-lines:])


# --- data ------------------------------------------------------------------------------------------
def ensure_data(root: Path, size: str, seed: int, timeout: float | None, dataset: str = "plain") -> tuple[Path, dict]:
    if dataset.startswith("febrl"):
        data = root / dataset
        if read_meta(data) is None:
            febrl.build(int(dataset[-1]), data)
        return data, {"cached": True, **read_meta(data)}
    n_candidates, n_registry = SIZES[size]
    variant = None if dataset == "plain" else dataset
    data = root / (f"{size}-seed{seed}" + (f"-{variant}" if variant else ""))
    meta = read_meta(data)
    wanted = {"generator_version": generate.VERSION, "seed": seed, "candidates": n_candidates,
              "registry": n_registry, "variant": variant}
    if meta and all(meta.get(k) == v for k, v in wanted.items()):
        print(f"  data {data}: cached (generated in {meta['seconds']} s)", flush=True)
        return data, {"cached": True, **meta}
    if data.exists():
        shutil.rmtree(data)
    data.mkdir(parents=True)
    command = [sys.executable, str(KIT / "generate.py"), "--seed", str(seed), "--candidates",
               str(n_candidates), "--registry", str(n_registry), "--out", str(data),
               *(["--variant", variant] if variant else [])]
    run = run_child(command, data / "generate.log", timeout)
    if run["rc"] != 0:
        raise SystemExit(f"generator failed (exit {run['rc']}):\n{tail(data / 'generate.log')}")
    meta = read_meta(data)
    print(f"  data {data}: generated in {run['wall_s']} s wall, peak {run['peak_mb']} MB; "
          f"{meta['truth_links']} true links, {meta['truth_duplicate_pairs']} duplicate pairs, "
          f"{meta['lookalike_pairs']} look-alike pairs", flush=True)
    return data, {"cached": False, "wall_s": run["wall_s"], "peak_mb": run["peak_mb"], **meta}


def read_meta(data: Path) -> dict | None:
    path = data / "meta.json"
    needed = ("kandidat.parquet", "truth_links.csv", "truth_duplicates.csv", "lookalikes.csv")
    if not path.exists() or not all((data / name).exists() for name in needed):
        return None
    return json.loads(path.read_text())


# --- matchers --------------------------------------------------------------------------------------
def run_matcher(matcher: str, data: Path, timeout: float | None) -> dict:
    out = data / f"out-{matcher}"
    if out.exists():
        shutil.rmtree(out)  # never score a previous run's files
    out.mkdir()
    registri = data / "registri.parquet"
    command = matcher_command(matcher, data / "kandidat.parquet", registri if registri.exists() else None, out)
    print(f"  {matcher}: {' '.join(command)}", flush=True)
    log = data / f"{matcher}.log"
    run = run_child(command, log, timeout)
    row = {"matcher": matcher, **run}
    if run["rc"] != 0:
        print(f"    {run['rc']} (exit code) after {run['wall_s']} s; last lines of its output:\n{tail(log)}", flush=True)
        return row
    if not (out / "links.csv").exists() or not (out / "duplicates.csv").exists():
        print(f"    exit 0 but links.csv/duplicates.csv missing in {out}", flush=True)
        row["rc"] = "no output"
        return row
    row["scores"] = score.score(out, data)
    if matcher == "lindung":
        row["auto"] = score.score(out, data, threshold=AUTO)
    print(f"    {run['wall_s']} s, {run['cpu_s']} s CPU, peak {run['peak_mb']} MB", flush=True)
    return row


def bench(sizes, seeds, matchers, root: Path, timeout, datasets=("plain",)) -> list[dict]:
    rows = []
    for dataset in datasets:
        for size in (sizes if not dataset.startswith("febrl") else ["-"]):
            for seed in (seeds if not dataset.startswith("febrl") else ["-"]):
                print(f"{dataset} {size} (seed {seed})", flush=True)
                data, data_info = ensure_data(root, size, seed, timeout, dataset)
                runs = [run_matcher(m, data, timeout) for m in matchers]
                splink = next((r for r in runs if r["matcher"] == "splink" and r["rc"] == 0), None)
                for run in runs:
                    run.update(set=dataset, size=size, seed=seed, data=str(data), generation=data_info)
                    if splink and run["rc"] == 0:
                        run["time_vs_splink"] = round(run["wall_s"] / splink["wall_s"], 3)
                        run["cpu_vs_splink"] = round(run["cpu_s"] / max(splink["cpu_s"], 0.01), 3)
                    rows.append(run)
    return rows


def byte_compile() -> None:
    """lindung's modules compiled to bytecode before any run, as pip does when it installs a package (and
    did for Splink's): with PYTHONDONTWRITEBYTECODE set, an editable checkout would otherwise compile them
    from source in every run, ~0,04 CPU-s a run that an installed lindung never pays."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "lindung")], check=True, cwd=ROOT)


# --- table -----------------------------------------------------------------------------------------
HEADER = ("set", "size", "seed", "matcher", "link P", "link R", "link F1", "dup P", "dup R", "dup F1", "dup F1 clust",
          "auto P link/dup, look-alikes", "lookalikes matched", "wall s", "cpu s", "peak MB", "time/splink",
          "cpu/splink")


def table_row(run: dict) -> tuple:
    base = (run["set"], run["size"], str(run["seed"]), run["matcher"])
    if "scores" not in run:
        failed = f"failed ({run['rc']})" if isinstance(run["rc"], str) else f"failed (exit {run['rc']})"
        return base + (failed, "", "", "", "", "", "", "", "", f"{run['wall_s']:.1f}", f"{run['cpu_s']:.1f}",
                       f"{run['peak_mb']:.0f}", "", "")
    s = run["scores"]
    look = s["lookalikes"]
    ratio, cpu_ratio = run.get("time_vs_splink"), run.get("cpu_vs_splink")
    auto = run.get("auto")
    auto_text = (f"{auto['links']['precision']:.3f}/{auto['duplicates']['precision']:.3f}, look-alikes "
                 f"{auto['lookalikes']['matched_pct']:.1f} %" if auto else "")
    return base + (f"{s['links']['precision']:.4f}", f"{s['links']['recall']:.4f}", f"{s['links']['f1']:.4f}",
                   f"{s['duplicates']['precision']:.4f}", f"{s['duplicates']['recall']:.4f}",
                   f"{s['duplicates']['f1']:.4f}", f"{s['duplicate_clusters']['f1']:.4f}", auto_text,
                   f"{look['matched']}/{look['pairs']} ({look['matched_pct']:.1f} %)",
                   f"{run['wall_s']:.1f}", f"{run['cpu_s']:.1f}", f"{run['peak_mb']:.0f}", f"{ratio:.2f}" if ratio else "",
                   f"{cpu_ratio:.2f}" if cpu_ratio else "")


def print_table(rows: list[dict]) -> None:
    cells = [HEADER] + [table_row(r) for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(HEADER))]
    print()
    for i, row in enumerate(cells):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", nargs="+", choices=tuple(SIZES), default=["small"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[1])
    parser.add_argument("--matchers", nargs="+", choices=MATCHERS, default=list(MATCHERS))
    parser.add_argument("--sets", nargs="+", choices=SETS, default=["plain"],
                        help="plain generator, its variants (never tuned on), FEBRL 1-4 (never tuned on)")
    parser.add_argument("--data", type=Path, default=Path("/tmp/lindung-bench"),
                        help="cache directory for generated data and outputs")
    parser.add_argument("--timeout", type=float, default=3 * 3600, help="seconds per child process")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args(argv)
    byte_compile()
    rows = bench(args.sizes, args.seeds, args.matchers, args.data, args.timeout, args.sets)
    print_table(rows)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")
        print(f"\nwritten {args.json}")


if __name__ == "__main__":
    main()
