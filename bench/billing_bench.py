"""Billing benchmark (issue 12): the monthly bill for 1.000.000 active people.

Two layouts: one programme of 1.000.000, and 20 programmes of 50.000 each. For each, in a fresh database:
  seed   — people, candidates and seated, registered enrolments written with INSERT … SELECT (not timed as billing);
  bill   — the first bill of a month: `ledger.sync_ledger` writes the month's person-months, then
           `ledger.bill_summary` counts and sums them (what `lindung tagihan` does the first time);
  again  — the same bill asked again (the ledger already holds the month and the cohort has not changed:
           the sync skips the month, the summary sums the ledger);
  cpu    — this process's CPU seconds (all of SQLite's work; PostgreSQL's server time is not in it), to read
           the wall times on a loaded machine;
  csv    — `lindung tagihan --csv` lines for the largest programme written to a file.
Goal: bill <= 5 s. Not a test: it asserts nothing and prints figures.

    .venv/bin/python bench/billing_bench.py [--people 1000000] [--postgres postgres://...] [--layouts one twenty]

Each database and layout runs in its own process, so the peak-memory figure belongs to that run alone.
"""

from __future__ import annotations

import argparse
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
PROGRAMMES = {"one": 1, "twenty": 20}


def _cpu() -> float:
    """CPU seconds of this process (SQLite runs in it; PostgreSQL's server time is not counted)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _numbers(vendor: str, start: int, stop: int) -> str:
    """A row source of integers start..stop (inclusive), aliased n(i)."""
    if vendor == "postgresql":
        return f"(SELECT generate_series({start}, {stop}) AS i) n"
    return (f"(WITH RECURSIVE s(i) AS (SELECT {start} UNION ALL SELECT i + 1 FROM s WHERE i < {stop}) "
            "SELECT i FROM s) n")


def _pad(vendor: str, expr: str, width: int) -> str:
    return f"lpad(({expr})::text, {width}, '0')" if vendor == "postgresql" else f"printf('%0{width}d', {expr})"


def seed(people: int, programmes: int) -> list:
    """Programmes of Kabupaten Karimun for January 2026, each with a cohort of `people // programmes` seated,
    registered (KPJ) people. Ids are written explicitly so one statement per table and programme does it."""
    from django.db import connection, transaction

    from lindung.enrolment.models import Cohort
    from lindung.programs.models import Program
    from lindung.registry.services import load_regions

    load_regions(prefix="21.02")
    vendor, per = connection.vendor, people // programmes
    made = []
    with transaction.atomic(), connection.cursor() as cursor:
        for k in range(programmes):
            program = Program.objects.create(
                slug=f"bench-{k + 1}", nama=f"Bench {k + 1}", pemda_id="21.02", sumber_dana="apbd_kabkota",
                pagu=per * 16_800, mulai=date(2026, 1, 1), selesai=date(2026, 1, 31))
            cohort = Cohort.objects.create(program=program, mulai=program.mulai, bulan=1, kursi=per,
                                           iuran_per_bulan=16_800, iuran_per_orang=16_800, iuran_penetapan=per * 16_800)
            first, last = k * per + 1, (k + 1) * per
            nik = "'210203150' || " + _pad(vendor, "i", 7)
            numbers = _numbers(vendor, first, last)
            cursor.execute(f"INSERT INTO registry_person (id, nik, nama, tanggal_lahir, jenis_kelamin, tempat_lahir, "
                           f"nama_ibu, no_kk, created_at, updated_at) SELECT i, {nik}, 'Peserta ' || i, NULL, 'L', '', "
                           f"'', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM {numbers}")
            cursor.execute(
                "INSERT INTO imports_candidate (id, program_id, person_id, desa_id, nik, nama, tanggal_lahir, "
                "jenis_kelamin, tempat_lahir, alamat, rt, rw, pekerjaan, no_hp, nama_ibu, no_kk, keterangan, raw, "
                "problems, problem_codes, status, bpjs_kpj, bpjs_segmen, level_index, version, created_at, updated_at) "
                f"SELECT i, {program.pk}, i, '21.02.03.1001', {nik}, 'Peserta ' || i, NULL, 'L', '', '', '', '', "
                f"'nelayan', '', '', '', '', '{{}}', '[]', '', 'aktif', '', '', 0, 0, CURRENT_TIMESTAMP, "
                f"CURRENT_TIMESTAMP FROM {numbers}")
            cursor.execute(
                "INSERT INTO enrolment_enrolment (id, cohort_id, candidate_id, urutan, state, kpj, alasan, "
                f"alasan_keluar, updated_at) SELECT i, {cohort.pk}, i, i, 'kursi', '25' || {_pad(vendor, 'i', 9)}, "
                f"'', '', CURRENT_TIMESTAMP FROM {numbers}")
            made.append(program)
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return made


def run_one(people: int, layout: str, database_url: str | None) -> dict:
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
        return _measure(people, layout, Path(tmp))


def _measure(people: int, layout: str, tmp: Path) -> dict:
    from django.db import connection

    from lindung.billing import bill, ledger
    from lindung.domain.periods import Month

    started = time.perf_counter()
    programs = seed(people, PROGRAMMES[layout])
    seeded = time.perf_counter() - started
    month = Month(2026, 1)

    def bill_all() -> tuple[int, int, float, float]:
        t, cpu = time.perf_counter(), _cpu()
        orang = total = 0
        for program in programs:
            ledger.sync_ledger(program, through=month)
            summary = ledger.bill_summary(program, month)
            orang, total = orang + summary.orang, total + summary.total
        return orang, total, time.perf_counter() - t, _cpu() - cpu

    orang, total, first, first_cpu = bill_all()
    _, _, again, again_cpu = bill_all()
    t = time.perf_counter()
    with (tmp / "tagihan.csv").open("w", encoding="utf-8") as out:
        lines = bill.write_csv(programs[0], month, out)
    csv_seconds = time.perf_counter() - t
    return {"database": connection.vendor, "layout": layout, "programmes": len(programs), "people": people,
            "seed_s": round(seeded, 1), "bill_s": round(first, 2), "again_s": round(again, 2),
            "bill_cpu_s": round(first_cpu, 2), "again_cpu_s": round(again_cpu, 2),
            "csv_lines": lines, "csv_s": round(csv_seconds, 2), "orang": orang, "total": total,
            "peak_mb": round(peak_mb())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--postgres", help="postgres://… of an EMPTY database to use (it is flushed)")
    parser.add_argument("--layouts", nargs="+", default=["one", "twenty"], choices=sorted(PROGRAMMES))
    parser.add_argument("--sqlite", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--child", nargs=3, metavar=("PEOPLE", "LAYOUT", "URL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        people, layout, url = args.child
        print(json.dumps(run_one(int(people), layout, url or None)))
        return
    targets = ([""] if args.sqlite else []) + ([args.postgres] if args.postgres else [])
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores", flush=True)
    for url in targets:
        for layout in args.layouts:
            done = subprocess.run([sys.executable, __file__, "--child", str(args.people), layout, url],
                                  capture_output=True, text=True, cwd=ROOT)
            if done.returncode:
                print(done.stderr[-3000:], file=sys.stderr)
                sys.exit(done.returncode)
            r = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"{r['database']:>10} {r['programmes']:>2} programme(s), {r['people']:,} people: seed {r['seed_s']} s; "
                  f"bill {r['bill_s']} s (goal <= 5 s; cpu {r['bill_cpu_s']} s), asked again {r['again_s']} s "
                  f"(cpu {r['again_cpu_s']} s); "
                  f"{r['orang']:,} orang Rp{r['total']:,}; csv {r['csv_lines']:,} lines {r['csv_s']} s; "
                  f"peak {r['peak_mb']} MB", flush=True)


if __name__ == "__main__":
    main()
