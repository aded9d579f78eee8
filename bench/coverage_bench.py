"""Coverage benchmark (issue 15): a province with 1.000.000 covered people over ~300 kecamatan.

Builds a scratch database (SQLite in a temporary folder, or an empty PostgreSQL with --postgres), loads
the province's regions, one programme and cohort, N people seated in it spread over every desa and on the person-month ledger
for the first --bulan months, a semesta per desa, and some engine links; then times what the pages do:

  - `lindung cakupan <provinsi> --json` (services.report: one grouped SQL query per level + links),
  - the same for a kabupaten, and the map SVG of a kabupaten (kecamatan polygons) and of the province.

    .venv/bin/python bench/coverage_bench.py [--people 1000000] [--provinsi 11] [--postgres postgres://...]

Aceh (11): 290 kecamatan, 6.500 desa; its polygons are not shipped, so its map is the tile grid. Not a
test: it asserts nothing and prints figures. Goal: JSON and map <= 2 s.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(tmp: str, database_url: str | None, db: str | None = None) -> None:
    os.environ.update({"DEBUG": "1", "SQLITE_PATH": db or str(Path(tmp) / "bench.sqlite3"), "MEDIA_ROOT": tmp})
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def insert_select(model, exprs: dict[str, str], source: str, params: list | None = None) -> None:
    """INSERT INTO model's table SELECT ... FROM source: `exprs` give SQL for some columns, every other
    column takes its field default (a parameter), NULL, or now. Millions of rows in seconds."""
    from django.db import connection
    from django.utils import timezone

    columns, values, args = [], [], []
    for f in model._meta.concrete_fields:
        if f.primary_key and f.name not in exprs:
            continue
        columns.append(connection.ops.quote_name(f.column))
        if f.name in exprs:
            values.append(exprs[f.name])
            continue
        default = timezone.now() if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else (
            f.get_default() if f.has_default() else ("" if not f.null and f.get_internal_type() in ("CharField", "TextField") else None))
        values.append("%s")
        args.append(f.get_db_prep_save(default, connection))
    sql = f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(values)} FROM {source}"
    with connection.cursor() as cursor:
        cursor.execute(sql, args + (params or []))


def build(people: int, provinsi: str, months: int) -> None:
    from django.db import connection, transaction

    from lindung.billing.models import PersonMonth
    from lindung.coverage.models import Semesta, SemestaRow
    from lindung.domain import wilayah
    from lindung.enrolment.models import Cohort, Enrolment
    from lindung.imports.models import Candidate, CandidateStatus
    from lindung.linkage.models import MatchPair
    from lindung.programs.models import Program
    from lindung.registry.models import Person, Region
    from lindung.registry.services import load_regions

    started = time.perf_counter()
    load_regions(prefix=provinsi)
    desa = [w.kode for w in wilayah.all_at(4) if w.kode.startswith(provinsi + ".")]
    program = Program.objects.create(slug="bench", nama="Bench", pemda_id=provinsi, sumber_dana="apbd_provinsi",
                                     pagu=10**12, mulai=date(2025, 1, 1), selesai=date(2025, 12, 31))
    cohort = Cohort.objects.create(program=program, mulai=program.mulai, bulan=12, kursi=people,
                                   iuran_per_bulan=16_800, iuran_per_orang=201_600)
    base = 9_000_000_000_000_000
    series = "(WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < %s) SELECT i FROM n) s"
    with transaction.atomic():
        with connection.cursor() as cursor:  # the desa in code order, numbered from 0
            cursor.execute("CREATE TEMPORARY TABLE bench_desa (i integer primary key, kode varchar(13))")
            cursor.executemany("INSERT INTO bench_desa VALUES (%s, %s)", list(enumerate(desa)))
        insert_select(Person, {"nik": f"CAST(s.i + {base} AS varchar(16))", "nama": "'Bench'"}, series, [people - 1])
        print(f"  persons {time.perf_counter() - started:.0f} s", flush=True)
        insert_select(Candidate, {"program": str(program.pk), "person": "p.id", "nik": "p.nik", "nama": "'Bench'",
                                  "desa": "d.kode", "pekerjaan": "'nelayan'", "status": f"'{CandidateStatus.AKTIF}'"},
                      f"{Person._meta.db_table} p JOIN bench_desa d ON d.i = (CAST(p.nik AS bigint) - {base}) %% {len(desa)}"
                      f" WHERE p.nik >= '{base}'")
        print(f"  candidates {time.perf_counter() - started:.0f} s", flush=True)
        insert_select(Enrolment, {"cohort": str(cohort.pk), "candidate": "c.id", "urutan": "c.id",
                                  "state": f"'{Enrolment.State.SEATED}'"},
                      f"{Candidate._meta.db_table} c WHERE c.program_id = {program.pk}")
        for m in range(1, months + 1):
            insert_select(PersonMonth, {"program": str(program.pk), "enrolment": "e.id", "candidate": "e.candidate_id",
                                        "nik": "c.nik", "kpj": "c.nik", "bulan": f"'2025-{m:02d}-01'", "iuran": "16800",
                                        "aturan": "'[]'", "state": "'ditagih'"},
                          f"{Enrolment._meta.db_table} e JOIN {Candidate._meta.db_table} c ON c.id = e.candidate_id"
                          f" WHERE e.cohort_id = {cohort.pk}")
        print(f"  person-months {time.perf_counter() - started:.0f} s", flush=True)
    some = list(Candidate.objects.filter(program=program).order_by("pk").values_list("pk", flat=True)[:2000])
    MatchPair.objects.bulk_create([MatchPair(kind=MatchPair.Kind.LINTAS, left_id=a, right_id=b, score=0.99,
                                             band=MatchPair.Band.MATCH, status=MatchPair.Status.AUTO)
                                   for a, b in zip(some[::2], some[1::2])])
    semesta = Semesta.objects.create(sumber="Bench", tahun=2025, pemda_id=provinsi)
    per_desa = people // len(desa) * 2 + 1
    SemestaRow.objects.bulk_create([SemestaRow(semesta=semesta, wilayah_id=k, jumlah=per_desa) for k in desa],
                                   batch_size=5_000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"built {people:,} covered people ({months} months on the ledger) over {len(desa):,} desa "
          f"in {time.perf_counter() - started:.0f} s", flush=True)


def timed(label: str, fn) -> object:
    """Wall time, and this process's CPU time: on a shared machine the second is what an idle VM would see
    (SQLite runs in-process; with PostgreSQL the server's CPU is not in it)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = fn()
    load = os.getloadavg()[0]
    print(f"{label}: {time.perf_counter() - started:.2f} s wall, {time.process_time() - cpu:.2f} s CPU "
          f"(load average {load:.1f})", flush=True)
    return result


def measure(provinsi: str) -> None:
    from lindung.coverage import services
    from lindung.coverage.views import map_svg
    from lindung.domain import wilayah
    from lindung.domain.periods import Month

    month = Month(2025, 3)
    report = timed(f"cakupan {provinsi} --json (provinsi)", lambda: json.dumps(services.report(provinsi, bulan=month).as_json()))
    data = json.loads(report)
    print(f"  peserta {data['peserta']:,}, semesta {data['semesta']:,}, persen {data['persen']}, {len(data['rincian'])} kabupaten")
    kab = wilayah.children(provinsi)[0].kode
    timed(f"cakupan {kab} --json (kabupaten)", lambda: services.report(kab, bulan=month).as_json())
    r = services.report(kab, bulan=month)
    svg = timed(f"peta {kab} (report + SVG)", lambda: map_svg(kab, services.report(kab, bulan=month)))
    print(f"  SVG {len(svg.encode()) / 1024:.0f} KB")
    svg = timed(f"peta {provinsi} (report + SVG)", lambda: map_svg(provinsi, services.report(provinsi, bulan=month)))
    print(f"  SVG {len(svg.encode()) / 1024:.0f} KB")
    del r


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--provinsi", default="11")
    parser.add_argument("--bulan", type=int, default=3, help="months on the ledger (January onwards)")
    parser.add_argument("--postgres", help="DATABASE_URL of an empty PostgreSQL database instead of SQLite")
    parser.add_argument("--sqlite", help="keep the SQLite file here; built once, measured again on later runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup(tmp, args.postgres, args.sqlite)
        from django.db import connection

        from lindung.programs.models import Program

        print(f"database: {connection.vendor}", flush=True)
        if not Program.objects.filter(slug="bench").exists():
            build(args.people, args.provinsi, args.bulan)
        measure(args.provinsi)


if __name__ == "__main__":
    main()
