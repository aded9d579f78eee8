"""SK penetapan benchmark (issue 18): the SK PDF of a province's cohort, made in volumes as the worker does.

For each size N (people seated, i.e. people in the lampiran), in a fresh database:
  build — bench/scale/load_data.py with N / 0,6 candidates (it seats 60 %; not timed here);
  sk    — in a fresh process, `papers.make_sk_pdf` exactly as the background job runs it: count and total
          from aggregates, then each volume of SK_JILID_BARIS people read by keyset, rendered and stored;
          prints wall and CPU seconds, ms per person, peak RSS of that process, volumes and bytes stored;
  xlsx  — (with --xlsx) the lampiran workbook for the same cohort, written row by row (constant_memory).
Not a test: it asserts nothing and prints figures. The machine's load average is printed with them.

    .venv/bin/python bench/sk_bench.py [--sizes 10000 100000] [--jilid 5000] [--proses 1] [--postgres postgres://...] [--xlsx]

peak_rss_mb is the job's own process; with --proses N the volumes are laid out in children, whose largest
peak is peak_rss_child_mb (the job then holds up to N + 1 such processes).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MEASURE = textwrap.dedent("""
    import json, os, resource, sys, time
    from datetime import date
    sys.path.insert(0, {root!r})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")
    import django
    django.setup()
    from django.conf import settings
    from lindung.enrolment import papers
    from lindung.enrolment.models import Cohort

    cohort = Cohort.objects.select_related("program__pemda").get(program__slug={slug!r})
    Cohort.objects.filter(pk=cohort.pk).update(nomor_sk="560/18/DISNAKER/2025", tanggal_sk=date(2025, 10, 20),
                                               penandatangan_nama="Drs. Bench, M.Si.")
    cohort.refresh_from_db()
    mode = {mode!r}
    wall, cpu = time.perf_counter(), time.process_time()
    if mode == "sk":
        started = [wall]
        def on_volume(done, total):
            now = time.perf_counter()
            print(f"  jilid {{done}}/{{total}}: {{now - started[0]:.1f}} s", file=sys.stderr, flush=True)
            started[0] = now
        kept = papers.make_sk_pdf(cohort, on_volume=on_volume)
        cohort.refresh_from_db()
        size = sum(cohort.sk_pdf.storage.size(name) for name in cohort.sk_files)
        extra = {{"kept": kept, "volumes": len(cohort.sk_files), "mb_stored": round(size / 1e6, 1)}}
    else:
        data = papers.lampiran_file(cohort)
        extra = {{"mb_xlsx": round(len(data) / 1e6, 1)}}
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # the volumes laid out by SK_PROSES children
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu + children.ru_utime + children.ru_stime
    people = cohort.seated.count()
    print(json.dumps({{"mode": mode, "people": people, "seconds": round(wall, 1), "cpu_seconds": round(cpu, 1),
                      "ms_per_person": round(wall * 1000 / people, 2), "cpu_ms_per_person": round(cpu * 1000 / people, 2),
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                      "peak_rss_child_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024,
                      "proses": settings.SK_PROSES,
                      "jilid_baris": settings.SK_JILID_BARIS, "load_average": [round(x, 1) for x in os.getloadavg()],
                      **extra}}))
""")


def _env(workdir: Path, size: int, postgres: str | None, jilid: int, proses: int) -> dict:
    env = {**os.environ, "DEBUG": "1", "MEDIA_ROOT": str(workdir / "media"), "SK_JILID_BARIS": str(jilid),
           "SK_PROSES": str(proses)}
    if postgres:
        env["DATABASE_URL"] = f"{postgres.rstrip('/')}_sk_{size}"
    else:
        env["SQLITE_PATH"] = str(workdir / f"sk-{size}.sqlite3")
    return env


def _create_pg_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def run(size: int, *, jilid: int, proses: int, postgres: str | None, xlsx: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="sk-bench-") as tmp:
        workdir = Path(tmp)
        env = _env(workdir, size, postgres, jilid, proses)
        if postgres:
            _create_pg_database(env["DATABASE_URL"])
        candidates = math.ceil(size / 0.6)
        subprocess.run([sys.executable, str(ROOT / "bench/scale/load_data.py"), "--n", str(candidates)],
                       env=env, check=True, stdout=subprocess.DEVNULL)
        database = "postgresql" if postgres else "sqlite"
        for mode in ["sk"] + (["xlsx"] if xlsx else []):
            code = MEASURE.format(root=str(ROOT), slug=f"skala-{candidates}", mode=mode)
            out = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
            figures = json.loads(out.stdout.strip().splitlines()[-1])
            print(json.dumps({"database": database, "size": size, **figures}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000], help="people seated (in the SK)")
    parser.add_argument("--jilid", type=int, default=5000, help="SK_JILID_BARIS: people per volume")
    parser.add_argument("--proses", type=int, default=1, help="SK_PROSES: volumes laid out side by side")
    parser.add_argument("--postgres", help="postgres://user@host:port/prefix (a database per size is made)")
    parser.add_argument("--xlsx", action="store_true", help="also time the lampiran xlsx")
    args = parser.parse_args()
    for size in args.sizes:
        run(size, jilid=args.jilid, proses=args.proses, postgres=args.postgres, xlsx=args.xlsx)


if __name__ == "__main__":
    main()
