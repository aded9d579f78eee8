"""Import benchmark (issue 4): a 100.000-row desa list through the real code path.

Prints, for SQLite and (with --postgres URL) PostgreSQL:
  raw python-calamine read time, validated-preview time (read + every check), commit time,
  and the process's peak memory. Goals: preview <= 3x raw read, commit <= 10 s on SQLite, peak <= 1 GB.

    .venv/bin/python bench/import_bench.py [--rows 100000] [--postgres postgres://...]

Each database runs in its own process so the peak-memory figure belongs to that run alone.
Not a test: it asserts nothing and prints figures.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build_file(rows: int, path: Path) -> None:
    from lindung.programs import demo_data

    started = time.perf_counter()
    path.write_bytes(demo_data.build_xlsx(demo_data.iter_rows(n=rows, seed=7)))
    print(f"  built {rows:,} rows in {time.perf_counter() - started:.1f} s ({path.stat().st_size / 1e6:.1f} MB)", flush=True)


def run_one(path: Path, database_url: str | None) -> dict:
    """In a fresh process: migrate an empty database, then read, preview and commit the file."""
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update({"DEBUG": "1", "SQLITE_PATH": str(Path(tmp) / "bench.sqlite3"), "MEDIA_ROOT": tmp})
        if database_url:
            os.environ["DATABASE_URL"] = database_url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        if database_url:
            call_command("flush", interactive=False, verbosity=0)
        return _measure(path)


def _measure(path: Path) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from python_calamine import CalamineWorkbook

    from lindung.imports import services
    from lindung.imports.models import Candidate
    from lindung.registry.services import load_regions
    from lindung.test import make_program

    data = path.read_bytes()
    started = time.perf_counter()
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    raw_read = time.perf_counter() - started
    del sheet

    load_regions(prefix="21.02")
    program = make_program("bench-2025", "21.02")
    batch = services.start_import(program=program, user=None, upload=SimpleUploadedFile(path.name, data), enqueue=False)
    started = time.perf_counter()
    services.run_validation(batch)
    preview = time.perf_counter() - started

    # The worker keeps the preview's validation for the commit that follows; a commit in a fresh
    # worker re-reads and re-validates the file first. Measure that re-check on its own too.
    started = time.perf_counter()
    services.validate_bytes(data, path.name, services.rules_for(batch))
    recheck = time.perf_counter() - started

    started = time.perf_counter()
    counts = services.commit(batch, user=None)
    commit = time.perf_counter() - started
    return {"raw_read_s": raw_read, "preview_s": preview, "commit_s": commit, "recheck_s": recheck, "rows_ok": batch.rows_ok,
            "rows": batch.rows_total, "created": counts.created, "candidates": Candidate.objects.count(),
            "peak_mb": peak_mb()}


def report(name: str, r: dict) -> None:
    ratio = r["preview_s"] / r["raw_read_s"]
    print(f"{name:<11} rows {r['rows']:>7,}  accepted {r['rows_ok']:>7,}  raw read {r['raw_read_s']:6.2f} s  "
          f"preview {r['preview_s']:6.2f} s ({ratio:.1f}x read)  commit {r['commit_s']:6.2f} s "
          f"(+{r['recheck_s']:.2f} s re-check in a fresh worker)  peak {r['peak_mb']:6.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--postgres", help="DATABASE_URL of an empty PostgreSQL database to measure too")
    parser.add_argument("--one", nargs=2, metavar=("FILE", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(Path(args.one[0]), None if args.one[1] == "sqlite" else args.one[1])))
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"calon-{args.rows}.xlsx"
        build_file(args.rows, path)
        targets = [("SQLite", "sqlite")] + ([("PostgreSQL", args.postgres)] if args.postgres else [])
        print("goal: preview <= 3x raw read; commit <= 10 s on SQLite; peak <= 1024 MB")
        for name, db in targets:
            out = subprocess.run([sys.executable, __file__, "--one", str(path), db], capture_output=True, text=True, cwd=ROOT)
            if out.returncode != 0:
                print(f"{name}: failed\n{out.stderr[-2000:]}")
                continue
            report(name, json.loads(out.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    main()
