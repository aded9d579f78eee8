"""Reconciliation benchmark (issue 12): a 1.000.000-line BPJS tagihan against a 1.000.000-person month.

One process builds the roster (people, candidates, a cohort, enrolments with KPJ numbers, and the ledger's
person-months via `billing.ledger.sync_ledger`) and writes the branch's file with a few differences of
each kind; a fresh process then runs the real path — read the file, classify, store every line — and
prints the wall time and its peak RSS. Goal: <= 30 s and <= 2 GB.

    .venv/bin/python bench/reconcile_bench.py [--rows 1000000] [--format csv|xlsx] [--postgres URL]

Not a test: it asserts nothing and prints figures.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup_django(tmp: str, database_url: str | None) -> None:
    os.environ.update({"DEBUG": "1", "SQLITE_PATH": str(Path(tmp) / "bench.sqlite3"), "MEDIA_ROOT": tmp})
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")
    import django

    django.setup()


def build(rows: int, fmt: str, tmp: str, database_url: str | None) -> Path:
    """The roster in the database and the branch's file on disk."""
    setup_django(tmp, database_url)
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from lindung.billing.ledger import sync_ledger
    from lindung.enrolment.models import Cohort, Enrolment
    from lindung.imports.models import Candidate
    from lindung.lib.bulk import insert_many
    from lindung.registry.models import Person
    from lindung.registry.services import load_regions
    from lindung.test import make_program

    call_command("migrate", verbosity=0)
    if database_url:
        call_command("flush", interactive=False, verbosity=0)
    started = time.perf_counter()
    load_regions(prefix="21.02")
    program = make_program("bench-2025", "21.02", pagu=rows * 2 * 16_800)
    niks = list(dict.fromkeys(f"2102{i:012d}" for i in range(1, rows + 1)))  # unique 16-digit keys
    with transaction.atomic():
        now = timezone.now()
        insert_many(Person, ("nik", "nama", "created_at", "updated_at"),
                    ((n, f"Peserta {i}", now, now) for i, n in enumerate(niks)))
        person_ids = dict(Person.objects.values_list("nik", "id"))
        insert_many(Candidate, ("program", "person", "desa", "nik", "nama", "pekerjaan", "status", "created_at", "updated_at"),
                    ((program.pk, person_ids[n], "21.02.03.1001", n, f"Peserta {i}", "nelayan", "terdaftar", now, now)
                     for i, n in enumerate(niks)))
        del person_ids
        cohort = Cohort.objects.create(program=program, mulai=date(2025, 11, 1), bulan=2, kursi=rows,
                                       iuran_per_bulan=16_800, iuran_per_orang=33_600)
        # A list, not a streaming cursor: PostgreSQL's COPY holds the connection while it runs.
        candidate_ids = list(Candidate.objects.filter(program=program).order_by("id").values_list("id", flat=True))
        insert_many(Enrolment, ("cohort", "candidate", "urutan", "state", "kpj", "alasan", "updated_at"),
                    ((cohort.pk, c, i, Enrolment.State.SEATED, f"{21_000_000_000 + i}", "", now)
                     for i, c in enumerate(candidate_ids, 1)))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # fresh tables: without statistics the planner loops row by row
            cursor.execute("ANALYZE")
    with transaction.atomic():
        written = sync_ledger(program, through=date(2025, 11, 1))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # as autovacuum would have by the time a bill arrives
            cursor.execute("ANALYZE")
    print(f"  roster: {written:,} person-months in {time.perf_counter() - started:.1f} s", flush=True)
    return write_bill(program, fmt, tmp)


def write_bill(program, fmt: str, tmp: str) -> Path:
    """Every person, except: 0,1 % missing, 0,1 % at another amount, 0,1 % with a mistyped KPJ, 0,1 % strangers,
    0,05 % lines repeated."""
    from lindung.billing.models import PersonMonth

    started = time.perf_counter()
    header = ("NIK", "No. KPJ", "Nama Peserta", "Periode", "Jumlah Iuran")
    lines = []
    rows = PersonMonth.objects.filter(program=program).order_by("id").values_list("nik", "kpj", "candidate__nama", "iuran")
    for i, (n, kpj, nama, iuran) in enumerate(rows.iterator(chunk_size=50_000)):
        if i % 1000 == 1:
            continue
        if i % 1000 == 2:
            iuran = 20_000
        if i % 1000 == 3:
            kpj = kpj[:-1] + str((int(kpj[-1]) + 1) % 10)
        lines.append((n, kpj, nama, "2025-11", str(iuran)))
        if i % 2000 == 4:
            lines.append(lines[-1])
        if i % 1000 == 5:
            lines.append((f"3171{i:012d}", f"{31_000_000_000 + i}", "Orang Lain", "2025-11", "16800"))
    path = Path(tmp) / f"tagihan.{fmt}"
    if fmt == "csv":
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(header)
            writer.writerows(lines)
    else:
        import xlsxwriter

        workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        sheet = workbook.add_worksheet("Tagihan")
        sheet.write_row(0, 0, header)
        for r, line in enumerate(lines, 1):
            sheet.write_row(r, 0, line)
        workbook.close()
    print(f"  file: {len(lines):,} lines, {path.stat().st_size / 1e6:.1f} MB {fmt} in {time.perf_counter() - started:.1f} s",
          flush=True)
    return path


def measure(path: Path, tmp: str, database_url: str | None) -> dict:
    """In a fresh process: read + classify + store, the way the upload page does it."""
    setup_django(tmp, database_url)
    from lindung.domain.periods import Month
    from lindung.programs.models import Program
    from lindung.reconciliation import services

    program = Program.objects.get(slug="bench-2025")
    data = path.read_bytes()
    from lindung.reconciliation.models import Reconciliation

    Reconciliation.objects.filter(program=program).delete()  # a kept --dir measured again
    base = peak_mb()
    cpu_before = _cpu()
    started = time.perf_counter()
    read, rec = services.save_reconciliation(program=program, bulan=Month(2025, 11), data=data, filename=path.name, user=None)
    wall = time.perf_counter() - started
    assert rec is not None, read.problems[:5]
    return {"wall_s": wall, "cpu_s": _cpu() - cpu_before, "peak_mb": peak_mb(), "before_mb": base,
            "lines": rec.lines.count(), "counts": rec.counts}


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    parser.add_argument("--postgres", help="DATABASE_URL of an empty PostgreSQL database (instead of SQLite)")
    parser.add_argument("--dir", help="keep the database and the file in this folder; a second run only measures")
    parser.add_argument("--step", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        step, tmp = args.step
        if step == "build":
            print(json.dumps({"path": str(build(args.rows, args.format, tmp, args.postgres))}))
        else:
            print(json.dumps(measure(Path(step), tmp, args.postgres)))
        return
    extra = ["--rows", str(args.rows), "--format", args.format] + (["--postgres", args.postgres] if args.postgres else [])
    if args.dir:
        Path(args.dir).mkdir(parents=True, exist_ok=True)
        run(args, extra, args.dir)
        return
    with tempfile.TemporaryDirectory() as tmp:
        run(args, extra, tmp)


def run(args, extra: list[str], tmp: str) -> None:
    print(f"reconcile bench: {args.rows:,} people, {args.format}, {'PostgreSQL' if args.postgres else 'SQLite'}")
    path = Path(tmp) / f"tagihan.{args.format}"
    if not path.exists():
        out = subprocess.run([sys.executable, __file__, *extra, "--step", "build", tmp], capture_output=True, text=True, cwd=ROOT)
        print(out.stdout.rsplit("\n", 2)[0] if out.returncode == 0 else out.stderr[-3000:])
        if out.returncode != 0:
            return
    out = subprocess.run([sys.executable, __file__, *extra, "--step", str(path), tmp], capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        print(out.stderr[-3000:])
        return
    r = json.loads(out.stdout.strip().splitlines()[-1])
    load = os.getloadavg()[0]
    print(f"goal: <= 30 s, <= 2048 MB peak (load average now {load:.1f} on {os.cpu_count()} CPUs)")
    print(f"read + classify + store: {r['wall_s']:.1f} s wall, {r['cpu_s']:.1f} s CPU, peak RSS {r['peak_mb']:.0f} MB "
          f"(process before: {r['before_mb']:.0f} MB); {r['lines']:,} lines stored; {json.dumps(r['counts'])}")


if __name__ == "__main__":
    main()
